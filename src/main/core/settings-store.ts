import { mkdir, open, readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { connectionProfileSchema, type ConnectionProfile } from '../../shared/settings.ts'

const FILE_NAME = 'settings.json'

const settingsFileSchema = z.object({
  version: z.literal(1),
  profile: connectionProfileSchema.optional(),
})

/**
 * The connection profile as a small JSON file in the app's data folder. Writes go to a temp
 * file that is flushed and renamed over the old one, so a crash leaves either version, never half.
 * A file that cannot be read is moved aside (kept for recovery), never silently overwritten.
 */
export class SettingsStore {
  readonly #dir: string
  #profile: ConnectionProfile | undefined
  #loaded = false

  constructor(dataDir: string) {
    this.#dir = dataDir
  }

  get path(): string {
    return join(this.#dir, FILE_NAME)
  }

  async load(): Promise<ConnectionProfile | undefined> {
    if (this.#loaded) return this.#profile
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      this.#loaded = true
      return undefined
    }
    const parsed = settingsFileSchema.safeParse(safeJson(text))
    if (parsed.success) {
      this.#profile = parsed.data.profile
    } else {
      await rename(this.path, join(this.#dir, `settings.damaged-${Date.now()}.json`))
    }
    this.#loaded = true
    return this.#profile
  }

  async save(profile: ConnectionProfile): Promise<void> {
    await mkdir(this.#dir, { recursive: true })
    const temp = `${this.path}.${process.pid}.tmp`
    const file = await open(temp, 'w', 0o600)
    try {
      await file.writeFile(`${JSON.stringify({ version: 1, profile }, null, 2)}\n`)
      await file.sync()
    } finally {
      await file.close()
    }
    await rename(temp, this.path)
    this.#profile = profile
    this.#loaded = true
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
