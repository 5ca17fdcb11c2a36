/**
 * "Copy diagnostics" against the real core: a temp data folder, real SQLite, the in-memory keychain.
 * The report says what support needs and never repeats a key, a header or anything from a contact.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { diagnosticsReportSchema, RECENT_ERROR_LIMIT, type DiagnosticsReport } from '../../src/shared/diagnostics.ts'
import { createAppCore, type AppCore, type CoreOptions } from '../../src/main/core/app-core.ts'
import type { Logger } from '../../src/main/core/logger.ts'
import { SCHEMA_VERSION } from '../../src/main/core/outbox/migrations.ts'
import { KeychainUnavailableError, MemorySecretStore, type SecretStore } from '../../src/main/core/secret-store.ts'

const T0 = Date.UTC(2025, 0, 15, 9, 30)
const KEY = 'correct-horse-battery-staple'
const KEY_ID = 'support-desk-key'
const BASIC = Buffer.from(`${KEY_ID}:${KEY}`).toString('base64')
const CONTACT = {
  fullName: 'Ada Lovelace',
  email: 'ada.lovelace@example.org',
  description: 'Prefers tea; met at the Analytical Engine demo',
  phones: [{ number: '(415) 555-0132' }],
  country: 'US',
}
/** Every string the report must not contain, in any case. */
const FORBIDDEN = [
  KEY,
  BASIC,
  KEY_ID,
  'Ada',
  'Lovelace',
  CONTACT.email,
  CONTACT.description,
  'Analytical Engine',
  '(415) 555-0132',
  '415 555 0132',
  '4155550132',
  '+14155550132',
]

const folders: string[] = []
const cores: AppCore[] = []

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

function quietLogger() {
  return { info: vi.fn<Logger['info']>(), warn: vi.fn<Logger['warn']>(), error: vi.fn<Logger['error']>() }
}

async function openCore(options: Partial<CoreOptions> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cloverhound-diagnostics-'))
  folders.push(dataDir)
  const logger = quietLogger()
  const core = await createAppCore({
    dataDir,
    secrets: new MemorySecretStore(),
    // Never answers: a contact stays `sending` until close, which is all these tests need.
    fetch: (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))),
    emit: () => {},
    logger,
    now: () => T0,
    versions: {
      app: '1.4.2',
      electron: '38.1.0',
      chrome: '140.0.7339.41',
      node: '22.19.0',
      os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
    },
    stopGraceMs: 10,
    ...options,
  })
  cores.push(core)
  return { core, logger }
}

async function diagnostics(core: AppCore): Promise<DiagnosticsReport> {
  const result = await core.handlers.getDiagnostics(undefined)
  if (!result.ok) throw new Error(result.error.message)
  return diagnosticsReportSchema.parse(result.value)
}

function expectNoneOf(forbidden: readonly string[], report: DiagnosticsReport): void {
  const all = JSON.stringify(report).toLowerCase()
  for (const value of forbidden) expect(all, `the report contains "${value}"`).not.toContain(value.toLowerCase())
  // JSON escapes nothing in these values, but the text is checked as the user will paste it too.
  for (const value of forbidden) expect(report.text.toLowerCase()).not.toContain(value.toLowerCase())
}

