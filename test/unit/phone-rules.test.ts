import { describe, expect, it } from 'vitest'
import { validateContactDraft, type ContactDraft } from '../../src/shared/contact.ts'
import {
  countryOfTypedNumber,
  countryPhrase,
  extensionLine,
  normalizePhone,
  type PhoneNormalization,
} from '../../src/shared/phone.ts'

const draft = (phones: ContactDraft['phones'], overrides: Partial<ContactDraft> = {}): ContactDraft => ({
  fullName: 'Ada Lovelace',
  email: '',
  description: '',
  phones,
  ...overrides,
})

const messageOf = (result: PhoneNormalization): string => (result.ok ? `ok ${result.e164}` : result.message)

describe('phone rows, each in its own country', () => {
  it('reads a UK and a US number in one contact, each in its row’s country', () => {
    const result = validateContactDraft(
      draft([
        { number: '020 7946 0958', country: 'GB' },
        { number: '(415) 555-0132', country: 'US' },
      ]),
    )
    expect(result).toEqual({
      ok: true,
      request: {
        full_name: 'Ada Lovelace',
        contact_phones_attributes: [{ number: '+442079460958' }, { number: '+14155550132' }],
      },
    })
  })

  it('reads rows without a country of their own in the draft’s country (drafts saved before rows had one)', () => {
    const result = validateContactDraft(
      draft([{ number: '020 7946 0958' }, { number: '(415) 555-0132', country: 'US' }], { country: 'GB' }),
    )
    expect(result).toMatchObject({
      ok: true,
      request: { contact_phones_attributes: [{ number: '+442079460958' }, { number: '+14155550132' }] },
    })
  })

  it('leaves empty rows out of the request and gives them no error', () => {
    const result = validateContactDraft(
      draft([
        { number: '', country: 'GB' },
        { number: '020 7946 0958', country: 'GB' },
        { number: '  ', country: 'US' },
      ]),
    )
    expect(result).toEqual({
      ok: true,
      request: { full_name: 'Ada Lovelace', contact_phones_attributes: [{ number: '+442079460958' }] },
    })
  })

  it('names the row of an earlier copy of the same number, across countries and empty rows', () => {
    const result = validateContactDraft(
      draft([
        { number: '', country: 'US' },
        { number: '+44 20 7946 0958', country: 'US' },
        { number: '020 7946 0958', country: 'GB' },
      ]),
    )
    expect(result).toEqual({ ok: false, errors: { phones: [[], [], ['This number is already in row 2.']] } })
  })

  it('asks for a country when a national number has none', () => {
    expect(messageOf(normalizePhone('020 7946 0958'))).toBe(
      'Start with + and the country code, or choose the number’s country.',
    )
  })
})

