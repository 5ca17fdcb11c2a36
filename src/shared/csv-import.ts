import { z } from 'zod'
import { appErrorSchema } from './app-error.ts'
import { contactDraftSchema, type ContactDraft } from './contact.ts'

/** What one import may hold: a big spreadsheet, small enough to check and keep in memory at once. */
export const CSV_IMPORT_LIMITS = {
  bytes: 10 * 1024 * 1024,
  rows: 10_000,
  columns: 100,
  cell: 20_000,
  fileName: 260,
} as const

/** Bytes as base64 carry over every transport (IPC and the web preview's JSON) unchanged. */
const BASE64_MAX = Math.ceil(CSV_IMPORT_LIMITS.bytes / 3) * 4

/** A file the web preview's file input read: its name and its bytes, checked for size before parsing. */
export const csvFileInputSchema = z.object({
  fileName: z.string().max(CSV_IMPORT_LIMITS.fileName),
  base64: z.string().max(BASE64_MAX, 'The file is larger than 10 MB. Split it into smaller files and import each.'),
})
export type CsvFileInput = z.infer<typeof csvFileInputSchema>

export const csvEncodings = ['utf-8', 'utf-16le', 'utf-16be'] as const
export type CsvEncoding = (typeof csvEncodings)[number]

/** A parsed file: its first row as headings, the rest as rows of text cells (padded to the headings). */
export const csvTableSchema = z.object({
  fileName: z.string().max(CSV_IMPORT_LIMITS.fileName),
  encoding: z.enum(csvEncodings),
  delimiter: z.string().max(4),
  headers: z.array(z.string().max(CSV_IMPORT_LIMITS.cell)).max(CSV_IMPORT_LIMITS.columns),
  rows: z.array(z.array(z.string().max(CSV_IMPORT_LIMITS.cell))).max(CSV_IMPORT_LIMITS.rows),
})
export type CsvTable = z.infer<typeof csvTableSchema>

/**
 * Import CSV's open step. In Electron main shows the open dialog and reads the file (`table`, or
 * `cancelled`); the web preview has no dialog in main and answers `use_file_input`, so the page offers its own.
 */
export const csvOpenSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('table'), table: csvTableSchema }),
  z.object({ kind: z.literal('cancelled') }),
  z.object({ kind: z.literal('use_file_input') }),
])
export type CsvOpen = z.infer<typeof csvOpenSchema>

/** Import N contacts: every draft is checked again in main (one invalid and none is written), then written in order. */
export const importContactsInputSchema = z.object({
  drafts: z.array(contactDraftSchema).min(1).max(CSV_IMPORT_LIMITS.rows),
})
export type ImportContactsInput = z.infer<typeof importContactsInputSchema>

/**
 * The first `count` drafts are in the outbox. `stopped`: why the rest were not written (main writes in
 * slices so it keeps serving the windows, and a failing slice stops the import); absent when all were.
 */
export const importContactsResultSchema = z.object({
  count: z.number().int().nonnegative(),
  stopped: appErrorSchema.optional(),
})
export type ImportContactsResult = z.infer<typeof importContactsResultSchema>

/** Rows the user could not fix here, saved as a CSV with an error column: headings and text cells. */
export const csvRowsExportInputSchema = z.object({
  fileName: z.string().max(CSV_IMPORT_LIMITS.fileName),
  headers: z.array(z.string().max(CSV_IMPORT_LIMITS.cell)).max(CSV_IMPORT_LIMITS.columns + 1),
  rows: z.array(z.array(z.string().max(CSV_IMPORT_LIMITS.cell))).max(CSV_IMPORT_LIMITS.rows),
})
export type CsvRowsExportInput = z.infer<typeof csvRowsExportInputSchema>

/** What a column of the file becomes in a contact; `ignore` leaves it out. */
export const csvFields = [
  'ignore',
  'fullName',
  'firstName',
  'lastName',
  'email',
  'description',
  'phone',
  'country',
] as const
export type CsvField = (typeof csvFields)[number]

/** Headings each field is recognised by, compared without case, spaces or punctuation. */
const HEADER_ALIASES: Record<Exclude<CsvField, 'ignore'>, readonly string[]> = {
  fullName: ['fullname', 'name', 'contactname', 'displayname', 'contact'],
  firstName: ['firstname', 'givenname', 'first', 'forename'],
  lastName: ['lastname', 'surname', 'familyname', 'last'],
  email: ['email', 'emailaddress', 'mail', 'email1', 'primaryemail'],
  description: ['description', 'notes', 'note', 'comment', 'comments', 'memo'],
  phone: [
    'phone',
    'phones',
    'phonenumber',
    'phonenumbers',
    'telephone',
    'tel',
    'mobile',
    'mobilephone',
    'cell',
    'cellphone',
    'work',
    'workphone',
    'businessphone',
    'home',
    'homephone',
    'otherphone',
    'fax',
  ],
  country: ['phonecountry', 'country', 'countrycode'],
}

function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
}

/** The field a heading most likely means: "E-mail" → email, "Phone 2" → phone, anything unknown → ignore. */
export function fieldForHeader(header: string): CsvField {
  const key = headerKey(header)
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as [CsvField, readonly string[]][]) {
    if (aliases.includes(key)) return field
  }
  // Numbered and labelled phone columns: "Phone 2", "Mobile phone 1", "Work tel".
  if (/^(phone|mobile|cell|tel|telephone|work|home)\d*$|phone\d*$|tel\d*$/.test(key)) return 'phone'
  if (/^email\d*$/.test(key)) return 'email'
  return 'ignore'
}

/**
 * Every column's field, each single-valued field taken by its first column only (a second "Email"
 * is left for the user to choose); any number of columns may be phones.
 */
export function guessMapping(headers: readonly string[]): CsvField[] {
  const taken = new Set<CsvField>()
  return headers.map((header) => {
    const field = fieldForHeader(header)
    if (field === 'phone' || field === 'ignore') return field
    if (taken.has(field)) return 'ignore'
    taken.add(field)
    return field
  })
}

/** What a row becomes under a mapping, and which column each phone came from (for errors at their cell). */
export interface MappedRow {
  draft: ContactDraft
  phoneColumns: number[]
}

/** Several numbers in one cell are separated by ";" or a line break (the export writes "; "). */
const PHONE_SEPARATOR = /[;\n\r]+/

/** One file row as a form draft: first + last name when there is no full name, phones in the file's (or row's) country. */
export function mapRow(cells: readonly string[], mapping: readonly CsvField[], defaultCountry: string): MappedRow {
  const text = (field: CsvField): string =>
    mapping
      .map((f, column) => (f === field ? (cells[column] ?? '').trim() : ''))
      .filter((value) => value !== '')
      .join(' ')
  const fullName = text('fullName') || [text('firstName'), text('lastName')].filter((v) => v !== '').join(' ')
  const rowCountry = text('country').toUpperCase()
  const country = /^[A-Z]{2}$/.test(rowCountry) ? rowCountry : defaultCountry
  const phones: ContactDraft['phones'] = []
  const phoneColumns: number[] = []
  mapping.forEach((field, column) => {
    if (field !== 'phone') return
    // A leading apostrophe is Export CSV's formula guard (or a spreadsheet's "text" mark), never part of a number.
    for (const typed of (cells[column] ?? '').replace(/^\s*'/, '').split(PHONE_SEPARATOR)) {
      const number = typed.trim()
      if (number === '') continue
      phones.push({ number, country })
      phoneColumns.push(column)
    }
  })
  return {
    draft: { fullName, email: text('email'), description: text('description'), phones, country },
    phoneColumns,
  }
}
