import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { APP_ID } from '../../../src/main/core/app-id.ts'
import { CORE_GONE } from '../../../src/main/core/host/connect-core.ts'
import { eventChannel } from '../../../src/shared/bridge-names.ts'
import { fakeNetFetch, type NetFetch } from '../../support/fake-net-fetch.ts'

type Listener = (...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const order: string[] = []
  const appListeners = new Map<string, Listener>()
  const windows: Array<Record<string, unknown>> = []
  const windowListeners = new Map<string, Listener>()
  let ready: () => void = () => {}
  const app = {
    isPackaged: true,
    requestSingleInstanceLock: vi.fn(() => true),
    setAppUserModelId: vi.fn(),
    enableSandbox: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
    getPath: vi.fn((name: string) => `/data/${name}`),
    getVersion: vi.fn(() => '1.2.3'),
    name: 'Cloverhound Contacts',
    on: vi.fn((event: string, listener: Listener) => appListeners.set(event, listener)),
    whenReady: vi.fn(() => new Promise<void>((resolve) => (ready = resolve))),
  }
  const core = {
    handlers: { getSettings: vi.fn(), switchProfile: vi.fn() },
    close: vi.fn(async () => order.push('core.close')),
    closeNow: vi.fn(() => order.push('core.closeNow')),
  }
  const powerListeners = new Map<string, Listener>()
  const updates = { checkAtStartup: vi.fn(async () => {}), checkFromMenu: vi.fn(async () => {}) }
  return {
    order,
    windowListeners,
    powerListeners,
    powerMonitor: { on: vi.fn((event: string, listener: Listener) => powerListeners.set(event, listener)) },
    updates,
    createUpdates: vi.fn((_options: unknown) => updates),
    installAppMenu: vi.fn((_options: unknown) => order.push('installAppMenu')),
    runSelfCheck: vi.fn(async (_targets: unknown): Promise<Array<{ name: string; ok: boolean; detail: string }>> => [
      { name: 'window', ok: true, detail: 'shown' },
    ]),
    appListeners,
    windows,
    app,
    core,
    ready: () => ready(),
    net: { fetch: vi.fn<NetFetch>() },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) },
    BrowserWindow: { getAllWindows: vi.fn(() => windows), getFocusedWindow: vi.fn(() => null) },
    startCoreProcess: vi.fn(async (_outDir: string, _options: unknown) => {
      order.push('startCoreProcess')
      return core
    }),
    disposeIpc: vi.fn(() => order.push('disposeIpc')),
    registerIpcHandlers: vi.fn((..._args: unknown[]) => {
      order.push('registerIpcHandlers')
      return fake.disposeIpc
    }),
    sendEventToWindows: vi.fn(),
    logger: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    createMainLogger: vi.fn(() => fake.logger),
    registerAppScheme: vi.fn(() => order.push('registerAppScheme')),
    handleAppProtocol: vi.fn((_rootDir: string, _reloadUrl?: string) => order.push('handleAppProtocol')),
    applySecurityPolicy: vi.fn((_page: unknown, _options: unknown) => order.push('applySecurityPolicy')),
    createMainWindow: vi.fn((_options: unknown) => {
      order.push('createMainWindow')
      const window = { on: vi.fn((event: string, listener: Listener) => windowListeners.set(event, listener)) }
      return window
    }),
    KeytarSecretStore: vi.fn(function (this: { service: string }, service: string) {
      this.service = service
    }),
  }
})

