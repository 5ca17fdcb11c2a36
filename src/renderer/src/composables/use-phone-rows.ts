import { computed, ref, type ComputedRef, type Ref } from 'vue'
import type { ContactDraft, ContactFieldErrors } from '../../../shared/contact.ts'
import type { PhoneNormalization } from '../../../shared/phone.ts'
import type { PhoneRow } from '../contact-form-model.ts'
import { phoneKit } from '../phone-loader.ts'

type DraftPhone = ContactDraft['phones'][number]

/**
 * The form's phone rows, each in its own country: each keeps its key (and so its DOM and focus) and
 * its errors as rows come and go. A new row starts in the form's default country; typing a number
 * fixes the row's country, and a number typed with + sets it.
 */
export function usePhoneRows(
  errors: Ref<ContactFieldErrors>,
  defaultCountry: Ref<string>,
): {
  phones: Ref<PhoneRow[]>
  /** Each row's country ('' for none). */
  countries: ComputedRef<string[]>
  /** Each row's E.164 form as typed so far (null for an empty row, and for every row until the phone module is in). */
  phonePreviews: ComputedRef<(PhoneNormalization | null)[]>
  setPhone(index: number, value: string): void
  setRowCountry(index: number, value: string): void
  addPhone(): PhoneRow
  removePhone(index: number): void
  /** Rows for these numbers (one empty row for none), with keys of their own. */
  makeRows(rows: readonly DraftPhone[], fallbackCountry?: string): PhoneRow[]
  /** Replaces every row, as when a saved item is opened; there is always at least one. */
  fill(rows: readonly DraftPhone[], fallbackCountry?: string): void
  /** Every row with its country, as the form's own checks read them (row i is form row i). */
  rowPhones: ComputedRef<DraftPhone[]>
  /** The rows as a saved draft holds them: the empty ones left out. */
  draftPhones: ComputedRef<DraftPhone[]>
  /** Main's phone errors, given by saved-draft row, at their form rows. */
  errorsByRow(draftErrors: readonly (readonly string[])[]): string[][]
} {
  const phones = ref<PhoneRow[]>([])
  let nextKey = 1

  const countryOf = (row: PhoneRow): string => row.country ?? defaultCountry.value
  const countries = computed(() => phones.value.map(countryOf))

  const phonePreviews = computed(() => {
    const kit = phoneKit()
    if (!kit) return phones.value.map(() => null)
    const codes = countries.value.map((code) => (kit.isCountryCode(code) ? code : undefined))
    // Where else the digits might be from: the other rows' countries and the default come first.
    const hintCountries = [...codes.filter((code) => code !== undefined), defaultCountry.value]
    return phones.value.map((row, index) =>
      row.number.trim() === '' ? null : kit.normalizePhone(row.number, codes[index], { hintCountries }),
    )
  })

  const rowPhones = computed(() =>
    phones.value.map((row, index) => {
      const country = countries.value[index]
      return country ? { number: row.number, country } : { number: row.number }
    }),
  )
  const filledRows = computed(() => phones.value.flatMap((row, index) => (row.number.trim() === '' ? [] : [index])))
  const draftPhones = computed(() => filledRows.value.map((index) => rowPhones.value[index]!))

  function errorsByRow(draftErrors: readonly (readonly string[])[]): string[][] {
    const byRow = phones.value.map((): string[] => [])
    draftErrors.forEach((messages, i) => {
      const row = filledRows.value[i]
      if (row !== undefined) byRow[row] = [...messages]
    })
    return byRow
  }

  function clearErrorsOf(index: number): void {
    const rowErrors = errors.value.phones
    if (rowErrors?.[index]?.length) rowErrors[index] = []
  }

  function setPhone(index: number, value: string): void {
    const row = phones.value[index]
    if (!row) return
    row.number = value
    // From the first digit the row keeps its country, whatever later becomes the default.
    if (row.country === undefined && defaultCountry.value) row.country = defaultCountry.value
    const typed = phoneKit()?.countryOfTypedNumber(value, countryOf(row))
    if (typed) row.country = typed
    clearErrorsOf(index)
  }

  function setRowCountry(index: number, value: string): void {
    const row = phones.value[index]
    if (!row) return
    row.country = value
    clearErrorsOf(index)
  }

  function addPhone(): PhoneRow {
    const row: PhoneRow = { key: nextKey++, number: '' }
    phones.value.push(row)
    return row
  }

  function removePhone(index: number): void {
    phones.value.splice(index, 1)
    errors.value.phones?.splice(index, 1)
  }

  function makeRows(rows: readonly DraftPhone[], fallbackCountry?: string): PhoneRow[] {
    // A saved draft passed the checks, so a number without a country there was typed with +: none.
    const made = rows.map(({ number, country }) => ({
      key: nextKey++,
      number,
      country: country ?? fallbackCountry ?? '',
    }))
    return made.length > 0 ? made : [{ key: nextKey++, number: '' }]
  }

  function fill(rows: readonly DraftPhone[], fallbackCountry?: string): void {
    phones.value = makeRows(rows, fallbackCountry)
  }

  return {
    phones,
    countries,
    phonePreviews,
    setPhone,
    setRowCountry,
    addPhone,
    removePhone,
    makeRows,
    fill,
    rowPhones,
    draftPhones,
    errorsByRow,
  }
}
