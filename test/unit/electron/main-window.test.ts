import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveAppPage } from '../../../src/main/core/app-page.ts'

const fake = vi.hoisted(() => {
  class FakeBrowserWindow {
    static created: FakeBrowserWindow[] = []
    static loadError: Error | undefined
    readonly listeners = new Map<string, () => void>()
    readonly options: unknown
    readonly show = vi.fn()
    readonly loadURL = vi.fn(async (_url: string) => {
      if (FakeBrowserWindow.loadError) throw FakeBrowserWindow.loadError
    })
    readonly loadFile = vi.fn(async (_path: string) => {})
    constructor(options: unknown) {
      this.options = options
      FakeBrowserWindow.created.push(this)
    }
    once(event: string, listener: () => void) {
      this.listeners.set(event, listener)
      return this
    }
    emit(event: string) {
      this.listeners.get(event)?.()
    }
  }
  return { FakeBrowserWindow, nativeTheme: { shouldUseDarkColors: false } }
})
vi.mock('electron', () => ({ BrowserWindow: fake.FakeBrowserWindow, nativeTheme: fake.nativeTheme }))

const { BACKGROUND_DARK, BACKGROUND_LIGHT, createMainWindow, secureWebPreferences } =
  await import('../../../src/main/main-window.ts')

const outDir = join('/', 'opt', 'cloverhound', 'resources', 'app.asar', 'out', 'main')
const preloadPath = join(outDir, '../preload/index.cjs')
const builtPage = resolveAppPage({ isPackaged: true, devServerUrl: 'http://localhost:5173' })

function lastWindow() {
  const window = fake.FakeBrowserWindow.created.at(-1)
  if (!window) throw new Error('no window was created')
  return { window, options: window.options as BrowserWindowConstructorOptions }
}

beforeEach(() => {
  fake.FakeBrowserWindow.created.length = 0
  fake.nativeTheme.shouldUseDarkColors = false
  fake.FakeBrowserWindow.loadError = undefined
})

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with no Node and the built preload', () => {
    expect(secureWebPreferences(preloadPath)).toEqual({
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
    })
  })
})

describe('createMainWindow', () => {
  it('creates a hidden window with the secure preferences and the CommonJS preload', () => {
    createMainWindow({ preloadPath, page: builtPage })
    const { options } = lastWindow()
    expect(options.webPreferences).toEqual(secureWebPreferences(preloadPath))
    expect(options.webPreferences?.preload).toMatch(/[\\/]out[\\/]preload[\\/]index\.cjs$/)
    expect(options).toMatchObject({ show: false, title: 'Cloverhound Contacts', backgroundColor: BACKGROUND_LIGHT })
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0)
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight ?? 0)
  })

  it('paints the dark background when the system uses dark colours', () => {
    fake.nativeTheme.shouldUseDarkColors = true
    createMainWindow({ preloadPath, page: builtPage })
    expect(lastWindow().options.backgroundColor).toBe(BACKGROUND_DARK)
  })

  it('shows the window only once it is ready to show', () => {
    createMainWindow({ preloadPath, page: builtPage })
    const { window } = lastWindow()
    expect(window.show).not.toHaveBeenCalled()
    window.emit('ready-to-show')
    expect(window.show).toHaveBeenCalledTimes(1)
  })

  it('loads the built bundle from app://bundle, never from a file, when built', () => {
    createMainWindow({ preloadPath, page: builtPage })
    const { window } = lastWindow()
    expect(window.loadURL).toHaveBeenCalledExactlyOnceWith('app://bundle/index.html')
    expect(window.loadFile).not.toHaveBeenCalled()
  })

  it('loads the dev server URL in development', () => {
    const devPage = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173' })
    createMainWindow({ preloadPath, page: devPage })
    const { window } = lastWindow()
    expect(window.loadURL).toHaveBeenCalledWith('http://localhost:5173/')
    expect(window.loadFile).not.toHaveBeenCalled()
  })

  it('logs a page that fails to load instead of leaving an unhandled rejection', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    fake.FakeBrowserWindow.loadError = new Error('ERR_FAILED')
    createMainWindow({ preloadPath, page: builtPage, logger })
    await vi.waitFor(() => expect(logger.error).toHaveBeenCalledWith(expect.any(String), { error: 'Error' }))
  })
})

describe('the window background', () => {
  it("matches the renderer's own background in light and dark", async () => {
    const css = await readFile(new URL('../../../src/renderer/src/styles/tokens.css', import.meta.url), 'utf8')
    expect(css).toContain(`--bg: ${BACKGROUND_LIGHT};`)
    expect(css).toContain(`--bg: ${BACKGROUND_DARK};`)
  })
})
