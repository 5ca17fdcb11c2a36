import { readFile, rename } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { formDraftSchema, type FormDraft, type SavedDraft } from '../../shared/draft.ts'
import { parseJson } from '../../shared/json.ts'
import { writeFileAtomically } from './atomic-file.ts'

export const DRAFT_FILE_NAME = 'draft.json'
export const DRAFT_FILE_VERSION = 1

const draftFileSchema = z.object({
  version: z.literal(DRAFT_FILE_VERSION),
  draft: formDraftSchema.nullable(),
  savedAt: z.string().max(40).nullable(),
  // A hand-edited country falls back to none rather than costing the draft.
  phoneCountry: z.string().max(2).nullable().catch(null),
})

type DraftFile = Omit<SavedDraft, 'problem'>

const EMPTY: DraftFile = { draft: null, savedAt: null, phoneCountry: null }

/**
 * The New contact form's unsaved draft and the phone country last chosen, as draft.json in the data
 * folder, so what is typed survives a reload, a crash or a restart. Every write replaces the file
 * atomically and they run one at a time, in the order asked; a file that cannot be read is moved
 * aside (kept for recovery) and reported, never silently overwritten.
 */
export class DraftStore {
  readonly #dir: string
  readonly #now: () => number
  #file: DraftFile = EMPTY
  #problem: string | null = null
  #loading: Promise<void> | undefined
  #queue: Promise<unknown> = Promise.resolve()

  constructor(dataDir: string, now: () => number = Date.now) {
    this.#dir = dataDir
    this.#now = now
  }

  get path(): string {
    return join(this.#dir, DRAFT_FILE_NAME)
  }

  async read(): Promise<SavedDraft> {
    await this.#load()
    return this.#view()
  }

  /** Replaces the draft (null: nothing unsaved); a phone country given replaces the remembered one. */
  save(draft: FormDraft | null, phoneCountry?: string): Promise<SavedDraft> {
    return this.#write((file) => ({
      draft,
      savedAt: draft ? new Date(this.#now()).toISOString() : null,
      phoneCountry: phoneCountry ?? file.phoneCountry,
    }))
  }

  discard(): Promise<SavedDraft> {
    return this.#write((file) => ({ ...file, draft: null, savedAt: null }))
  }

  /** A new contact reached the outbox: the draft it came from is no longer unsaved. */
  contactSaved(): Promise<SavedDraft> {
    return this.#write((file) => (file.draft && !file.draft.editingId ? { ...file, draft: null, savedAt: null } : file))
  }

  /** Edits of item `id` reached the outbox: the new contact put aside meanwhile is the draft again. */
  editSaved(id: string): Promise<SavedDraft> {
    return this.#write((file) => {
      if (file.draft?.editingId !== id) return file
      const aside = file.draft.aside
      return aside
        ? { ...file, draft: { contact: aside }, savedAt: file.savedAt }
        : { ...file, draft: null, savedAt: null }
    })
  }

  #write(change: (file: DraftFile) => DraftFile): Promise<SavedDraft> {
    const run = async (): Promise<SavedDraft> => {
      await this.#load()
      const next = change(this.#file)
      if (next !== this.#file) {
        const body = { version: DRAFT_FILE_VERSION, ...next }
        await writeFileAtomically(this.path, `${JSON.stringify(body)}\n`)
        this.#file = next
        // The user has moved on from the draft that could not be read.
        this.#problem = null
      }
      return this.#view()
    }
    const result = this.#queue.then(run, run)
    this.#queue = result.catch(() => undefined)
    return result
  }

  #view(): SavedDraft {
    return { ...this.#file, problem: this.#problem }
  }

  #load(): Promise<void> {
    this.#loading ??= this.#read().catch((error: unknown) => {
      // Unreadable for now (permissions, disk): the next call tries again.
      this.#loading = undefined
      throw error
    })
    return this.#loading
  }

  async #read(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    const parsed = draftFileSchema.safeParse(parseJson(text))
    if (parsed.success) {
      const { draft, savedAt, phoneCountry } = parsed.data
      this.#file = { draft, savedAt, phoneCountry }
      return
    }
    const kept = `draft.damaged-${this.#now()}.json`
    await rename(this.path, join(this.#dir, kept))
    this.#problem = `The draft saved earlier could not be read, so the form starts empty. The file was kept as ${kept} in the app’s data folder.`
  }
}
