import { beforeEach, describe, expect, it, vi } from 'vitest'
import { APP_ID } from '../../../src/main/core/app-id.ts'
import { eventChannel } from '../../../src/shared/bridge-names.ts'

type Listener = (...args: unknown[]) => unknown

const fake = vi.hoisted(() => {
  const order: string[] = []
  const appListeners = new Map<string, Listener>()
  const windows: Array<Record<string, unknown>> = []
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
    on: vi.fn((event: string, listener: Listener) => appListeners.set(event, listener)),
    whenReady: vi.fn(() => new Promise<void>((resolve) => (ready = resolve))),
  }
  const core = { handlers: { getSettings: vi.fn() }, close: vi.fn(async () => order.push('core.close')) }
  return {
    order,
    appListeners,
    windows,
    app,
    core,
    ready: () => ready(),
    net: { fetch: vi.fn(async () => new Response('{}')) },
    dialog: { showErrorBox: vi.fn() },
    BrowserWindow: { getAllWindows: vi.fn(() => windows) },
    createAppCore: vi.fn(async (_options: unknown) => {
      order.push('createAppCore')
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
    handleAppProtocol: vi.fn((_rootDir: string) => order.push('handleAppProtocol')),
    applySecurityPolicy: vi.fn((_page: unknown, _options: unknown) => order.push('applySecurityPolicy')),
    createMainWindow: vi.fn((_options: unknown) => order.push('createMainWindow')),
    KeytarSecretStore: vi.fn(function (this: { service: string }, service: string) {
      this.service = service
    }),
  }
})

vi.mock('electron', () => ({ app: fake.app, BrowserWindow: fake.BrowserWindow, dialog: fake.dialog, net: fake.net }))
vi.mock('../../../src/main/core/app-core.ts', () => ({ createAppCore: fake.createAppCore }))
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
  fake.windows.length = 0
  fake.app.requestSingleInstanceLock.mockReturnValue(options.lock ?? true)
  await import('../../../src/main/index.ts')
  if (options.ready ?? true) {
    fake.ready()
    await vi.waitFor(() => expect(fake.order).toContain('createMainWindow'))
  }
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
})

describe('the composition root', () => {
  it('quits at once, touching nothing, when another instance holds the lock', async () => {
    await start({ lock: false, ready: false })
    expect(fake.app.quit).toHaveBeenCalled()
    expect(fake.app.whenReady).not.toHaveBeenCalled()
    expect(fake.createAppCore).not.toHaveBeenCalled()
  })

  it('hardens, builds the core, opens the bridge, and only then opens the window', async () => {
    await start()
    expect(fake.app.setAppUserModelId).toHaveBeenCalledWith(APP_ID)
    expect(fake.app.enableSandbox).toHaveBeenCalled()
    expect(fake.order).toEqual([
      'registerAppScheme',
      'applySecurityPolicy',
      'handleAppProtocol',
      'createAppCore',
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

  it('serves app: from the built renderer folder next to out/main', async () => {
    await start()
    expect(fake.handleAppProtocol).toHaveBeenCalledExactlyOnceWith(expect.stringMatching(/[\\/]renderer$/))
  })

  it('does not serve app: in development, where the dev server has the page', async () => {
    fake.app.isPackaged = false
    vi.stubEnv('ELECTRON_RENDERER_URL', 'http://localhost:5173')
    try {
      await start()
    } finally {
      vi.unstubAllEnvs()
    }
    expect(fake.handleAppProtocol).not.toHaveBeenCalled()
    const options = fake.createMainWindow.mock.calls[0]?.[0] as { page: { kind: string } }
    expect(options.page.kind).toBe('dev-server')
  })

  it('logs through the redacting electron-log logger everywhere', async () => {
    await start()
    expect(fake.createMainLogger).toHaveBeenCalledTimes(1)
    expect(fake.applySecurityPolicy).toHaveBeenCalledWith(expect.anything(), { logger: fake.logger })
    expect(fake.createAppCore.mock.calls[0]?.[0]).toMatchObject({ logger: fake.logger })
    expect(fake.createMainWindow.mock.calls[0]?.[0]).toMatchObject({ logger: fake.logger })
  })

  it('gives the core the user data folder, the keychain under the app id, and net.fetch', async () => {
    await start()
    const options = fake.createAppCore.mock.calls[0]?.[0] as {
      dataDir: string
      secrets: { service: string }
      fetch: (input: string, init: RequestInit) => Promise<Response>
    }
    expect(options.dataDir).toBe('/data/userData')
    expect(options.secrets.service).toBe(APP_ID)
    await options.fetch('https://api.example/1/contacts', { method: 'POST' })
    expect(fake.net.fetch).toHaveBeenCalledWith('https://api.example/1/contacts', { method: 'POST' })
  })

  it('tells the core the app, Electron, Chrome and Node versions for diagnostics', async () => {
    await start()
    const options = fake.createAppCore.mock.calls[0]?.[0] as { versions: Record<string, unknown> }
    expect(options.versions).toEqual({
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
    const { emit } = fake.createAppCore.mock.calls[0]?.[0] as { emit: (event: string, payload: unknown) => void }
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
    fake.createAppCore.mockRejectedValueOnce(new Error('EACCES'))
    await start({ ready: false })
    fake.ready()
    await vi.waitFor(() => expect(fake.app.exit).toHaveBeenCalledWith(1))
    expect(fake.dialog.showErrorBox).toHaveBeenCalled()
    expect(fake.createMainWindow).not.toHaveBeenCalled()
  })
})
