import { z } from 'zod'
import { contactDraftSchema } from './contact.ts'
import { E164_PATTERN } from './e164.ts'
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

/** How many contacts one findDuplicatesOfMany call may ask about: an import asks in batches of this. */
export const DUPLICATE_BATCH_MAX = 200

/** Contacts already read (an import's checked rows): each one's email and E.164 numbers. */
export const findDuplicatesOfManyInputSchema = z.object({
  contacts: z
    .array(
      z.object({
        email: z.string().max(LIMITS.email),
        phones: z.array(z.string().regex(E164_PATTERN)).max(LIMITS.phones),
      }),
    )
    .max(DUPLICATE_BATCH_MAX),
})
export type FindDuplicatesOfManyInput = z.infer<typeof findDuplicatesOfManyInputSchema>

/** For each contact asked about, in order: the newest earlier contact sharing its email or a number, or null. */
export const duplicatesOfManySchema = z.object({ matches: z.array(duplicateMatchSchema.nullable()) })
export type DuplicatesOfMany = z.infer<typeof duplicatesOfManySchema>

/** What the store looks up: emails (any case) and E.164 numbers, as the form or an import has them. */
export interface DuplicateQuery {
  emails: readonly string[]
  /** E.164 numbers. */
  phones: readonly string[]
}
