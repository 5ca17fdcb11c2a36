import { getCountries, isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'

export { E164_PATTERN } from './e164.ts'

export type PhoneNormalization = { ok: true; e164: string } | { ok: false; message: string }

export function isCountryCode(value: string): value is CountryCode {
  return isSupportedCountry(value)
}

export function supportedCountries(): readonly CountryCode[] {
  return getCountries()
}

/** The region of a BCP 47 locale ("en-GB" → "GB") when the phone library knows it. */
export function countryFromLocale(locale: string | undefined): CountryCode | undefined {
  if (!locale) return undefined
  try {
    const region = new Intl.Locale(locale).maximize().region
    return region && isCountryCode(region) ? region : undefined
  } catch {
    return undefined
  }
}

/**
 * Turns a number typed the way people type it ("(415) 555-0132", "+44 20 7946 0958",
 * "0044…") into E.164, reading national numbers in `defaultCountry`.
 */
export function normalizePhone(input: string, defaultCountry?: CountryCode): PhoneNormalization {
  const text = input.trim()
  if (text === '') return { ok: false, message: 'Enter a phone number or remove this row.' }
  if (!/^[\d\s()+\-./]+$/u.test(text) && !/^[\d\s()+\-./]*(?:ext\.?|x|#)\s*\d+$/iu.test(text)) {
    return { ok: false, message: 'Use digits, spaces, brackets, dashes and an optional leading +.' }
  }
  const parsed = parsePhoneNumberFromString(text, defaultCountry)
  if (!parsed) {
    return {
      ok: false,
      message: text.startsWith('+')
        ? 'This is not a phone number we recognise.'
        : 'Start with + and the country code, or choose the number’s country.',
    }
  }
  if (!parsed.isValid()) {
    return { ok: false, message: `This is not a valid ${parsed.country ?? 'international'} number.` }
  }
  return { ok: true, e164: parsed.number }
}

/** A readable international form of an E.164 number, for display only. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}
