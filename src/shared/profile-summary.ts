import { z } from 'zod'

/** What the renderer may know about one connection profile: never its key. Apart from profiles.ts so settings.ts can use it. */
export const profileSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Null until the profile's Settings are saved. */
  organizationId: z.number().nullable(),
  host: z.string().nullable(),
})
export type ProfileSummary = z.infer<typeof profileSummarySchema>
