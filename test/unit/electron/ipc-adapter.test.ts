import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { WebContents, WebFrameMain } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ok, type Result } from '../../../src/shared/app-error.ts'
import {
  commandChannel,
  commandNames,
  eventChannel,
  type CommandHandlers,
} from '../../../src/shared/bridge-contract.ts'
import type { ContactDraft } from '../../../src/shared/contact.ts'
import type { DiagnosticsReport } from '../../../src/shared/diagnostics.ts'
import type { OutboxItem } from '../../../src/shared/outbox-schemas.ts'
import type { ConnectionTest, SettingsView } from '../../../src/shared/settings.ts'
import { isAppPageUrl, resolveAppPage } from '../../../src/main/core/app-page.ts'
import { createAppCore } from '../../../src/main/core/app-core.ts'
import { silentLogger } from '../../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../../src/main/core/secret-store.ts'
import { syncStatus } from '../../support/sync-status.ts'

type InvokeListener = (event: unknown, ...args: unknown[]) => unknown

const fakeIpcMain = vi.hoisted(() => {
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => unknown>()
  /** ipcMain.on listeners, which only a library (electron-log) adds. */
  const onListeners = new Map<string, Array<(...args: unknown[]) => void>>()
  return {
    listeners,
    onListeners,
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      onListeners.set(channel, [...(onListeners.get(channel) ?? []), listener])
    },
    removeAllListeners: (channel: string) => {
      onListeners.delete(channel)
    },
    handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) => {
      // Electron throws on a second handler for one channel; so does the fake.
      if (listeners.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
      listeners.set(channel, listener)
    },
    removeHandler: (channel: string) => {
      listeners.delete(channel)
    },
  }
})
vi.mock('electron', () => ({ ipcMain: fakeIpcMain }))

const { TOO_MANY_REQUESTS, closeUncheckedChannel, registerIpcHandlers, sendEventToWindows } =
  await import('../../../src/main/ipc-adapter.ts')
const { BRIDGE_RATE_LIMITS, DEFAULT_RATE_LIMIT } = await import('../../../src/main/core/bridge-rate-limits.ts')

const page = resolveAppPage({ isPackaged: true, devServerUrl: undefined })
const appUrl = 'app://bundle/index.html'
const isTrustedSender = (frame: WebFrameMain) => isAppPageUrl(page, frame.url)

interface FakeFrame {
  url: string
  parent: FakeFrame | null
  detached: boolean
}

function frame(url = appUrl, parent: FakeFrame | null = null): FakeFrame {
  return { url, parent, detached: false }
}

const view: SettingsView = {
  profile: {
    baseUrl: 'https://cloud-staging.cloverhound.com',
    organizationId: 7,
    apiKeyId: 'key-id',
    deduplicatesRetries: false,
  },
  configured: true,
  hasApiKey: true,
  keyStorage: 'keychain',
  keychain: { available: true },
  retention: { flagAfterDays: 7, keepHistoryDays: 30 },
  activeProfileId: 'default',
  profiles: [{ id: 'default', name: 'Organization 7', organizationId: 7, host: 'cloud-staging.cloverhound.com' }],
}

const item: OutboxItem = {
  id: '00000000-0000-4000-8000-000000000001',
  seq: 1,
  state: 'queued',
  draft: { fullName: 'Ada Lovelace', email: '', description: '', phones: [] },
  target: { baseUrl: 'https://cloud-staging.cloverhound.com', organizationId: 7 },
  attempts: 0,
  nextAttemptAt: '2030-01-01T00:00:00.000Z',
  lastError: null,
  fieldErrors: null,
  contact: null,
  overdue: false,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
}

const status = syncStatus({}, { queued: 1 })

const diagnostics: DiagnosticsReport = {
  text: 'Cloverhound Contacts diagnostics\n',
  report: {
    generatedAt: '2030-01-01T00:00:00.000Z',
    app: { version: '0.1.0' },
    runtime: { electron: null, chrome: null, node: '24.0.0', platform: 'linux', osRelease: '6.0', arch: 'x64' },
    connection: null,
    outbox: null,
    retention: { flagAfterDays: 7, keepHistoryDays: 30 },
    storage: { outboxSchemaVersion: 1, settingsFileVersion: 1 },
    recentErrors: [],
  },
}

