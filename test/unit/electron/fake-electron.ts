import type * as ElectronModule from 'electron'
import { vi } from 'vitest'
import { fakeNetFetch } from '../../support/fake-net-fetch.ts'

/**
 * A stand-in for the parts of `electron` the app's edge uses, recording what main registers so
 * tests can drive it like Electron would (no Electron binary runs in these tests; the real one runs in
 * GitHub Actions). `net.fetch` is the shared fake-net-fetch.ts, which fails as Chromium does.
 * Use with `vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)`.
 *
 * Typed against electron.d.ts (`satisfies` the real signatures), and as harsh as Electron where
 * the app depends on it: `protocol.handle` hands its handler a plain fetch `Request` built from
 * url, method, headers and referrer only (lib/browser/api/protocol.ts), so no `initiatorOrigin`;
 * it refuses a second handler for a scheme; a bad template makes `Menu.buildFromTemplate` throw;
 * `once` listeners run once.
 */
type Electron = typeof ElectronModule
type Listener = (...args: unknown[]) => unknown

class Emitter {
  readonly listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(event, wrapped)
      return listener(...args)
    }
    return this.on(event, wrapped)
  }
  removeListener(event: string, listener: Listener): this {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((known) => known !== listener),
    )
    return this
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return [...(this.listeners.get(event) ?? [])].map((listener) => listener(...args))
  }
  /** Fires an event with a preventable details object, as Electron 45 does; returns whether it was prevented. */
  fire(event: string, details: Record<string, unknown> = {}, ...args: unknown[]): boolean {
    if (!this.listeners.has(event)) throw new Error(`nothing listens to ${event}`)
    let prevented = false
    this.emit(event, { ...details, preventDefault: () => (prevented = true) }, ...args)
    return prevented
  }
}

type WebContents = ElectronModule.WebContents

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined
  readonly mainFrame = { url: 'about:blank', parent: null, detached: false }
  readonly send = vi.fn((..._args: unknown[]): void => {})
  readonly replaceMisspelling = vi.fn(((_text: string) => {}) satisfies WebContents['replaceMisspelling'])
  readonly session = {
    addWordToSpellCheckerDictionary: vi.fn(
      ((_word: string) => true) satisfies ElectronModule.Session['addWordToSpellCheckerDictionary'],
    ),
  }
  /** What the page answers to executeJavaScript; a test sets it (the real one runs in the renderer). */
  readonly executeJavaScript = vi.fn(
    (async (_code: string) => undefined as unknown) satisfies WebContents['executeJavaScript'],
  )
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
  getURL(): string {
    return this.mainFrame.url
  }
  isDestroyed() {
    return false
  }
}

/** A load as Electron reports one: did-finish-load, or did-fail-load and a rejected loadURL. */
export type LoadOutcome = 'ok' | { errorCode: number; errorDescription: string }

export class FakeBrowserWindow extends Emitter {
  static readonly all: FakeBrowserWindow[] = []
  static getAllWindows() {
    return [...FakeBrowserWindow.all]
  }
  static getFocusedWindow() {
    return FakeBrowserWindow.all[0] ?? null
  }
  static fromWebContents(contents: unknown) {
    return FakeBrowserWindow.all.find((window) => window.webContents === contents) ?? null
  }
  readonly webContents = new FakeWebContents()
  /** Every load, kept outside vi.fn: vitest clears mock calls before each test. */
  readonly loads: Array<{ url: string } | { file: string }> = []
  /** How the next window's loads end (moved to it when it is created), for a window that loads at once. */
  static readonly nextLoadOutcomes: LoadOutcome[] = []
  /** How this window's next loads end, in order; once empty, loads succeed. */
  readonly loadOutcomes: LoadOutcome[] = FakeBrowserWindow.nextLoadOutcomes.splice(0)
  visible = false
  #painted = false
  readonly loadURL = vi.fn(async (url: string) => {
    this.loads.push({ url })
    this.webContents.mainFrame.url = url
    const outcome = this.loadOutcomes.shift() ?? 'ok'
    // Electron reports a load on a later turn, never inside loadURL itself.
    await Promise.resolve()
    if (outcome === 'ok') {
      this.webContents.emit('did-finish-load', {})
      if (!this.#painted) {
        this.#painted = true
        this.emit('ready-to-show')
      }
      return
    }
    this.webContents.emit('did-fail-load', {}, outcome.errorCode, outcome.errorDescription, url, true, 1, 1)
    throw Object.assign(new Error(`${outcome.errorDescription} (${outcome.errorCode}) loading '${url}'`), {
      code: outcome.errorDescription,
      errno: outcome.errorCode,
    })
  })
  readonly loadFile = vi.fn(async (file: string) => {
    this.loads.push({ file })
  })
  readonly show = vi.fn((): void => {
    this.visible = true
  })
  readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>
  constructor(options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super()
    this.options = options
    FakeBrowserWindow.all.push(this)
    // Electron announces every new web contents before anything can load in it.
    app.emit('web-contents-created', {}, this.webContents)
  }
  isVisible() {
    return this.visible
  }
  isDestroyed() {
    return false
  }
}

