import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { CsvImportError, decodeCsv, parseCsv } from '../../src/main/core/csv-import.ts'
import { toCsv } from '../../src/main/core/csv-export.ts'
import { CSV_IMPORT_LIMITS, fieldForHeader, guessMapping, mapRow } from '../../src/shared/csv-import.ts'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

/** UTF-16 as Excel's "Unicode text" writes it: a byte order mark, then two bytes a code unit. */
function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const bytes = new Uint8Array(2 + text.length * 2)
  bytes.set(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff])
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    const [high, low] = [unit >> 8, unit & 0xff]
    bytes.set(endian === 'le' ? [low, high] : [high, low], 2 + i * 2)
  }
  return bytes
}

const SAMPLE = 'Full name,Email\r\nZoë O’Brien,zoe@example.com\r\n'

describe('reading a CSV file', () => {
  it.each([
    ['UTF-8 without a byte order mark', utf8(SAMPLE), 'utf-8'],
    ['UTF-8 with a byte order mark', utf8(`\uFEFF${SAMPLE}`), 'utf-8'],
    ['UTF-16 LE from Excel', utf16(SAMPLE, 'le'), 'utf-16le'],
    ['UTF-16 BE', utf16(SAMPLE, 'be'), 'utf-16be'],
  ] as const)('reads %s to the same table', (_name, bytes, encoding) => {
    const table = parseCsv(bytes, 'people.csv')
    expect(table.encoding).toBe(encoding)
    expect(table.headers).toEqual(['Full name', 'Email'])
    expect(table.rows).toEqual([['Zoë O’Brien', 'zoe@example.com']])
  })

  it.each([
    [',', 'comma'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])('detects the %s delimiter (%s)', (delimiter) => {
    const text =
      ['Name', 'Email', 'Phone'].join(delimiter) + '\n' + ['Ada', 'ada@example.com', '+44 20 7946 0958'].join(delimiter)
    const table = parseCsv(utf8(text), 'x.csv')
    expect(table.delimiter).toBe(delimiter)
    expect(table.rows[0]).toEqual(['Ada', 'ada@example.com', '+44 20 7946 0958'])
  })

  it('keeps a quoted field with line breaks, commas and quotes whole', () => {
    const text = 'Name,Notes\n"Ada","First line,\nsecond ""quoted"" line"\nGrace,short\n'
    expect(parseCsv(utf8(text), 'x.csv').rows).toEqual([
      ['Ada', 'First line,\nsecond "quoted" line'],
      ['Grace', 'short'],
    ])
  })

  it('pads short rows, drops cells past the headings, and skips blank lines', () => {
    const table = parseCsv(utf8('A,B,C\n1\n\n1,2,3,4\n'), 'x.csv')
    expect(table.rows).toEqual([
      ['1', '', ''],
      ['1', '2', '3'],
    ])
  })

  it('refuses bytes that are not UTF-8 text, with what to do instead', () => {
    expect(() => decodeCsv(new Uint8Array([0x4e, 0x61, 0xe9, 0x0a]))).toThrow(/save it as “CSV UTF-8”/)
  })

  it('refuses a file over 10 MB and one over 10,000 rows, saying to split it', () => {
    const big = new Uint8Array(CSV_IMPORT_LIMITS.bytes + 1).fill(0x61)
    expect(() => parseCsv(big, 'big.csv')).toThrow(CsvImportError)
    expect(() => parseCsv(big, 'big.csv')).toThrow(/at most 10 MB/)
    const long = 'Name\n' + 'Ada\n'.repeat(CSV_IMPORT_LIMITS.rows + 1)
    expect(() => parseCsv(utf8(long), 'long.csv')).toThrow(/more than 10,000 contacts/)
    expect(parseCsv(utf8('Name\n' + 'Ada\n'.repeat(CSV_IMPORT_LIMITS.rows)), 'ok.csv').rows).toHaveLength(10_000)
  })

  it('refuses an empty file with what the first row should hold', () => {
    expect(() => parseCsv(utf8(''), 'empty.csv')).toThrow(/first row should name the columns/)
  })
})

describe('mapping columns from their headings', () => {
  it.each([
    ['Full name', 'fullName'],
    ['Name', 'fullName'],
    ['First Name', 'firstName'],
    ['Last name', 'lastName'],
    ['Surname', 'lastName'],
    ['Email', 'email'],
    ['E-mail', 'email'],
    ['E-mail Address', 'email'],
    ['Description', 'description'],
    ['Notes', 'description'],
    ['Phone', 'phone'],
    ['Mobile', 'phone'],
    ['Work', 'phone'],
    ['Home Phone', 'phone'],
    ['Phone 2', 'phone'],
    ['Phone numbers', 'phone'],
    ['Phone country', 'country'],
    ['Company', 'ignore'],
  ] as const)('%s → %s', (header, field) => {
    expect(fieldForHeader(header)).toBe(field)
  })

  it('gives each single field to its first column only; any number of columns are phones', () => {
    expect(guessMapping(['Email', 'Name', 'Email', 'Mobile', 'Work', 'Company'])).toEqual([
      'email',
      'fullName',
      'ignore',
      'phone',
      'phone',
      'ignore',
    ])
  })

  it('makes a draft: first + last name, several phones per cell, the row’s country over the file’s', () => {
    const mapping = guessMapping(['First name', 'Last name', 'Mobile', 'Work', 'Phone country'])
    const { draft, phoneColumns } = mapRow(['Ada', 'Lovelace', '020 7946 0958; 020 7946 0959', '', 'gb'], mapping, 'US')
    expect(draft).toEqual({
      fullName: 'Ada Lovelace',
      email: '',
      description: '',
      country: 'GB',
      phones: [
        { number: '020 7946 0958', country: 'GB' },
        { number: '020 7946 0959', country: 'GB' },
      ],
    })
    expect(phoneColumns).toEqual([2, 2])
    expect(mapRow(['Grace', 'Hopper', '', '415 555 0132', ''], mapping, 'US').draft.phones).toEqual([
      { number: '415 555 0132', country: 'US' },
    ])
  })

  it('reads back what Export CSV writes', () => {
    const csv = toCsv(
      [
        { heading: 'Full name', value: (row: string[]) => row[0]! },
        { heading: 'Phone numbers', value: (row: string[]) => row[1]! },
      ],
      [['Ada Lovelace', '+442079460958; +14155550132']],
    )
    const table = parseCsv(utf8(csv), 'export.csv')
    const { draft } = mapRow(table.rows[0]!, guessMapping(table.headers), '')
    expect(draft.fullName).toBe('Ada Lovelace')
    expect(draft.phones.map((phone) => phone.number)).toEqual(['+442079460958', '+14155550132'])
  })
})

describe('the formula guard on what Export CSV writes', () => {
  it.each(['=1+1', '@SUM(A1)', '+cmd|calc', '-2+3', '\tTAB', '\rCR'])(
    'defuses %j with a leading apostrophe',
    (value) => {
      const csv = toCsv([{ heading: 'Full name', value: (row: string) => row }], [value])
      const [, row] = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data
      expect(row?.[0]).toBe(`'${value}`)
    },
  )

  it('leaves a phone number starting with + as it is', () => {
    const csv = toCsv([{ heading: 'Phone', value: (row: string) => row }], ['+1 415 555 0132'])
    expect(Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data[1]?.[0]).toBe('+1 415 555 0132')
  })
})
