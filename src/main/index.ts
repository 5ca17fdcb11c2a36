import { join } from 'node:path'
import { app, BrowserWindow, dialog, net, powerMonitor, type WebContents } from 'electron'
import { installAppMenu } from './app-menu.ts'
import { resolveAppPage, isAppPageUrl } from './core/app-page.ts'
import { handleAppProtocol, registerAppScheme } from './app-protocol.ts'
import { APP_ID } from './core/app-id.ts'
import { withContactsSaveDialog } from './contacts-export-dialog.ts'
import { CORE_GONE, type HostedCore } from './core/host/connect-core.ts'
import { startCoreProcess } from './core-process-host.ts'
import { withCsvOpenDialog } from './csv-open-dialog.ts'
import { KeytarSecretStore } from './core/keytar-secret-store.ts'
import { errorName } from './core/logger.ts'
import { OutboxStorageError } from './core/outbox/outbox-errors.ts'
import { registerIpcHandlers, sendEventToWindows } from './ipc-adapter.ts'
import { createMainLogger } from './log.ts'
import { createMainWindow } from './main-window.ts'
import { applySecurityPolicy } from './security-policy.ts'
import {
  runSelfCheck,
  selfCheckReport,
  selfCheckReportPath,
  writeSelfCheckReport,
  type SelfCheckResult,
} from './self-check.ts'
import { isMacAppSigned, readPolicyFile } from './core/update-environment.ts'
import { decideUpdates, policyFilePath, type UpdateDecision } from './core/update-policy.ts'
import { createUpdates } from './updates.ts'
import type { SettingsView } from '../shared/settings.ts'

