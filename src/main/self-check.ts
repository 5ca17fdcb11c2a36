import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { BrowserWindow, WebContents } from 'electron'
import type { CommandHandlers } from '../shared/bridge-contract.ts'
import type { SecretStore } from './core/secret-store.ts'

/**
 * The smoke test of a packaged build (run by the release workflow): with this variable set to a
 * file path, the app opens its window, checks the page, bridge, keychain and outbox, writes a JSON
 * report there and exits 0 when every check passed, 1 otherwise. An environment variable and never
 * a command-line switch: a page or a link cannot start the app in this mode.
 */
export const SELF_CHECK_ENV = 'CLOVERHOUND_SELF_CHECK'
export const SELF_CHECK_FORMAT = 'cloverhound-self-check/1'
/** Read, never written: the keychain answers "nothing stored" and keeps no trace of the check. */
export const SELF_CHECK_ACCOUNT = 'self-check'
/** Per check; a packaged build on a slow CI machine shows its window within seconds. */
export const SELF_CHECK_STEP_TIMEOUT_MS = 30_000

export type SelfCheckName = 'start' | 'window' | 'page' | 'bridge' | 'keychain' | 'outbox'
export interface SelfCheckResult {
  name: SelfCheckName
  ok: boolean
  detail: string
}

export interface SelfCheckReport {
  format: typeof SELF_CHECK_FORMAT
  ok: boolean
  app: { version: string; packaged: boolean; platform: string; arch: string; electron: string | null }
  startedAt: string
  finishedAt: string
  checks: SelfCheckResult[]
}

export type SelfCheckApp = Omit<SelfCheckReport['app'], 'platform' | 'arch' | 'electron'>

/** The report file named by `CLOVERHOUND_SELF_CHECK`, or undefined when the mode is off. */
export function selfCheckReportPath(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const value = env[SELF_CHECK_ENV]?.trim()
  return value ? resolve(value) : undefined
}

export interface SelfCheckTargets {
  window: Pick<BrowserWindow, 'isVisible' | 'once'> & {
    webContents: Pick<WebContents, 'once' | 'getURL' | 'executeJavaScript'>
  }
  /** The app page the window must show: app://bundle/index.html in a packaged build. */
  pageUrl: string
  secrets: SecretStore
  /** The core in its own process, asked as a window asks it. */
  core: Pick<CommandHandlers, 'getSyncStatus'>
  stepTimeoutMs?: number
}

/** In the page, through the preload's `window.api` and IPC into main's handlers, as the renderer calls it. */
const BRIDGE_PROBE = `(async () => {
  const nodeReachable = typeof globalThis.require !== 'undefined' || typeof globalThis.process !== 'undefined'
  const result = await globalThis.api.getSyncStatus()
  return { nodeReachable, ok: result && result.ok === true, code: result && result.error ? result.error.code : null }
})()`

/**
 * Runs every check, each on its own (a failure does not skip the rest), and returns the results.
 * Call it right after the window is created: it listens for the window's first paint and load.
 */
export async function runSelfCheck(targets: SelfCheckTargets): Promise<SelfCheckResult[]> {
  const timeoutMs = targets.stepTimeoutMs ?? SELF_CHECK_STEP_TIMEOUT_MS
  const { window } = targets
  // Listening before anything else runs, so neither event can be missed.
  const painted = new Promise<void>((resolve) => window.once('ready-to-show', () => resolve()))
  const loaded = new Promise<string | undefined>((resolve) => {
    window.webContents.once('did-finish-load', () => resolve(undefined))
    window.webContents.once('did-fail-load', (_event, code, description) => resolve(`${description} (${code})`))
  })

  const results: SelfCheckResult[] = []
  const step = async (name: SelfCheckName, run: () => Promise<string>) => {
    try {
      results.push({ name, ok: true, detail: await withTimeout(run(), timeoutMs) })
    } catch (error) {
      results.push({ name, ok: false, detail: describe(error) })
    }
  }

  await step('window', async () => {
    if (!window.isVisible()) await painted
    return 'The window was painted and shown.'
  })
  await step('page', async () => {
    const failure = await loaded
    if (failure) throw new Error(`The page did not load: ${failure}`)
    const url = window.webContents.getURL()
    if (url !== targets.pageUrl) throw new Error(`The window shows ${url}, not ${targets.pageUrl}`)
    return `Loaded ${url}`
  })
  await step('bridge', async () => {
    const answer = (await window.webContents.executeJavaScript(BRIDGE_PROBE)) as {
      nodeReachable?: unknown
      ok?: unknown
      code?: unknown
    }
    if (answer.nodeReachable !== false) throw new Error('The page can reach Node.js')
    if (answer.ok !== true) throw new Error(`getSyncStatus answered with an error (${String(answer.code)})`)
    return 'window.api.getSyncStatus answered through the preload and IPC; the page has no Node.js.'
  })
  await step('keychain', async () => {
    await targets.secrets.get(SELF_CHECK_ACCOUNT)
    return 'The system keychain answered a read.'
  })
  await step('outbox', async () => {
    const status = await targets.core.getSyncStatus(undefined)
    if (!status.ok) throw new Error(`The outbox did not answer: ${status.error.message}`)
    return `The outbox is open in its own process (${status.value.toSend} to send).`
  })
  return results
}

export function selfCheckReport(
  app: SelfCheckApp,
  checks: SelfCheckResult[],
  times: { startedAt: number; finishedAt: number },
): SelfCheckReport {
  return {
    format: SELF_CHECK_FORMAT,
    ok: checks.length > 0 && checks.every((check) => check.ok),
    app: { ...app, platform: process.platform, arch: process.arch, electron: process.versions.electron ?? null },
    startedAt: new Date(times.startedAt).toISOString(),
    finishedAt: new Date(times.finishedAt).toISOString(),
    checks,
  }
}

export async function writeSelfCheckReport(path: string, report: SelfCheckReport): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8')
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
