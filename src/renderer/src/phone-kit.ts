// Everything the renderer needs from libphonenumber-js, loaded only through phone-loader.ts: its
// metadata is the app's largest dependency and the first paint does not need it.
import { validateContactDraftWith, type ContactDraft, type DraftValidation } from '../../shared/contact.ts'
import { isCountryCode, normalizePhone } from '../../shared/phone.ts'

export {
  countryFromLocale,
  countryOfTypedNumber,
  extensionLine,
  formatPhone,
  isCountryCode,
  normalizePhone,
} from '../../shared/phone.ts'
export { countryOptions } from './country-options.ts'

/** The shared validation, with this module's phone rules. */
export function validateContactDraft(draft: ContactDraft): DraftValidation {
  return validateContactDraftWith(draft, { isCountryCode, normalizePhone })
}
