import { afterEach, describe, expect, it } from 'vitest'
import { parseRetryAfter } from '../../src/main/core/retry-after.ts'

const NOW = Date.parse('1994-11-06T08:48:37Z')
const DAY_MS = 24 * 60 * 60 * 1000

describe('parseRetryAfter', () => {
  it('gives no hint when the header is absent or empty', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined()
    expect(parseRetryAfter('', NOW)).toBeUndefined()
    expect(parseRetryAfter('   ', NOW)).toBeUndefined()
  })

  it('reads delta-seconds as milliseconds, surrounding spaces allowed', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000)
    expect(parseRetryAfter(' 7 ', NOW)).toBe(7_000)
    expect(parseRetryAfter('0', NOW)).toBe(0)
  })

  it('caps a delay of more than a day at one day', () => {
    expect(parseRetryAfter('86401', NOW)).toBe(DAY_MS)
    expect(parseRetryAfter('9999999999', NOW)).toBe(DAY_MS)
  })

  it('reads an IMF-fixdate as the time left until it', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(60_000)
  })

  it('reads the obsolete RFC 850 date form too', () => {
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(60_000)
  })

  it('treats a date already past as "now" (0), never negative', () => {
    expect(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', NOW)).toBe(0)
  })

  it('caps a date more than a day away at one day', () => {
    expect(parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', NOW)).toBe(DAY_MS)
  })

  it('ignores values that are neither seconds nor a date', () => {
    for (const value of ['soon', '-5', '1.5', '2030-01-01', '5s', 'NaN']) {
      expect(parseRetryAfter(value, NOW), value).toBeUndefined()
    }
  })

  describe('asctime dates, which HTTP defines as GMT', () => {
    const originalTz = process.env.TZ
    afterEach(() => {
      if (originalTz === undefined) delete process.env.TZ
      else process.env.TZ = originalTz
    })

    it('are read as GMT whatever the local time zone is', () => {
      process.env.TZ = 'UTC'
      expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', NOW)).toBe(60_000)
    })

    // Known bug (see the report): Date.parse reads a zone-less asctime date as local time.
    // Flip to it() once retry-after.ts appends ' GMT' to dates without a zone.
    it('are read as GMT even where local time is not GMT', () => {
      process.env.TZ = 'America/New_York'
      expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', NOW)).toBe(60_000)
    })
  })
})
