import { join } from 'node:path'
import { app, BrowserWindow, dialog, net, type WebContents } from 'electron'
import { resolveAppPage, isAppPageUrl } from './app-page.ts'
import { handleAppProtocol, registerAppScheme } from './app-protocol.ts'
import { createAppCore, type AppCore } from './core/app-core.ts'
import type { FetchFunction } from './core/cloverhound-client.ts'
import { withContactsSaveDialog } from './contacts-export-dialog.ts'
import { KeytarSecretStore } from './core/keytar-secret-store.ts'
import { OutboxStorageError } from './core/outbox/outbox-errors.ts'
import { registerIpcHandlers, sendEventToWindows } from './ipc-adapter.ts'
import { createMainLogger } from './log.ts'
import { createMainWindow } from './main-window.ts'
import { applySecurityPolicy } from './security-policy.ts'

/** Also the keychain service name, so keys stay findable under the app's own identity. */
export const APP_ID = 'com.cloverhound.contacts'

/** The composition root: Electron's app lifecycle around the Electron-free core. */
function main(): void {
  // A second copy would race the first for the same settings and keychain entries.
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  app.setAppUserModelId(APP_ID)
  // Every renderer sandboxed, whatever a window's own options say.
  app.enableSandbox()
  // Scheme privileges are fixed before ready; the handler itself is installed once ready.
  registerAppScheme()

  // electron-log, with every message scrubbed of keys and contact data before it is written.
  const logger = createMainLogger()
  // electron-vite writes out/main, out/preload and out/renderer side by side.
  const outDir = import.meta.dirname
  const page = resolveAppPage({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL })
  const rendererDir = join(outDir, '../renderer')
  const preloadPath = join(outDir, '../preload/index.cjs')
  const isTrustedSender = (frame: { url: string }) => isAppPageUrl(page, frame.url)

  let core: AppCore | undefined
  let disposeIpc: (() => void) | undefined
  let closed = false

  const openWindow = () => createMainWindow({ preloadPath, page, logger })

  app.on('second-instance', () => {
    const window = BrowserWindow.getAllWindows()[0]
    if (!window) {
      if (core) openWindow()
      return
    }
    if (window.isMinimized()) window.restore()
    window.show()
    window.focus()
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) openWindow()
  })

  app.on('before-quit', (event) => {
    if (!core || closed) return
    // Hold the quit until the core has finished its writes, then quit for real.
    event.preventDefault()
    const closing = core
    core = undefined
    disposeIpc?.()
    closing
      .close()
      .catch((error: unknown) => logger.error('Closing the core failed', { error: errorName(error) }))
      .finally(() => {
        closed = true
        app.quit()
      })
  })

  app
    .whenReady()
    .then(async () => {
      applySecurityPolicy(page, { logger })
      if (page.kind === 'bundle') handleAppProtocol(rendererDir)
      // Chromium's network stack: the system proxy and certificate store, as enterprise networks need.
      const fetch: FetchFunction = (input, init) => net.fetch(input, init)
      core = await createAppCore({
        dataDir: app.getPath('userData'),
        secrets: new KeytarSecretStore(APP_ID),
        fetch,
        emit: (event, payload) => sendEventToWindows(liveWindowContents(), isTrustedSender, event, payload),
        logger,
        // A hint only: the worker trusts what its requests actually do over this.
        isOnline: () => net.isOnline(),
        // For the diagnostics report; the core adds the OS itself.
        versions: {
          app: app.getVersion(),
          electron: process.versions.electron,
          chrome: process.versions.chrome,
          node: process.versions.node,
        },
      })
      disposeIpc = registerIpcHandlers(withContactsSaveDialog(core.handlers), { isTrustedSender, logger })
      openWindow()
    })
    .catch((error: unknown) => {
      logger.error('The app could not start', { error: errorName(error) })
      // The outbox's own words say where its file is kept and that nothing was deleted.
      const detail =
        error instanceof OutboxStorageError
          ? error.message
          : 'Something went wrong while starting. Check that the app may write to its data folder, then open it again.'
      dialog.showErrorBox('Cloverhound Contacts could not start', detail)
      app.exit(1)
    })
}

function liveWindowContents(): WebContents[] {
  return BrowserWindow.getAllWindows()
    .filter((window) => !window.isDestroyed())
    .map((window) => window.webContents)
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error
}

main()
