import type { ContactDraft, PhoneRules } from '../../shared/contact.ts'
import { validateContactDraftWith } from '../../shared/contact.ts'
import { mapRow, type CsvField } from '../../shared/csv-import.ts'
import { duplicateWords, fieldLabel } from './csv-copy.ts'

/** One data row of the file as the preview shows it: its cells, its contact, and what is wrong where. */
export interface PreviewRow {
  /** The row's number in the file as a spreadsheet shows it (the headings are row 1). */
  line: number
  cells: string[]
  draft: ContactDraft
  /** Messages by column index: each error at the cell it comes from. */
  cellErrors: Record<number, string[]>
  /** Messages that belong to no one cell (no column holds the name; too many phones). */
  rowErrors: string[]
  /** What marks it a possible duplicate (of an earlier row, or of a contact already sent), else null. */
  duplicate: string | null
  /** Email and phone numbers (E.164) of a valid row: what duplicates are matched on. */
  keys: string[]
  valid: boolean
}

export type RowStatus = 'valid' | 'invalid' | 'duplicate'

export function rowStatus(row: PreviewRow): RowStatus {
  if (!row.valid) return 'invalid'
  return row.duplicate ? 'duplicate' : 'valid'
}

/** A contact to look up among those already sent: the seam for a history lookup (findDuplicates). */
export interface DuplicateCandidate {
  fullName: string
  email?: string
  phones: string[]
}
/** Answers, for each candidate, words naming the contact it may repeat, or null. */
export type FindDuplicates = (candidates: readonly DuplicateCandidate[]) => Promise<(string | null)[]>

/** A row checked by the shared contact schema, errors placed at the cells they come from. */
export function checkRow(
  cells: string[],
  line: number,
  mapping: readonly CsvField[],
  defaultCountry: string,
  rules: PhoneRules,
): PreviewRow {
  const { draft, phoneColumns } = mapRow(cells, mapping, defaultCountry)
  const checked = validateContactDraftWith(draft, rules)
  const row: PreviewRow = {
    line,
    cells,
    draft,
    cellErrors: {},
    rowErrors: [],
    duplicate: null,
    keys: [],
    valid: checked.ok,
  }
  if (checked.ok) {
    const { email, contact_phones_attributes: phones = [] } = checked.request
    row.keys = [...(email ? [`email:${email.toLowerCase()}`] : []), ...phones.map((phone) => `phone:${phone.number}`)]
    return row
  }
  const at = (column: number | undefined, messages: readonly string[] | undefined, field: string): void => {
    if (!messages || messages.length === 0) return
    if (column === undefined || column < 0) row.rowErrors.push(...messages.map((m) => `${field}: ${m}`))
    else row.cellErrors[column] = [...(row.cellErrors[column] ?? []), ...messages]
  }
  const { errors } = checked
  const nameColumn = ['fullName', 'firstName', 'lastName']
    .map((f) => mapping.indexOf(f as CsvField))
    .find((c) => c >= 0)
  at(nameColumn, errors.fullName, fieldLabel('fullName'))
  at(mapping.indexOf('email'), errors.email, fieldLabel('email'))
  at(mapping.indexOf('description'), errors.description, fieldLabel('description'))
  errors.phones?.forEach((messages, index) => at(phoneColumns[index], messages, fieldLabel('phone')))
  if (errors.general) row.rowErrors.push(...errors.general)
  return row
}

/** How long one slice of checking may hold the page before it yields (well under a 100 ms long task). */
const SLICE_MS = 30

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * Marks each valid row that shares an email or a phone number with an earlier valid row, then asks
 * the history lookup (when there is one) about the rest. Replaces `duplicate` on every row.
 */
export async function markDuplicates(rows: PreviewRow[], findDuplicates?: FindDuplicates): Promise<void> {
  const firstLine = new Map<string, number>()
  let sliceStart = performance.now()
  for (const row of rows) {
    row.duplicate = null
    if (!row.valid) continue
    const earlier = row.keys.map((key) => firstLine.get(key)).find((line) => line !== undefined)
    if (earlier !== undefined) row.duplicate = duplicateWords.inFile(earlier)
    for (const key of row.keys) if (!firstLine.has(key)) firstLine.set(key, row.line)
    // 10,000 rows at once held the page ~0.15 s in Chromium: yield like checkRows does.
    if (performance.now() - sliceStart > SLICE_MS) {
      await nextTask()
      sliceStart = performance.now()
    }
  }
  if (!findDuplicates) return
  const unique = rows.filter((row) => row.valid && row.duplicate === null)
  const answers = await findDuplicates(
    unique.map((row) => ({
      fullName: row.draft.fullName,
      ...(row.draft.email.trim() ? { email: row.draft.email.trim() } : {}),
      phones: row.keys.filter((key) => key.startsWith('phone:')).map((key) => key.slice('phone:'.length)),
    })),
  )
  unique.forEach((row, index) => {
    const match = answers[index]
    if (match) row.duplicate = duplicateWords.inHistory(match)
  })
}

/** Every row checked in slices that yield to the page between them, reporting progress (0…1) as it goes. */
export async function checkRows(
  table: { rows: readonly string[][] },
  mapping: readonly CsvField[],
  defaultCountry: string,
  rules: PhoneRules,
  onProgress: (done: number) => void,
  isStale: () => boolean = () => false,
): Promise<PreviewRow[] | undefined> {
  const checked: PreviewRow[] = []
  let sliceStart = performance.now()
  for (const [index, cells] of table.rows.entries()) {
    checked.push(checkRow([...cells], index + 2, mapping, defaultCountry, rules))
    if (performance.now() - sliceStart > SLICE_MS) {
      onProgress(checked.length / table.rows.length)
      await nextTask()
      // The mapping or country changed meanwhile: this pass is no longer wanted.
      if (isStale()) return undefined
      sliceStart = performance.now()
    }
  }
  onProgress(1)
  return checked
}

/** The rows that need fixing elsewhere, as they are now, with a last column saying what is wrong. */
export function rowsToFix(
  headers: readonly string[],
  rows: readonly PreviewRow[],
): { headers: string[]; rows: string[][] } {
  const errorsOf = (row: PreviewRow): string =>
    [
      ...Object.entries(row.cellErrors).map(
        ([column, messages]) => `${headers[Number(column)]}: ${messages.join(' ')}`,
      ),
      ...row.rowErrors,
    ].join(' | ')
  return {
    headers: [...headers, 'Errors'],
    rows: rows.filter((row) => !row.valid).map((row) => [...row.cells, errorsOf(row)]),
  }
}
