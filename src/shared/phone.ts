import {
  getCountries,
  getCountryCallingCode,
  isSupportedCountry,
  isValidPhoneNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js'

export { E164_PATTERN } from './e164.ts'

/**
 * A number read as E.164, with the extension it was typed with (E.164 cannot carry one), or why it
 * cannot be read.
 */
export type PhoneNormalization = { ok: true; e164: string; extension?: string } | { ok: false; message: string }

export interface PhoneReadingOptions {
  /** Countries to try first when the digits are not valid in the row's country ("looks like …"). */
  hintCountries?: readonly string[]
}

/** Digits and the punctuation people type, an optional leading +, and an optional extension at the end. */
const TYPED_NUMBER = /^\+?[\d\s().\-/]+(?:(?:;\s*ext=|,?\s*(?:ext\.?|extension|x|#))\s*\d{1,10})?$/iu

/** Tried after the caller's hint countries: where most numbers typed in the wrong country come from. */
const COMMON_COUNTRIES: readonly CountryCode[] = [
  'US',
  'GB',
  'DE',
  'FR',
  'IN',
  'CN',
  'ES',
  'IT',
  'CA',
  'AU',
  'MX',
  'BR',
  'NL',
  'IE',
  'JP',
  'PL',
  'CH',
  'BE',
  'SE',
  'ZA',
]

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

let englishNames: Intl.DisplayNames | undefined
/** English, where most names need no article; these do ("the United Kingdom", "the Cayman Islands"). */
const NEEDS_ARTICLE =
  /^(?:United |U\.S\. |Netherlands|Philippines|Bahamas|Maldives|Comoros|Gambia|Seychelles|Isle of |Czech Republic|Dominican Republic|Central African Republic)|Islands$/u

/** A country's English name as a sentence needs it: "the United Kingdom", "Germany". */
export function countryPhrase(code: string): string {
  englishNames ??= new Intl.DisplayNames(['en'], { type: 'region' })
  let name = code
  try {
    name = englishNames.of(code) ?? code
  } catch {
    // Not a region code Intl knows: the code itself still tells the user something.
  }
  return NEEDS_ARTICLE.test(name) ? `the ${name}` : name
}

/**
 * The country a number typed with + belongs to, for its row's country select; undefined for a
 * national number or while the country is not yet clear. A row already in a country sharing the
 * calling code keeps it (+44 stays Guernsey or the United Kingdom, as the user chose).
 */
export function countryOfTypedNumber(input: string, current?: string): CountryCode | undefined {
  const text = input.trim()
  if (!text.startsWith('+')) return undefined
  const parsed = parsePhoneNumberFromString(text)
  if (!parsed) return undefined
  if (current && isCountryCode(current) && getCountryCallingCode(current) === parsed.countryCallingCode) {
    return current
  }
  if (parsed.country) return parsed.country
  const sharing = countriesWithCallingCode(parsed.countryCallingCode)
  return sharing.length === 1 ? sharing[0] : undefined
}

/**
 * Turns a number typed the way people type it ("(415) 555-0132", "+44 20 7946 0958 ext 7") into
 * E.164, reading national numbers in `country`. When it cannot, the message names the country and
 * says why (too short, too long, not a number there), and where the digits would be valid instead.
 */
export function normalizePhone(
  input: string,
  country?: CountryCode,
  options: PhoneReadingOptions = {},
): PhoneNormalization {
  const text = input.trim()
  if (text === '') return { ok: false, message: 'Enter a phone number or remove this row.' }
  if (!TYPED_NUMBER.test(text)) {
    return {
      ok: false,
      message:
        'Use digits, spaces, brackets and dashes, an optional leading +, and an extension like “ext 7” at the end.',
    }
  }
  const international = text.startsWith('+')
  if (!international && !country) {
    return { ok: false, message: 'Start with + and the country code, or choose the number’s country.' }
  }
  const parsed = parsePhoneNumberFromString(text, country)
  if (parsed?.isValid()) return { ok: true, e164: parsed.number, ...(parsed.ext ? { extension: parsed.ext } : {}) }
  return { ok: false, message: whyNotValid(text, international ? undefined : country, parsed, options) }
}

function whyNotValid(
  text: string,
  country: CountryCode | undefined,
  parsed: PhoneNumber | undefined,
  options: PhoneReadingOptions,
): string {
  const length = validatePhoneNumberLength(text, country)
  if (length === 'INVALID_COUNTRY') return 'This does not start with a country calling code: check the digits after +.'
  if (length === 'NOT_A_NUMBER' || !parsed) return 'This is not a phone number we recognise.'
  const reason =
    length === 'TOO_SHORT'
      ? ': it is too short'
      : length === 'TOO_LONG'
        ? ': it is too long'
        : length === 'INVALID_LENGTH'
          ? ': it has the wrong number of digits'
          : ''
  const message = `This is not a valid number ${placeOf(parsed, country)}${reason}.`
  // Too few digits is usually a number not finished yet, whatever country would take it.
  const elsewhere = country && length !== 'TOO_SHORT' && validElsewhere(text, country, options.hintCountries ?? [])
  return elsewhere
    ? `${message} It looks like a number in ${countryPhrase(elsewhere)}: choose that country for this row.`
    : message
}

/** "in the United Kingdom", or "with the country code +44" when the digits do not say which of its countries. */
function placeOf(parsed: PhoneNumber, country: CountryCode | undefined): string {
  const code = country ?? parsed.country
  if (code) return `in ${countryPhrase(code)}`
  const sharing = countriesWithCallingCode(parsed.countryCallingCode)
  return sharing.length === 1
    ? `in ${countryPhrase(sharing[0]!)}`
    : `with the country code +${parsed.countryCallingCode}`
}

/** A country (the caller's hints first, then common ones) where these national digits are a valid number. */
function validElsewhere(text: string, country: CountryCode, hints: readonly string[]): CountryCode | undefined {
  const tried = new Set<string>([country])
  for (const candidate of [...hints, ...COMMON_COUNTRIES]) {
    if (tried.has(candidate) || !isCountryCode(candidate)) continue
    tried.add(candidate)
    if (isValidPhoneNumber(text, candidate)) return candidate
  }
  return undefined
}

function countriesWithCallingCode(callingCode: string): CountryCode[] {
  return getCountries().filter((code) => getCountryCallingCode(code) === callingCode)
}

/** A readable international form of an E.164 number, for display only. */
export function formatPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}

/** "+1 415 555 0132 ext. 7": the line that keeps an extension in Description, since E.164 cannot. */
export function extensionLine(e164: string, extension: string): string {
  return `${formatPhone(e164)} ext. ${extension}`
}