const noDraft = { draft: null, savedAt: null, phoneCountry: null, problem: null }
const connectionTest: ConnectionTest = {
  verdict: 'working',
  message: 'Connection works.',
  host: 'cloud-staging.cloverhound.com',
  organizationId: 7,
  testedAt: '2030-01-01T00:00:00.000Z',
}

function fakeHandlers() {
  return {
    getSettings: vi.fn(async (_input: unknown): Promise<Result<SettingsView>> => ok(view)),
    saveSettings: vi.fn(async (_input: unknown): Promise<Result<SettingsView>> => ok(view)),
    removeApiKey: vi.fn(async (_input: unknown): Promise<Result<SettingsView>> => ok(view)),
    saveContact: vi.fn(async (_input: unknown) => ok(item)),
    listOutbox: vi.fn(async (_input: unknown) => ok({ items: [item], nextBefore: null, total: 1 })),
    getOutboxItem: vi.fn(async (_input: unknown) => ok(item)),
    getOutboxItems: vi.fn(async (_input: unknown) => ok({ items: [item] })),
    getSyncStatus: vi.fn(async (_input: unknown) => ok(status)),
    sendNow: vi.fn(async (_input: unknown) => ok(status)),
    updateOutboxItem: vi.fn(async (_input: unknown) => ok(item)),
    sendAgain: vi.fn(async (_input: unknown) => ok(item)),
    markAsSent: vi.fn(async (_input: unknown) => ok(item)),
    discardOutboxItem: vi.fn(async (_input: unknown) => ok(item)),
    restoreOutboxItem: vi.fn(async (_input: unknown) => ok(item)),
    reportConnectivity: vi.fn(async (_input: unknown) => ok(status)),
    getDiagnostics: vi.fn(async (_input: unknown) => ok(diagnostics)),
    getOutboxAccess: vi.fn(async (_input: unknown) => ok({ readOnly: false, message: null })),
    exportContacts: vi.fn(async (_input: unknown) => ok({ kind: 'cancelled' as const })),
    listOutboxAttempts: vi.fn(async (_input: unknown) => ok({ attempts: [], total: 0 })),
    countOutboxBulk: vi.fn(async (_input: unknown) =>
      ok({ sendAgain: 0, markAsSent: 0, retarget: 0, discard: 0, restore: 0 }),
    ),
    applyOutboxBulk: vi.fn(async (_input: unknown) =>
      ok({ done: [], skipped: 0, nextBefore: null, message: 'No contacts needed this.' }),
    ),
    getDraft: vi.fn(async (_input: unknown) => ok(noDraft)),
    saveDraft: vi.fn(async (_input: unknown) => ok(noDraft)),
    discardDraft: vi.fn(async (_input: unknown) => ok(noDraft)),
    undoMarkAsSent: vi.fn(async (_input: unknown) => ok(item)),
    testConnection: vi.fn(async (_input: unknown) => ok(connectionTest)),
    findDuplicates: vi.fn(async (_input: unknown) => ok({ keys: [] })),
    findDuplicatesOfMany: vi.fn(async (_input: unknown) => ok({ matches: [] })),
    switchProfile: vi.fn(async (_input: unknown) => ok(view)),
    manageProfile: vi.fn(async (_input: unknown) => ok(view)),
    openCsvFile: vi.fn(async (_input: unknown) => ok({ kind: 'cancelled' as const })),
    parseCsvFile: vi.fn(async (_input: unknown) =>
      ok({ fileName: 'a.csv', encoding: 'utf-8' as const, delimiter: ',', headers: ['Name'], rows: [] }),
    ),
    importContacts: vi.fn(async (_input: unknown) => ok({ count: 0 })),
    saveCsvRows: vi.fn(async (_input: unknown) => ok({ kind: 'cancelled' as const })),
  } satisfies CommandHandlers
}

