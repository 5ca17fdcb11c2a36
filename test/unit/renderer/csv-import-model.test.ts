import { describe, expect, it } from 'vitest'
import { isCountryCode, normalizePhone } from '../../../src/shared/phone.ts'
import { guessMapping } from '../../../src/shared/csv-import.ts'
import {
  checkRow,
  checkRows,
  markDuplicates,
  rowStatus,
  rowsToFix,
  type DuplicateCandidate,
} from '../../../src/renderer/src/csv-import-model.ts'

const rules = { isCountryCode, normalizePhone }
const HEADERS = ['Name', 'E-mail', 'Mobile', 'Work']
const mapping = guessMapping(HEADERS)

describe('a preview row', () => {
  it('puts each error at the cell it comes from, a phone’s at its own column', () => {
    const row = checkRow(['Ada', 'ada@', '415 555 0132', '12'], 2, mapping, 'US', rules)
    expect(row.valid).toBe(false)
    expect(Object.keys(row.cellErrors)).toEqual(['1', '3'])
    expect(row.cellErrors[1]).toEqual(['Enter an email address like name@example.com.'])
    expect(row.rowErrors).toEqual([])
    expect(rowStatus(row)).toBe('invalid')
  })

  it('says at the row when no column holds the name', () => {
    const row = checkRow(['ada@example.com'], 2, ['email'], 'US', rules)
    expect(row.rowErrors).toEqual(['Full name: Enter the contact’s full name.'])
  })
})

describe('possible duplicates', () => {
  it('flags a row that shares an email (any case) or a phone with an earlier row', async () => {
    const rows = [
      checkRow(['Ada', 'ada@example.com', '', ''], 2, mapping, 'US', rules),
      checkRow(['Ada L.', 'ADA@example.com', '', ''], 3, mapping, 'US', rules),
      checkRow(['Grace', '', '(415) 555-0132', ''], 4, mapping, 'US', rules),
      checkRow(['G. Hopper', '', '', '+1 415 555 0132'], 5, mapping, 'US', rules),
    ]
    await markDuplicates(rows)
    expect(rows.map(rowStatus)).toEqual(['valid', 'duplicate', 'valid', 'duplicate'])
    expect(rows[1]?.duplicate).toBe('Same email or phone as row 2.')
    expect(rows[3]?.duplicate).toBe('Same email or phone as row 4.')
  })

  it('asks the history lookup about the rows the file does not flag itself', async () => {
    const rows = [
      checkRow(['Ada', 'ada@example.com', '', ''], 2, mapping, 'US', rules),
      checkRow(['Ada again', 'ada@example.com', '', ''], 3, mapping, 'US', rules),
      checkRow(['Grace', '', '415 555 0132', ''], 4, mapping, 'US', rules),
    ]
    const asked: DuplicateCandidate[][] = []
    await markDuplicates(rows, async (candidates) => {
      asked.push([...candidates])
      return candidates.map((candidate) => (candidate.phones.includes('+14155550132') ? 'Grace Hopper, sent' : null))
    })
    expect(asked).toEqual([
      [
        { fullName: 'Ada', email: 'ada@example.com', phones: [] },
        { fullName: 'Grace', phones: ['+14155550132'] },
      ],
    ])
    expect(rows.map((row) => row.duplicate)).toEqual([
      null,
      'Same email or phone as row 2.',
      'May already exist: Grace Hopper, sent.',
    ])
  })
})

describe('checking a whole file', () => {
  it('checks every row, reports progress up to 1, and stops when a newer pass starts', async () => {
    const table = { rows: Array.from({ length: 50 }, (_, i) => [`Person ${i}`, `p${i}@example.com`, '', '']) }
    const progress: number[] = []
    const rows = await checkRows(table, mapping, 'US', rules, (share) => progress.push(share))
    expect(rows).toHaveLength(50)
    expect(rows?.every((row) => row.valid)).toBe(true)
    expect(rows?.[0]?.line).toBe(2)
    expect(progress.at(-1)).toBe(1)
  })

  it('saves the rows to fix with an Errors column', () => {
    const rows = [
      checkRow(['Ada', 'ada@example.com', '', ''], 2, mapping, 'US', rules),
      checkRow(['', 'bad', '', ''], 3, mapping, 'US', rules),
    ]
    const fix = rowsToFix(HEADERS, rows)
    expect(fix.headers).toEqual([...HEADERS, 'Errors'])
    expect(fix.rows).toEqual([
      [
        '',
        'bad',
        '',
        '',
        'Name: Enter the contact’s full name. | E-mail: Enter an email address like name@example.com.',
      ],
    ])
  })
})
