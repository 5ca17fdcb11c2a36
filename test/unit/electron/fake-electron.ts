import { vi } from 'vitest'

/**
 * A stand-in for the parts of `electron` the app's edge uses, recording what main registers so
 * tests can drive it like Electron would (no Electron binary runs here; see ENVIRONMENT.md).
 * Use with `vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)`.
 */
type Listener = (...args: unknown[]) => unknown

class Emitter {
  readonly listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener)
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => listener(...args))
  }
  /** Fires an event with a preventable details object, as Electron 45 does; returns whether it was prevented. */
  fire(event: string, details: Record<string, unknown> = {}, ...args: unknown[]): boolean {
    if (!this.listeners.has(event)) throw new Error(`nothing listens to ${event}`)
    let prevented = false
    this.emit(event, { ...details, preventDefault: () => (prevented = true) }, ...args)
    return prevented
  }
}

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  readonly mainFrame = { url: 'about:blank', parent: null, detached: false }
  readonly send = vi.fn((..._args: unknown[]): void => {})
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
  isDestroyed() {
    return false
  }
}

export class FakeBrowserWindow extends Emitter {
  static readonly all: FakeBrowserWindow[] = []
  static getAllWindows() {
    return [...FakeBrowserWindow.all]
  }
  static fromWebContents(contents: unknown) {
    return FakeBrowserWindow.all.find((window) => window.webContents === contents) ?? null
  }
  readonly webContents = new FakeWebContents()
  /** Every load, kept outside vi.fn: vitest clears mock calls before each test. */
  readonly loads: Array<{ url: string } | { file: string }> = []
  readonly loadURL = vi.fn(async (url: string) => {
    this.loads.push({ url })
    this.webContents.mainFrame.url = url
  })
  readonly loadFile = vi.fn(async (file: string) => {
    this.loads.push({ file })
  })
  readonly show = vi.fn((..._args: unknown[]): void => {})
  readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>
  constructor(options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super()
    this.options = options
    FakeBrowserWindow.all.push(this)
    // Electron announces every new web contents before anything can load in it.
    app.emit('web-contents-created', {}, this.webContents)
  }
  isDestroyed() {
    return false
  }
}

class FakeApp extends Emitter {
  isPackaged = true
  readonly requestSingleInstanceLock = vi.fn(() => true)
  readonly setAppUserModelId = vi.fn((..._args: unknown[]): void => {})
  readonly enableSandbox = vi.fn((..._args: unknown[]): void => {})
  readonly quit = vi.fn((..._args: unknown[]): void => {})
  readonly exit = vi.fn((..._args: unknown[]): void => {})
  readonly getPath = vi.fn((name: string) => `/fake/${name}`)
  readonly getVersion = vi.fn(() => '0.0.0-test')
  private ready: () => void = () => {}
  private readonly whenReadyPromise = new Promise<void>((resolve) => (this.ready = resolve))
  isReadyNow = false
  readonly whenReady = vi.fn(() => this.whenReadyPromise)
  becomeReady() {
    this.isReadyNow = true
    this.ready()
  }
}

export const app = new FakeApp()

export const state = {
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, (request: { url: string; method: string }) => Promise<Response>>(),
  permissionRequestHandler: undefined as undefined | Listener,
  permissionCheckHandler: undefined as undefined | Listener,
  devicePermissionHandler: undefined as undefined | Listener,
  displayMediaRequestHandler: undefined as undefined | Listener,
  sessionEvents: new Emitter(),
  headersListeners: [] as Array<{ filter: unknown; listener: Listener }>,
  ipcHandlers: new Map<string, Listener>(),
  ipcListeners: new Map<string, Listener[]>(),
  exposed: new Map<string, unknown>(),
}

const defaultSession = {
  setPermissionRequestHandler: (handler: Listener) => (state.permissionRequestHandler = handler),
  setPermissionCheckHandler: (handler: Listener) => (state.permissionCheckHandler = handler),
  setDevicePermissionHandler: (handler: Listener) => (state.devicePermissionHandler = handler),
  setDisplayMediaRequestHandler: (handler: Listener) => (state.displayMediaRequestHandler = handler),
  on: (event: string, listener: Listener) => state.sessionEvents.on(event, listener),
  webRequest: {
    onHeadersReceived: (filter: unknown, listener: Listener) => state.headersListeners.push({ filter, listener }),
  },
}

export const ipcMain = {
  handle: (channel: string, listener: Listener) => {
    if (state.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    state.ipcHandlers.set(channel, listener)
  },
  removeHandler: (channel: string) => state.ipcHandlers.delete(channel),
  on: (channel: string, listener: Listener) => {
    state.ipcListeners.set(channel, [...(state.ipcListeners.get(channel) ?? []), listener])
  },
  removeAllListeners: (channel: string) => state.ipcListeners.delete(channel),
}

export const ipcRenderer = {
  invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
  on: vi.fn((..._args: unknown[]): void => {}),
  removeListener: vi.fn((..._args: unknown[]): void => {}),
  send: vi.fn((..._args: unknown[]): void => {}),
  sendSync: vi.fn((..._args: unknown[]): void => {}),
}

export const electron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  nativeTheme: { shouldUseDarkColors: false },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      if (app.isReadyNow) throw new Error('registerSchemesAsPrivileged must be called before the app is ready')
      state.privilegedSchemes.push(...schemes)
    },
    handle: (scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>) =>
      state.protocolHandlers.set(scheme, handler),
  },
  session: { defaultSession },
  dialog: {
    showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
    showErrorBox: vi.fn((..._args: unknown[]): void => {}),
  },
  shell: { openExternal: vi.fn(async (_url: string) => {}) },
  net: { fetch: vi.fn(async () => new Response('{}')) },
  ipcMain,
  ipcRenderer,
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api) },
}