/** The window (WebContents) a call comes from: Electron puts it on every event; rate limits count per window. */
const appWindow = { id: 1 }

/** Calls a channel the way Electron would: (event, ...args). A throw here fails the test. */
async function invoke(channel: string, event: { senderFrame: FakeFrame | null; sender?: object }, ...args: unknown[]) {
  const listener = fakeIpcMain.listeners.get(channel) as InvokeListener | undefined
  if (!listener) throw new Error(`no handler for ${channel}`)
  return (await listener({ sender: appWindow, ...event }, ...args)) as Result<unknown>
}

const draft: ContactDraft = {
  fullName: 'Ada Lovelace',
  email: 'ada@example.com',
  description: '',
  phones: [{ number: '+14155550132' }],
}

let dispose: (() => void) | undefined

afterEach(() => {
  dispose?.()
  dispose = undefined
  fakeIpcMain.listeners.clear()
})

describe('registerIpcHandlers', () => {
  it('registers one channel per contract command and dispose removes every one', () => {
    dispose = registerIpcHandlers(fakeHandlers(), { isTrustedSender })
    expect([...fakeIpcMain.listeners.keys()].sort()).toEqual(commandNames.map(commandChannel).sort())
    dispose()
    dispose = undefined
    expect(fakeIpcMain.listeners.size).toBe(0)
  })

  it('passes good input from the app page to the handler, parsed, and returns its result', async () => {
    const handlers = fakeHandlers()
    dispose = registerIpcHandlers(handlers, { isTrustedSender })
    const result = await invoke(commandChannel('saveContact'), { senderFrame: frame() }, { ...draft, extra: 'x' })
    expect(result).toEqual({ ok: true, value: item })
    // Parsed by the contract: unknown keys are gone before the handler sees the value.
    expect(handlers.saveContact).toHaveBeenCalledWith(draft)
  })

  it('accepts a query or hash on the app page URL', async () => {
    const handlers = fakeHandlers()
    dispose = registerIpcHandlers(handlers, { isTrustedSender })
    const result = await invoke(commandChannel('getSettings'), { senderFrame: frame(`${appUrl}?x=1#/settings`) })
    expect(result).toEqual({ ok: true, value: view })
  })

  describe('refuses a foreign sender without calling the handler', () => {
    const foreign: Array<[string, FakeFrame | null]> = [
      ['another origin', frame('https://evil.example/index.html')],
      ['a local file', frame(pathToFileURL(join(tmpdir(), 'out', 'renderer', 'index.html')).href)],
      ['another page of the bundle', frame('app://bundle/other.html')],
      ['another app:// host', frame('app://evil/index.html')],
      ['a sub-frame showing the app page', frame(appUrl, frame())],
      ['a sub-frame of another origin', frame('https://evil.example/', frame())],
      ['a gone frame (senderFrame null)', null],
      ['a detached frame', { ...frame(), detached: true }],
      ['an unparsable URL', frame('not a url')],
      ['about:blank', frame('about:blank')],
    ]
    it.each(foreign)('%s', async (_label, senderFrame) => {
      const handlers = fakeHandlers()
      dispose = registerIpcHandlers(handlers, { isTrustedSender })
      for (const name of commandNames) {
        const result = await invoke(commandChannel(name), { senderFrame }, draft)
        expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } })
        expect(handlers[name]).not.toHaveBeenCalled()
      }
    })

    it('a frame whose properties throw because it was disposed', async () => {
      const handlers = fakeHandlers()
      dispose = registerIpcHandlers(handlers, { isTrustedSender })
      const disposed = {
        get url(): string {
          throw new Error('Render frame was disposed before WebFrameMain could be accessed')
        },
        parent: null,
        detached: false,
      }
      const result = await invoke(commandChannel('getSettings'), { senderFrame: disposed })
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      expect(handlers.getSettings).not.toHaveBeenCalled()
    })

    it('a trust check that throws', async () => {
      const handlers = fakeHandlers()
      dispose = registerIpcHandlers(handlers, {
        isTrustedSender: () => {
          throw new Error('boom')
        },
      })
      const result = await invoke(commandChannel('getSettings'), { senderFrame: frame() })
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      expect(handlers.getSettings).not.toHaveBeenCalled()
    })

    it('an event with no senderFrame property at all', async () => {
      const handlers = fakeHandlers()
      dispose = registerIpcHandlers(handlers, { isTrustedSender })
      const listener = fakeIpcMain.listeners.get(commandChannel('getSettings')) as InvokeListener
      await expect(listener({})).resolves.toMatchObject({ ok: false, error: { code: 'bad_request' } })
      await expect(listener(undefined)).resolves.toMatchObject({ ok: false, error: { code: 'bad_request' } })
      expect(handlers.getSettings).not.toHaveBeenCalled()
    })
  })

  describe('refuses bad input with a typed bad_request, without calling the handler', () => {
    const proto = JSON.parse(`{"fullName":"A","email":"","description":"","phones":[],"__proto__":{"polluted":1}}`)
    const cases: Array<[string, string, unknown]> = [
      ['a non-object', 'saveContact', 'Ada Lovelace'],
      ['null', 'saveContact', null],
      ['an array', 'saveContact', [draft]],
      ['a number where text belongs', 'saveContact', { ...draft, fullName: 42 }],
      ['a missing field', 'saveContact', { fullName: 'Ada', email: '', description: '' }],
      ['a huge string', 'saveContact', { ...draft, description: 'x'.repeat(1_000_000) }],
      [
        'too many phone rows',
        'saveContact',
        { ...draft, phones: Array.from({ length: 500 }, () => ({ number: '1' })) },
      ],
      ['a phone row that is not an object', 'saveContact', { ...draft, phones: ['+14155550132'] }],
      [
        'a huge settings key',
        'saveSettings',
        { baseUrl: '', organizationId: 1, apiKeyId: 'a', apiKey: 'k'.repeat(100_000) },
      ],
      ['input to a command that takes none', 'getSettings', { anything: true }],
      ['a __proto__ key on settings', 'saveSettings', JSON.parse('{"__proto__":{"baseUrl":"x"}}')],
    ]
    it.each(cases)('%s', async (_label, name, input) => {
      const handlers = fakeHandlers()
      dispose = registerIpcHandlers(handlers, { isTrustedSender })
      const result = await invoke(
        commandChannel(name as (typeof commandNames)[number]),
        { senderFrame: frame() },
        input,
      )
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.any(String) } })
      for (const handler of Object.values(handlers)) expect(handler).not.toHaveBeenCalled()
    })

    it('strips a __proto__ key instead of passing it on, and pollutes nothing', async () => {
      const handlers = fakeHandlers()
      dispose = registerIpcHandlers(handlers, { isTrustedSender })
      await invoke(commandChannel('saveContact'), { senderFrame: frame() }, proto)
      const received = handlers.saveContact.mock.calls[0]?.[0]
      expect(received).toEqual({ fullName: 'A', email: '', description: '', phones: [] })
      expect(Object.getPrototypeOf(received)).toBe(Object.prototype)
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    })

    it('an unknown channel has no handler at all', () => {
      dispose = registerIpcHandlers(fakeHandlers(), { isTrustedSender })
      expect(fakeIpcMain.listeners.has('cloverhound:command:deleteEverything')).toBe(false)
    })
  })

  it('turns a handler that throws into a typed internal result', async () => {
    const handlers = fakeHandlers()
    handlers.getSettings.mockRejectedValueOnce(new Error('disk on fire'))
    dispose = registerIpcHandlers(handlers, { isTrustedSender, logger: silentLogger })
    const result = await invoke(commandChannel('getSettings'), { senderFrame: frame() })
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.any(String) } })
    expect(JSON.stringify(result)).not.toContain('disk on fire')
  })

  it('turns a handler that throws synchronously into a typed internal result', async () => {
    const handlers = fakeHandlers()
    handlers.removeApiKey.mockImplementationOnce(() => {
      throw new TypeError('not a promise')
    })
    dispose = registerIpcHandlers(handlers, { isTrustedSender })
    const result = await invoke(commandChannel('removeApiKey'), { senderFrame: frame() })
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } })
  })

  it('logs refusals and failures by command name only', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    const handlers = fakeHandlers()
    handlers.saveSettings.mockRejectedValueOnce(new Error('secret-value'))
    dispose = registerIpcHandlers(handlers, { isTrustedSender, logger })
    await invoke(commandChannel('getSettings'), { senderFrame: frame('https://evil.example/') })
    await invoke(
      commandChannel('saveSettings'),
      { senderFrame: frame() },
      { baseUrl: '', organizationId: 1, apiKeyId: '' },
    )
    expect(logger.warn).toHaveBeenCalledWith(expect.any(String), { command: 'getSettings' })
    expect(logger.error).toHaveBeenCalledWith(expect.any(String), { command: 'saveSettings', error: 'Error' })
    expect(JSON.stringify([logger.warn.mock.calls, logger.error.mock.calls])).not.toContain('secret-value')
  })
})

