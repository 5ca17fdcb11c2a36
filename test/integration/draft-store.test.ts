/**
 * The form's unsaved draft on real files: written atomically, back after a restart, cleared when the
 * contact reaches the outbox, and a damaged file reported and kept, never a crash.
 */
import { readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ContactDraft } from '../../src/shared/contact.ts'
import type { SavedDraft } from '../../src/shared/draft.ts'
import type { Result } from '../../src/shared/app-error.ts'
import { createAppCore, type AppCore } from '../../src/main/core/app-core.ts'
import { DRAFT_FILE_NAME, DraftStore } from '../../src/main/core/draft-store.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { useTempFolders } from '../support/temp-folders.ts'

const T0 = Date.UTC(2025, 0, 15, 9, 30)
const PROFILE = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id' }
const contact = (fullName: string, phones: ContactDraft['phones'] = []): ContactDraft => ({
  fullName,
  email: '',
  description: '',
  phones,
})

const { tempFolder, closeAfter } = useTempFolders('draft')

/** A real core with no key stored, so nothing is ever sent. */
async function openCore(dataDir: string): Promise<AppCore> {
  const core = await createAppCore({
    dataDir,
    secrets: new MemorySecretStore(),
    fetch: async () => {
      throw new TypeError('fetch failed')
    },
    emit: () => {},
    logger: silentLogger,
    now: () => T0,
  })
  closeAfter(core)
  return core
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`)
  return result.value
}

const fileOf = async (dir: string): Promise<unknown> => JSON.parse(await readFile(join(dir, DRAFT_FILE_NAME), 'utf8'))

describe('the draft file', () => {
  it('starts with no draft when there is no file, and writes none until asked', async () => {
    const dir = await tempFolder()
    const store = new DraftStore(dir, () => T0)
    expect(await store.read()).toEqual({ draft: null, savedAt: null, phoneCountry: null, problem: null })
    expect(await readdir(dir)).toEqual([])
  })

  it('writes the draft durably and reads it back in a new process’s store', async () => {
    const dir = await tempFolder()
    const draft = { contact: contact('Ada Lovelace', [{ number: '020 7946 0958', country: 'GB' }]) }
    await new DraftStore(dir, () => T0).save(draft, 'GB')
    expect(await fileOf(dir)).toEqual({
      version: 1,
      draft,
      savedAt: new Date(T0).toISOString(),
      phoneCountry: 'GB',
    })
    expect(await new DraftStore(dir).read()).toEqual({
      draft,
      savedAt: new Date(T0).toISOString(),
      phoneCountry: 'GB',
      problem: null,
    })
    // Owner-only, like the outbox: it holds contact data.
    expect((await stat(join(dir, DRAFT_FILE_NAME))).mode & 0o777).toBe(0o600)
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('keeps writes in the order they were asked for, the last one winning', async () => {
    const dir = await tempFolder()
    const store = new DraftStore(dir)
    const writes = ['A', 'Ad', 'Ada', 'Ada L', 'Ada Lovelace'].map((name) => store.save({ contact: contact(name) }))
    await Promise.all(writes)
    expect(await new DraftStore(dir).read()).toMatchObject({ draft: { contact: { fullName: 'Ada Lovelace' } } })
  })

  it('discards the draft but remembers the phone country', async () => {
    const dir = await tempFolder()
    const store = new DraftStore(dir)
    await store.save({ contact: contact('Grace Hopper') }, 'US')
    expect(await store.discard()).toEqual({ draft: null, savedAt: null, phoneCountry: 'US', problem: null })
    expect(await new DraftStore(dir).read()).toMatchObject({ draft: null, phoneCountry: 'US' })
  })

  it('moves a damaged file aside, says so once, and starts empty', async () => {
    const dir = await tempFolder()
    await writeFile(join(dir, DRAFT_FILE_NAME), '{"version": 1, "draft": {"contact": ')
    const store = new DraftStore(dir, () => T0)
    const read = await store.read()
    expect(read).toMatchObject({ draft: null, savedAt: null })
    expect(read.problem).toMatch(/could not be read/)
    expect(read.problem).toContain(`draft.damaged-${T0}.json`)
    expect(await readdir(dir)).toEqual([`draft.damaged-${T0}.json`])
    expect(await readFile(join(dir, `draft.damaged-${T0}.json`), 'utf8')).toContain('"contact": ')

    // Once the user types again, the problem is behind them.
    expect((await store.save({ contact: contact('Next') })).problem).toBeNull()
  })

  it('treats a file of the wrong shape as damaged too', async () => {
    const dir = await tempFolder()
    await writeFile(join(dir, DRAFT_FILE_NAME), JSON.stringify({ version: 1, draft: { contact: { fullName: 5 } } }))
    expect((await new DraftStore(dir, () => T0).read()).problem).toMatch(/could not be read/)
  })
})

describe('drafts through the bridge commands', () => {
  it('are back after a restart, and a saved contact clears its draft', async () => {
    const dir = await tempFolder()
    const first = await openCore(dir)
    value(await first.handlers.saveSettings(PROFILE))
    const draft = { contact: contact('Ada Lovelace', [{ number: '(415) 555-0132', country: 'US' }]) }
    value(await first.handlers.saveDraft({ draft, phoneCountry: 'US' }))
    await first.close()

    const second = await openCore(dir)
    expect(value(await second.handlers.getDraft(undefined))).toMatchObject({ draft, phoneCountry: 'US' })
    value(await second.handlers.saveContact(draft.contact))
    expect(value(await second.handlers.getDraft(undefined))).toEqual({
      draft: null,
      savedAt: null,
      phoneCountry: 'US',
      problem: null,
    })
    expect(await fileOf(dir)).toMatchObject({ draft: null, phoneCountry: 'US' })
  })

  it('keeps the draft when the save is refused', async () => {
    const dir = await tempFolder()
    const core = await openCore(dir)
    value(await core.handlers.saveSettings(PROFILE))
    const draft = { contact: contact('   ') }
    value(await core.handlers.saveDraft({ draft }))
    expect(await core.handlers.saveContact(draft.contact)).toMatchObject({ ok: false, error: { code: 'invalid' } })
    expect(value(await core.handlers.getDraft(undefined)).draft).toEqual(draft)
  })

  it('an edit saved brings back the new contact put aside for it', async () => {
    const dir = await tempFolder()
    const core = await openCore(dir)
    value(await core.handlers.saveSettings(PROFILE))
    const item = value(await core.handlers.saveContact(contact('Alan Turing')))
    const aside = contact('Half typed')
    value(await core.handlers.saveDraft({ draft: { contact: contact('Alan M. Turing'), editingId: item.id, aside } }))

    value(await core.handlers.updateOutboxItem({ id: item.id, draft: contact('Alan M. Turing') }))
    const after: SavedDraft = value(await core.handlers.getDraft(undefined))
    expect(after.draft).toEqual({ contact: aside })
  })

  it('a new contact saved while a draft edits another item leaves that draft alone', async () => {
    const dir = await tempFolder()
    const core = await openCore(dir)
    value(await core.handlers.saveSettings(PROFILE))
    const item = value(await core.handlers.saveContact(contact('Alan Turing')))
    const draft = { contact: contact('Alan M. Turing'), editingId: item.id }
    value(await core.handlers.saveDraft({ draft }))
    value(await core.handlers.saveContact(contact('Someone else')))
    expect(value(await core.handlers.getDraft(undefined)).draft).toEqual(draft)
  })

  it('reports a damaged file through getDraft instead of failing', async () => {
    const dir = await tempFolder()
    await writeFile(join(dir, DRAFT_FILE_NAME), 'not json at all')
    const core = await openCore(dir)
    const result = value(await core.handlers.getDraft(undefined))
    expect(result.draft).toBeNull()
    expect(result.problem).toMatch(/could not be read/)
  })
})
