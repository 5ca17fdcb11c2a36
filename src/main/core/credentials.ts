import { createHash } from 'node:crypto'
import type { z } from 'zod'
import {
  apiKeyBinding,
  apiKeySchema,
  connectionProfileSchema,
  KEY_FOR_THIS_SERVER,
  sameApiKeyBinding,
  type ApiKeyBinding,
  type ConnectionProfile,
  type SettingsInput,
  type SettingsView,
} from '../../shared/settings.ts'
import { DEFAULT_BASE_URL } from '../../shared/settings-defaults.ts'
import {
  checkRetentionInput,
  DEFAULT_RETENTION,
  retentionView,
  retentionWindows,
  type RetentionWindows,
} from './retention.ts'
import { DEFAULT_PROFILE_ID, type ProfileSummary } from '../../shared/profiles.ts'
import { KeychainUnavailableError, type SecretStore } from './secret-store.ts'
import type { SettingsStore } from './settings-store.ts'

export { DEFAULT_PROFILE_ID }

/**
 * The keychain account of a key entered for `binding`. Looking a key up by the server it is for means no
 * other server's settings can reach it; hashed because the API key ID is kept out of reports too.
 */
export function apiKeyAccount(profileId: string, binding: ApiKeyBinding): string {
  return `${profileId}:${bindingDigest(binding)}`
}

/** The server and key ID a key was entered for, as the hex digest its keychain account ends in. */
export function bindingDigest(binding: ApiKeyBinding): string {
  return createHash('sha256')
    .update(JSON.stringify([binding.origin, binding.apiKeyId]))
    .digest('hex')
}

/** The digest an account from apiKeyAccount ends in; undefined for an account bound to no server. */
export function accountDigest(account: string): string | undefined {
  const digest = account.slice(account.lastIndexOf(':') + 1)
  return account.includes(':') && /^[0-9a-f]{64}$/.test(digest) ? digest : undefined
}

export type SaveSettingsOutcome =
  { ok: true; view: SettingsView; retention: RetentionWindows } | { ok: false; fields: Record<string, string[]> }