describe('diagnostics', () => {
  it('never contains the key, an Authorization header or the contact, even when errors mention them', async () => {
    const { core, logger } = await openCore()
    const saved = await core.handlers.saveSettings({
      baseUrl: 'https://api.example.test/tenant-7/',
      organizationId: 42,
      apiKeyId: KEY_ID,
      apiKey: KEY,
    })
    expect(saved.ok).toBe(true)
    const contact = await core.handlers.saveContact(CONTACT)
    expect(contact.ok).toBe(true)

    // Errors as careless code might log them: contact data and secrets in the message and the details.
    core.logger.error(`Could not send Ada Lovelace <${CONTACT.email}> at (415) 555-0132`, {
      fullName: CONTACT.fullName,
      email: CONTACT.email,
      phone: '+14155550132',
    })
    core.logger.warn(`Request refused; sent Authorization: Basic ${BASIC}`, { header: `Basic ${BASIC}` })
    core.logger.error(`The keychain returned ${KEY} for ${KEY_ID}`, { detail: `apiKey=${KEY}`, value: KEY })
    core.logger.warn('Lovelace: server said the description was too long', {
      note: CONTACT.description,
      national: '415 555 0132',
      digits: '4155550132',
      first: 'Ada',
    })
    core.logger.error('Command failed', { command: 'saveContact', error: 'TypeError' })

    const report = await diagnostics(core)

    expectNoneOf(FORBIDDEN, report)
    expect(report.report.recentErrors).toHaveLength(5)
    expect(report.report.recentErrors.at(-1)).toEqual({
      at: new Date(T0).toISOString(),
      level: 'error',
      message: 'Command failed',
      details: { command: 'saveContact', error: 'TypeError' },
    })
    expect(report.text).toContain('Command failed (command=saveContact, error=TypeError)')
    // The injected logger still got every call as it was made: the buffer is a copy, not a detour.
    expect(logger.error).toHaveBeenCalledTimes(3)
    expect(logger.warn).toHaveBeenCalledTimes(2)
  })

  it('reports versions, the connection without its path, counts, the sync state and the schema', async () => {
    const { core } = await openCore()
    const profile = { baseUrl: 'https://api.example.test:8443/tenant-7/', organizationId: 42, apiKeyId: KEY_ID }
    // The key comes last, so the discard happens before the worker picks the contacts up.
    await core.handlers.saveSettings({ ...profile, flagAfterDays: 3 })
    for (let i = 0; i < 2; i++) await core.handlers.saveContact({ ...CONTACT, fullName: `Contact ${i}` })
    const discarded = await core.handlers.saveContact(CONTACT)
    if (!discarded.ok) throw new Error(discarded.error.message)
    await core.handlers.discardOutboxItem({ id: discarded.value.id })
    await core.handlers.saveSettings({ ...profile, apiKey: KEY })
    // The worker reads the new key in the background; the report is about the state once it has.
    while (core.worker.inFlight === 0) await new Promise((resolve) => setImmediate(resolve))

    const { report, text } = await diagnostics(core)

    expect(report).toMatchObject({
      generatedAt: new Date(T0).toISOString(),
      app: { version: '1.4.2' },
      runtime: {
        electron: '38.1.0',
        chrome: '140.0.7339.41',
        node: '22.19.0',
        platform: 'linux',
        osRelease: '6.8.0',
        arch: 'x64',
      },
      connection: {
        configured: true,
        host: 'api.example.test:8443',
        organizationId: 42,
        hasApiKey: true,
        keychainAvailable: true,
      },
      retention: { flagAfterDays: 3, keepHistoryDays: 30 },
      storage: { outboxSchemaVersion: SCHEMA_VERSION, settingsFileVersion: 2 },
      recentErrors: [],
    })
    expect(report.outbox?.counts.discarded).toBe(1)
    expect(report.outbox!.counts.queued + report.outbox!.counts.sending).toBe(2)
    expect(report.outbox?.syncState).toBe('running')
    expect(text).not.toContain('tenant-7')
    expect(text).toContain('App version: 1.4.2')
    expect(text).toContain('API host: api.example.test:8443')
    expect(text).toContain('Organization ID: 42')
    expect(text).toContain('API key stored: yes')
    expect(text).toContain('System keychain available: yes')
    expect(text).toContain('Flag unsent contacts after: 3 days')
    expect(text).toContain(`Data folder: outbox schema ${SCHEMA_VERSION}, settings file version 2`)
    expect(text).toContain('Recent errors: none')
    expectNoneOf(FORBIDDEN, { text, report })
  })

  it('says when nothing is set up, and fills in Node and the OS itself when the host did not', async () => {
    const { core } = await openCore({ versions: undefined })
    const { report, text } = await diagnostics(core)
    expect(report.app.version).toBeNull()
    expect(report.runtime).toMatchObject({ electron: null, node: process.versions.node, platform: process.platform })
    expect(report.connection).toMatchObject({ configured: false, host: null, hasApiKey: false })
    expect(text).toContain('App version: unknown')
    expect(text).toContain('Electron: not running in Electron')
    expect(text).toContain('API host: not set')
  })

  it('says the keychain is unavailable, and still redacts without being able to read the key', async () => {
    const locked: SecretStore = {
      get: async () => {
        throw new KeychainUnavailableError('No system keychain was found.')
      },
      set: async () => {
        throw new KeychainUnavailableError('No system keychain was found.')
      },
      delete: async () => {},
    }
    const { core } = await openCore({ secrets: locked })
    await core.handlers.saveSettings({ baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: KEY_ID })
    await core.handlers.saveContact(CONTACT)
    core.logger.error('Keychain failed while sending Ada Lovelace', { email: CONTACT.email })

    const result = await diagnostics(core)
    expect(result.report.connection).toMatchObject({ hasApiKey: false, keychainAvailable: false })
    expect(result.text).toContain('System keychain available: no')
    expectNoneOf(['Ada', 'Lovelace', CONTACT.email], result)
  })

  it(`keeps only the last ${RECENT_ERROR_LIMIT} warnings and errors, oldest first, and no info lines`, async () => {
    const { core } = await openCore()
    for (let i = 1; i <= 25; i++) core.logger.warn(`Warning number ${i}`)
    core.logger.info('Just information')

    const { report } = await diagnostics(core)
    expect(report.recentErrors.map((entry) => entry.message)).toEqual(
      Array.from({ length: RECENT_ERROR_LIMIT }, (_, i) => `Warning number ${i + 6}`),
    )
  })

  it('also keeps the warnings the core logs on its own', async () => {
    const { core } = await openCore()
    // A handler that fails unexpectedly logs "Command failed" through the wrapped logger.
    vi.spyOn(core.outbox, 'page').mockImplementationOnce(() => {
      throw new Error('disk on fire')
    })
    const listed = await core.handlers.listOutbox({ filter: 'all', limit: 10 })
    expect(listed.ok).toBe(false)

    const { report } = await diagnostics(core)
    expect(report.recentErrors).toEqual([
      expect.objectContaining({
        level: 'error',
        message: 'Command failed',
        details: { command: 'listOutbox', error: 'Error' },
      }),
    ])
  })
})
