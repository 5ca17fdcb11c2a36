import { computed, ref, type ComputedRef, type Ref } from 'vue'
import type { ContactFieldErrors } from '../../../shared/contact.ts'
import type { CountryCode } from 'libphonenumber-js'
import type { PhoneNormalization } from '../../../shared/phone.ts'
import type { PhoneRow } from '../contact-form-model.ts'
import { phoneKit } from '../phone-loader.ts'

/** The form's phone rows: each keeps its key (and so its DOM and focus) and its errors as rows come and go. */
export function usePhoneRows(
  errors: Ref<ContactFieldErrors>,
  countryCode: Ref<CountryCode | undefined>,
): {
  phones: Ref<PhoneRow[]>
  /** Each row's E.164 form as typed so far (null for an empty row, and for every row until the phone module is in). */
  phonePreviews: ComputedRef<(PhoneNormalization | null)[]>
  setPhone(index: number, value: string): void
  addPhone(): PhoneRow
  removePhone(index: number): void
  /** Replaces every row, as when a saved item is opened. */
  fill(numbers: readonly string[]): void
} {
  const phones = ref<PhoneRow[]>([])
  let nextKey = 1

  const phonePreviews = computed(() => {
    const kit = phoneKit()
    return phones.value.map((row) =>
      !kit || row.number.trim() === '' ? null : kit.normalizePhone(row.number, countryCode.value),
    )
  })

  function setPhone(index: number, value: string): void {
    const row = phones.value[index]
    if (!row) return
    row.number = value
    const rowErrors = errors.value.phones
    if (rowErrors?.[index]?.length) rowErrors[index] = []
  }

  function addPhone(): PhoneRow {
    const row = { key: nextKey++, number: '' }
    phones.value.push(row)
    return row
  }

  function removePhone(index: number): void {
    phones.value.splice(index, 1)
    errors.value.phones?.splice(index, 1)
  }

  function fill(numbers: readonly string[]): void {
    phones.value = numbers.map((number) => ({ key: nextKey++, number }))
  }

  return { phones, phonePreviews, setPhone, addPhone, removePhone, fill }
}
