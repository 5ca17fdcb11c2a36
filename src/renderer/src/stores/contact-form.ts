import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import type { ContactDraft, ContactFieldErrors } from '../../../shared/contact.ts'
import type { FormDraft } from '../../../shared/draft.ts'
import type { OutboxItem } from '../../../shared/outbox-schemas.ts'
import { bridge, callBridge } from '../bridge.ts'
import { useBridgeEvents } from '../composables/use-bridge-events.ts'
import { useDuplicateCheck } from '../composables/use-duplicate-check.ts'
import type { PossibleDuplicate } from '../duplicate-words.ts'
import { useEditStash, type StashSnapshot } from '../composables/use-edit-stash.ts'
import { useFollowedItem } from '../composables/use-followed-item.ts'
import { useFormDraft, type DraftSnapshot } from '../composables/use-form-draft.ts'
import { usePhoneCountry } from '../composables/use-phone-country.ts'
import { usePhoneExtensions } from '../composables/use-phone-extensions.ts'
import { usePhoneRows } from '../composables/use-phone-rows.ts'
import { copyErrors, errorsFromServer, type TextField } from '../contact-form-model.ts'
import { codeNotLoaded } from '../failure-copy.ts'
import { loadPhoneKit, loadPhoneKitAfterPaint, phoneKit, type PhoneKit } from '../phone-loader.ts'

export type { PhoneRow, TextField } from '../contact-form-model.ts'
/** `review`: something was added to the form (an extension to Description) for the user to see before saving. */
export type SubmitOutcome = 'saved' | 'invalid' | 'failed' | 'busy' | 'review'

/** The form came back from main's draft: what it was and when it was kept. */
export type RestoredDraft = { savedAt: string | null; editing: boolean }

const PHONE_RULES_MISSING = codeNotLoaded('its phone number rules')

const isBlank = (draft: ContactDraft): boolean =>
  !draft.fullName.trim() && !draft.email.trim() && !draft.description.trim() && draft.phones.length === 0

/**
 * The New contact form, which also edits a saved outbox item; a save goes to the outbox and is followed
 * there. What is typed and not saved yet is kept in main as a draft, and comes back after a restart.
 */
