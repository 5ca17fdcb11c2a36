import { getCountryCallingCode } from 'libphonenumber-js'
import { supportedCountries } from '../../shared/phone.ts'

export type CountryOption = { code: string; label: string }

function validLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? 'en'
  } catch {
    // An unusual OS locale string: English names beat no names.
    return 'en'
  }
}

const cache = new Map<string, CountryOption[]>()

/** Every country the phone library knows, named in the user's language, with its calling code. */
export function countryOptions(locale: string): CountryOption[] {
  let options = cache.get(locale)
  if (!options) cache.set(locale, (options = buildOptions(locale)))
  return options
}

function buildOptions(locale: string): CountryOption[] {
  const language = validLocale(locale)
  const names = new Intl.DisplayNames([language], { type: 'region' })
  const collator = new Intl.Collator(language)
  return supportedCountries()
    .map((code) => ({ code, label: `${names.of(code) ?? code} (+${getCountryCallingCode(code)})` }))
    .sort((a, b) => collator.compare(a.label, b.label))
}