describe('the rate limit per command and window', () => {
  function limited() {
    let clock = 1_000_000
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    const handlers = fakeHandlers()
    dispose = registerIpcHandlers(handlers, { isTrustedSender, logger, now: () => clock })
    const call = (name: (typeof commandNames)[number], sender: object = appWindow, input?: unknown) =>
      invoke(commandChannel(name), { senderFrame: frame(), sender }, input)
    return { handlers, logger, call, advance: (ms: number) => (clock += ms), now: () => clock }
  }

  it('refuses a command past its burst with words and a time to retry, without calling the handler', async () => {
    const { handlers, call, now } = limited()
    const burst = BRIDGE_RATE_LIMITS.getDiagnostics?.burst ?? 0
    for (let i = 0; i < burst; i++) expect((await call('getDiagnostics')).ok).toBe(true)
    const refused = await call('getDiagnostics')
    expect(refused).toEqual({
      ok: false,
      error: { code: 'bad_request', message: TOO_MANY_REQUESTS, retryAt: expect.any(String) },
    })
    if (refused.ok) return
    expect(Date.parse(refused.error.retryAt ?? '')).toBeGreaterThan(now())
    expect(handlers.getDiagnostics).toHaveBeenCalledTimes(burst)
  })

  it('counts each command and each window on its own', async () => {
    const { call } = limited()
    const burst = BRIDGE_RATE_LIMITS.getDiagnostics?.burst ?? 0
    for (let i = 0; i < burst; i++) await call('getDiagnostics')
    expect((await call('getDiagnostics')).ok).toBe(false)
    expect((await call('getSettings')).ok).toBe(true)
    expect((await call('getDiagnostics', { id: 2 })).ok).toBe(true)
  })

  it('lets calls through again as the bucket refills', async () => {
    const { call, advance } = limited()
    const limit = BRIDGE_RATE_LIMITS.getDiagnostics ?? DEFAULT_RATE_LIMIT
    for (let i = 0; i < limit.burst; i++) await call('getDiagnostics')
    expect((await call('getDiagnostics')).ok).toBe(false)
    advance(1000 / limit.perSecond)
    expect((await call('getDiagnostics')).ok).toBe(true)
    expect((await call('getDiagnostics')).ok).toBe(false)
  })

  it('is far above real use: a fast paster saving, the outbox list refreshing thousands of rows', async () => {
    const { call, advance } = limited()
    // 20 contacts a second for a minute: faster than anyone pastes and saves.
    for (let second = 0; second < 60; second++) {
      for (let i = 0; i < 20; i++) expect((await call('saveContact', appWindow, draft)).ok).toBe(true)
      advance(1000)
    }
    // The list asks for every loaded row that changed at once, and pages while scrolling.
    const rows = await Promise.all(
      Array.from({ length: 5_000 }, () => call('getOutboxItem', appWindow, { id: item.id })),
    )
    expect(rows.every((row) => row.ok)).toBe(true)
    for (let page = 0; page < 100; page++) {
      expect((await call('listOutbox', appWindow, { filter: 'all', limit: 100 })).ok).toBe(true)
    }
  })

  it('logs once per run of refusals, so a loop cannot fill the log', async () => {
    const { call, logger, advance } = limited()
    const limit = BRIDGE_RATE_LIMITS.getDiagnostics ?? DEFAULT_RATE_LIMIT
    for (let i = 0; i < limit.burst + 50; i++) await call('getDiagnostics')
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith(expect.any(String), { command: 'getDiagnostics' })
    advance(1000 / limit.perSecond)
    await call('getDiagnostics')
    await call('getDiagnostics')
    expect(logger.warn).toHaveBeenCalledTimes(2)
  })
})

