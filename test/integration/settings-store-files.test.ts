/**
 * settings.json on disk: owner-only, a file from a newer version kept and reported (never moved aside
 * as damaged, never overwritten), and an unusable place told in words.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppCore, type AppCore } from '../../src/main/core/app-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { SETTINGS_FILE_VERSION, SettingsFileError, SettingsStore } from '../../src/main/core/settings-store.ts'

const PROFILE = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id' }
const folders: string[] = []
const cores: AppCore[] = []

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cloverhound-settings-files-'))
  folders.push(folder)
  return folder
}

async function refusal(run: () => Promise<unknown>): Promise<SettingsFileError> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(SettingsFileError)
  return error as SettingsFileError
}

describe.runIf(process.platform !== 'win32')('file modes on POSIX', () => {
  it('writes settings.json as 0600 in a 0700 folder, also over a file and folder an older version left open', async () => {
    const dir = join(tempFolder(), 'data')
    mkdirSync(dir, { mode: 0o755 })
    chmodSync(dir, 0o755)
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1 }), { mode: 0o644 })
    chmodSync(join(dir, 'settings.json'), 0o644)

    const store = new SettingsStore(dir)
    await store.load()
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600)
    await store.save(PROFILE)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir, 'settings.json')).mode & 0o777).toBe(0o600)
  })
})

describe('a settings file made by a newer version', () => {
  const newer = JSON.stringify({ version: SETTINGS_FILE_VERSION + 1, profile: PROFILE, sync: { every: 'hour' } })

  it('is kept byte for byte and reported as made by a newer version, on load and on save', async () => {
    const dir = tempFolder()
    writeFileSync(join(dir, 'settings.json'), newer)
    const store = new SettingsStore(dir)

    const onLoad = await refusal(() => store.load())
    expect(onLoad.problem).toBe('newer_version')
    expect(onLoad.message).toContain('made by a newer version')
    expect(onLoad.message).toContain(join(dir, 'settings.json'))
    const onSave = await refusal(() => store.save(PROFILE))
    expect(onSave.problem).toBe('newer_version')

    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(newer)
    expect(readdirSync(dir)).toEqual(['settings.json'])
  })

  it('reaches the renderer in words through the bridge, and the app still starts with its outbox', async () => {
    const dir = tempFolder()
    writeFileSync(join(dir, 'settings.json'), newer)
    const core = await createAppCore({
      dataDir: dir,
      secrets: new MemorySecretStore(),
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
      emit: () => {},
      logger: silentLogger,
    })
    cores.push(core)

    const settings = await core.handlers.getSettings(undefined)
    expect(settings).toMatchObject({ ok: false, error: { code: 'storage' } })
    expect(settings.ok ? '' : settings.error.message).toContain('made by a newer version')
    const saved = await core.handlers.saveSettings(PROFILE)
    expect(saved.ok).toBe(false)
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(newer)
    expect((await core.handlers.listOutbox({ filter: 'all', limit: 10 })).ok).toBe(true)
  })

  it('a damaged file is still moved aside, as before', async () => {
    const dir = tempFolder()
    writeFileSync(join(dir, 'settings.json'), '{"version": 1, "profile": ')
    expect(await new SettingsStore(dir).load()).toBeUndefined()
    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^settings\.damaged-\d+\.json$/)])
  })
})

describe('an unusable place is told in words', () => {
  it('a folder where settings.json belongs', async () => {
    const dir = tempFolder()
    mkdirSync(join(dir, 'settings.json'))
    const error = await refusal(() => new SettingsStore(dir).load())
    expect(error.problem).toBe('wrong_kind')
    expect(error.message).toContain('a folder where the file belongs')
    expect(error.message).not.toContain('EISDIR')
  })

  it('a file where the data folder belongs', async () => {
    const blocker = join(tempFolder(), 'data')
    writeFileSync(blocker, 'in the way')
    const error = await refusal(() => new SettingsStore(blocker).save(PROFILE))
    expect(error.problem).toBe('wrong_kind')
    expect(readFileSync(blocker, 'utf8')).toBe('in the way')
  })
})
