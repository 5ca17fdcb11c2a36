import { describe, expect, it } from 'vitest'
import { apiKeyIdSchema, baseUrlSchema, organizationIdSchema } from '../../src/shared/settings.ts'

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
