/**
 * The outbox windows as user settings: kept in settings.json next to the profile (files written before
 * them still load), applied the moment they are saved, and defaulting to createAppCore's options.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EventName } from '../../src/shared/bridge-contract.ts'
import type { SettingsInput } from '../../src/shared/settings.ts'
import { createAppCore, type AppCore, type CoreOptions } from '../../src/main/core/app-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { DAY_MS } from '../../src/main/core/retention.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { SettingsStore } from '../../src/main/core/settings-store.ts'
import { useTempFolders } from '../support/temp-folders.ts'

const T0 = Date.UTC(2025, 0, 15, 9, 30)
const PROFILE = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id' }
const DRAFT = { fullName: 'Grace Hopper', email: '', description: '', phones: [] }

const { tempFolder, closeAfter } = useTempFolders('settings')

/** A real core on a temp folder with a hand-moved clock; no key is stored, so nothing is ever sent. */
async function openCore(dataDir: string, options: Partial<CoreOptions> = {}) {
  const clock = { now: T0 }
  const events: Array<{ event: EventName; payload: unknown }> = []
  const core = await createAppCore({
    dataDir,
    secrets: new MemorySecretStore(),
    fetch: async () => {
      throw new TypeError('fetch failed')
    },
    emit: (event, payload) => events.push({ event, payload }),
    logger: silentLogger,
    now: () => clock.now,
    ...options,
  })
  closeAfter(core)
  return { core, clock, events }
}

async function save(core: AppCore, input: Partial<SettingsInput> = {}) {
  return core.handlers.saveSettings({ ...PROFILE, ...input })
}

describe('the settings file', () => {
  it('loads a version 1 file written before the outbox windows existed, and keeps its profile', async () => {
    const dir = await tempFolder()
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ version: 1, profile: PROFILE }))
    const store = new SettingsStore(dir)

    expect(await store.load()).toEqual(PROFILE)
    expect(await store.loadRetention()).toEqual({})
    // Written before keys were bound to their server: its key is still to be bound (see Credentials).
    expect(await store.apiKeyBound()).toBe(false)
    expect(await readdir(dir)).toEqual(['settings.json'])
  })

  it('writes the windows next to the profiles, as version 2, and reads them back', async () => {
    const dir = await tempFolder()
    await new SettingsStore(dir).save(PROFILE, { flagAfterDays: 3, keepHistoryDays: 90 })

    const written = JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))
    expect(written).toEqual({
      version: 2,
      profiles: [{ id: 'default', name: 'My organization', connection: PROFILE }],
      activeProfileId: 'default',
      retention: { flagAfterDays: 3, keepHistoryDays: 90 },
      apiKeyBound: true,
    })
    const reopened = new SettingsStore(dir)
    expect(await reopened.loadRetention()).toEqual({ flagAfterDays: 3, keepHistoryDays: 90 })
    expect(await reopened.load()).toEqual(PROFILE)
  })

  it('keeps the saved windows when only the profile is saved again', async () => {
    const dir = await tempFolder()
    const store = new SettingsStore(dir)
    await store.save(PROFILE, { keepHistoryDays: 90 })
    await store.save({ ...PROFILE, organizationId: 7 })
    expect(await new SettingsStore(dir).loadRetention()).toEqual({ keepHistoryDays: 90 })
  })

  it('falls back to the default for a hand-edited window out of range, without losing the profile', async () => {
    const dir = await tempFolder()
    const body = { version: 1, profile: PROFILE, retention: { flagAfterDays: 0, keepHistoryDays: 45 } }
    await writeFile(join(dir, 'settings.json'), JSON.stringify(body))
    const store = new SettingsStore(dir)

    expect(await store.load()).toEqual(PROFILE)
    expect(await store.loadRetention()).toEqual({ keepHistoryDays: 45 })
    expect(await readdir(dir)).toEqual(['settings.json'])
  })
})

