import type { BrowserWindow } from 'electron'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SHOW_AT_THE_LATEST_MS, keepWindowAlive } from '../../../src/main/window-recovery.ts'
import { FakeBrowserWindow, type LoadOutcome } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const APP_URL = 'app://bundle/index.html'
const ERROR_URL = 'app://bundle/load-error.html'
const notFound: LoadOutcome = { errorCode: -6, errorDescription: 'ERR_FILE_NOT_FOUND' }

let window: FakeBrowserWindow
const newLogger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() })
let logger = newLogger()

/** A window as createMainWindow makes it: hidden until painted, watched, then loading the app page. */
function open(...outcomes: LoadOutcome[]) {
  window = new FakeBrowserWindow({ show: false })
  window.loadOutcomes.push(...outcomes)
  window.once('ready-to-show', () => window.show())
  keepWindowAlive(window as unknown as BrowserWindow, APP_URL, logger)
  void window.loadURL(APP_URL).catch(() => undefined)
}

const urls = () => window.loads.map((load) => ('url' in load ? load.url : load.file))

function crash(reason = 'crashed') {
  window.webContents.emit('render-process-gone', {}, { reason, exitCode: 139 })
}

beforeEach(() => {
  FakeBrowserWindow.all.length = 0
  logger = newLogger()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('keepWindowAlive', () => {
  it('reloads the app page once when it fails to load, and shows it when that works', async () => {
    open(notFound)
    await vi.waitFor(() => expect(window.isVisible()).toBe(true))
    expect(urls()).toEqual([APP_URL, APP_URL])
  })

  it('shows the load-error page, visibly, when the reload fails too', async () => {
    open(notFound, notFound)
    await vi.waitFor(() => expect(urls()).toEqual([APP_URL, APP_URL, ERROR_URL]))
    expect(window.isVisible()).toBe(true)
    expect(logger.error).toHaveBeenCalledTimes(1)
  })

  it('reloads once after the renderer dies, then falls back to the load-error page', async () => {
    open()
    await vi.waitFor(() => expect(window.isVisible()).toBe(true))
    crash()
    await vi.waitFor(() => expect(urls()).toEqual([APP_URL, APP_URL]))
    crash('oom')
    await vi.waitFor(() => expect(urls()).toEqual([APP_URL, APP_URL, ERROR_URL]))
  })

  it("gives the user's Reload from the error page its own second chance", async () => {
    open(notFound, notFound)
    await vi.waitFor(() => expect(urls().at(-1)).toBe(ERROR_URL))
    // Reload on the error page navigates to the app page, which fails twice more.
    window.loadOutcomes.push(notFound, notFound)
    void window.loadURL(APP_URL).catch(() => undefined)
    await vi.waitFor(() => expect(urls()).toEqual([APP_URL, APP_URL, ERROR_URL, APP_URL, APP_URL, ERROR_URL]))
  })

  it('ignores sub-frame failures and loads that were only replaced (ERR_ABORTED)', async () => {
    open()
    await vi.waitFor(() => expect(window.isVisible()).toBe(true))
    window.webContents.emit('did-fail-load', {}, -6, 'ERR_FILE_NOT_FOUND', 'app://bundle/x.html', false)
    window.webContents.emit('did-fail-load', {}, -3, 'ERR_ABORTED', APP_URL, true)
    await Promise.resolve()
    expect(urls()).toEqual([APP_URL])
  })

  it('does not loop when the load-error page itself fails: the window is shown as it is', async () => {
    open(notFound, notFound, notFound)
    await vi.waitFor(() => expect(urls()).toEqual([APP_URL, APP_URL, ERROR_URL]))
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(urls()).toHaveLength(3)
    expect(window.isVisible()).toBe(true)
  })

  it('shows a window that never paints after a while, never leaving it invisible', () => {
    vi.useFakeTimers()
    window = new FakeBrowserWindow({ show: false })
    keepWindowAlive(window as unknown as BrowserWindow, APP_URL, logger)
    vi.advanceTimersByTime(SHOW_AT_THE_LATEST_MS - 1)
    expect(window.isVisible()).toBe(false)
    vi.advanceTimersByTime(1)
    expect(window.isVisible()).toBe(true)
  })
})
