import { EventEmitter } from 'node:events'
import type { MessageBoxOptions } from 'electron'
import type { UpdateCheckResult, UpdateInfo } from 'electron-updater'
import { describe, expect, it, vi } from 'vitest'
import { decideUpdates, type UpdateDecision } from '../../../src/main/core/update-policy.ts'
import { INSTALL_ON_QUIT_BUTTON, NOT_NOW_BUTTON, createUpdates, type Updater } from '../../../src/main/updates.ts'

const ON: UpdateDecision = { enabled: true }

const info = (version: string): UpdateInfo => ({
  version,
  files: [],
  path: `cloverhound-contacts-${version}.exe`,
  sha512: 'x',
  releaseDate: '2030-01-01T00:00:00.000Z',
})

/**
 * electron-updater's AppUpdater as the app sees it: with autoDownload on, a check that finds a
 * version emits update-available, starts the download and later emits update-downloaded; a
 * failure rejects the check and emits 'error' (which, like any EventEmitter, throws unheard).
 */
class FakeUpdater extends EventEmitter {
  autoDownload = true
  autoInstallOnAppQuit = true
  logger: unknown = console
  latest: string | undefined
  failWith: Error | undefined
  active = true
  /** Resolves a pending download; set while one runs. */
  finishDownload: (() => void) | undefined
  readonly checkForUpdates = vi.fn(async (): Promise<UpdateCheckResult | null> => {
    if (!this.active) return null
    this.emit('checking-for-update')
    await Promise.resolve()
    if (this.failWith) {
      this.emit('error', this.failWith)
      throw this.failWith
    }
    const latest = info(this.latest ?? '1.0.0')
    const isUpdateAvailable = this.latest !== undefined
    if (!isUpdateAvailable) {
      this.emit('update-not-available', latest)
      return { isUpdateAvailable, updateInfo: latest, versionInfo: latest }
    }
    this.emit('update-available', latest)
    const downloadPromise = this.autoDownload
      ? new Promise<string[]>((resolve) => {
          this.finishDownload = () => {
            this.emit('update-downloaded', { ...latest, downloadedFile: '/tmp/update.exe' })
            resolve(['/tmp/update.exe'])
          }
        })
      : null
    return { isUpdateAvailable, updateInfo: latest, versionInfo: latest, downloadPromise }
  })
}

function setUp(decision: UpdateDecision = ON, answers: number[] = []) {
  const updater = new FakeUpdater()
  const shown: MessageBoxOptions[] = []
  const logger = { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
  const loadUpdater = vi.fn(async () => updater as unknown as Updater)
  const updates = createUpdates({
    decision,
    loadUpdater,
    showMessage: async (options) => {
      shown.push(options)
      return answers.shift() ?? 0
    },
    currentVersion: '1.0.0',
    logger,
  })
  return { updater, shown, logger, loadUpdater, updates }
}

const messages = (shown: MessageBoxOptions[]) => shown.map((options) => options.message)

describe('updates', () => {
  it('never loads the updater when updates are off, and says why from the menu', async () => {
    const decision = decideUpdates({ isPackaged: true, platform: 'darwin', env: {}, policy: { kind: 'missing' } })
    const { updates, loadUpdater, shown } = setUp(decision)
    await updates.checkAtStartup()
    await updates.checkFromMenu()
    expect(loadUpdater).not.toHaveBeenCalled()
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({ message: 'Updates are off', detail: expect.stringContaining('not signed') })
  })

  it('checks quietly at start-up and never installs a download on quit unless asked', async () => {
    const { updates, updater, shown } = setUp(ON, [1])
    await updates.checkAtStartup()
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
    expect(updater.autoDownload).toBe(true)
    expect(updater.autoInstallOnAppQuit).toBe(false)
    expect(shown).toEqual([])
  })

  it('downloads in the background, asks, and installs on quit once the user agrees', async () => {
    const { updates, updater, shown } = setUp(ON, [0])
    updater.latest = '1.1.0'
    await updates.checkAtStartup()
    expect(updater.autoInstallOnAppQuit).toBe(false)
    updater.finishDownload?.()
    await vi.waitFor(() => expect(updater.autoInstallOnAppQuit).toBe(true))
    expect(shown).toHaveLength(1)
    expect(shown[0]).toMatchObject({
      message: 'Cloverhound Contacts 1.1.0 is ready to install',
      buttons: [INSTALL_ON_QUIT_BUTTON, NOT_NOW_BUTTON],
      cancelId: 1,
    })
    // From the menu afterwards: it says what will happen, without asking the server again.
    await updates.checkFromMenu()
    expect(messages(shown).at(-1)).toBe('Cloverhound Contacts 1.1.0 will be installed when you quit the app.')
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1)
  })

  it('keeps a download it was told "Not now" for, and asks again from the menu', async () => {
    const { updates, updater, shown } = setUp(ON, [1, 0])
    updater.latest = '1.1.0'
    await updates.checkAtStartup()
    updater.finishDownload?.()
    await vi.waitFor(() => expect(shown).toHaveLength(1))
    // The answer is handled once the dialog has closed.
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(updater.autoInstallOnAppQuit).toBe(false)
    await updates.checkFromMenu()
    expect(shown).toHaveLength(2)
    expect(shown[1]?.message).toBe('Cloverhound Contacts 1.1.0 is ready to install')
    expect(updater.autoInstallOnAppQuit).toBe(true)
  })

  it('tells the menu user they are up to date', async () => {
    const { updates, shown } = setUp()
    await updates.checkFromMenu()
    expect(shown).toEqual([
      expect.objectContaining({ message: "You're up to date", detail: expect.stringContaining('1.0.0') }),
    ])
  })

  it('tells the menu user a found version is downloading', async () => {
    const { updates, updater, shown } = setUp()
    updater.latest = '2.0.0'
    await updates.checkFromMenu()
    expect(messages(shown)).toEqual(['Cloverhound Contacts 2.0.0 is downloading.'])
  })

  it('says a failed check in words from the menu, and only logs it at start-up', async () => {
    const { updates, updater, shown, logger } = setUp()
    updater.failWith = Object.assign(new Error('net::ERR_INTERNET_DISCONNECTED'), { name: 'Error' })
    await updates.checkAtStartup()
    expect(shown).toEqual([])
    expect(logger.warn).toHaveBeenCalled()
    await updates.checkFromMenu()
    expect(shown).toEqual([
      expect.objectContaining({
        message: 'Could not check for updates',
        detail: 'Check your internet connection, then try again.',
      }),
    ])
  })

  it('says so when the updater is inactive for this copy', async () => {
    const { updates, updater, shown } = setUp()
    updater.active = false
    await updates.checkFromMenu()
    expect(messages(shown)).toEqual(['Updates are not available for this copy of the app.'])
  })

  it('routes the updater’s own log lines through the app’s (redacting) logger', async () => {
    const { updates, updater, logger } = setUp()
    await updates.checkAtStartup()
    ;(updater.logger as { info(message: string): void }).info('Checking for update')
    expect(logger.info).toHaveBeenCalledWith('Updater: Checking for update')
  })
})
