import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { parseJson } from '../../shared/json.ts'
import {
  connectionProfileSchema,
  flagAfterDaysSchema,
  keepHistoryDaysSchema,
  type ConnectionProfile,
  type RetentionDays,
} from '../../shared/settings.ts'

const FILE_NAME = 'settings.json'

/**
 * Still 1: retention was added as an optional field, so files written before it load as they are, and an
 * older build reading a newer file ignores the field instead of moving the whole file aside as damaged.
 */
export const SETTINGS_FILE_VERSION = 1

/** The windows the user chose; a missing one follows the app's default. */
export type SavedRetention = Partial<RetentionDays>

const settingsFileSchema = z.object({
  version: z.literal(SETTINGS_FILE_VERSION),
  profile: connectionProfileSchema.optional(),
  // A hand-edited, out-of-range window falls back to the default rather than costing the profile.
  retention: z
    .object({
      flagAfterDays: flagAfterDaysSchema.optional().catch(undefined),
      keepHistoryDays: keepHistoryDaysSchema.optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
  // Written by releases that bind the API key to the profile's server; older ones drop it when they save.
  apiKeyBound: z.literal(true).optional().catch(undefined),
})

interface SettingsFile {
  profile?: ConnectionProfile
  retention?: SavedRetention
  apiKeyBound?: true
}

/**
 * The connection profile and the outbox windows as a small JSON file in the app's data folder. Writes
 * go to a temp file that is flushed and renamed over the old one, so a crash leaves either version,
 * never half. A file that cannot be read is moved aside (kept for recovery), never silently overwritten.
 */
export class SettingsStore {
  readonly #dir: string
  #file: SettingsFile = {}
  #loaded = false

  constructor(dataDir: string) {
    this.#dir = dataDir
  }

  get path(): string {
    return join(this.#dir, FILE_NAME)
  }

  async load(): Promise<ConnectionProfile | undefined> {
    // Once loaded, answer without another await: the worker reads this on every kick.
    if (this.#loaded) return this.#file.profile
    return (await this.#read()).profile
  }

  async loadRetention(): Promise<SavedRetention> {
    if (this.#loaded) return { ...this.#file.retention }
    return { ...(await this.#read()).retention }
  }

  /** False for a profile saved by a release that kept one key per profile whatever its server (see Credentials). */
  async apiKeyBound(): Promise<boolean> {
    return (await this.#read()).apiKeyBound === true
  }

  /** Replaces the profile and, when given, the retention windows (otherwise the saved ones stay). */
  async save(profile: ConnectionProfile, retention?: SavedRetention): Promise<void> {
    const current = await this.#read()
    const next: SettingsFile = {
      profile,
      retention: withoutUndefined(retention ?? current.retention ?? {}),
      apiKeyBound: true,
    }
    await mkdir(this.#dir, { recursive: true })
    const temp = `${this.path}.${process.pid}.tmp`
    const file = await open(temp, 'w', 0o600)
    try {
      const body = {
        version: SETTINGS_FILE_VERSION,
        profile: next.profile,
        ...(Object.keys(next.retention ?? {}).length > 0 ? { retention: next.retention } : {}),
        apiKeyBound: next.apiKeyBound,
      }
      await file.writeFile(`${JSON.stringify(body, null, 2)}\n`)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, this.path)
    this.#file = next
    this.#loaded = true
  }

  async #read(): Promise<SettingsFile> {
    if (this.#loaded) return this.#file
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.#loaded = true
      return this.#file
    }
    const parsed = settingsFileSchema.safeParse(parseJson(text))
    if (parsed.success) {
      const { profile, retention, apiKeyBound } = parsed.data
      this.#file = { profile, retention: withoutUndefined(retention ?? {}), apiKeyBound }
    } else {
      await rename(this.path, join(this.#dir, `settings.damaged-${Date.now()}.json`))
    }
    this.#loaded = true
    return this.#file
  }
}

function withoutUndefined(retention: SavedRetention): SavedRetention {
  return Object.fromEntries(Object.entries(retention).filter(([, value]) => value !== undefined))
}
