import type { BrowserWindow } from 'electron'
import { silentLogger, type Logger } from './core/logger.ts'
import { isLoadErrorPageUrl, LOAD_ERROR_URL } from './core/load-error-page.ts'

/** Chromium's net::ERR_ABORTED: a load replaced by another (often our own), not a failure. */
const ERR_ABORTED = -3
/** If the page never paints (a load that hangs), the window is shown anyway after this long. */
export const SHOW_AT_THE_LATEST_MS = 10_000

/**
 * Keeps the window from being left invisible or blank while this copy holds the single-instance
 * lock (a second start would only focus it): when the renderer dies or the app page fails to
 * load, it reloads once, and if that fails too shows the plain load-error page with its Reload.
 * The core keeps running in main throughout, so nothing in the outbox is affected.
 */
export function keepWindowAlive(window: BrowserWindow, pageUrl: string, logger: Logger = silentLogger): void {
  const contents = window.webContents
  let reloaded = false

  const load = (url: string) =>
    window.loadURL(url).catch(() => {
      // A failed load also arrives as did-fail-load, which decides what happens next.
    })

  const recover = (what: string) => {
    if (window.isDestroyed()) return
    if (!reloaded) {
      reloaded = true
      logger.warn('Reloading the window', { after: what })
      void load(pageUrl)
      return
    }
    logger.error('The window could not be recovered; showing the load-error page', { after: what })
    // The user's Reload from that page gets its own second chance.
    reloaded = false
    void load(LOAD_ERROR_URL)
    window.show()
  }

  contents.on('render-process-gone', (_event, details) => recover(`renderer ${details.reason}`))
  contents.on('did-fail-load', (_event, errorCode, _description, validatedURL, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return
    // Even the built-in page failed: at least the window is not hidden.
    if (isLoadErrorPageUrl(validatedURL)) return window.show()
    recover(`load error ${errorCode}`)
  })

  const showAnyway = setTimeout(() => {
    if (!window.isDestroyed() && !window.isVisible()) window.show()
  }, SHOW_AT_THE_LATEST_MS)
  window.once('ready-to-show', () => clearTimeout(showAnyway))
  window.once('closed', () => clearTimeout(showAnyway))
}
