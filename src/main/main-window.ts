import { BrowserWindow, nativeTheme, type WebPreferences } from 'electron'
import type { AppPage } from './core/app-page.ts'
import { attachContextMenu } from './context-menu.ts'
import { errorName, silentLogger, type Logger } from './core/logger.ts'
import { keepWindowAlive } from './window-recovery.ts'

export const WINDOW_TITLE = 'Cloverhound Contacts'
/** Painted before the page loads, so the window never flashes; the renderer's `--bg` in styles/tokens.css. */
export const BACKGROUND_LIGHT = '#ffffff'
export const BACKGROUND_DARK = '#17191d'

/**
 * The renderer runs as an ordinary sandboxed web page: no Node, isolated from the preload, which
 * is the only code that can reach main. Developer tools only in development runs (`devTools` is
 * `!app.isPackaged`): in a packaged build no shortcut or menu can open them over the bridge.
 * Exported so tests pin every setting.
 */
export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    devTools,
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
  }
}

export interface MainWindowOptions {
  /** The built preload (out/preload/index.cjs): a sandboxed preload must be CommonJS. */
  preloadPath: string
  page: AppPage
  /** `!app.isPackaged`. */
  devTools: boolean
  logger?: Logger
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const logger = options.logger ?? silentLogger
  const window = new BrowserWindow({
    width: 1040,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    backgroundColor: nativeTheme.shouldUseDarkColors ? BACKGROUND_DARK : BACKGROUND_LIGHT,
    title: WINDOW_TITLE,
    webPreferences: secureWebPreferences(options.preloadPath, options.devTools),
  })
  // Shown once painted, so the user never sees an empty frame.
  window.once('ready-to-show', () => window.show())
  keepWindowAlive(window, options.page.url, logger)
  attachContextMenu(window.webContents)

  // Both kinds of page load by URL: the dev server, or app://bundle/index.html (never a file:// path).
  window.loadURL(options.page.url).catch((error: unknown) => {
    logger.error('The window could not load the app page', {
      error: errorName(error),
    })
  })
  return window
}
