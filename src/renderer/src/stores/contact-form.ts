import { defineStore } from 'pinia'
import { computed, ref, watch, type Ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import type { ContactDraft, ContactFieldErrors } from '../../../shared/contact.ts'
import type { OutboxItem } from '../../../shared/outbox.ts'
import type { PhoneNormalization } from '../../../shared/phone.ts'
import { bridge, callBridge, listen } from '../bridge.ts'
import { loadPhoneKit, loadPhoneKitSoon, phoneKit, type PhoneKit } from '../phone-loader.ts'

export type TextField = 'fullName' | 'email' | 'description'
/** A phone row; the key keeps a row's DOM (and focus) with it when rows above are removed. */
export type PhoneRow = { key: number; number: string }
export type SubmitOutcome = 'saved' | 'invalid' | 'failed' | 'busy'

/** What the form holds, so a new contact typed halfway survives a detour through editing a saved one. */
type FormSnapshot = {
  fullName: string
  email: string
  description: string
  phones: PhoneRow[]
  country: string
  errors: ContactFieldErrors
}

const TEXT_FIELDS: readonly TextField[] = ['fullName', 'email', 'description']

const PHONE_RULES_MISSING: AppError = {
  code: 'internal',
  message: 'The app could not load its phone number rules. Try again; if it keeps happening, restart the app.',
}

export const useContactFormStore = defineStore('contactForm', () => {
  const fullName = ref('')
  const email = ref('')
  const description = ref('')
  const phones = ref<PhoneRow[]>([])
  /** ISO region for numbers typed without +country code; '' means none. The locale's once the phone module is in. */
  const country = ref<string>('')
  /** Set once the user or an edited item picked the region: the locale's must not replace it then. */
  let countryChosen = false

  const errors = ref<ContactFieldErrors>({})
  const failure = ref<AppError | null>(null)
  const submitting = ref(false)
  /** The item this form saved last, kept current from main's events until dismissed. */
  const saved = ref<OutboxItem | null>(null)
  /** The outbox item being edited; null when the form makes a new contact. */
  const editing = ref<OutboxItem | null>(null)

  let nextKey = 1
  let stash: FormSnapshot | null = null
  let unsubscribe: (() => void) | null = null
  /** Item ids main reported while a save was in flight: the item may change before we learn its id. */
  const seenWhileSaving = new Set<string>()
  let reloadWhileSaving = false
  const refreshTickets = new Map<Ref<OutboxItem | null>, number>()

  const textRefs = { fullName, email, description }
  const countryCode = computed(() => {
    const kit = phoneKit()
    return kit && kit.isCountryCode(country.value) ? country.value : undefined
  })

  /** Each row's E.164 form as typed so far (null for an empty row, and for every row until the phone module is in). */
  const phonePreviews = computed<(PhoneNormalization | null)[]>(() => {
    const kit = phoneKit()
    return phones.value.map((row) =>
      !kit || row.number.trim() === '' ? null : kit.normalizePhone(row.number, countryCode.value),
    )
  })

  loadPhoneKitSoon()
  watch(
    phoneKit,
    (kit) => {
      if (!kit) return
      if (!countryChosen) country.value = kit.countryFromLocale(navigator.language) ?? ''
      // A region the phone library does not know reads as none, in the select too.
      else if (!kit.isCountryCode(country.value)) country.value = ''
    },
    { immediate: true },
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
    countryChosen = true
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

  function dismissSaved(): void {
    saved.value = null
  }

  function snapshot(): FormSnapshot {
    return {
      fullName: fullName.value,
      email: email.value,
      description: description.value,
      phones: phones.value.map((row) => ({ ...row })),
      country: country.value,
      errors: copyErrors(errors.value),
    }
  }

  function restore(from: FormSnapshot): void {
    fullName.value = from.fullName
    email.value = from.email
    description.value = from.description
    phones.value = from.phones
    country.value = from.country
    errors.value = from.errors
  }

  function clearForm(): void {
    fullName.value = ''
    email.value = ''
    description.value = ''
    phones.value = []
    errors.value = {}
  }

  /** Keeps `saved` and `editing` current as main reports changes to their items. */
  function follow(): void {
    unsubscribe ??= listen('outboxChanged', ({ ids }) => {
      if (submitting.value) {
        if (ids.length === 0) reloadWhileSaving = true
        for (const id of ids) seenWhileSaving.add(id)
      }
      for (const target of [saved, editing]) {
        const id = target.value?.id
        if (id && (ids.length === 0 || ids.includes(id))) void refresh(target)
      }
    })
  }

  async function refresh(target: Ref<OutboxItem | null>): Promise<void> {
    const id = target.value?.id
    if (!id) return
    // Refreshes may overlap: only the last one asked applies (main answers in order, so it is the newest).
    const ticket = (refreshTickets.get(target) ?? 0) + 1
    refreshTickets.set(target, ticket)
    const result = await callBridge(() => bridge.getOutboxItem({ id }))
    if (result.ok && refreshTickets.get(target) === ticket && target.value?.id === id) target.value = result.value
  }

  /**
   * Opens a saved item in the form, with the server's errors at their fields. What was typed for
   * a new contact is put aside and comes back when the edit is saved or cancelled.
   */
  function startEdit(item: OutboxItem): void {
    follow()
    if (!editing.value) stash = snapshot()
    editing.value = item
    saved.value = null
    failure.value = null
    fullName.value = item.draft.fullName
    email.value = item.draft.email
    description.value = item.draft.description
    phones.value = item.draft.phones.map((phone) => ({ key: nextKey++, number: phone.number }))
    countryChosen = true
    const kit = phoneKit()
    // Without the phone module the region cannot be checked yet; the watch above does it when it arrives.
    country.value = item.draft.country && (!kit || kit.isCountryCode(item.draft.country)) ? item.draft.country : ''
    errors.value = copyErrors(item.fieldErrors ?? {})
  }

  function cancelEdit(): void {
    if (!editing.value || submitting.value) return
    editing.value = null
    failure.value = null
    if (stash) restore(stash)
    else clearForm()
    stash = null
  }

  /** The phone module, waiting for it (read-only form, as while saving) in the rare case it is not in yet. */
  async function phoneRules(): Promise<PhoneKit | null> {
    submitting.value = true
    try {
      return await loadPhoneKit()
    } catch {
      failure.value = PHONE_RULES_MISSING
      return null
    } finally {
      submitting.value = false
    }
  }

  async function submit(): Promise<SubmitOutcome> {
    if (submitting.value) return 'busy'
    failure.value = null
    // Synchronous once the phone module is in (it loads right after the first paint): Save answers at once.
    const kit = phoneKit() ?? (await phoneRules())
    if (!kit) return 'failed'
    const payload = draft.value
    const editingItem = editing.value
    const validation = kit.validateContactDraft(payload)
    if (!validation.ok) {
      errors.value = validation.errors
      return 'invalid'
    }
    errors.value = {}
    follow()
    seenWhileSaving.clear()
    reloadWhileSaving = false
    submitting.value = true
    try {
      const result = await callBridge(() =>
        editingItem ? bridge.updateOutboxItem({ id: editingItem.id, draft: payload }) : bridge.saveContact(payload),
      )
      if (!result.ok) {
        failure.value = result.error
        if (result.error.code === 'invalid') errors.value = errorsFromServer(result.error)
        return 'failed'
      }
      // Durable in the outbox now: the form is free for the next contact.
      saved.value = result.value
      if (editingItem) {
        editing.value = null
        if (stash) restore(stash)
        else clearForm()
        stash = null
      } else clearForm()
      if (reloadWhileSaving || seenWhileSaving.has(result.value.id)) void refresh(saved)
      return 'saved'
    } finally {
      submitting.value = false
      seenWhileSaving.clear()
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
    saved,
    editing,
    draft,
    phonePreviews,
    setField,
    setPhone,
    setCountry,
    addPhone,
    removePhone,
    dismissSaved,
    startEdit,
    cancelEdit,
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

/** A deep copy that works on reactive proxies too (structuredClone does not). */
function copyErrors(from: ContactFieldErrors): ContactFieldErrors {
  const copy: ContactFieldErrors = {}
  for (const key of [...TEXT_FIELDS, 'general'] as const) {
    const messages = from[key]
    if (messages?.length) copy[key] = [...messages]
  }
  if (from.phones) copy.phones = from.phones.map((row) => [...row])
  return copy
}
