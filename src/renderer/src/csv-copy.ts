import type { ContactsExport } from '../../shared/contacts-export.ts'
import type { CsvField } from '../../shared/csv-import.ts'

/** Import and Export CSV's words, in one place: the preview, its counts, the rows-to-fix file and exports say the same things. */
const FIELD_LABELS: Record<CsvField, string> = {
  ignore: 'Don’t import',
  fullName: 'Full name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  description: 'Description',
  phone: 'Phone',
  country: 'Phone country',
}

export function fieldLabel(field: CsvField): string {
  return FIELD_LABELS[field]
}

export const STATUS_LABELS: Record<'valid' | 'invalid' | 'duplicate', string> = {
  valid: 'Ready',
  invalid: 'Needs fixing',
  duplicate: 'Possible duplicate',
}

export const duplicateWords = {
  inFile: (line: number) => `Same email or phone as row ${line}.`,
  inHistory: (match: string) => `May already exist: ${match}.`,
}

const count = (n: number, one: string, many: string): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

export function importButtonWords(n: number): string {
  return `Import ${count(n, 'contact', 'contacts')}`
}

export function countsWords(valid: number, invalid: number, duplicate: number): string {
  return `${count(valid, 'ready', 'ready')} · ${count(invalid, 'needs fixing', 'need fixing')} · ${count(duplicate, 'possible duplicate', 'possible duplicates')}`
}

export function importedWords(n: number): string {
  return `${count(n, 'contact was', 'contacts were')} added to the outbox; they are sent as usual.`
}

/** After a failure part-way: the rows main did not write stay in the preview. */
export function notImportedWords(n: number, reason: string): string {
  return `${count(n, 'other contact was', 'other contacts were')} not added and ${n === 1 ? 'stays' : 'stay'} here to import again. ${reason}`
}

export function fileSummaryWords(fileName: string, rows: number, delimiter: string, encoding: string): string {
  const names: Record<string, string> = { ',': 'commas', ';': 'semicolons', '\t': 'tabs' }
  return `${fileName}: ${count(rows, 'row', 'rows')}, separated by ${names[delimiter] ?? `“${delimiter}”`}, ${encoding.toUpperCase()}.`
}

export const IMPORT_WORDS = {
  title: 'Import CSV',
  choose: 'Choose a CSV file…',
  intro:
    'The first row should name the columns (Full name or First name + Last name, Email, Description, Phone, Mobile…). Up to 10 MB and 10,000 contacts per file.',
  noName: 'No column is mapped to Full name or First name: choose one above.',
  includeDuplicates: 'Also import possible duplicates',
  saveRowsToFix: 'Save rows to fix (CSV)',
  checking: 'Checking rows…',
  startOver: 'Choose another file',
  countryLabel: 'Phone country for numbers without +',
} as const

/** After an export: where it went (Electron) or that it downloaded (web preview); nothing when cancelled. */
export function exportDoneWords(answer: ContactsExport): string | null {
  if (answer.kind === 'cancelled') return null
  const where = answer.kind === 'saved' ? ` to ${answer.path}` : ''
  const partial = answer.complete ? '' : ' Part of the file could not be read; everything else is in the export.'
  return `Exported ${count(answer.count, 'contact', 'contacts')}${where}.${partial}`
}

export const EXPORT_WORDS = { button: 'Export CSV' } as const