vi.mock('electron', () => ({
  app: fake.app,
  BrowserWindow: fake.BrowserWindow,
  dialog: fake.dialog,
  net: fake.net,
  powerMonitor: fake.powerMonitor,
}))
vi.mock('../../../src/main/app-menu.ts', () => ({ installAppMenu: fake.installAppMenu }))
vi.mock('../../../src/main/updates.ts', () => ({ createUpdates: fake.createUpdates }))
vi.mock('../../../src/main/self-check.ts', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  runSelfCheck: fake.runSelfCheck,
}))
vi.mock('../../../src/main/core-process-host.ts', () => ({ startCoreProcess: fake.startCoreProcess }))
vi.mock('../../../src/main/core/keytar-secret-store.ts', () => ({ KeytarSecretStore: fake.KeytarSecretStore }))
vi.mock('../../../src/main/ipc-adapter.ts', async (importOriginal) => ({
  ...(await importOriginal<Record<string, unknown>>()),
  registerIpcHandlers: fake.registerIpcHandlers,
}))
vi.mock('../../../src/main/security-policy.ts', () => ({ applySecurityPolicy: fake.applySecurityPolicy }))
vi.mock('../../../src/main/main-window.ts', () => ({ createMainWindow: fake.createMainWindow }))
vi.mock('../../../src/main/log.ts', () => ({ createMainLogger: fake.createMainLogger }))
vi.mock('../../../src/main/app-protocol.ts', () => ({
  registerAppScheme: fake.registerAppScheme,
  handleAppProtocol: fake.handleAppProtocol,
}))

async function start(options: { lock?: boolean; ready?: boolean } = {}) {
  vi.resetModules()
  fake.order.length = 0
  fake.appListeners.clear()
  fake.powerListeners.clear()
  fake.windowListeners.clear()
  fake.windows.length = 0
  fake.app.requestSingleInstanceLock.mockReturnValue(options.lock ?? true)
  await import('../../../src/main/index.ts')
  if (options.ready ?? true) {
    fake.ready()
    await vi.waitFor(() => expect(fake.order).toContain('createMainWindow'))
  }
}

/** What main gave startCoreProcess for the core. */
function coreOptions(): unknown {
  return fake.startCoreProcess.mock.calls[0]?.[1]
}

function appEvent(name: string, ...args: unknown[]): unknown {
  const listener = fake.appListeners.get(name)
  if (!listener) throw new Error(`the app does not listen to ${name}`)
  return listener(...args)
}

function fakeWindow(options: { minimized?: boolean; url?: string } = {}) {
  const contents = { isDestroyed: () => false, mainFrame: { url: options.url ?? 'about:blank' }, send: vi.fn() }
  const window = {
    isDestroyed: () => false,
    isMinimized: () => options.minimized ?? false,
    restore: vi.fn(),
    show: vi.fn(),
    focus: vi.fn(),
    webContents: contents,
  }
  fake.windows.push(window)
  return window
}

beforeEach(() => {
  fake.app.isPackaged = true
  // Through Node's fetch, failing and refusing redirects the way Electron's net.fetch does.
  fake.net.fetch.mockImplementation(fakeNetFetch().fetch)
  vi.unstubAllEnvs()
})

