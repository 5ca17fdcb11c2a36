import { createHash } from 'node:crypto'
import type { z } from 'zod'
import {
  apiKeyBinding,
  apiKeySchema,
  connectionProfileSchema,
  DEFAULT_BASE_URL,
  KEY_FOR_THIS_SERVER,
  sameApiKeyBinding,
  type ApiKeyBinding,
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

/** One connection profile today; its id begins its keychain accounts so more can follow. */
export const DEFAULT_PROFILE_ID = 'default'

/**
 * The keychain account of a key entered for `binding`. Looking a key up by the server it is for means no
 * other server's settings can reach it; hashed because the API key ID is kept out of reports too.
 */
export function apiKeyAccount(profileId: string, binding: ApiKeyBinding): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([binding.origin, binding.apiKeyId]))
    .digest('hex')
  return `${profileId}:${digest}`
}

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
  /** The server and key ID the key was entered for: the sender checks each item's server against it. */
  boundTo: ApiKeyBinding
}

type StoredKey = Omit<Connection, 'profile'>

/**
 * The connection profile (plain settings) joined with its API key (keychain only), plus the outbox
 * windows the Settings form saves with them in the same write. The key goes in through `save` and
 * out only through `connection()`, which only the sender (and the diagnostics' redaction) uses. A key is
 * stored for the Base URL's origin and the API key ID it was saved with, and is found only through them.
 */
export class Credentials {
  readonly #settings: SettingsStore
  readonly #secrets: SecretStore
  readonly #profileId: string
  readonly #retentionDefaults: RetentionWindows
  #legacyKeyMoving: Promise<void> | undefined
  #legacyKeyMoved = false

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
      hasApiKey = (await this.#storedKey(profile)) !== undefined
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
      keyStorage: this.#secrets.storage ?? 'keychain',
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
    // A key from an older release moves to the server it was saved for before that can change (a locked
    // keychain leaves it for later, when the settings file's mark keeps it from any other server).
    await this.#moveLegacyKey().catch(() => {})
    const current = await this.#settings.load()
    const before = current && apiKeyBinding(current)
    const after = apiKeyBinding(profile.data)
    const keyLeftBehind = !sameApiKeyBinding(before, after) && (await this.#hasKey(current))
    if (!apiKey && keyLeftBehind) return { ok: false, fields: { apiKey: [KEY_FOR_THIS_SERVER] } }
    // Key first: if the keychain refuses it, the old profile and key stay as they were.
    if (apiKey?.success && after) await this.#secrets.set(apiKeyAccount(this.#profileId, after), apiKey.data)
    const saved = await this.#settings.loadRetention()
    await this.#settings.save(profile.data, { ...saved, ...retention.value })
    // One key per profile: the old server's goes once the new server's is saved (if not, it stays bound to its own).
    if (keyLeftBehind && before) await this.#secrets.delete(apiKeyAccount(this.#profileId, before)).catch(() => {})
    return { ok: true, view: await this.view(), retention: await this.retention() }
  }

  async removeKey(): Promise<SettingsView> {
    await this.#moveLegacyKey()
    const profile = await this.#settings.load()
    const boundTo = profile && apiKeyBinding(profile)
    if (boundTo) await this.#secrets.delete(apiKeyAccount(this.#profileId, boundTo))
    return this.view()
  }

  /** This profile's id (its keychain accounts begin with it); outbox items remember it. */
  get profileId(): string {
    return this.#profileId
  }

  /** The saved profile without its key: enough to address an outbox item, which may wait for the key. */
  async profile(): Promise<ConnectionProfile | undefined> {
    return this.#settings.load()
  }

  /** The profile and the key entered for its server and key ID, or undefined when there is none. */
  async connection(): Promise<Connection | undefined> {
    const profile = await this.#settings.load()
    if (!profile) return undefined
    const stored = await this.#storedKey(profile)
    return stored && { profile, ...stored }
  }

  async #storedKey(profile: ConnectionProfile | undefined): Promise<StoredKey | undefined> {
    // No extra await once done: the worker reads this on every round.
    if (!this.#legacyKeyMoved) await this.#moveLegacyKey()
    const boundTo = profile && apiKeyBinding(profile)
    if (!boundTo) return undefined
    const apiKey = await this.#secrets.get(apiKeyAccount(this.#profileId, boundTo))
    return apiKey === undefined ? undefined : { apiKey, boundTo }
  }

  /** A keychain that cannot be read holds no key this save could leave behind: none can be sent from it either. */
  async #hasKey(profile: ConnectionProfile | undefined): Promise<boolean> {
    return this.#storedKey(profile).then(
      (stored) => stored !== undefined,
      () => false,
    )
  }

  /**
   * Releases before keys were bound stored the key under the bare profile id, for the profile in the settings
   * file they wrote: it moves, once, to that profile's server. When the file is gone, or was saved since by a
   * release that binds keys (the keychain was locked meanwhile), nothing says which server the key was for: it
   * is trusted to none and removed, and the user enters it again.
   */
  #moveLegacyKey(): Promise<void> {
    this.#legacyKeyMoving ??= this.#moveLegacyKeyNow().then(
      () => {
        this.#legacyKeyMoved = true
      },
      (error: unknown) => {
        this.#legacyKeyMoving = undefined
        throw error
      },
    )
    return this.#legacyKeyMoving
  }

  async #moveLegacyKeyNow(): Promise<void> {
    const legacy = await this.#secrets.get(this.#profileId)
    if (legacy === undefined) return
    const profile = await this.#settings.load()
    const boundTo = profile && !(await this.#settings.apiKeyBound()) ? apiKeyBinding(profile) : undefined
    if (boundTo) await this.#secrets.set(apiKeyAccount(this.#profileId, boundTo), legacy)
    await this.#secrets.delete(this.#profileId)
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
