import Papa from 'papaparse'
import { fail, ok, type Result } from '../../shared/app-error.ts'
import { CSV_IMPORT_LIMITS, type CsvEncoding, type CsvTable } from '../../shared/csv-import.ts'

/** Why a file cannot be imported, in words the user can act on. */
export class CsvImportError extends Error {}

const MB = 1024 * 1024

/** Which text encoding the bytes are in: Excel's "Unicode text" is UTF-16 with a byte order mark; everything else UTF-8. */
export function detectEncoding(bytes: Uint8Array): { encoding: CsvEncoding; bomLength: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 }
  return { encoding: 'utf-8', bomLength: 0 }
}

/** The bytes as text; bytes that are not valid in the encoding are refused rather than turned into "�". */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  const { encoding, bomLength } = detectEncoding(bytes)
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(bomLength))
    return { text, encoding }
  } catch {
    throw new CsvImportError(
      'The file is not UTF-8 or UTF-16 text. In your spreadsheet, save it as “CSV UTF-8” and import that file.',
    )
  }
}

/**
 * A CSV file's bytes as a table: encoding from the byte order mark, the delimiter (comma, semicolon
 * or tab) detected by papaparse, quoted fields with line breaks kept whole, blank lines skipped.
 */
export function parseCsv(bytes: Uint8Array, fileName: string): CsvTable {
  if (bytes.byteLength > CSV_IMPORT_LIMITS.bytes) {
    throw new CsvImportError(
      `The file is ${(bytes.byteLength / MB).toFixed(1)} MB; at most ${CSV_IMPORT_LIMITS.bytes / MB} MB can be imported at once. Split it into smaller files.`,
    )
  }
  const { text, encoding } = decodeCsv(bytes)
  const parsed = Papa.parse<string[]>(text, {
    delimitersToGuess: [',', ';', '\t'],
    skipEmptyLines: 'greedy',
    // One row past the limit is enough to know the file is too long.
    preview: CSV_IMPORT_LIMITS.rows + 2,
  })
  const [headers, ...rows] = parsed.data
  if (!headers || headers.every((cell) => cell.trim() === '')) {
    throw new CsvImportError(
      'The file has no rows. Its first row should name the columns, like “Full name, Email, Phone”.',
    )
  }
  if (rows.length > CSV_IMPORT_LIMITS.rows) {
    throw new CsvImportError(
      `The file has more than ${CSV_IMPORT_LIMITS.rows.toLocaleString('en-US')} contacts; import at most that many at once. Split it into smaller files.`,
    )
  }
  if (headers.length > CSV_IMPORT_LIMITS.columns) {
    throw new CsvImportError(
      `The file has ${headers.length} columns; at most ${CSV_IMPORT_LIMITS.columns} can be read.`,
    )
  }
  const width = headers.length
  const fit = (cell: string): string => cell.slice(0, CSV_IMPORT_LIMITS.cell)
  return {
    fileName: fileName.slice(0, CSV_IMPORT_LIMITS.fileName),
    encoding,
    delimiter: parsed.meta.delimiter,
    headers: headers.map((header) => fit(header.trim())),
    // Every row as wide as the headings: a short row's missing cells are empty, a long row's extras are dropped.
    rows: rows.map((row) => Array.from({ length: width }, (_, column) => fit(row[column] ?? ''))),
  }
}

/** A file's bytes as a table, or the words that say why it cannot be read (used by both transports' open steps). */
export function parseCsvResult(bytes: Uint8Array, fileName: string): Result<CsvTable> {
  try {
    return ok(parseCsv(bytes, fileName))
  } catch (error) {
    if (error instanceof CsvImportError) return fail('invalid', error.message)
    throw error
  }
}
