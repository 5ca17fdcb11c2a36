import { z } from 'zod'
import { connectionProfileSchema } from './settings.ts'
import { hasControlChars } from './text.ts'

export { profileSummarySchema, type ProfileSummary } from './profile-summary.ts'

/** The profile every single-connection install becomes; its keychain accounts and outbox rows already carry it. */
export const DEFAULT_PROFILE_ID = 'default'

/** How many profiles one install keeps: enough for a partner's customers, few enough for a menu and its shortcuts. */
export const PROFILES_MAX = 30
export const PROFILE_NAME_MAX = 80

export const profileIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, 'Not a profile this app knows.')

export const profileNameSchema = z
  .string()
  .trim()
  .min(1, 'Give the profile a name, like “Acme — production”.')
  .max(PROFILE_NAME_MAX, `Use at most ${PROFILE_NAME_MAX} characters.`)
  .refine((v) => !hasControlChars(v), 'Remove the invisible control characters.')

/** A profile as settings.json keeps it: the connection is missing until its Settings are saved (never the key). */
export const storedProfileSchema = z.object({
  id: profileIdSchema,
  name: profileNameSchema,
  connection: connectionProfileSchema.optional(),
})
export type StoredProfile = z.infer<typeof storedProfileSchema>

/** Names compare without case or surrounding spaces: "Acme" and " acme " are the same profile to a person. */
export function sameProfileName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase('en') === b.trim().toLocaleLowerCase('en')
}

/** Said at the name field when another profile has the name. */
export const NAME_TAKEN = 'Another profile has this name. Choose a different one.'

export const switchProfileInputSchema = z.object({ id: profileIdSchema })

/**
 * Create (empty), duplicate (the connection without its key), rename, or delete a profile. Deleting one whose
 * contacts still wait is refused unless `moveTo` names the profile that takes them over.
 */
export const manageProfileInputSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('create'), name: z.string().max(PROFILE_NAME_MAX * 4) }),
  z.object({ action: z.literal('duplicate'), id: profileIdSchema, name: z.string().max(PROFILE_NAME_MAX * 4) }),
  z.object({ action: z.literal('rename'), id: profileIdSchema, name: z.string().max(PROFILE_NAME_MAX * 4) }),
  z.object({ action: z.literal('delete'), id: profileIdSchema, moveTo: profileIdSchema.optional() }),
])
export type ManageProfileInput = z.infer<typeof manageProfileInputSchema>
