import { z } from 'zod'
import { LIMITS } from './limits.ts'
import { profileSummarySchema } from './profile-summary.ts'
import { RETENTION_LIMITS } from './settings-defaults.ts'
import { hasControlChars } from './text.ts'

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
}

/** https only, except plain http to this machine (a local sandbox or proxy). */
export const baseUrlSchema = z
  .string()
  .trim()
  .min(1, 'Enter the API’s base URL, like https://cloud-staging.cloverhound.com.')
  .max(LIMITS.baseUrl, 'This URL is too long.')
  .transform((value, ctx) => {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Enter a full URL starting with https://.' })
      return z.NEVER
    }
    const problem =
      url.protocol === 'http:' && !isLoopbackHost(url.hostname)
        ? 'Use https:// — plain http is allowed only for this computer (localhost).'
        : url.protocol !== 'https:' && url.protocol !== 'http:'
          ? 'Use an https:// URL.'
          : url.username || url.password
            ? 'Leave the user name and password out of the URL; the API key goes in its own field.'
            : url.search || url.hash
              ? 'Remove the ? or # part of the URL.'
              : undefined
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem })
      return z.NEVER
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '')
  })

export const organizationIdSchema = z
  .number({ error: 'Enter the organization ID, a whole number.' })
  .int('Enter the organization ID, a whole number.')
  .positive('The organization ID is a number above zero.')
  .max(Number.MAX_SAFE_INTEGER, 'This organization ID is too large.')

export const apiKeyIdSchema = z
  .string()
  .trim()
  .min(1, 'Enter the API key ID.')
  .max(LIMITS.apiKeyId, `Use at most ${LIMITS.apiKeyId} characters.`)
  // Basic auth joins ID and key with a colon, so the ID cannot hold one.
  .refine((v) => !v.includes(':'), 'An API key ID cannot contain a colon (:).')
  .refine((v) => !hasControlChars(v), 'Remove the invisible control characters.')

/** Said at the API key field when it is blank and no key is stored to keep. */
export const ENTER_API_KEY = 'Enter the API key.'

export const apiKeySchema = z
  .string()
  .max(LIMITS.apiKey, 'This API key is too long.')
  .refine((v) => v.trim().length > 0, ENTER_API_KEY)
  .refine((v) => !hasControlChars(v), 'Remove the invisible control characters.')

/** A saved connection profile; the API key is never part of it. */
export const connectionProfileSchema = z.object({
  baseUrl: baseUrlSchema,
  organizationId: organizationIdSchema,
  apiKeyId: apiKeyIdSchema,
  /**
   * "Server deduplicates retries (Idempotency-Key)": off unless the organization knows its API honours the
   * key, since the spec promises no such thing; on, answers lost after sending are retried automatically.
   */
  deduplicatesRetries: z.boolean().optional(),
})
export type ConnectionProfile = z.infer<typeof connectionProfileSchema>

/**
 * A stored API key belongs to the server it was entered for (the Base URL's origin: scheme, host and
 * port) and to its API key ID; changing either asks for the key again, so a key never follows a new host.
 */
export interface ApiKeyBinding {
  origin: string
  apiKeyId: string
}

/** Said at the API key field when a change of server or key ID would leave the stored key behind. */
export const KEY_FOR_THIS_SERVER = 'Enter the API key for this server.'

/** The binding of a profile or of form text; undefined when the text is not a Base URL and key ID the app accepts. */
export function apiKeyBinding(profile: { baseUrl: string; apiKeyId: string }): ApiKeyBinding | undefined {
  const baseUrl = baseUrlSchema.safeParse(profile.baseUrl)
  const apiKeyId = apiKeyIdSchema.safeParse(profile.apiKeyId)
  if (!baseUrl.success || !apiKeyId.success) return undefined
  return { origin: new URL(baseUrl.data).origin, apiKeyId: apiKeyId.data }
}

/** Whether a key entered for `a` may be used for `b`; never for an unusable binding. */
export function sameApiKeyBinding(a: ApiKeyBinding | undefined, b: ApiKeyBinding | undefined): boolean {
  return a !== undefined && b !== undefined && a.origin === b.origin && a.apiKeyId === b.apiKeyId
}

const WHOLE_DAYS = 'Enter a whole number of days, like 7.'

export const flagAfterDaysSchema = z
  .number({ error: WHOLE_DAYS })
  .int(WHOLE_DAYS)
  .min(RETENTION_LIMITS.flagAfterDays.min, 'Flag unsent contacts after at least 1 day.')
  .max(RETENTION_LIMITS.flagAfterDays.max, 'Flag unsent contacts after at most 365 days (a year).')