/** The composition root: Electron's app lifecycle around the Electron-free core, which runs in its own utility process. */
function main(): void {
  const startedAt = Date.now()
  // The release workflow's smoke test (self-check.ts): from the environment only, never from argv.
  const selfCheckPath = selfCheckReportPath(process.env)
  const finishSelfCheck = async (checks: SelfCheckResult[]): Promise<boolean> => {
    if (!selfCheckPath) return false
    const report = selfCheckReport({ version: app.getVersion(), packaged: app.isPackaged }, checks, {
      startedAt,
      finishedAt: Date.now(),
    })
    await writeSelfCheckReport(selfCheckPath, report).catch(() => (report.ok = false))
    return report.ok
  }

  // A second copy would race the first for the same settings and keychain entries.
  if (!app.requestSingleInstanceLock()) {
    if (!selfCheckPath) return app.quit()
    void finishSelfCheck([{ name: 'start', ok: false, detail: 'Another copy of the app is running.' }]).finally(() =>
      app.exit(1),
    )
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
  const secrets = new KeytarSecretStore(APP_ID)

  let core: HostedCore | undefined
  let disposeIpc: (() => void) | undefined
  let closed = false

  const openWindow = () => {
    const window = createMainWindow({ preloadPath, page, devTools: !app.isPackaged, logger })
    // Windows ends the session: the same prompt close as a shutdown elsewhere. query-session-end is
    // left alone on purpose: the app never asks Windows to wait.
    window.on('session-end', () => closeCoreNow('session-end'))
    return window
  }

  /**
   * The OS is shutting down or logging out: the core closes the outbox on the spot (the worker stops;
   * a request still in flight is found as `sending` at the next start and becomes unconfirmed) and
   * the quit goes on without waiting for anything. Should the system end the core first, every
   * change it committed is already durable, and the next start checks the whole file.
   */
  const closeCoreNow = (why: string) => {
    const closing = core
    core = undefined
    closed = true
    if (!closing) return
    logger.info('Closing at once for the system', { why })
    disposeIpc?.()
    closing.closeNow()
    app.quit()
  }

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
      // Also in development, where it serves only the load-error page (the dev server has the app page).
      handleAppProtocol(rendererDir, page.url)
      powerMonitor.on('shutdown', () => closeCoreNow('shutdown'))
      const updates = createUpdates({
        decision: await updateDecision(selfCheckPath !== undefined),
        loadUpdater: async () => (await import('electron-updater')).default.autoUpdater,
        showMessage: async (options) => {
          const parent = BrowserWindow.getFocusedWindow()
          return (parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options)).response
        },
        currentVersion: app.getVersion(),
        logger,
      })
      /** The app menu, its Profile menu listing `view`'s profiles: built now, then at every settings change. */
      const refreshAppMenu = (view?: SettingsView): void =>
        installAppMenu({
          platform: process.platform,
          appName: app.name,
          isPackaged: app.isPackaged,
          checkForUpdates: () => void updates.checkFromMenu(),
          profiles: (view?.profiles ?? []).map(({ id, name }) => ({ id, name, active: id === view?.activeProfileId })),
          // Main switches, and every window hears it as a settings change.
          switchProfile: (id) => void core?.handlers.switchProfile({ id }),
        })
      refreshAppMenu()
      // Off main's thread: a slow disk holds the outbox's process, never menus, windows or IPC replies.
      core = await startCoreProcess(outDir, {
        core: {
          dataDir: app.getPath('userData'),
          // For the diagnostics report; the core adds the OS itself.
          versions: {
            app: app.getVersion(),
            electron: process.versions.electron,
            chrome: process.versions.chrome,
            node: process.versions.node,
          },
        },
        secrets,
        // Chromium's network stack: the system proxy and certificate store, as enterprise networks need.
        fetch: (input, init) => net.fetch(input, init),
        emit: (event, payload) => {
          // The contract's payload for settingsChanged is the settings view.
          if (event === 'settingsChanged') refreshAppMenu(payload as SettingsView)
          sendEventToWindows(liveWindowContents(), isTrustedSender, event, payload)
        },
        logger,
        // Every window hears it; what was saved is kept, and the next start finds it.
        onGone: () => dialog.showErrorBox('Cloverhound Contacts must be restarted', CORE_GONE),
      })
      const settings = await core.handlers.getSettings(undefined)
      if (settings?.ok) refreshAppMenu(settings.value)
      disposeIpc = registerIpcHandlers(withCsvOpenDialog(withContactsSaveDialog(core.handlers)), {
        isTrustedSender,
        logger,
      })
      const window = openWindow()
      if (selfCheckPath) {
        const checks = await runSelfCheck({ window, pageUrl: page.url, secrets, core: core.handlers })
        const passed = await finishSelfCheck([{ name: 'start', ok: true, detail: 'The core started.' }, ...checks])
        await closeAndExit(passed ? 0 : 1)
        return
      }
      void updates.checkAtStartup()
    })
    .catch(async (error: unknown) => {
      logger.error('The app could not start', { error: errorName(error) })
      // The outbox's own words say where its file is kept and that nothing was deleted.
      const detail =
        error instanceof OutboxStorageError
          ? error.message
          : 'Something went wrong while starting. Check that the app may write to its data folder, then open it again.'
      // A self-check has nobody to click the dialog away: its report says it instead.
      if (selfCheckPath) await finishSelfCheck([{ name: 'start', ok: false, detail }])
      else dialog.showErrorBox('Cloverhound Contacts could not start', detail)
      app.exit(1)
    })

  /** The self-check's end: the core finishes its writes, then the exit code tells the result. */
  const closeAndExit = async (code: number) => {
    const closing = core
    core = undefined
    closed = true
    disposeIpc?.()
    await closing?.close().catch(() => undefined)
    app.exit(code)
  }
}

/** Updates on or off for this run, and why (update-policy.ts decides; this only gathers the facts). */
async function updateDecision(selfCheck: boolean): Promise<UpdateDecision> {
  const policy = await readPolicyFile(policyFilePath(process.platform, process.env))
  // codesign runs only where its answer matters: an installed macOS build.
  const macSigned =
    process.platform === 'darwin' && app.isPackaged ? await isMacAppSigned(app.getPath('exe')) : undefined
  return decideUpdates({
    isPackaged: app.isPackaged,
    platform: process.platform,
    env: process.env,
    policy,
    macSigned,
    selfCheck,
  })
}

function liveWindowContents(): WebContents[] {
  return BrowserWindow.getAllWindows()
    .filter((window) => !window.isDestroyed())
    .map((window) => window.webContents)
}

main()