describe('the composition root', () => {
  it('quits at once, touching nothing, when another instance holds the lock', async () => {
    await start({ lock: false, ready: false })
    expect(fake.app.quit).toHaveBeenCalled()
    expect(fake.app.whenReady).not.toHaveBeenCalled()
    expect(fake.startCoreProcess).not.toHaveBeenCalled()
  })

  it('hardens, sets its own menu, builds the core, opens the bridge, and only then opens the window', async () => {
    await start()
    expect(fake.app.setAppUserModelId).toHaveBeenCalledWith(APP_ID)
    expect(fake.app.enableSandbox).toHaveBeenCalled()
    expect(fake.order).toEqual([
      'registerAppScheme',
      'applySecurityPolicy',
      'handleAppProtocol',
      'installAppMenu',
      'startCoreProcess',
      'registerIpcHandlers',
      'createMainWindow',
    ])
  })

  it('registers the app: scheme before the app is ready', async () => {
    await start({ ready: false })
    expect(fake.order).toEqual(['registerAppScheme'])
    fake.ready()
    await vi.waitFor(() => expect(fake.order).toContain('createMainWindow'))
  })

  it('serves app: from the built renderer folder next to out/main, its error page reloading the bundle', async () => {
    await start()
    expect(fake.handleAppProtocol).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/[\\/]renderer$/),
      'app://bundle/index.html',
    )
  })

  it('in development loads the dev server, and app: serves only the error page that reloads it', async () => {
    fake.app.isPackaged = false
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    try {
      await start()
    } finally {
      vi.unstubAllEnvs()
    }
    expect(fake.handleAppProtocol).toHaveBeenCalledWith(expect.any(String), 'http://localhost:5173/')
    const options = fake.createMainWindow.mock.calls[0]?.[0] as { page: { kind: string }; devTools: boolean }
    expect(options.page.kind).toBe('dev-server')
    expect(options.devTools).toBe(true)
  })

  it('turns the developer tools off in a packaged build', async () => {
    await start()
    expect(fake.createMainWindow.mock.calls[0]?.[0]).toMatchObject({ devTools: false })
  })

  it('logs through the redacting electron-log logger everywhere', async () => {
    await start()
    expect(fake.createMainLogger).toHaveBeenCalledTimes(1)
    expect(fake.applySecurityPolicy).toHaveBeenCalledWith(expect.anything(), { logger: fake.logger })
    expect(coreOptions()).toMatchObject({ logger: fake.logger })
    expect(fake.createMainWindow.mock.calls[0]?.[0]).toMatchObject({ logger: fake.logger })
  })

  it('starts the core’s process from out/main with the user data folder; main keeps the keychain and sends through net.fetch', async () => {
    await start()
    const outDir = fake.startCoreProcess.mock.calls[0]?.[0]
    const options = coreOptions() as {
      core: { dataDir: string }
      secrets: { service: string }
      fetch: (input: string, init: RequestInit) => Promise<Response>
    }
    expect(outDir).toMatch(/[\\/]main$/)
    expect(options.core.dataDir).toBe('/data/userData')
    expect(options.secrets.service).toBe(APP_ID)
    // Main sends the core's requests, through net.fetch.
    const server = createServer((request, response) => response.writeHead(201).end(request.method))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/1/contacts`
      const response = await options.fetch(url, { method: 'POST' })
      expect([response.status, await response.text()]).toEqual([201, 'POST'])
      expect(fake.net.fetch).toHaveBeenCalledWith(url, { method: 'POST' })
    } finally {
      server.close()
    }
  })

  it('says in a dialog when the core’s process ends unexpectedly', async () => {
    await start()
    fake.dialog.showErrorBox.mockClear()
    const { onGone } = coreOptions() as { onGone: (detail: string) => void }
    onGone('exit code 134')
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith('Cloverhound Contacts must be restarted', CORE_GONE)
  })

  it('lists the profiles by name in the Profile menu, and builds it again when the settings change', async () => {
    fake.installAppMenu.mockClear()
    await start()
    const menus = () => fake.installAppMenu.mock.calls.map((call) => (call[0] as { profiles: unknown[] }).profiles)
    expect(menus()).toEqual([[]])
    const { emit } = coreOptions() as { emit: (event: string, payload: unknown) => void }
    emit('settingsChanged', {
      activeProfileId: 'staging',
      profiles: [
        { id: 'default', name: 'Acme — production' },
        { id: 'staging', name: 'Acme — staging' },
      ],
    })
    expect(menus().at(-1)).toEqual([
      { id: 'default', name: 'Acme — production', active: false },
      { id: 'staging', name: 'Acme — staging', active: true },
    ])
    const { switchProfile } = fake.installAppMenu.mock.calls.at(-1)?.[0] as { switchProfile(id: string): void }
    fake.core.handlers.switchProfile.mockResolvedValue({ ok: true })
    switchProfile('default')
    expect(fake.core.handlers.switchProfile).toHaveBeenCalledWith({ id: 'default' })
  })

  it('tells the core the app, Electron, Chrome and Node versions for diagnostics', async () => {
    await start()
    const options = coreOptions() as { core: { versions: Record<string, unknown> } }
    expect(options.core.versions).toEqual({
      app: '1.2.3',
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
    })
  })

  it('points the window at the CommonJS preload and the built page', async () => {
    await start()
    const options = fake.createMainWindow.mock.calls[0]?.[0] as { preloadPath: string; page: { kind: string } }
    expect(options.preloadPath).toMatch(/[\\/]preload[\\/]index\.cjs$/)
    expect(options.page).toEqual({ kind: 'bundle', url: 'app://bundle/index.html', origin: 'app://bundle' })
  })

  it('emits core events to the app windows on the event channel', async () => {
    await start()
    const { emit } = coreOptions() as { emit: (event: string, payload: unknown) => void }
    const appPage = fake.createMainWindow.mock.calls[0]?.[0] as { page: { url: string } }
    const ours = fakeWindow({ url: appPage.page.url })
    const foreign = fakeWindow({ url: 'https://evil.example/' })
    emit('settingsChanged', { configured: true })
    expect(ours.webContents.send).toHaveBeenCalledWith(eventChannel('settingsChanged'), { configured: true })
    expect(foreign.webContents.send).not.toHaveBeenCalled()
  })

  it('focuses the existing window when a second copy starts', async () => {
    await start()
    const window = fakeWindow({ minimized: true })
    appEvent('second-instance')
    expect(window.restore).toHaveBeenCalled()
    expect(window.focus).toHaveBeenCalled()
  })

  it('quits when the last window closes, except on macOS', async () => {
    await start()
    fake.app.quit.mockClear()
    appEvent('window-all-closed')
    expect(fake.app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1)
  })

  it('re-creates the window on activate when none is open', async () => {
    await start()
    fake.createMainWindow.mockClear()
    appEvent('activate')
    expect(fake.createMainWindow).toHaveBeenCalledTimes(1)
    fakeWindow()
    appEvent('activate')
    expect(fake.createMainWindow).toHaveBeenCalledTimes(1)
  })

  it('holds the quit until the core has closed, then quits once', async () => {
    await start()
    fake.app.quit.mockClear()
    const first = { preventDefault: vi.fn() }
    appEvent('before-quit', first)
    expect(first.preventDefault).toHaveBeenCalled()
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalledTimes(1))
    expect(fake.order.slice(-2)).toEqual(['disposeIpc', 'core.close'])

    const second = { preventDefault: vi.fn() }
    appEvent('before-quit', second)
    expect(second.preventDefault).not.toHaveBeenCalled()
    expect(fake.core.close).toHaveBeenCalledTimes(1)
  })

  it('says so and exits when start-up fails', async () => {
    fake.startCoreProcess.mockRejectedValueOnce(new Error('EACCES'))
    await start({ ready: false })
    fake.ready()
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1))
    expect(fake.dialog.showErrorBox).toHaveBeenCalled()
    expect(fake.createMainWindow).not.toHaveBeenCalled()
  })

  it('on a system shutdown closes the outbox at once, without waiting, and lets the quit go on', async () => {
    await start()
    fake.app.quit.mockClear()
    fake.order.length = 0
    fake.powerListeners.get('shutdown')?.()
    // Synchronously: nothing is left for a promise to finish when the OS ends the process.
    expect(fake.order).toEqual(['disposeIpc', 'core.closeNow'])
    expect(fake.app.quit).toHaveBeenCalledTimes(1)
    const quitting = { preventDefault: vi.fn() }
    appEvent('before-quit', quitting)
    expect(quitting.preventDefault).not.toHaveBeenCalled()
    expect(fake.core.close).not.toHaveBeenCalled()
  })

  it('does the same when Windows ends the session, and never asks it to wait', async () => {
    await start()
    fake.order.length = 0
    expect(fake.windowListeners.has('query-session-end')).toBe(false)
    fake.windowListeners.get('session-end')?.({ reasons: ['logoff'], preventDefault: vi.fn() })
    expect(fake.order).toEqual(['disposeIpc', 'core.closeNow'])
    fake.powerListeners.get('shutdown')?.()
    expect(fake.core.closeNow).toHaveBeenCalledTimes(1)
  })

  it('checks for updates once the window is open, and from the menu', async () => {
    await start()
    await vi.waitFor(() => expect(fake.updates.checkAtStartup).toHaveBeenCalledTimes(1))
    const menu = fake.installAppMenu.mock.calls[0]?.[0] as { checkForUpdates(): void; isPackaged: boolean }
    expect(menu.isPackaged).toBe(true)
    menu.checkForUpdates()
    expect(fake.updates.checkFromMenu).toHaveBeenCalledTimes(1)
  })

  it('turns updates off in a development run', async () => {
    fake.app.isPackaged = false
    await start()
    const options = fake.createUpdates.mock.calls[0]?.[0] as { decision: { enabled: boolean; reason?: string } }
    expect(options.decision).toMatchObject({ enabled: false, reason: 'not-packaged' })
  })

  it('turns updates off when CLOVERHOUND_DISABLE_UPDATES is set', async () => {
    vi.stubEnv('CLOVERHOUND_DISABLE_UPDATES', '1')
    await start()
    const options = fake.createUpdates.mock.calls[0]?.[0] as { decision: { enabled: boolean; reason?: string } }
    expect(options.decision).toMatchObject({ enabled: false, reason: 'environment' })
  })
})

describe('the self-check mode (CLOVERHOUND_SELF_CHECK)', () => {
  let dir: string
  let reportPath: string

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'self-check-'))
    reportPath = join(dir, 'report', 'self-check.json')
    vi.stubEnv('CLOVERHOUND_SELF_CHECK', reportPath)
    fake.app.exit.mockClear()
    fake.dialog.showErrorBox.mockClear()
  })
  afterEach(async () => {
    vi.unstubAllEnvs()
    await rm(dir, { recursive: true, force: true })
  })

  const report = async () => JSON.parse(await readFile(reportPath, 'utf8')) as Record<string, unknown>

  it('runs the checks on the opened window, writes the report, closes the core and exits 0', async () => {
    await start()
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(0))
    const targets = fake.runSelfCheck.mock.calls[0]?.[0] as { pageUrl: string; core: unknown }
    expect(targets).toMatchObject({ pageUrl: 'app://bundle/index.html', core: fake.core.handlers })
    expect(await report()).toMatchObject({
      format: 'cloverhound-self-check/1',
      ok: true,
      app: { version: '1.2.3', packaged: true },
      checks: [
        { name: 'start', ok: true },
        { name: 'window', ok: true },
      ],
    })
    expect(fake.core.close).toHaveBeenCalled()
    // No update check and no dialog in a run nobody watches.
    expect(fake.updates.checkAtStartup).not.toHaveBeenCalled()
    const options = fake.createUpdates.mock.calls[0]?.[0] as { decision: { reason?: string } }
    expect(options.decision.reason).toBe('self-check')
  })

  it('exits 1 when a check fails', async () => {
    fake.runSelfCheck.mockResolvedValueOnce([{ name: 'keychain', ok: false, detail: 'No keychain is available.' }])
    await start()
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1))
    expect(await report()).toMatchObject({ ok: false, checks: [{ name: 'start' }, { name: 'keychain', ok: false }] })
  })

  it('reports a failed start in the file instead of a dialog nobody could close', async () => {
    fake.startCoreProcess.mockRejectedValueOnce(new Error('EACCES'))
    await start({ ready: false })
    fake.ready()
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1))
    expect(fake.dialog.showErrorBox).not.toHaveBeenCalled()
    expect(await report()).toMatchObject({ ok: false, checks: [{ name: 'start', ok: false }] })
  })

  it('reports another running copy instead of quitting silently', async () => {
    await start({ lock: false, ready: false })
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1))
    expect(await report()).toMatchObject({ ok: false, checks: [{ name: 'start', ok: false }] })
  })

  it('is never turned on from the command line', async () => {
    vi.unstubAllEnvs()
    const argv = process.argv
    process.argv = [...argv, `--self-check=${reportPath}`, `CLOVERHOUND_SELF_CHECK=${reportPath}`]
    try {
      await start()
    } finally {
      process.argv = argv
    }
    expect(fake.runSelfCheck).not.toHaveBeenCalled()
    await expect(readFile(reportPath)).rejects.toThrow()
  })
})
