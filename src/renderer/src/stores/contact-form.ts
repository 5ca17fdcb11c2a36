import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import type { ContactDraft, ContactFieldErrors } from '../../../shared/contact.ts'
import type { OutboxItem } from '../../../shared/outbox.ts'
import { bridge, callBridge } from '../bridge.ts'
import { useBridgeEvents } from '../composables/use-bridge-events.ts'
import { useEditStash } from '../composables/use-edit-stash.ts'
import { useFollowedItem } from '../composables/use-followed-item.ts'
import { usePhoneCountry } from '../composables/use-phone-country.ts'
import { usePhoneRows } from '../composables/use-phone-rows.ts'
import { copyErrors, errorsFromServer, type TextField } from '../contact-form-model.ts'
import { loadPhoneKit, loadPhoneKitSoon, phoneKit, type PhoneKit } from '../phone-loader.ts'

export type { PhoneRow, TextField } from '../contact-form-model.ts'
export type SubmitOutcome = 'saved' | 'invalid' | 'failed' | 'busy'

const PHONE_RULES_MISSING: AppError = {
  code: 'internal',
  message: 'The app could not load its phone number rules. Try again; if it keeps happening, restart the app.',
}

/** The New contact form, which also edits a saved outbox item; a save goes to the outbox and is followed there. */
export const useContactFormStore = defineStore('contactForm', () => {
  const fullName = ref('')
  const email = ref('')
  const description = ref('')
  const errors = ref<ContactFieldErrors>({})
  const { country, countryCode, choose: setCountry } = usePhoneCountry()
  const { phones, phonePreviews, setPhone, addPhone, removePhone, fill: fillPhones } = usePhoneRows(errors, countryCode)
  const failure = ref<AppError | null>(null)
  const submitting = ref(false)
  /** The item this form saved last, kept current from main's events until dismissed. */
  const saved = useFollowedItem()
  /** The outbox item being edited; null when the form makes a new contact. */
  const editing = useFollowedItem()
  const stash = useEditStash({ fullName, email, description, phones, country, errors })
  const events = useBridgeEvents({
    outboxChanged: ({ ids }) => {
      saved.changed(ids)
      editing.changed(ids)
    },
  })

  const textRefs = { fullName, email, description }

  loadPhoneKitSoon()

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

  /** Follows main's reports on the saved and the edited item. Safe to call again. */
  function start(): void {
    events.start()
  }

  function stop(): void {
    events.stop()
  }

  function dismissSaved(): void {
    saved.follow(null)
  }

  function clearForm(): void {
    fullName.value = ''
    email.value = ''
    description.value = ''
    phones.value = []
    errors.value = {}
  }

  /** Leaves edit mode and brings back the new contact that was being typed (or an empty form). */
  function endEdit(): void {
    editing.follow(null)
    if (!stash.bringBack()) clearForm()
  }

  /** Opens a saved item in the form, with the server's errors at their fields. */
  function startEdit(item: OutboxItem): void {
    stash.putAside()
    editing.follow(item)
    saved.follow(null)
    failure.value = null
    fullName.value = item.draft.fullName
    email.value = item.draft.email
    description.value = item.draft.description
    fillPhones(item.draft.phones.map((phone) => phone.number))
    setCountry(item.draft.country)
    errors.value = copyErrors(item.fieldErrors ?? {})
  }

  function cancelEdit(): void {
    if (!editing.item.value || submitting.value) return
    failure.value = null
    endEdit()
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
    const editingItem = editing.item.value
    const validation = kit.validateContactDraft(payload)
    if (!validation.ok) {
      errors.value = validation.errors
      return 'invalid'
    }
    errors.value = {}
    const stopNoting = saved.noteChanges()
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
      if (editingItem) endEdit()
      else clearForm()
      saved.follow(result.value)
      return 'saved'
    } finally {
      submitting.value = false
      stopNoting()
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
    saved: saved.item,
    editing: editing.item,
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
    start,
    stop,
  }
})
