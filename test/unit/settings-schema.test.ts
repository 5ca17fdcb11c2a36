import { describe, expect, it } from 'vitest'
import {
  apiKeyIdSchema,
  baseUrlSchema,
  flagAfterDaysSchema,
  keepHistoryDaysSchema,
  numberFromInput,
  organizationIdSchema,
  settingsInputSchema,
  settingsViewSchema,
} from '../../src/shared/settings.ts'

describe('baseUrlSchema', () => {
  it.each([
    ['https://cloud-staging.cloverhound.com/', 'https://cloud-staging.cloverhound.com'],
    ['  https://api.example.com/v1//  ', 'https://api.example.com/v1'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://localhost:4010/', 'http://localhost:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
  ])('accepts %s as %s', (input, expected) => {
    expect(baseUrlSchema.parse(input)).toBe(expected)
  })

  it.each([
    ['http://cloud-staging.cloverhound.com', /https/],
    ['ftp://example.com', /https/],
    ['cloverhound.com', /full URL/],
    ['https://user:pw@example.com', /user name and password/],
    ['https://example.com/?org=1', /\? or #/],
    ['', /base URL/],
  ])('refuses %s', (input, message) => {
    const result = baseUrlSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues[0]?.message).toMatch(message)
  })
})

describe('organizationIdSchema', () => {
  it('accepts a positive whole number', () => expect(organizationIdSchema.parse(42)).toBe(42))
  it.each([0, -1, 1.5, Number.NaN, 2 ** 60])('refuses %s', (value) => {
    expect(organizationIdSchema.safeParse(value).success).toBe(false)
  })
})

describe('apiKeyIdSchema', () => {
  it('refuses a colon, which Basic auth cannot carry in the user name', () => {
    expect(apiKeyIdSchema.safeParse('abc:def').error?.issues[0]?.message).toMatch(/colon/)
  })
  it('trims and accepts an ordinary ID', () => expect(apiKeyIdSchema.parse('  key-123 ')).toBe('key-123'))
})

describe('the outbox windows', () => {
  it.each([
    [1, true],
    [365, true],
    [0, false],
    [366, false],
    [1.5, false],
    [Number.NaN, false],
  ])('flag after %s days: valid %s', (days, valid) => {
    expect(flagAfterDaysSchema.safeParse(days).success).toBe(valid)
  })

  it.each([
    [1, true],
    [3650, true],
    [0, false],
    [3651, false],
    [-5, false],
  ])('keep history %s days: valid %s', (days, valid) => {
    expect(keepHistoryDaysSchema.safeParse(days).success).toBe(valid)
  })

  it('says what is wrong in words', () => {
    const first = (result: { error?: { issues: Array<{ message: string }> } }) => result.error?.issues[0]?.message
    expect(first(flagAfterDaysSchema.safeParse(Number.NaN))).toBe('Enter a whole number of days, like 7.')
    expect(first(flagAfterDaysSchema.safeParse(2.5))).toBe('Enter a whole number of days, like 7.')
    expect(first(flagAfterDaysSchema.safeParse(0))).toBe('Flag unsent contacts after at least 1 day.')
    expect(first(keepHistoryDaysSchema.safeParse(4000))).toBe('Keep sent history for at most 3650 days (ten years).')
  })

  it.each([
    ['7', 7],
    [' 30 ', 30],
    ['-3', -3],
    ['2.5', 2.5],
    [14, 14],
  ])('reads %o typed into an input as %s', (input, expected) => {
    expect(numberFromInput(input)).toBe(expected)
  })

  it.each(['', 'seven', '1e3', '0x10', '7 days'])('reads %o as not a number', (input) => {
    expect(numberFromInput(input)).toBeNaN()
  })

  it('lets a settings input leave the windows out (older callers) or send them as numbers or text', () => {
    const profile = { baseUrl: 'https://a.example', organizationId: 1, apiKeyId: 'k' }
    expect(settingsInputSchema.safeParse(profile).success).toBe(true)
    expect(settingsInputSchema.safeParse({ ...profile, flagAfterDays: 3, keepHistoryDays: '90' }).success).toBe(true)
    expect(settingsInputSchema.safeParse({ ...profile, flagAfterDays: null }).success).toBe(false)
  })

  it('makes the windows part of what the renderer sees', () => {
    const view = {
      profile: { baseUrl: 'https://a.example', organizationId: null, apiKeyId: '', deduplicatesRetries: false },
      configured: false,
      hasApiKey: false,
      keyStorage: 'keychain',
      keychain: { available: true },
    }
    expect(settingsViewSchema.safeParse(view).success).toBe(false)
    expect(
      settingsViewSchema.safeParse({
        ...view,
        retention: { flagAfterDays: 7, keepHistoryDays: 30 },
        activeProfileId: 'default',
        profiles: [{ id: 'default', name: 'My organization', organizationId: null, host: null }],
      }).success,
    ).toBe(true)
  })
})