describe('registerIpcHandlers with the real core', () => {
  let dataDir: string

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ipc-adapter-'))
  })
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('saves settings and reads them back through the channels, never returning the key', async () => {
    const emitted: Array<[string, unknown]> = []
    const core = await createAppCore({
      dataDir,
      secrets: new MemorySecretStore(),
      fetch: async () => {
        throw new Error('no network in this test')
      },
      emit: (event, payload) => emitted.push([event, payload]),
      logger: silentLogger,
    })
    dispose = registerIpcHandlers(core.handlers, { isTrustedSender })
    const sender = { senderFrame: frame() }

    const saved = await invoke(commandChannel('saveSettings'), sender, {
      baseUrl: 'https://cloud-staging.cloverhound.com/',
      organizationId: '42',
      apiKeyId: 'key-id',
      apiKey: 'super-secret-key',
    })
    expect(saved).toMatchObject({ ok: true, value: { configured: true, hasApiKey: true } })
    const read = await invoke(commandChannel('getSettings'), sender)
    expect(read).toMatchObject({ ok: true, value: { profile: { organizationId: 42, apiKeyId: 'key-id' } } })
    expect(JSON.stringify([saved, read, emitted])).not.toContain('super-secret-key')
    expect(emitted.filter(([event]) => event === 'settingsChanged')).toHaveLength(1)

    const invalid = await invoke(commandChannel('saveContact'), sender, { ...draft, fullName: '   ' })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid', fields: { fullName: [expect.any(String)] } } })
    await core.close()
  })
})

