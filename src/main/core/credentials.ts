import type { z } from 'zod'
import {
  apiKeySchema,
  connectionProfileSchema,
  DEFAULT_BASE_URL,
  type ConnectionProfile,
  type SettingsInput,
  type SettingsView,
} from '../../shared/settings.ts'
import {
  checkRetentionInput,
  DEFAULT_RETENTION,
  retentionView,
  retentionWindows,
  type RetentionWindows,
} from './retention.ts'
import { KeychainUnavailableError, type SecretStore } from './secret-store.ts'
import type { SettingsStore } from './settings-store.ts'

/** One connection profile today; the id is the keychain account so more can follow. */
export const DEFAULT_PROFILE_ID = 'default'

export type SaveSettingsOutcome =
  { ok: true; view: SettingsView; retention: RetentionWindows } | { ok: false; fields: Record<string, string[]> }

export interface CredentialsOptions {
  profileId?: string
  /** The outbox windows when the user has saved none. */
  retentionDefaults?: RetentionWindows
}

/** A usable connection: a complete profile and its key. */
export interface Connection {
  profile: ConnectionProfile
  apiKey: string
}

/**
 * The connection profile (plain settings) joined with its API key (keychain only), plus the outbox
 * windows the Settings form saves with them in the same write. The key goes in through `save` and
 * out only through `connection()`, which only the sender (and the diagnostics' redaction) uses.
 */
export class Credentials {
  readonly #settings: SettingsStore
  readonly #secrets: SecretStore
  readonly #profileId: string
  readonly #retentionDefaults: RetentionWindows

  constructor(settings: SettingsStore, secrets: SecretStore, options: CredentialsOptions = {}) {
    this.#settings = settings
    this.#secrets = secrets
    this.#profileId = options.profileId ?? DEFAULT_PROFILE_ID
    this.#retentionDefaults = options.retentionDefaults ?? DEFAULT_RETENTION
  }

  /** What the renderer may see: the profile, whether a key is stored, whether the keychain works. */
  async view(): Promise<SettingsView> {
    const profile = await this.#settings.load()
    let hasApiKey = false
    let keychain: SettingsView['keychain'] = { available: true }
    try {
      hasApiKey = (await this.#secrets.get(this.#profileId)) !== undefined
    } catch (error) {
      keychain = { available: false, message: keychainMessage(error) }
    }
    return {
      profile: {
        baseUrl: profile?.baseUrl ?? DEFAULT_BASE_URL,
        organizationId: profile?.organizationId ?? null,
        apiKeyId: profile?.apiKeyId ?? '',
      },
      configured: profile !== undefined && hasApiKey,
      hasApiKey,
      keychain,
      retention: retentionView(await this.retention()),
    }
  }

  /** The outbox windows in force: the saved ones, else the defaults. */
  async retention(): Promise<RetentionWindows> {
    return retentionWindows(await this.#settings.loadRetention(), this.#retentionDefaults)
  }

  async save(input: SettingsInput): Promise<SaveSettingsOutcome> {
    const organizationId =
      typeof input.organizationId === 'string' && /^\s*\d+\s*$/.test(input.organizationId)
        ? Number(input.organizationId)
        : input.organizationId
    const profile = connectionProfileSchema.safeParse({ ...input, organizationId })
    const apiKey = input.apiKey ? apiKeySchema.safeParse(input.apiKey) : undefined
    const retention = checkRetentionInput(input)
    if (!profile.success || (apiKey && !apiKey.success) || !retention.ok) {
      const fields: Record<string, string[]> = profile.success ? {} : fieldMessages(profile.error)
      if (apiKey && !apiKey.success) fields.apiKey = apiKey.error.issues.map((i) => i.message)
      if (!retention.ok) Object.assign(fields, retention.fields)
      return { ok: false, fields }
    }
    // Key first: if the keychain refuses it, the old profile and key stay as they were.
    if (apiKey?.success) await this.#secrets.set(this.#profileId, apiKey.data)
    const saved = await this.#settings.loadRetention()
    await this.#settings.save(profile.data, { ...saved, ...retention.value })
    return { ok: true, view: await this.view(), retention: await this.retention() }
  }

  async removeKey(): Promise<SettingsView> {
    await this.#secrets.delete(this.#profileId)
    return this.view()
  }

  /** The keychain account of this profile; outbox items remember it. */
  get profileId(): string {
    return this.#profileId
  }

  /** The saved profile without its key: enough to address an outbox item, which may wait for the key. */
  async profile(): Promise<ConnectionProfile | undefined> {
    return this.#settings.load()
  }

  /** The profile and key for a request, or why there is none. */
  async connection(): Promise<Connection | undefined> {
    const profile = await this.#settings.load()
    if (!profile) return undefined
    const apiKey = await this.#secrets.get(this.#profileId)
    return apiKey === undefined ? undefined : { profile, apiKey }
  }
}

function fieldMessages(error: z.ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {}
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? 'general')
    ;(fields[key] ??= []).push(issue.message)
  }
  return fields
}

export function keychainMessage(error: unknown): string {
  return error instanceof KeychainUnavailableError
    ? error.message
    : 'The system keychain could not be used. Unlock it and try again.'
}