export const useContactFormStore = defineStore('contactForm', () => {
  const fullName = ref('')
  const email = ref('')
  const description = ref('')
  const errors = ref<ContactFieldErrors>({})
  const { country, choose: chooseCountry, recall: recallCountry, chosen: countryChosen } = usePhoneCountry()
  const rows = usePhoneRows(errors, country)
  const { phones, phonePreviews, setPhone, addPhone, removePhone } = rows
  const extensions = usePhoneExtensions(phones, phonePreviews, description)
  const failure = ref<AppError | null>(null)
  const submitting = ref(false)
  /** The item this form saved last, kept current from main's events until dismissed. */
  const saved = useFollowedItem()
  /** The outbox item being edited; null when the form makes a new contact. */
  const editing = useFollowedItem()
  const stash = useEditStash({ fullName, email, description, phones, errors })
  /** The edited item's values as the form first held them; anything else is an unsaved edit. */
  const editBaseline = ref<string | null>(null)
  const restored = ref<RestoredDraft | null>(null)
  const drafts = useFormDraft(snapshot)
  /** Set once main's draft has been read: writing before that would replace it with an empty form. */
  let draftRead: Promise<void> | null = null
  let draftReady = false
  const events = useBridgeEvents({
    outboxChanged: ({ ids }) => {
      saved.changed(ids)
      editing.changed(ids)
    },
  })

  const textRefs = { fullName, email, description }

  addPhone()
  loadPhoneKitAfterPaint()

  // A fresh plain object: reactive proxies cannot cross Electron's structured-clone IPC.
  const draft = computed<ContactDraft>(() => ({
    fullName: fullName.value,
    email: email.value,
    description: description.value,
    phones: rows.draftPhones.value,
  }))

  /** While typing: earlier contacts with this email or a number. On save: what was found then, shown with the saved line. */
  const duplicates = useDuplicateCheck(() => ({
    email: email.value,
    phones: rows.draftPhones.value,
    ...(editing.item.value ? { excludeId: editing.item.value.id } : {}),
  }))
  const savedDuplicates = ref<PossibleDuplicate[]>([])

  const hasUnsavedEdits = computed(
    () => editing.item.value !== null && JSON.stringify(draft.value) !== editBaseline.value,
  )

  watch(
    () => JSON.stringify(snapshot()),
    () => {
      if (draftReady) drafts.schedule()
    },
  )

  /** What main should keep: the unsaved work (or nothing), and the phone country the user last chose. */
  function snapshot(): DraftSnapshot {
    const aside = keptAside()
    const item = editing.item.value
    let kept: FormDraft | null
    if (item && hasUnsavedEdits.value) kept = { contact: draft.value, editingId: item.id, ...(aside ? { aside } : {}) }
    else if (item) kept = aside ? { contact: aside } : null
    else kept = isBlank(draft.value) ? null : { contact: draft.value }
    return { draft: kept, ...(countryChosen.value && country.value ? { phoneCountry: country.value } : {}) }
  }

  /** The new contact put aside while editing, as a draft; undefined when there is none or it is empty. */
  function keptAside(): ContactDraft | undefined {
    const kept = stash.kept()
    if (!kept) return undefined
    const aside: ContactDraft = {
      fullName: kept.fullName,
      email: kept.email,
      description: kept.description,
      phones: kept.phones
        .filter((row) => row.number.trim() !== '')
        .map((row) => {
          const code = row.country ?? country.value
          return code ? { number: row.number, country: code } : { number: row.number }
        }),
    }
    return isBlank(aside) ? undefined : aside
  }

  function setField(field: TextField, value: string): void {
    textRefs[field].value = value
    if (errors.value[field]) errors.value = { ...errors.value, [field]: undefined }
  }

  /** The user picked a row's country: new rows start there too, from now on and after a restart. */
  function setRowCountry(index: number, value: string): void {
    rows.setRowCountry(index, value)
    chooseCountry(value)
  }

  /** Follows main's reports on the saved and the edited item, and brings back the draft main kept. Safe to call again. */
  function start(): void {
    events.start()
    drafts.start()
    draftRead ??= restoreDraft().finally(() => {
      draftReady = true
    })
  }

  function stop(): void {
    events.stop()
    if (draftReady) void drafts.flush()
    drafts.stop()
  }

  /** Resolves once main's draft is back in the form (or there was none). */
  function draftLoaded(): Promise<void> {
    return draftRead ?? Promise.resolve()
  }

  async function restoreDraft(): Promise<void> {
    const kept = await drafts.load()
    if (!kept) return
    recallCountry(kept.phoneCountry)
    const found = kept.draft
    // Typed into already (main answers in milliseconds, but): what is in the form now wins.
    if (!found || editing.item.value || !isBlank(draft.value)) return
    const item = found.editingId ? await itemToEdit(found.editingId) : null
    if (item) {
      if (found.aside) stash.keep(snapshotOf(found.aside))
      openForEdit(item, found.contact)
    } else fillForm(found.contact)
    restored.value = { savedAt: kept.savedAt, editing: item !== null }
  }

  /** The item a restored edit belongs to; null when it is gone (its edits then come back as a new contact). */
  async function itemToEdit(id: string): Promise<OutboxItem | null> {
    const result = await callBridge(() => bridge.getOutboxItem({ id }))
    return result.ok ? result.value : null
  }

  function snapshotOf(contact: ContactDraft): StashSnapshot {
    const phoneRows = rows.makeRows(contact.phones, contact.country)
    return {
      fullName: contact.fullName,
      email: contact.email,
      description: contact.description,
      phones: phoneRows,
      errors: {},
    }
  }

  function fillForm(contact: ContactDraft): void {
    fullName.value = contact.fullName
    email.value = contact.email
    description.value = contact.description
    rows.fill(contact.phones, contact.country)
  }

  function dismissSaved(): void {
    saved.follow(null)
    savedDuplicates.value = []
  }

  function clearForm(): void {
    fillForm({ fullName: '', email: '', description: '', phones: [] })
    errors.value = {}
  }

  /** Leaves edit mode and brings back the new contact that was being typed (or an empty form). */
  function endEdit(): void {
    editing.follow(null)
    editBaseline.value = null
    if (!stash.bringBack()) clearForm()
  }

  /** Opens a saved item in the form, with the server's errors at their fields. */
  function startEdit(item: OutboxItem): void {
    openForEdit(item, item.draft)
    errors.value = copyErrors(item.fieldErrors ?? {})
  }

  /** The item in edit mode, the form holding `values` (the item's own, or unsaved edits of them). */
  function openForEdit(item: OutboxItem, values: ContactDraft): void {
    stash.putAside()
    editing.follow(item)
    saved.follow(null)
    failure.value = null
    restored.value = null
    fillForm(item.draft)
    editBaseline.value = JSON.stringify(draft.value)
    if (values !== item.draft) fillForm(values)
    errors.value = {}
  }

  function cancelEdit(): void {
    if (!editing.item.value || submitting.value) return
    failure.value = null
    restored.value = null
    endEdit()
  }

  /** Drops the restored draft: a new contact's form empties; an edit ends with the item as it was. */
  async function discardDraft(): Promise<void> {
    if (submitting.value) return
    restored.value = null
    failure.value = null
    if (editing.item.value) endEdit()
    else clearForm()
    await drafts.flush()
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
    // Every row checked as the user sees it (empty rows included, so messages name the right row).
    const validation = kit.validateContactDraft({ ...draft.value, phones: rows.rowPhones.value })
    if (!validation.ok) {
      errors.value = validation.errors
      return 'invalid'
    }
    // An extension is never dropped silently: it goes in Description, seen before anything is saved.
    if (extensions.note() > 0) return 'review'
    errors.value = {}
    const payload = draft.value
    const editingItem = editing.item.value
    const stopNoting = saved.noteChanges()
    submitting.value = true
    try {
      // Main clears the draft once the contact is saved: no older write of it may arrive after that.
      await drafts.flush()
      // Asked again as saved (the last keystrokes may not have been asked about); it warns, it never stops the save.
      const atSave = await duplicates.checkNow()
      const result = await callBridge(() =>
        editingItem ? bridge.updateOutboxItem({ id: editingItem.id, draft: payload }) : bridge.saveContact(payload),
      )
      if (!result.ok) {
        failure.value = result.error
        if (result.error.code === 'invalid') {
          const fromMain = errorsFromServer(result.error)
          errors.value = fromMain.phones ? { ...fromMain, phones: rows.errorsByRow(fromMain.phones) } : fromMain
        }
        return 'failed'
      }
      // Durable in the outbox now: the form is free for the next contact.
      restored.value = null
      if (editingItem) endEdit()
      else clearForm()
      saved.follow(result.value)
      savedDuplicates.value = atSave
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
    /** The country new rows start in. */
    country,
    countries: rows.countries,
    errors,
    failure,
    submitting,
    saved: saved.item,
    duplicates: duplicates.found,
    savedDuplicates,
    editing: editing.item,
    draft,
    phonePreviews,
    hasUnsavedEdits,
    restored,
    draftProblem: drafts.problem,
    setField,
    setPhone,
    setRowCountry,
    setCountry: chooseCountry,
    extensionNotes: extensions.notes,
    noteExtensions: extensions.note,
    addPhone,
    removePhone,
    dismissSaved,
    startEdit,
    cancelEdit,
    discardDraft,
    draftLoaded,
    submit,
    start,
    stop,
  }
})