export interface CredentialsOptions {
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
 * The connection profiles (plain settings) joined with their API keys (keychain only, one account per profile and
 * server), plus the outbox windows the Settings form saves with them in the same write. The Settings form edits
 * the active profile; the sender asks for any profile's connection by id. The key goes in through `save` and
 * out only through `connection()`, which only the sender (and the diagnostics' redaction) uses. A key is
 * stored for the Base URL's origin and the API key ID it was saved with, and is found only through them.
 */
export class Credentials {
  readonly #settings: SettingsStore
  readonly #secrets: SecretStore
  readonly #retentionDefaults: RetentionWindows
  #legacyKeyMoving: Promise<void> | undefined
  #legacyKeyMoved = false

  constructor(settings: SettingsStore, secrets: SecretStore, options: CredentialsOptions = {}) {
    this.#settings = settings
    this.#secrets = secrets
    this.#retentionDefaults = options.retentionDefaults ?? DEFAULT_RETENTION
  }

  /** What the renderer may see: the active profile, whether a key is stored for it, whether the keychain works, the profiles. */
  async view(): Promise<SettingsView> {
    const { profiles, activeProfileId } = await this.#settings.loadProfiles()
    const profile = await this.#settings.load(activeProfileId)
    let hasApiKey = false
    let keychain: SettingsView['keychain'] = { available: true }
    try {
      hasApiKey = (await this.#storedKey(activeProfileId, profile)) !== undefined
    } catch (error) {
      keychain = { available: false, message: keychainMessage(error) }
    }
    return {
      profile: {
        baseUrl: profile?.baseUrl ?? DEFAULT_BASE_URL,
        organizationId: profile?.organizationId ?? null,
        apiKeyId: profile?.apiKeyId ?? '',
        deduplicatesRetries: profile?.deduplicatesRetries === true,
      },
      configured: profile !== undefined && hasApiKey,
      hasApiKey,
      keyStorage: this.#secrets.storage ?? 'keychain',
      keychain,
      retention: retentionView(await this.retention()),
      activeProfileId,
      profiles: profiles.map((stored): ProfileSummary => ({
        id: stored.id,
        name: stored.name,
        organizationId: stored.connection?.organizationId ?? null,
        host: stored.connection ? new URL(stored.connection.baseUrl).host : null,
      })),
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
    const profileId = await this.activeProfileId()
    const current = await this.#settings.load(profileId)
    const before = current && apiKeyBinding(current)
    const after = apiKeyBinding(profile.data)
    const keyLeftBehind = !sameApiKeyBinding(before, after) && (await this.#hasKey(profileId, current))
    const sameServer = before !== undefined && before.origin === after?.origin
    const deduplicatesRetries = input.deduplicatesRetries ?? (sameServer && current?.deduplicatesRetries === true)
    if (!apiKey && keyLeftBehind) return { ok: false, fields: { apiKey: [KEY_FOR_THIS_SERVER] } }
    // Key first: if the keychain refuses it, the old profile and key stay as they were.
    if (apiKey?.success && after) await this.#secrets.set(apiKeyAccount(profileId, after), apiKey.data)
    const saved = await this.#settings.loadRetention()
    // Written only when on, so a file saved with it off reads the same as one from before the setting.
    const { deduplicatesRetries: _asTyped, ...connection } = profile.data
    const next = deduplicatesRetries ? { ...connection, deduplicatesRetries } : connection
    await this.#settings.save(next, { ...saved, ...retention.value }, profileId)
    // One key per profile: the old server's goes once the new server's is saved (if not, it stays bound to its own).
    if (keyLeftBehind && before) await this.#secrets.delete(apiKeyAccount(profileId, before)).catch(() => {})
    return { ok: true, view: await this.view(), retention: await this.retention() }
  }

  async removeKey(profileId?: string): Promise<SettingsView> {
    await this.#moveLegacyKey()
    const id = profileId ?? (await this.activeProfileId())
    const profile = await this.#settings.load(id)
    const boundTo = profile && apiKeyBinding(profile)
    if (boundTo) await this.#secrets.delete(apiKeyAccount(id, boundTo))
    return this.view()
  }

  /** The profile the Settings form edits and new contacts are saved for; outbox items remember it. */
  async activeProfileId(): Promise<string> {
    return (await this.#settings.loadProfiles()).activeProfileId
  }

  /** Every profile's id, in the order the user sees them: the sender keeps one queue per profile. */
  async profileIds(): Promise<string[]> {
    return (await this.#settings.loadProfiles()).profiles.map((profile) => profile.id)
  }

  /** A saved profile (the active one by default) without its key: enough to address an outbox item, which may wait for the key. */
  async profile(profileId?: string): Promise<ConnectionProfile | undefined> {
    return this.#settings.load(profileId)
  }

  /** A profile (the active one by default) and the key entered for its server and key ID, or undefined when there is none. */
  async connection(profileId?: string): Promise<Connection | undefined> {
    const id = profileId ?? (await this.activeProfileId())
    const profile = await this.#settings.load(id)
    if (!profile) return undefined
    const stored = await this.#storedKey(id, profile)
    return stored && { profile, ...stored }
  }

  async #storedKey(profileId: string, profile: ConnectionProfile | undefined): Promise<StoredKey | undefined> {
    // No extra await once done: the worker reads this on every round.
    if (!this.#legacyKeyMoved) await this.#moveLegacyKey()
    const boundTo = profile && apiKeyBinding(profile)
    if (!boundTo) return undefined
    const apiKey = await this.#secrets.get(apiKeyAccount(profileId, boundTo))
    return apiKey === undefined ? undefined : { apiKey, boundTo }
  }

  /** A keychain that cannot be read holds no key this save could leave behind: none can be sent from it either. */
  async #hasKey(profileId: string, profile: ConnectionProfile | undefined): Promise<boolean> {
    return this.#storedKey(profileId, profile).then(
      (stored) => stored !== undefined,
      () => false,
    )
  }

  /**
   * Releases before keys were bound stored the key under the bare profile id (always the default profile's), for
   * the profile in the settings file they wrote: it moves, once, to that profile's server. When the file is gone, or was saved since by a
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
    const legacy = await this.#secrets.get(DEFAULT_PROFILE_ID)
    if (legacy === undefined) return
    const profile = await this.#settings.load(DEFAULT_PROFILE_ID)
    const boundTo = profile && !(await this.#settings.apiKeyBound()) ? apiKeyBinding(profile) : undefined
    if (boundTo) await this.#secrets.set(apiKeyAccount(DEFAULT_PROFILE_ID, boundTo), legacy)
    await this.#secrets.delete(DEFAULT_PROFILE_ID)
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
