/**
 * The whole core on a damaged outbox file: the app still starts, read-only. The renderer learns so,
 * every change is refused in words, nothing is sent and nothing is written into the file, and Export
 * contacts (CSV) hands over every contact that still reads.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Papa from 'papaparse'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppCore, OUTBOX_FILE_NAME, type AppCore } from '../../src/main/core/app-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { SettingsStore } from '../../src/main/core/settings-store.ts'
import { T0, damagedOutboxAt, sha256 } from './support/outbox-store-fixtures.ts'

const PROFILE = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id' }
const folders: string[] = []
const cores: AppCore[] = []

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

async function coreOnDamagedOutbox() {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-damaged-'))
  folders.push(dataDir)
  const path = join(dataDir, OUTBOX_FILE_NAME)
  const names = damagedOutboxAt(path, 200)
  await new SettingsStore(dataDir).save(PROFILE)
  const secrets = new MemorySecretStore()
  await secrets.set('default', 'the-api-key')
  const requests: string[] = []
  const hash = sha256(path)
  const core = await createAppCore({
    dataDir,
    secrets,
    fetch: async (input) => {
      requests.push(String(input))
      return new Response('{}', { status: 500 })
    },
    emit: () => {},
    logger: silentLogger,
    now: () => T0,
  })
  cores.push(core)
  return { core, path, names, requests, hash }
}

describe('a damaged outbox at start-up', () => {
  it('starts read-only and tells the renderer so, in words that name Export contacts (CSV)', async () => {
    const { core } = await coreOnDamagedOutbox()
    const access = await core.handlers.getOutboxAccess(undefined)
    expect(access).toMatchObject({ ok: true, value: { readOnly: true } })
    expect(access.ok && access.value.message).toContain('Export contacts (CSV)')
  })

  it('refuses every change in words, sends nothing and leaves the file byte for byte as it was', async () => {
    const { core, path, requests, hash } = await coreOnDamagedOutbox()
    const saved = await core.handlers.saveContact({ fullName: 'New Person', email: '', description: '', phones: [] })
    expect(saved).toMatchObject({ ok: false, error: { code: 'storage' } })
    expect(saved.ok ? '' : saved.error.message).toContain('read-only')
    expect((await core.handlers.saveSettings({ ...PROFILE, keepHistoryDays: 1 })).ok).toBe(true)
    await core.handlers.sendNow({})
    await new Promise((resolve) => setTimeout(resolve, 50))
    await core.close()
    expect(requests).toEqual([])
    expect(sha256(path)).toBe(hash)
  })

  it('exports every contact that still reads as CSV, and says part of the file could not be read', async () => {
    const { core, names } = await coreOnDamagedOutbox()
    const exported = await core.handlers.exportContacts(undefined)
    if (!exported.ok || exported.value.kind !== 'file') throw new Error('expected the CSV as a file')
    const { csv, count, complete, fileName } = exported.value
    expect(fileName).toBe('cloverhound-contacts-2025-01-15.csv')
    expect(complete).toBe(false)
    const rows = Papa.parse<Record<string, string>>(csv.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true })
    expect(rows.errors).toEqual([])
    expect(rows.data).toHaveLength(count)
    expect(count).toBeGreaterThan(names.length / 2)
    const exportedNames = rows.data.map((row) => row['Full name'])
    expect(exportedNames[0]).toBe(names[0])
    expect(exportedNames.at(-1)).toBe(names.at(-1))
    expect(rows.data[0]).toMatchObject({ 'Phone numbers': '415 555 0132', State: 'queued', 'Organization ID': '42' })
  })
})
