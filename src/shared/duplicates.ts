import { z } from 'zod'
import { contactDraftSchema } from './contact.ts'
import { LIMITS } from './limits.ts'
import { outboxStates } from './outbox.ts'

/** At most this many earlier items are named per email or number: enough to decide, never a list to scroll. */
export const DUPLICATE_MATCHES_MAX = 5

/** An earlier outbox item (or sent contact) with the same email or number, for the same organization. */
export const duplicateMatchSchema = z.object({
  id: z.string(),
  state: z.enum(outboxStates),
  fullName: z.string(),
  /** The server's contact id once sent; null before, or when the user marked it as sent. */
  serverId: z.number().int().nullable(),
})
export type DuplicateMatch = z.infer<typeof duplicateMatchSchema>

export const duplicateKinds = ['email', 'phone'] as const
export type DuplicateKind = (typeof duplicateKinds)[number]

/** One email or E.164 number that was asked about, and what already has it (newest first). */
export const duplicateKeySchema = z.object({
  kind: z.enum(duplicateKinds),
  value: z.string(),
  matches: z.array(duplicateMatchSchema).max(DUPLICATE_MATCHES_MAX),
})
export type DuplicateKey = z.infer<typeof duplicateKeySchema>

export const duplicatesSchema = z.object({ keys: z.array(duplicateKeySchema) })
export type Duplicates = z.infer<typeof duplicatesSchema>

/**
 * The form as typed (main reads the email and numbers itself, each row in its country), and the item
 * being edited, which is not a duplicate of itself.
 */
export const findDuplicatesInputSchema = z.object({
  email: contactDraftSchema.shape.email,
  phones: contactDraftSchema.shape.phones.max(LIMITS.phones * 5),
  country: contactDraftSchema.shape.country,
  excludeId: z
    .string()
    .regex(/^[0-9a-f-]{36}$/)
    .optional(),
})
export type FindDuplicatesInput = z.infer<typeof findDuplicatesInputSchema>

/** What the store looks up: emails (any case) and E.164 numbers, as the form or an import has them. */
export interface DuplicateQuery {
  emails: readonly string[]
  /** E.164 numbers. */
  phones: readonly string[]
}
