import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import {
  validateContactDraft,
  type ContactDraft,
  type ContactFieldErrors,
  type CreatedContact,
} from '../../../shared/contact.ts'
import { countryFromLocale, isCountryCode, normalizePhone, type PhoneNormalization } from '../../../shared/phone.ts'
import { bridge, callBridge } from '../bridge.ts'

export type TextField = 'fullName' | 'email' | 'description'
/** A phone row; the key keeps a row's DOM (and focus) with it when rows above are removed. */
export type PhoneRow = { key: number; number: string }
export type SubmitOutcome = 'created' | 'invalid' | 'failed' | 'busy'

const TEXT_FIELDS: readonly TextField[] = ['fullName', 'email', 'description']

export const useContactFormStore = defineStore('contactForm', () => {
  const fullName = ref('')
  const email = ref('')
  const description = ref('')
  const phones = ref<PhoneRow[]>([])
  /** ISO region for numbers typed without +country code; '' means none. */
  const country = ref<string>(countryFromLocale(navigator.language) ?? '')

  const errors = ref<ContactFieldErrors>({})
  const failure = ref<AppError | null>(null)
  const submitting = ref(false)
  const created = ref<CreatedContact | null>(null)
  let nextKey = 1

  const textRefs = { fullName, email, description }
  const countryCode = computed(() => (isCountryCode(country.value) ? country.value : undefined))

  /** Each row's E.164 form as typed so far (null for an empty row). */
  const phonePreviews = computed<(PhoneNormalization | null)[]>(() =>
    phones.value.map((row) => (row.number.trim() === '' ? null : normalizePhone(row.number, countryCode.value))),
  )

  // A fresh plain object: reactive proxies cannot cross Electron's structured-clone IPC.
  const draft = computed<ContactDraft>(() => ({
    fullName: fullName.value,
    email: email.value,
    description: description.value,
    phones: phones.value.map((row) => ({ number: row.number })),
    ...(countryCode.value ? { country: countryCode.value } : {}),
  }))

  function setField(field: TextField, value: string): void {
    textRefs[field].value = value
    if (errors.value[field]) errors.value = { ...errors.value, [field]: undefined }
  }

  function setPhone(index: number, value: string): void {
    const row = phones.value[index]
    if (!row) return
    row.number = value
    const rowErrors = errors.value.phones
    if (rowErrors?.[index]?.length) rowErrors[index] = []
  }

  function setCountry(value: string): void {
    country.value = value
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

  function dismissCreated(): void {
    created.value = null
  }

  function clearForm(): void {
    fullName.value = ''
    email.value = ''
    description.value = ''
    phones.value = []
    errors.value = {}
  }

  async function submit(): Promise<SubmitOutcome> {
    if (submitting.value) return 'busy'
    const payload = draft.value
    failure.value = null
    created.value = null
    const validation = validateContactDraft(payload)
    if (!validation.ok) {
      errors.value = validation.errors
      return 'invalid'
    }
    errors.value = {}
    submitting.value = true
    try {
      const result = await callBridge(() => bridge.createContact(payload))
      if (result.ok) {
        created.value = result.value
        clearForm()
        return 'created'
      }
      failure.value = result.error
      if (result.error.code === 'invalid') errors.value = errorsFromServer(result.error)
      return 'failed'
    } finally {
      submitting.value = false
    }
  }

  return {
    fullName,
    email,
    description,
    phones,
    country,
    errors,
    failure,
    submitting,
    created,
    draft,
    phonePreviews,
    setField,
    setPhone,
    setCountry,
    addPhone,
    removePhone,
    dismissCreated,
    submit,
  }
})

/** Puts an `invalid` error's messages at their fields; keys the form does not know go to the general list. */
function errorsFromServer(error: AppError): ContactFieldErrors {
  const result: ContactFieldErrors = {}
  const general: string[] = []
  for (const [key, messages] of Object.entries(error.fields ?? {})) {
    if (messages.length === 0) continue
    if ((TEXT_FIELDS as readonly string[]).includes(key)) result[key as TextField] = messages
    else if (key === 'general') general.push(...messages)
    else general.push(...messages.map((m) => `${key}: ${m}`))
  }
  if (error.phones?.some((row) => row.length > 0)) result.phones = error.phones
  if (general.length > 0) result.general = general
  return result
}
