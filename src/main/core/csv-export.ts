import { itemErrorWords } from '../../shared/item-error-words.ts'
import Papa from 'papaparse'
import type { OutboxFilter } from '../../shared/outbox.ts'
import type { OutboxItem } from '../../shared/outbox-schemas.ts'

/** One column of a CSV file: its heading and how a row fills it. */
export interface CsvColumn<T> {
  heading: string
  value: (row: T) => string | number
}

/**
 * A cell a spreadsheet would run as a formula (=, @, a tab or CR, or + and - followed by anything but
 * the digits, spaces and punctuation of phone numbers) gets a leading apostrophe, so opening an export cannot execute
 * what someone typed into a contact. "+1 415 555 0132" stays as it is.
 */
const FORMULA_LIKE = /^(?:[=@\t\r]|[+-](?![\d\s().;-]*$))/
/** Excel reads a CSV file as UTF-8 only when it starts with a byte order mark. */
const UTF8_BOM = '\uFEFF'

/** Rows as CSV text (RFC 4180 quoting, CRLF line ends, UTF-8 with BOM), formula-like cells defused. */
export function toCsv<T>(columns: readonly CsvColumn<T>[], rows: readonly T[]): string {
  const csv = Papa.unparse(
    {
      fields: columns.map((column) => column.heading),
      data: rows.map((row) => columns.map((column) => column.value(row))),
    },
    { escapeFormulae: FORMULA_LIKE, newline: '\r\n' },
  )
  return `${UTF8_BOM}${csv}\r\n`
}

/** Everything the user typed for a contact, and where it stands, one outbox item a row. */
export const CONTACT_COLUMNS: readonly CsvColumn<OutboxItem>[] = [
  { heading: 'Full name', value: (item) => item.draft.fullName },
  { heading: 'Email', value: (item) => item.draft.email },
  { heading: 'Description', value: (item) => item.draft.description },
  // As typed: the numbers the user entered, whether or not they were normalised yet.
  { heading: 'Phone numbers', value: (item) => item.draft.phones.map((phone) => phone.number).join('; ') },
  { heading: 'Phone country', value: (item) => item.draft.country ?? '' },
  { heading: 'State', value: (item) => item.state },
  { heading: 'Saved at', value: (item) => item.createdAt },
  { heading: 'Organization ID', value: (item) => item.target.organizationId },
  { heading: 'Base URL', value: (item) => item.target.baseUrl },
  { heading: 'Cloverhound contact ID', value: (item) => item.contact?.id ?? '' },
  // When the server created it (its own time when it said), else when the item last changed state.
  { heading: 'Sent at', value: (item) => (item.state === 'sent' ? (item.contact?.created_at ?? item.updatedAt) : '') },
  { heading: 'Last error', value: (item) => (item.lastError ? itemErrorWords(item.lastError) : '') },
]

/** Rows as they are, under their own headings (Import CSV's rows that need fixing). */
export function rowsCsv(headers: readonly string[], rows: readonly string[][]): string {
  return toCsv(
    headers.map((heading, column) => ({ heading, value: (row: readonly string[]) => row[column] ?? '' })),
    rows,
  )
}

export function contactsCsv(items: readonly OutboxItem[]): string {
  return toCsv(CONTACT_COLUMNS, items)
}

/** A file name that sorts by date and says what it holds, e.g. cloverhound-contacts-2025-01-15.csv or cloverhound-contacts-sent-search-2025-01-15.csv. */
export function contactsCsvFileName(now: number, filter?: OutboxFilter, searched = false): string {
  const scope = `${filter && filter !== 'all' ? `${filter.replace('_', '-')}-` : ''}${searched ? 'search-' : ''}`
  return `cloverhound-contacts-${scope}${new Date(now).toISOString().slice(0, 10)}.csv`
}