describe('sendEventToWindows', () => {
  function contents(url: string, options: { destroyed?: boolean; sendThrows?: boolean } = {}) {
    return {
      isDestroyed: () => options.destroyed ?? false,
      mainFrame: frame(url),
      send: vi.fn(() => {
        if (options.sendThrows) throw new Error('Object has been destroyed')
      }),
    }
  }

  it('sends the payload on the event channel to live app windows only', () => {
    const app = contents(appUrl)
    const other = contents('https://evil.example/')
    const gone = contents(appUrl, { destroyed: true })
    const crashing = contents(appUrl, { sendThrows: true })
    const targets = [app, other, gone, crashing] as unknown as WebContents[]
    expect(() => sendEventToWindows(targets, isTrustedSender, 'settingsChanged', view)).not.toThrow()
    expect(app.send).toHaveBeenCalledWith(eventChannel('settingsChanged'), view)
    expect(other.send).not.toHaveBeenCalled()
    expect(gone.send).not.toHaveBeenCalled()
  })
})

describe('closeUncheckedChannel', () => {
  it('removes every listener and handler a library opened on a channel outside the contract', () => {
    fakeIpcMain.on('__ELECTRON_LOG__', () => {})
    fakeIpcMain.handle('__ELECTRON_LOG__', () => ({}))
    closeUncheckedChannel('__ELECTRON_LOG__')
    expect(fakeIpcMain.onListeners.has('__ELECTRON_LOG__')).toBe(false)
    expect(fakeIpcMain.listeners.has('__ELECTRON_LOG__')).toBe(false)
  })
})
