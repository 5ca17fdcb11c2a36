import type { MessageBoxOptions } from 'electron'
import type { AppUpdater } from 'electron-updater'
import { silentLogger, type Logger } from './core/logger.ts'
import type { UpdateDecision } from './core/update-policy.ts'

/** The part of electron-updater's AppUpdater the app uses; tests pass a stand-in. */
export type Updater = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'logger' | 'checkForUpdates' | 'on'>

export interface UpdatesOptions {
  decision: UpdateDecision
  /** `import('electron-updater')`'s autoUpdater, loaded only when updates are on. */
  loadUpdater(): Promise<Updater>
  /** dialog.showMessageBox; resolves to the button's index. */
  showMessage(options: MessageBoxOptions): Promise<number>
  currentVersion: string
  logger?: Logger
}

export interface Updates {
  /** At start-up: quiet, failures are only logged. */
  checkAtStartup(): Promise<void>
  /** Check for updates…: every outcome is told in a dialog. */
  checkFromMenu(): Promise<void>
}

const TITLE = 'Software update'
export const INSTALL_ON_QUIT_BUTTON = 'Install when I quit'
export const NOT_NOW_BUTTON = 'Not now'

type State =
  | { kind: 'idle' }
  | { kind: 'downloading'; version: string }
  | { kind: 'downloaded'; version: string }
  | { kind: 'agreed'; version: string }

/**
 * Updates from the GitHub releases the release workflow publishes: checked at start-up and from
 * the menu, downloaded in the background, and installed when the app quits — only after the user
 * said so in a dialog (electron-updater would otherwise install any download on quit).
 */
export function createUpdates(options: UpdatesOptions): Updates {
  const logger = options.logger ?? silentLogger
  let state: State = { kind: 'idle' }
  let updater: Promise<Updater> | undefined
  let checking: Promise<'available' | 'current' | 'inactive'> | undefined
  let asking = false

  const message = async (text: string, detail?: string): Promise<void> => {
    await options.showMessage({
      type: 'info',
      title: TITLE,
      message: text,
      ...(detail ? { detail } : {}),
      buttons: ['OK'],
    })
  }

  const askToInstall = async (version: string) => {
    if (asking) return
    asking = true
    try {
      const answer = await options.showMessage({
        type: 'question',
        title: TITLE,
        message: `Cloverhound Contacts ${version} is ready to install`,
        detail: 'It is installed when you quit the app. Contacts waiting to be sent stay in the outbox.',
        buttons: [INSTALL_ON_QUIT_BUTTON, NOT_NOW_BUTTON],
        defaultId: 0,
        cancelId: 1,
        noLink: true,
      })
      const ready = await loaded()
      if (answer === 0 && state.kind === 'downloaded') {
        ready.autoInstallOnAppQuit = true
        state = { kind: 'agreed', version }
        logger.info('The user agreed to install the update on quit', { version })
      }
    } finally {
      asking = false
    }
  }

  const loaded = (): Promise<Updater> => {
    updater ??= options.loadUpdater().then((instance) => {
      instance.autoDownload = true
      // Never install a download unasked: only the user's Install when I quit turns this on.
      instance.autoInstallOnAppQuit = false
      instance.logger = {
        info: (text?: unknown) => logger.info(`Updater: ${String(text)}`),
        warn: (text?: unknown) => logger.warn(`Updater: ${String(text)}`),
        error: (text?: unknown) => logger.error(`Updater: ${String(text)}`),
      }
      instance.on('update-available', (info) => {
        if (state.kind === 'idle') state = { kind: 'downloading', version: info.version }
      })
      instance.on('update-downloaded', (event) => {
        if (state.kind === 'agreed' && state.version === event.version) return
        state = { kind: 'downloaded', version: event.version }
        void askToInstall(event.version)
      })
      // A failed check or download: logged; an EventEmitter without an error listener would throw.
      instance.on('error', (error) => {
        logger.warn('Update check or download failed', { error: error.name })
        if (state.kind === 'downloading') state = { kind: 'idle' }
      })
      return instance
    })
    return updater
  }

  const check = (): Promise<'available' | 'current' | 'inactive'> => {
    checking ??= (async () => {
      const result = await (await loaded()).checkForUpdates()
      // Download failures also arrive as 'error' events; this promise must not go unhandled.
      result?.downloadPromise?.catch(() => undefined)
      if (!result) return 'inactive'
      return result.isUpdateAvailable ? 'available' : 'current'
    })().finally(() => (checking = undefined))
    return checking
  }

  return {
    async checkAtStartup() {
      if (!options.decision.enabled) {
        logger.info('Updates are off', { reason: options.decision.reason })
        return
      }
      await check().catch((error: unknown) =>
        logger.warn('The start-up update check failed', { error: error instanceof Error ? error.name : typeof error }),
      )
    },

    async checkFromMenu() {
      if (!options.decision.enabled) return message('Updates are off', options.decision.message)
      // A version already found: say where it stands rather than ask the server again.
      if (state.kind === 'idle') {
        let outcome: 'available' | 'current' | 'inactive'
        try {
          outcome = await check()
        } catch {
          return message('Could not check for updates', 'Check your internet connection, then try again.')
        }
        if (outcome === 'inactive') return message('Updates are not available for this copy of the app.')
        if (outcome === 'current') {
          return message("You're up to date", `Cloverhound Contacts ${options.currentVersion} is the newest version.`)
        }
      }
      return tellWhereItStands()
    },
  }

  /** Once a check found a version: downloading, waiting for the user's answer, or agreed. */
  function tellWhereItStands(): Promise<void> {
    const now = state
    if (now.kind === 'downloaded') return askToInstall(now.version)
    if (now.kind === 'agreed')
      return message(`Cloverhound Contacts ${now.version} will be installed when you quit the app.`)
    if (now.kind === 'downloading') {
      return message(
        `Cloverhound Contacts ${now.version} is downloading.`,
        'You will be asked to install it once it is ready.',
      )
    }
    // Found, then failed to download (the error is logged): the next check starts over.
    return message('Could not download the update', 'Check your internet connection, then try again.')
  }
}
