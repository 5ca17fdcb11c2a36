import type { Ref } from 'vue'
import type { ContactFieldErrors } from '../../../shared/contact.ts'
import { copyErrors, type PhoneRow } from '../contact-form-model.ts'

/** The form's state, as refs the stash reads and writes. */
export type StashedFields = {
  fullName: Ref<string>
  email: Ref<string>
  description: Ref<string>
  phones: Ref<PhoneRow[]>
  errors: Ref<ContactFieldErrors>
}

export type StashSnapshot = { [K in keyof StashedFields]: StashedFields[K]['value'] }

/**
 * Puts aside what the form holds for a new contact while it edits a saved item, so a contact typed
 * halfway survives the detour, and brings it back when the edit is saved or cancelled.
 */
export function useEditStash(fields: StashedFields): {
  putAside(): void
  bringBack(): boolean
  /** What is put aside (null: nothing), for the draft kept in main. */
  kept(): Readonly<StashSnapshot> | null
  /** Puts aside values that were not in the form, as a restored draft's. */
  keep(snapshot: StashSnapshot): void
} {
  let kept: StashSnapshot | null = null

  /** Only the first call keeps anything: opening a second item while editing must not stash the first edit. */
  function putAside(): void {
    kept ??= {
      fullName: fields.fullName.value,
      email: fields.email.value,
      description: fields.description.value,
      phones: fields.phones.value.map((row) => ({ ...row })),
      errors: copyErrors(fields.errors.value),
    }
  }

  /** Puts the kept values back; false when nothing was put aside. */
  function bringBack(): boolean {
    if (!kept) return false
    fields.fullName.value = kept.fullName
    fields.email.value = kept.email
    fields.description.value = kept.description
    fields.phones.value = kept.phones
    fields.errors.value = kept.errors
    kept = null
    return true
  }

  return { putAside, bringBack, kept: () => kept, keep: (snapshot) => (kept = snapshot) }
}