describe('retention in Settings', () => {
  it('shows createAppCore’s windows as the defaults until the user saves others', async () => {
    const { core } = await openCore(await tempFolder(), { flagAfterMs: 2 * DAY_MS, keepSentMs: 10 * DAY_MS })
    const view = await core.handlers.getSettings(undefined)
    expect(view).toMatchObject({ ok: true, value: { retention: { flagAfterDays: 2, keepHistoryDays: 10 } } })
  })

  it('defaults to 7 and 30 days', async () => {
    const { core } = await openCore(await tempFolder())
    const view = await core.handlers.getSettings(undefined)
    expect(view).toMatchObject({ ok: true, value: { retention: { flagAfterDays: 7, keepHistoryDays: 30 } } })
  })

  it('saves whole days typed as text or numbers, and a window left out keeps its value', async () => {
    const { core } = await openCore(await tempFolder())
    expect(await save(core, { flagAfterDays: ' 3 ', keepHistoryDays: 90 })).toMatchObject({
      ok: true,
      value: { retention: { flagAfterDays: 3, keepHistoryDays: 90 } },
    })
    expect(await save(core, { flagAfterDays: 14 })).toMatchObject({
      ok: true,
      value: { retention: { flagAfterDays: 14, keepHistoryDays: 90 } },
    })
  })

  it.each([
    [{ flagAfterDays: 0 }, 'flagAfterDays', 'Flag unsent contacts after at least 1 day.'],
    [{ flagAfterDays: 366 }, 'flagAfterDays', 'Flag unsent contacts after at most 365 days (a year).'],
    [{ flagAfterDays: '2.5' }, 'flagAfterDays', 'Enter a whole number of days, like 7.'],
    [{ flagAfterDays: 'a week' }, 'flagAfterDays', 'Enter a whole number of days, like 7.'],
    [{ keepHistoryDays: 0 }, 'keepHistoryDays', 'Keep sent history for at least 1 day.'],
    [{ keepHistoryDays: 3651 }, 'keepHistoryDays', 'Keep sent history for at most 3650 days (ten years).'],
    [{ keepHistoryDays: '' }, 'keepHistoryDays', 'Enter a whole number of days, like 7.'],
  ])('refuses %o with words at the field, and saves nothing', async (input, field, message) => {
    const dir = await tempFolder()
    const { core } = await openCore(dir)
    const result = await save(core, input)
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid', fields: { [field]: [message] } } })
    await expect(readFile(join(dir, 'settings.json'), 'utf8')).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('uses the saved windows after a restart', async () => {
    const dir = await tempFolder()
    const first = await openCore(dir)
    await save(first.core, { flagAfterDays: 2 })
    await first.core.close()

    const { core } = await openCore(dir)
    expect(core.outbox.flagAfterMs).toBe(2 * DAY_MS)
  })
})

describe('saving applies the windows at once', () => {
  it('flags a waiting contact as soon as a shorter flag window is saved, and says so', async () => {
    const { core, clock, events } = await openCore(await tempFolder())
    await save(core)
    const saved = await core.handlers.saveContact(DRAFT)
    if (!saved.ok) throw new Error(saved.error.message)
    clock.now = T0 + 3 * DAY_MS
    expect(await core.handlers.getOutboxItem({ id: saved.value.id })).toMatchObject({
      ok: true,
      value: { overdue: false },
    })
    events.length = 0

    await save(core, { flagAfterDays: 2 })

    expect(core.outbox.flagAfterMs).toBe(2 * DAY_MS)
    expect(await core.handlers.getOutboxItem({ id: saved.value.id })).toMatchObject({
      ok: true,
      value: { overdue: true },
    })
    expect(await core.handlers.getSyncStatus(undefined)).toMatchObject({ ok: true, value: { overdue: 1 } })
    expect(events).toContainEqual({ event: 'outboxChanged', payload: { ids: [] } })
  })

  it('prunes sent and discarded history older than a shorter window right away', async () => {
    const { core, clock } = await openCore(await tempFolder())
    await save(core)
    const old = await core.handlers.saveContact(DRAFT)
    if (!old.ok) throw new Error(old.error.message)
    await core.handlers.discardOutboxItem({ id: old.value.id })
    clock.now = T0 + 10 * DAY_MS
    const recent = await core.handlers.saveContact(DRAFT)
    if (!recent.ok) throw new Error(recent.error.message)
    await core.handlers.discardOutboxItem({ id: recent.value.id })

    await save(core, { keepHistoryDays: 30 })
    expect(await core.handlers.listOutbox({ filter: 'discarded', limit: 10 })).toMatchObject({ value: { total: 2 } })

    await save(core, { keepHistoryDays: 5 })
    const left = await core.handlers.listOutbox({ filter: 'discarded', limit: 10 })
    expect(left).toMatchObject({ ok: true, value: { total: 1, items: [{ id: recent.value.id }] } })
  })

  it('never prunes a contact that is still waiting, however short the window', async () => {
    const { core, clock } = await openCore(await tempFolder())
    await save(core)
    const waiting = await core.handlers.saveContact(DRAFT)
    if (!waiting.ok) throw new Error(waiting.error.message)
    clock.now = T0 + 400 * DAY_MS

    await save(core, { keepHistoryDays: 1, flagAfterDays: 1 })
    expect(await core.handlers.getOutboxItem({ id: waiting.value.id })).toMatchObject({
      ok: true,
      value: { state: 'queued', overdue: true },
    })
  })
})
