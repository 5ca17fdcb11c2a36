import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { CONTACT_COLUMNS, contactsCsv, contactsCsvFileName, toCsv } from '../../src/main/core/csv-export.ts'
import type { OutboxItem } from '../../src/shared/outbox-schemas.ts'

function item(draft: Partial<OutboxItem['draft']>, extra: Partial<OutboxItem> = {}): OutboxItem {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    seq: 1,
    state: 'queued',
    draft: { fullName: 'Ada Lovelace', email: 'ada@example.com', description: '', phones: [], ...draft },
    target: { baseUrl: 'https://api.example.test', organizationId: 42 },
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    fieldErrors: null,
    contact: null,
    overdue: false,
    createdAt: '2025-01-15T09:30:00.000Z',
    updatedAt: '2025-01-15T09:30:00.000Z',
    ...extra,
  }
}

function parse(csv: string): string[][] {
  expect(csv.startsWith('\uFEFF')).toBe(true)
  const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true })
  expect(parsed.errors).toEqual([])
  return parsed.data
}

describe('contacts as CSV', () => {
  it('has one heading row and one row per item, in order, with CRLF line ends', () => {
    const csv = contactsCsv([item({ fullName: 'Ada' }), item({ fullName: 'Grace' }, { state: 'sent' })])
    const rows = parse(csv)
    expect(rows[0]).toEqual(CONTACT_COLUMNS.map((column) => column.heading))
    expect(rows.slice(1).map((row) => [row[0], row[5]])).toEqual([
      ['Ada', 'queued'],
      ['Grace', 'sent'],
    ])
    expect(csv.split('\r\n')).toHaveLength(4)
  })

  it('round-trips commas, quotes, line breaks, emoji and accents exactly as typed', () => {
    const description = 'Met at "the fair", Paris\r\nSecond line, with ünïcödé 👋'
    const rows = parse(contactsCsv([item({ fullName: 'Zoë, O’Brien', description })]))
    expect(rows[1]?.[0]).toBe('Zoë, O’Brien')
    expect(rows[1]?.[2]).toBe(description)
  })

  it('keeps every phone number as typed, and leaves them alone even when they start with +', () => {
    const rows = parse(contactsCsv([item({ phones: [{ number: '+1 (415) 555-0132' }, { number: '020 7946 0018' }] })]))
    expect(rows[1]?.[3]).toBe('+1 (415) 555-0132; 020 7946 0018')
  })

  it.each(['=HYPERLINK("http://evil.test")', '@SUM(A1)', '+cmd|calc', '-2+3+cmd|calc', '\tTabbed'])(
    'defuses a cell a spreadsheet would run as a formula: %s',
    (text) => {
      const rows = parse(contactsCsv([item({ fullName: text })]))
      expect(rows[1]?.[0]).toBe(`'${text}`)
    },
  )

  it('fills the server contact id and the last error when there are some', () => {
    const contact = {
      id: 9001,
      organization_id: 42,
      full_name: 'Ada',
      email: null,
      description: null,
      contact_phones: [],
    }
    const rows = parse(
      contactsCsv([
        item({}, { state: 'sent', contact }),
        item({}, { state: 'needs_fix', lastError: { code: 'rejected', params: { messages: ['Fix the email.'] } } }),
      ]),
    )
    expect(rows[1]?.[9]).toBe('9001')
    expect(rows[2]?.[11]).toBe('The server did not accept this contact: Fix the email.')
  })

  it('writes only the heading row for no items', () => {
    expect(parse(toCsv(CONTACT_COLUMNS, []))).toHaveLength(1)
  })

  it('names the file by the day', () => {
    expect(contactsCsvFileName(Date.UTC(2025, 0, 15, 23, 59))).toBe('cloverhound-contacts-2025-01-15.csv')
  })
})
