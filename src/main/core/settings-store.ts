import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { parseJson } from '../../shared/json.ts'
import { writeFileAtomically } from './atomic-file.ts'
import { DEFAULT_PROFILE_ID, PROFILES_MAX, storedProfileSchema, type StoredProfile } from '../../shared/profiles.ts'
import {
  connectionProfileSchema,
  flagAfterDaysSchema,
  keepHistoryDaysSchema,
  type ConnectionProfile,
  type RetentionDays,
} from '../../shared/settings.ts'
import { fileProblemOf, isErrnoError, type FileProblem } from './file-problems.ts'
import { restrictToOwner } from './private-files.ts'

const FILE_NAME = 'settings.json'

/**
 * 2: several named profiles (`profiles`, `activeProfileId`) instead of one `profile`. A version-1 file is read
 * as one profile with the default id, so its keychain account and its outbox rows stay its own; a version-1
 * release reading a version-2 file refuses it as newer and keeps it as it is.
 */
export const SETTINGS_FILE_VERSION = 2

/** The windows the user chose; a missing one follows the app's default. */
export type SavedRetention = Partial<RetentionDays>

// A hand-edited, out-of-range window falls back to the default rather than costing the profiles.
const retentionField = z
  .object({
    flagAfterDays: flagAfterDaysSchema.optional().catch(undefined),
    keepHistoryDays: keepHistoryDaysSchema.optional().catch(undefined),
  })
  .optional()
  .catch(undefined)
// Written by releases that bind the API key to the profile's server; older ones drop it when they save.
const apiKeyBoundField = z.literal(true).optional().catch(undefined)

/** What the single-connection release (version 1) wrote. */
const singleConnectionFileSchema = z.object({
  version: z.literal(1),
  profile: connectionProfileSchema.optional(),
  retention: retentionField,
  apiKeyBound: apiKeyBoundField,
})

const profilesFileSchema = z.object({
  version: z.literal(SETTINGS_FILE_VERSION),
  profiles: z
    .array(storedProfileSchema)
    .min(1)
    .max(PROFILES_MAX)
    .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'Profile ids repeat.'),
  activeProfileId: z.string(),
  retention: retentionField,
  apiKeyBound: apiKeyBoundField,
})

/** Just enough of a file to tell which version wrote it. */
const versionOnlySchema = z.object({ version: z.number().int() })

/**
 * The settings file cannot be used as it is: made by a newer version of the app (kept exactly as it
 * is, so going back to that version finds it), or the file or its folder cannot be read or written.
 * `message` is for the user.
 */
export class SettingsFileError extends Error {
  override readonly name = 'SettingsFileError'
  readonly problem: 'newer_version' | FileProblem
  readonly path: string

  constructor(problem: SettingsFileError['problem'], path: string, options?: { cause?: unknown }) {
    super(settingsFileMessage(problem, path), options)
    this.problem = problem
    this.path = path
  }
}

/** The profiles and which one is in use; there is always at least one. */
export interface SavedProfiles {
  profiles: StoredProfile[]
  activeProfileId: string
}

interface SettingsFile extends SavedProfiles {
  retention?: SavedRetention
  apiKeyBound?: true
}

/** A new install, or a version-1 file's single connection: one profile with the default id. */
export function firstProfile(connection: ConnectionProfile | undefined): StoredProfile {
  const name = connection ? `Organization ${connection.organizationId}` : 'My organization'
  return { id: DEFAULT_PROFILE_ID, name, ...(connection ? { connection } : {}) }
}

const emptyFile = (): SettingsFile => ({ profiles: [firstProfile(undefined)], activeProfileId: DEFAULT_PROFILE_ID })

/**
 * The connection profiles and the outbox windows as a small JSON file in the app's data folder. Writes
 * go to a temp file that is flushed and renamed over the old one, so a crash leaves either version,
 * never half. A file that cannot be read is moved aside (kept for recovery), never silently overwritten;
 * one made by a newer version is left where it is and refused with a SettingsFileError. The folder is
 * 0700 and the file 0600 on POSIX.
 */
export class SettingsStore {
  readonly #dir: string
  #file: SettingsFile = emptyFile()
  #loaded = false
  /** Set when the file on disk must not be read as ours or replaced (made by a newer version). */
  #refusal: SettingsFileError | undefined

  constructor(dataDir: string) {
    this.#dir = dataDir
  }