class FakeApp extends Emitter {
  isPackaged = true
  readonly name = 'Cloverhound Contacts'
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

type MenuTemplate = Parameters<Electron['Menu']['buildFromTemplate']>[0]

export class FakeMenu {
  readonly popup = vi.fn((..._args: unknown[]): void => {})
  readonly template: MenuTemplate
  constructor(template: MenuTemplate) {
    this.template = template
  }
}

/** As Electron's lib/browser/api/menu.ts: every item needs a label, a role or a type. */
function validateTemplate(template: MenuTemplate): void {
  for (const item of template) {
    if (typeof item !== 'object' || item === null) throw new TypeError('Invalid template for MenuItem')
    const options = item as ElectronModule.MenuItemConstructorOptions
    if (!options.label && !options.role && !options.type) {
      throw new TypeError('Invalid template for MenuItem: must have at least one of label, role or type')
    }
    if (Array.isArray(options.submenu)) validateTemplate(options.submenu)
  }
}

type ProtocolHandler = Parameters<Electron['protocol']['handle']>[1]

export const state = {
  privilegedSchemes: [] as unknown[],
  protocolHandlers: new Map<string, ProtocolHandler>(),
  applicationMenu: undefined as FakeMenu | null | undefined,
  /** Every menu built, in order (context menus are built per right-click). */
  builtMenus: [] as FakeMenu[],
  permissionRequestHandler: undefined as undefined | Listener,
  permissionCheckHandler: undefined as undefined | Listener,
  devicePermissionHandler: undefined as undefined | Listener,
  displayMediaRequestHandler: undefined as undefined | Listener,
  sessionEvents: new Emitter(),
  headersListeners: [] as Array<{ filter: unknown; listener: Listener }>,
  ipcHandlers: new Map<string, Listener>(),
  ipcListeners: new Map<string, Listener[]>(),
  exposed: new Map<string, unknown>(),
  utilityProcesses: [] as FakeUtilityProcess[],
}

/**
 * What Electron does with a request for a handled scheme: builds a plain `Request` from the
 * ProtocolRequest's url, method, headers and referrer (dropping everything else, initiatorOrigin
 * included, and an `Origin: null` header), calls the handler, and fails the load with
 * net::ERR_UNEXPECTED when it throws or answers anything but a Response.
 */
export async function requestProtocol(
  scheme: string,
  request: Partial<ElectronModule.ProtocolRequest> & { url: string },
): Promise<Response> {
  const handler = state.protocolHandlers.get(scheme)
  if (!handler) throw new Error('net::ERR_UNKNOWN_URL_SCHEME')
  let response: unknown
  try {
    const headers = new Headers(request.headers ?? {})
    if (headers.get('origin') === 'null') headers.delete('origin')
    // Inside the try, as in Electron: a URL Request refuses (one with credentials) fails the load.
    const plain = new Request(request.url, {
      method: request.method ?? 'GET',
      headers,
      referrer: request.referrer ?? '',
    })
    response = await handler(plain)
  } catch {
    throw new Error('net::ERR_UNEXPECTED')
  }
  if (!(response instanceof Response)) throw new Error('net::ERR_UNEXPECTED')
  return response
}

const protocol = {
  registerSchemesAsPrivileged: ((schemes) => {
    if (app.isReadyNow) throw new Error('registerSchemesAsPrivileged must be called before the app is ready')
    state.privilegedSchemes.push(...schemes)
  }) satisfies Electron['protocol']['registerSchemesAsPrivileged'],
  handle: ((scheme, handler) => {
    if (state.protocolHandlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`)
    state.protocolHandlers.set(scheme, handler)
  }) satisfies Electron['protocol']['handle'],
}

const Menu = {
  buildFromTemplate: (template: MenuTemplate): FakeMenu => {
    validateTemplate(template)
    const menu = new FakeMenu(template)
    state.builtMenus.push(menu)
    return menu
  },
  setApplicationMenu: (menu: FakeMenu | null): void => {
    state.applicationMenu = menu
  },
  getApplicationMenu: (): FakeMenu | null => state.applicationMenu ?? null,
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

type ForkOptions = NonNullable<Parameters<Electron['utilityProcess']['fork']>[2]>

/**
 * utilityProcess as Electron's lib/browser/api/utility-process.ts and its docs have it: fork returns
 * at once and 'spawn' follows; main's 'message' listener gets the bare data, the child's
 * `process.parentPort` a MessageEvent `{ data, ports }`; every message is structured-cloned and
 * arrives later, never in the same tick; after 'exit' nothing more arrives either way. The child's
 * module is not loaded here: a test imports it with `process.parentPort` set to `child.parentPort`.
 */
export class FakeUtilityProcess extends Emitter {
  /** Undefined until 'spawn', and again after 'exit', as the real one's. */
  pid: number | undefined
  readonly parentPort: FakeParentPort
  readonly modulePath: string
  readonly args: string[]
  readonly options: ForkOptions
  #alive = true

  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super()
    this.modulePath = modulePath
    this.args = args
    this.options = options
    this.parentPort = new FakeParentPort((message) => this.#alive && this.emit('message', message))
    setImmediate(() => {
      if (!this.#alive) return
      this.pid = 4242
      this.emit('spawn')
    })
  }

  postMessage(message: unknown): void {
    const copy = structuredClone(message)
    setImmediate(() => this.#alive && this.parentPort.deliver({ data: copy, ports: [] }))
  }

  kill(): boolean {
    return this.#end(0)
  }

  /** The child ends on its own, as a crash or an out-of-memory kill does: 'exit' with its code. */
  crash(code = 1): void {
    this.#end(code)
  }

  #end(code: number): boolean {
    if (!this.#alive) return false
    this.#alive = false
    this.pid = undefined
    setImmediate(() => this.emit('exit', code))
    return true
  }
}

/**
 * The child's end of the line (Electron.ParentPort): what it posts reaches main's 'message' listener.
 * As lib/utility/init.ts does, the port starts when its first 'message' listener is added; what
 * arrived before waits for it.
 */
export class FakeParentPort extends Emitter {
  readonly #early: unknown[] = []
  #started = false

  readonly #toMain: (message: unknown) => void

  constructor(toMain: (message: unknown) => void) {
    super()
    this.#toMain = toMain
  }

  override on(event: string, listener: Listener): this {
    super.on(event, listener)
    if (event === 'message' && !this.#started) {
      this.#started = true
      setImmediate(() => this.#early.splice(0).forEach((early) => this.emit('message', early)))
    }
    return this
  }

  deliver(event: { data: unknown; ports: [] }): void {
    if (this.#started && this.#early.length === 0) this.emit('message', event)
    else this.#early.push(event)
  }

  postMessage(message: unknown): void {
    const copy = structuredClone(message)
    setImmediate(() => this.#toMain(copy))
  }
}

export const utilityProcess = {
  fork: (modulePath: string, args: string[] = [], options: ForkOptions = {}) => {
    const child = new FakeUtilityProcess(modulePath, args, options)
    state.utilityProcesses.push(child)
    return child
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

/** Emits 'shutdown' (Linux, macOS) like the real one; a test fires it. */
export const powerMonitor = new Emitter()

export const electron = {
  app,
  BrowserWindow: FakeBrowserWindow,
  Menu,
  nativeTheme: { shouldUseDarkColors: false },
  protocol,
  powerMonitor,
  session: { defaultSession },
  dialog: {
    showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
    showErrorBox: vi.fn((..._args: unknown[]): void => {}),
  },
  shell: { openExternal: vi.fn(async (_url: string) => {}) },
  net: { fetch: vi.fn(fakeNetFetch().fetch), isOnline: vi.fn(() => true) },
  utilityProcess,
  ipcMain,
  ipcRenderer,
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => state.exposed.set(key, api) },
} satisfies Partial<Record<keyof Electron, unknown>>