export const keepHistoryDaysSchema = z
  .number({ error: WHOLE_DAYS })
  .int(WHOLE_DAYS)
  .min(RETENTION_LIMITS.keepHistoryDays.min, 'Keep sent history for at least 1 day.')
  .max(RETENTION_LIMITS.keepHistoryDays.max, 'Keep sent history for at most 3650 days (ten years).')

export const retentionDaysSchema = z.object({
  flagAfterDays: flagAfterDaysSchema,
  keepHistoryDays: keepHistoryDaysSchema,
})
export type RetentionDays = z.infer<typeof retentionDaysSchema>

/**
 * A number typed into a text or number input: digits with an optional sign and fraction become a
 * number (so the schema can say "whole number" or "at least 1"), anything else NaN ("enter a number").
 */
export function numberFromInput(value: number | string): number {
  if (typeof value === 'number') return value
  return /^\s*[-+]?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN
}

/**
 * What the settings form sends. An empty or missing apiKey keeps the stored key, as long as the server's origin and
 * the API key ID stay the same (see ApiKeyBinding); a missing window keeps its value.
 */
export const settingsInputSchema = z.object({
  baseUrl: z.string().max(LIMITS.baseUrl * 4),
  organizationId: z.union([z.number(), z.string().max(64)]),
  apiKeyId: z.string().max(LIMITS.apiKeyId * 4),
  apiKey: z
    .string()
    .max(LIMITS.apiKey * 4)
    .optional(),
  /** Missing keeps the saved choice while the server stays the same, and is off for a new one. */
  deduplicatesRetries: z.boolean().optional(),
  flagAfterDays: z.union([z.number(), z.string().max(64)]).optional(),
  keepHistoryDays: z.union([z.number(), z.string().max(64)]).optional(),
})
export type SettingsInput = z.infer<typeof settingsInputSchema>

/**
 * Where the API key is kept: the OS keychain, or this process's memory only (the web preview's
 * `--in-memory-secrets`, tests), where it is gone when the process ends.
 */
export const keyStorages = ['keychain', 'memory'] as const
export type KeyStorage = (typeof keyStorages)[number]

export const keychainStateSchema = z.discriminatedUnion('available', [
  z.object({ available: z.literal(true) }),
  z.object({ available: z.literal(false), message: z.string() }),
])

/** What the renderer may know about settings: never the key, only whether one is stored. */
export const settingsViewSchema = z.object({
  profile: z.object({
    baseUrl: z.string(),
    organizationId: z.number().nullable(),
    apiKeyId: z.string(),
    deduplicatesRetries: z.boolean(),
  }),
  configured: z.boolean(),
  hasApiKey: z.boolean(),
  keyStorage: z.enum(keyStorages),
  keychain: keychainStateSchema,
  /** The outbox windows in force; not always whole days when createAppCore was given other defaults. */
  retention: z.object({
    flagAfterDays: z.number().positive(),
    keepHistoryDays: z.number().positive(),
  }) /** The profile `profile` above belongs to: new contacts are saved for it. */,
  activeProfileId: z.string(),
  profiles: z.array(profileSummarySchema),
})
export type SettingsView = z.infer<typeof settingsViewSchema>

const isoTime = z.string().max(40)

/**
 * What the server last said about the connection itself (not about one contact), for Settings: part of
 * the sync status, so it follows every send. Forgotten when the settings change.
 */
export const connectionHealthSchema = z.object({
  /** When the server last accepted the key and organization: a contact created or a Test connection passed (ISO 8601). */
  lastSuccessAt: isoTime.nullable(),
  /** What the server refused since then: the key (401) or the organization (403). */
  refused: z.enum(['key', 'organization']).nullable(),
})
export type ConnectionHealth = z.infer<typeof connectionHealthSchema>

/** Nothing heard from the server yet for these settings. */
export const NEVER_CHECKED: ConnectionHealth = { lastSuccessAt: null, refused: null }

/**
 * Test connection's findings (see src/main/core/connection-test.ts): `working` is the 422 the spec promises,
 * `created` a server that made a contact of the blank probe instead; the rest are why it does not work.
 */
export const connectionTestVerdicts = [
  'working',
  'created',
  'key_refused',
  'organization_refused',
  'unreachable',
  'waiting',
  'server_error',
  'unexpected',
] as const
export type ConnectionTestVerdict = (typeof connectionTestVerdicts)[number]

export const connectionTestSchema = z.object({
  verdict: z.enum(connectionTestVerdicts),
  /** What was found, in a sentence or two the user can act on. */
  message: z.string(),
  /** The saved settings that were tested. */
  host: z.string(),
  organizationId: z.number(),
  testedAt: isoTime,
})
export type ConnectionTest = z.infer<typeof connectionTestSchema>
