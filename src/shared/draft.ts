import { z } from 'zod'
import { contactDraftSchema } from './contact.ts'
import { itemIdInputSchema } from './outbox-schemas.ts'

const isoTime = z.string().max(40)

/** What the New contact form holds and has not saved yet: kept in main so a reload, crash or restart loses none of it. */
export const formDraftSchema = z.object({
  contact: contactDraftSchema,
  /** The outbox item these are unsaved edits of; absent for a new contact. */
  editingId: itemIdInputSchema.shape.id.optional(),
  /** The new contact put aside while an item is edited; it comes back when the edit ends. */
  aside: contactDraftSchema.optional(),
})
export type FormDraft = z.infer<typeof formDraftSchema>

export const saveDraftInputSchema = z.object({
  /** null: nothing unsaved (the form is empty). */
  draft: formDraftSchema.nullable(),
  /** The phone country the user last chose, the default for new rows after a restart. */
  phoneCountry: z.string().max(2).optional(),
})

export const savedDraftSchema = z.object({
  draft: formDraftSchema.nullable(),
  /** When the draft was written (ISO 8601); null without one. */
  savedAt: isoTime.nullable(),
  phoneCountry: z.string().max(2).nullable(),
  /** A draft file that could not be read, in words: it was moved aside, never deleted. */
  problem: z.string().nullable(),
})
export type SavedDraft = z.infer<typeof savedDraftSchema>
