import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserWindowConstructorOptions } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveAppPage } from '../../../src/main/core/app-page.ts'
import { FakeBrowserWindow } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const { BACKGROUND_DARK, BACKGROUND_LIGHT, createMainWindow, secureWebPreferences } =
  await import('../../../src/main/main-window.ts')
const { electron } = await import('./fake-electron.ts')

const outDir = join('/', 'opt', 'cloverhound', 'resources', 'app.asar', 'out', 'main')
const preloadPath = join(outDir, '../preload/index.cjs')
const builtPage = resolveAppPage({ isPackaged: true, devServerUrl: 'http://localhost:5173' })

function lastWindow() {
  const window = FakeBrowserWindow.all.at(-1)
  if (!window) throw new Error('no window was created')
  return { window, options: window.options as BrowserWindowConstructorOptions }
}

beforeEach(() => {
  FakeBrowserWindow.all.length = 0
  FakeBrowserWindow.nextLoadOutcomes.length = 0
  electron.nativeTheme.shouldUseDarkColors = false
})

afterEach(() => {
  vi.useRealTimers()
})

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer with no Node, the built preload and no developer tools', () => {
    expect(secureWebPreferences(preloadPath, false)).toEqual({
      preload: preloadPath,
      devTools: false,
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
    createMainWindow({ preloadPath, page: builtPage, devTools: false })
    const { options } = lastWindow()
    expect(options.webPreferences).toEqual(secureWebPreferences(preloadPath, false))
    expect(options.webPreferences?.preload).toMatch(/[\\/]out[\\/]preload[\\/]index\.cjs$/)
    expect(options).toMatchObject({ show: false, title: 'Cloverhound Contacts', backgroundColor: BACKGROUND_LIGHT })
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0)
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight ?? 0)
  })

  it('allows the developer tools only when asked (development runs)', () => {
    createMainWindow({ preloadPath, page: builtPage, devTools: false })
    expect(lastWindow().options.webPreferences?.devTools).toBe(false)
    createMainWindow({ preloadPath, page: builtPage, devTools: true })
    expect(lastWindow().options.webPreferences?.devTools).toBe(true)
  })

  it('paints the dark background when the system uses dark colours', () => {
    electron.nativeTheme.shouldUseDarkColors = true
    createMainWindow({ preloadPath, page: builtPage, devTools: false })
    expect(lastWindow().options.backgroundColor).toBe(BACKGROUND_DARK)
  })

  it('shows the window only once it is ready to show', async () => {
    createMainWindow({ preloadPath, page: builtPage, devTools: false })
    const { window } = lastWindow()
    expect(window.isVisible()).toBe(false)
    await vi.waitFor(() => expect(window.isVisible()).toBe(true))
    expect(window.show).toHaveBeenCalledTimes(1)
  })

  it('loads the built bundle from app://bundle, never from a file, when built', () => {
    createMainWindow({ preloadPath, page: builtPage, devTools: false })
    const { window } = lastWindow()
    expect(window.loads).toEqual([{ url: 'app://bundle/index.html' }])
    expect(window.loadFile).not.toHaveBeenCalled()
  })

  it('loads the dev server URL in development', () => {
    const devPage = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173' })
    createMainWindow({ preloadPath, page: devPage, devTools: true })
    const { window } = lastWindow()
    expect(window.loads).toEqual([{ url: 'http://localhost:5173/' }])
    expect(window.loadFile).not.toHaveBeenCalled()
  })

  it('logs a page that fails to load instead of leaving an unhandled rejection', async () => {
    const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
    FakeBrowserWindow.nextLoadOutcomes.push({ errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND' })
    createMainWindow({ preloadPath, page: builtPage, logger, devTools: false })
    await vi.waitFor(() => expect(logger.error).toHaveBeenCalledWith(expect.any(String), { error: 'Error' }))
  })

  it('opens a context menu in text fields', () => {
    createMainWindow({ preloadPath, page: builtPage, devTools: false })
    expect(lastWindow().window.webContents.listeners.get('context-menu')).toHaveLength(1)
  })
})

describe('the window background', () => {
  it("matches the renderer's own background in light and dark", async () => {
    const css = await readFile(new URL('../../../src/renderer/src/styles/tokens.css', import.meta.url), 'utf8')
    expect(css).toContain(`--bg: ${BACKGROUND_LIGHT};`)
    expect(css).toContain(`--bg: ${BACKGROUND_DARK};`)
  })
})