  get path(): string {
    return join(this.#dir, FILE_NAME)
  }

  /** The connection of a profile (the active one when no id is given); undefined when unknown or not set up. */
  async load(profileId?: string): Promise<ConnectionProfile | undefined> {
    // Once loaded, answer without another await: the worker reads this on every kick.
    const file = this.#loaded ? this.#file : await this.#read()
    const id = profileId ?? file.activeProfileId
    return file.profiles.find((profile) => profile.id === id)?.connection
  }

  async loadProfiles(): Promise<SavedProfiles> {
    const file = this.#loaded ? this.#file : await this.#read()
    return { profiles: file.profiles.map((profile) => ({ ...profile })), activeProfileId: file.activeProfileId }
  }

  async loadRetention(): Promise<SavedRetention> {
    if (this.#loaded) return { ...this.#file.retention }
    return { ...(await this.#read()).retention }
  }

  /** False for a profile saved by a release that kept one key per profile whatever its server (see Credentials). */
  async apiKeyBound(): Promise<boolean> {
    return (await this.#read()).apiKeyBound === true
  }

  /** Replaces a profile's connection (the active one's by default) and, when given, the retention windows. */
  async save(connection: ConnectionProfile, retention?: SavedRetention, profileId?: string): Promise<void> {
    const current = await this.#read()
    const id = profileId ?? current.activeProfileId
    await this.#commit({
      ...current,
      profiles: current.profiles.map((profile) => (profile.id === id ? { ...profile, connection } : profile)),
      retention: withoutUndefined(retention ?? current.retention ?? {}),
      apiKeyBound: true,
    })
  }

  /** Replaces the list of profiles and which is active (Credentials checks names and ids first). */
  async saveProfiles(next: SavedProfiles): Promise<void> {
    const current = await this.#read()
    await this.#commit({ ...current, ...next, apiKeyBound: true })
  }

  async #commit(next: SettingsFile): Promise<void> {
    await fileStep(this.path, () => this.#write(next))
    this.#file = next
    this.#loaded = true
  }

  async #write(next: SettingsFile): Promise<void> {
    const body = {
      version: SETTINGS_FILE_VERSION,
      profiles: next.profiles,
      activeProfileId: next.activeProfileId,
      ...(Object.keys(next.retention ?? {}).length > 0 ? { retention: next.retention } : {}),
      apiKeyBound: next.apiKeyBound,
    }
    await writeFileAtomically(this.path, `${JSON.stringify(body, null, 2)}\n`)
  }

  async #read(): Promise<SettingsFile> {
    if (this.#refusal) throw this.#refusal
    if (this.#loaded) return this.#file
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new SettingsFileError(fileProblemOf(error), this.path, { cause: error })
      this.#loaded = true
      return this.#file
    }
    const json = parseJson(text)
    const version = versionOnlySchema.safeParse(json)
    if (version.success && version.data.version > SETTINGS_FILE_VERSION) {
      this.#refusal = new SettingsFileError('newer_version', this.path)
      throw this.#refusal
    }
    const file = readSettingsFile(json)
    if (file) {
      this.#file = file
      await fileStep(this.path, async () => restrictToOwner(this.path))
    } else {
      const aside = join(this.#dir, `settings.damaged-${Date.now()}.json`)
      await fileStep(this.path, () => rename(this.path, aside))
    }
    this.#loaded = true
    return this.#file
  }
}

/** A version-2 file as it is, or a version-1 file as its one profile; undefined when it is neither. */
function readSettingsFile(json: unknown): SettingsFile | undefined {
  const single = singleConnectionFileSchema.safeParse(json)
  if (single.success) {
    const { profile, retention, apiKeyBound } = single.data
    return {
      profiles: [firstProfile(profile)],
      activeProfileId: DEFAULT_PROFILE_ID,
      retention: withoutUndefined(retention ?? {}),
      apiKeyBound,
    }
  }
  const parsed = profilesFileSchema.safeParse(json)
  if (!parsed.success) return undefined
  const { profiles, activeProfileId, retention, apiKeyBound } = parsed.data
  // A hand-edited active id that names no profile falls back to the first rather than costing the file.
  const active = profiles.some((profile) => profile.id === activeProfileId) ? activeProfileId : profiles[0]!.id
  return { profiles, activeProfileId: active, retention: withoutUndefined(retention ?? {}), apiKeyBound }
}

/** Runs a file-system step, turning its errno failure into a SettingsFileError with words. */
async function fileStep<T>(path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if (!isErrnoError(error)) throw error
    throw new SettingsFileError(fileProblemOf(error), path, { cause: error })
  }
}

function settingsFileMessage(problem: SettingsFileError['problem'], path: string): string {
  switch (problem) {
    case 'newer_version':
      return `The settings file at ${path} was made by a newer version of Cloverhound Contacts. It is kept as it is; install that version again to use it, or move the file elsewhere to set the connection up anew here. Saved contacts stay in the outbox.`
    case 'read_only':
      return `The settings file at ${path} cannot be written: the file or its folder is read-only. Check its permissions and try again.`
    case 'disk_full':
      return `The disk is full, so the settings at ${path} could not be saved. Free some space and try again.`
    case 'busy':
      return `The settings file at ${path} is in use by another program. Close it and try again.`
    case 'wrong_kind':
      return `The settings cannot be kept at ${path}: something of the wrong kind is in its place (a folder where the file belongs, or a file where a folder belongs). Move it elsewhere and try again.`
    case 'io':
      return `The settings file at ${path} could not be read or written because of a disk error. Check that the drive is available and try again.`
  }
}

function withoutUndefined(retention: SavedRetention): SavedRetention {
  return Object.fromEntries(Object.entries(retention).filter(([, value]) => value !== undefined))
}
