import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { parseJson } from '../../shared/json.ts'
import { writeFileAtomically } from './atomic-file.ts'
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

interface SettingsFile {
  profile?: ConnectionProfile
  retention?: SavedRetention
  apiKeyBound?: true
}

/**
 * The connection profile and the outbox windows as a small JSON file in the app's data folder. Writes
 * go to a temp file that is flushed and renamed over the old one, so a crash leaves either version,
 * never half. A file that cannot be read is moved aside (kept for recovery), never silently overwritten;
 * one made by a newer version is left where it is and refused with a SettingsFileError. The folder is
 * 0700 and the file 0600 on POSIX.
 */
export class SettingsStore {
  readonly #dir: string
  #file: SettingsFile = {}
  #loaded = false
  /** Set when the file on disk must not be read as ours or replaced (made by a newer version). */
  #refusal: SettingsFileError | undefined

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
    await fileStep(this.path, () => this.#write(next))
    this.#file = next
    this.#loaded = true
  }

  async #write(next: SettingsFile): Promise<void> {
    const body = {
      version: SETTINGS_FILE_VERSION,
      profile: next.profile,
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
    const parsed = settingsFileSchema.safeParse(json)
    if (parsed.success) {
      const { profile, retention, apiKeyBound } = parsed.data
      this.#file = { profile, retention: withoutUndefined(retention ?? {}), apiKeyBound }
      await fileStep(this.path, async () => restrictToOwner(this.path))
    } else {
      const aside = join(this.#dir, `settings.damaged-${Date.now()}.json`)
      await fileStep(this.path, () => rename(this.path, aside))
    }
    this.#loaded = true
    return this.#file
  }
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