describe('why a number is not valid, naming the country', () => {
  it.each([
    ['020 79', 'GB', 'This is not a valid number in the United Kingdom: it is too short.'],
    ['12', 'US', 'This is not a valid number in the United States: it is too short.'],
    ['+44 20 79', undefined, 'This is not a valid number with the country code +44: it is too short.'],
    ['+44 20 7946 0958 1234', undefined, 'This is not a valid number with the country code +44: it is too long.'],
    ['+49 30 1', undefined, 'This is not a valid number in Germany: it is too short.'],
    ['+1 999 555 0132', undefined, 'This is not a valid number with the country code +1.'],
  ] as const)('%s in %s', (typed, country, message) => {
    expect(messageOf(normalizePhone(typed, country))).toBe(message)
  })

  it('says when the digits are too long for the country', () => {
    expect(messageOf(normalizePhone('020 7946 0958 123', 'GB'))).toMatch(
      /^This is not a valid number in the United Kingdom: it is too long\./,
    )
  })

  it('says the digits look like a German number when they are one', () => {
    expect(messageOf(normalizePhone('030 901820', 'GB'))).toBe(
      'This is not a valid number in the United Kingdom. It looks like a number in Germany: choose that country for this row.',
    )
    // And the German reading is the number that would be sent.
    expect(normalizePhone('030 901820', 'DE')).toEqual({ ok: true, e164: '+4930901820' })
  })

  it('tries the caller’s countries first for the hint', () => {
    expect(messageOf(normalizePhone('415 555 0132', 'GB'))).toContain('It looks like a number in the United States')
    // 0151 1234 5678 is a German mobile number; Austria would take it too, and is asked first here.
    expect(messageOf(normalizePhone('0151 12345678', 'GB', { hintCountries: ['AT'] }))).toContain(
      'It looks like a number in Austria',
    )
  })

  it('gives no hint for a number that is only too short (probably not finished)', () => {
    expect(messageOf(normalizePhone('555 0132', 'US'))).toBe(
      'This is not a valid number in the United States: it is too short.',
    )
  })

  it('refuses letters and says what a number may contain', () => {
    expect(messageOf(normalizePhone('call me', 'US'))).toMatch(/^Use digits, spaces, brackets and dashes/)
    expect(messageOf(normalizePhone('+1 415 555 0132 ext seven', 'US'))).toMatch(/^Use digits/)
  })

  it('refuses a + with no country calling code after it', () => {
    expect(messageOf(normalizePhone('+999 1234'))).toMatch(/country calling code|recognise/)
  })

  it('names countries the way an English sentence needs them', () => {
    expect(['GB', 'US', 'DE', 'NL', 'KY', 'FR'].map(countryPhrase)).toEqual([
      'the United Kingdom',
      'the United States',
      'Germany',
      'the Netherlands',
      'the Cayman Islands',
      'France',
    ])
  })
})

describe('extensions', () => {
  it.each([
    ['+1 415 555 0132 ext 7', undefined, '+14155550132', '7'],
    ['(415) 555-0132 x12', 'US', '+14155550132', '12'],
    ['020 7946 0958 #22', 'GB', '+442079460958', '22'],
    ['+14155550132;ext=5', undefined, '+14155550132', '5'],
    ['020 7946 0958 ext. 7', 'GB', '+442079460958', '7'],
  ] as const)('keeps the extension of %j apart from the E.164 number', (typed, country, e164, extension) => {
    expect(normalizePhone(typed, country)).toEqual({ ok: true, e164, extension })
  })

  it('has no extension when none was typed', () => {
    expect(normalizePhone('(415) 555-0132', 'US')).toEqual({ ok: true, e164: '+14155550132' })
  })

  it('writes the line that keeps it in Description', () => {
    expect(extensionLine('+14155550132', '7')).toBe('+1 415 555 0132 ext. 7')
  })

  it('sends the number without its extension (E.164 cannot carry one)', () => {
    const result = validateContactDraft(draft([{ number: '(415) 555-0132 x12', country: 'US' }]))
    expect(result).toMatchObject({ ok: true, request: { contact_phones_attributes: [{ number: '+14155550132' }] } })
  })
})

describe('a number typed with + sets its row’s country', () => {
  it.each([
    ['+44 20 7946 0958', undefined, 'GB'],
    ['+1 415 555 0132', 'GB', 'US'],
    ['+49 30', 'US', 'DE'],
  ] as const)('%s (row in %s) → %s', (typed, current, expected) => {
    expect(countryOfTypedNumber(typed, current)).toBe(expected)
  })

  it('keeps the row’s country when it shares the number’s calling code', () => {
    // Guernsey shares +44 with the United Kingdom; a UK row stays a UK row.
    expect(countryOfTypedNumber('+44 7911 123456', 'GB')).toBe('GB')
  })

  it('changes nothing for a national number or a code not yet complete', () => {
    expect(countryOfTypedNumber('020 7946 0958', 'US')).toBeUndefined()
    expect(countryOfTypedNumber('+4', 'US')).toBeUndefined()
    expect(countryOfTypedNumber('+1', 'GB')).toBeUndefined()
  })
})
