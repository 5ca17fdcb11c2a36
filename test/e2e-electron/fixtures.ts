import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { _electron, test as base, expect, type ElectronApplication, type Page } from '@playwright/test'
import { APP_ID } from '../../src/main/core/app-id.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { ensureElectronBinary, planElectronTests, type ElectronBinary } from './electron-binary.ts'
import type { PageGlobals } from './page-globals.ts'

/** The built main process (`npm run build` first); its preload and renderer sit beside it in out/. */
export const MAIN_PATH = resolve(import.meta.dirname, '../../out/main/index.js')

/** The keychain service the app stores its key under. */
export const KEYCHAIN_SERVICE = APP_ID

/** The built renderer's address. */
export { APP_INDEX_URL } from '../../src/main/core/app-page.ts'

/** The plan for this machine: run, skip (a developer's machine) or fail (CI). */
function electronTestPlan(binary: ElectronBinary) {
  return planElectronTests(binary, { ci: process.env.CI, platform: process.platform, uid: process.getuid?.() })
}

/** The built app, started by Playwright on its own data folder. */
export interface LaunchedApp {
  electronApp: ElectronApplication
  /** The main window, showing the app's first view. */
  window: Page
  /** Main's stdout and stderr and the page's console errors, attached to a failed test's report. */
  output: string[]
  /** Quits the app the way a user would (the core finishes its writes first); safe to call twice. */
  close(): Promise<void>
  readonly closed: boolean
}

/**
 * Starts the built app as a user would start it, except for the data folder: Electron takes
 * Chromium's `--user-data-dir` switch as `app.getPath('userData')` (and the single-instance lock
 * is per data folder), so every launch gets its own settings, outbox and browser storage. The
 * keychain is not per folder; see `skipUnlessThrowawayKeychain`.
 */
export async function launchApp(options: { userDataDir: string }): Promise<LaunchedApp> {
  if (!existsSync(MAIN_PATH)) throw new Error(`${MAIN_PATH} is missing: run \`npm run build\` first.`)
  const electronApp = await _electron.launch({
    args: [MAIN_PATH, `--user-data-dir=${options.userDataDir}`],
    env: appEnvironment(),
    // Playwright turns Chromium's sandbox off on Linux unless asked; the app's security rests on it.
    chromiumSandbox: true,
    timeout: 60_000,
  })
  const output: string[] = []
  electronApp.process().stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  electronApp.process().stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  let closed = false
  electronApp.on('close', () => (closed = true))

  // If Electron ever stopped honouring the switch, the tests would be using the real profile: stop here.
  const userData = await electronApp.evaluate(({ app }) => app.getPath('userData'))
  if (!samePath(userData, options.userDataDir)) {
    await electronApp.close()
    throw new Error(
      `The app's data folder is ${userData}, not ${options.userDataDir}: Electron ignored --user-data-dir. ` +
        'src/main would need its own way to take the folder for tests.',
    )
  }

  const window = await electronApp.firstWindow()
  window.on('console', (message) => {
    if (message.type() === 'error') output.push(`[renderer console] ${message.text()}\n`)
  })
  window.on('pageerror', (error) => output.push(`[renderer error] ${error.message}\n`))
  await window.waitForLoadState('domcontentloaded')
  await expect(window.getByRole('heading', { name: 'New contact' })).toBeVisible()

  return {
    electronApp,
    window,
    output,
    get closed() {
      return closed
    },
    close: async () => {
      if (!closed) await electronApp.close()
      closed = true
    },
  }
}

/** Compared as the file system sees them: macOS's /var is /private/var, Windows has 8.3 short names. */
function samePath(a: string, b: string): boolean {
  try {
    return realpathSync.native(a) === realpathSync.native(b)
  } catch {
    return a === b
  }
}

/** The test runner's environment minus anything that would turn the built app into a dev build. */
function appEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value
  delete env.ELECTRON_RENDERER_URL // electron-vite dev's server: the app would load it instead of app://bundle
  delete env.ELECTRON_RUN_AS_NODE
  env.NODE_ENV = 'production'
  return env
}

/**
 * Why a test that stores an API key may not run here, or undefined. The app keeps its key in the
 * OS keychain under `KEYCHAIN_SERVICE`, accounts beginning "default", whatever the data folder: on a
 * developer's own computer a test would overwrite the installed app's key.
 * - Linux: only inside the private, throwaway keyring of scripts/with-keyring.ts (CI runs it so).
 * - macOS and Windows: on CI's throwaway machines, or when asked with CLOVERHOUND_E2E_REAL_KEYCHAIN=1.
 */
export function throwawayKeychainProblem(): string | undefined {
  if (process.platform === 'linux') {
    return process.env.CLOVERHOUND_TEST_KEYRING === 'private'
      ? undefined
      : 'This test stores an API key: on Linux it runs inside a private keyring, ' +
          '`node --experimental-strip-types scripts/with-keyring.ts npm run test:e2e-electron` (as CI does).'
  }
  if (process.env.CI || process.env.CLOVERHOUND_E2E_REAL_KEYCHAIN === '1') return undefined
  return (
    `This test stores an API key in this computer's keychain (service ${KEYCHAIN_SERVICE}), where an installed ` +
    'copy of the app keeps its own. It runs in CI, or here with CLOVERHOUND_E2E_REAL_KEYCHAIN=1.'
  )
}

export function skipUnlessThrowawayKeychain(): void {
  const problem = throwawayKeychainProblem()
  test.skip(problem !== undefined, problem ?? '')
}

/** Windows of the app whose test saved an API key: their key is removed when the test ends. */
const storedKey = new WeakSet<Page>()

interface WorkerFixtures {
  electronBinary: ElectronBinary
}

interface TestFixtures {
  /** Where Electron cannot start (no binary, or root on Linux): skips every test, or fails it under CI. */
  requireElectron: void
  userDataDir: string
  app: LaunchedApp
  electronApp: ElectronApplication
  window: Page
  sandbox: Sandbox
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  electronBinary: [
    async ({}, use) => {
      const binary = await ensureElectronBinary()
      // Once per worker, so the reason shows in the run's output and not only in each test's annotation.
      const plan = electronTestPlan(binary)
      if (!plan.run) console.log(`${plan.fail ? 'Failing' : 'Skipping'} the Electron end-to-end tests. ${plan.reason}`)
      await use(binary)
    },
    // The first run on a fresh CI machine downloads the binary (about 100 MB).
    { scope: 'worker', timeout: 6 * 60_000 },
  ],

  requireElectron: [
    async ({ electronBinary }, use) => {
      const plan = electronTestPlan(electronBinary)
      if (!plan.run && plan.fail) throw new Error(`Under CI the Electron end-to-end tests must run. ${plan.reason}`)
      test.skip(!plan.run, plan.run ? '' : plan.reason)
      await use()
    },
    { auto: true },
  ],

  userDataDir: async ({ requireElectron }, use) => {
    void requireElectron
    const dir = mkdtempSync(join(tmpdir(), 'cloverhound-e2e-electron-'))
    await use(dir)
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
    } catch {
      // Windows may hold a file of the quit app a moment longer; a leftover temp folder fails nothing.
    }
  },

  app: async ({ userDataDir }, use, testInfo) => {
    const app = await launchApp({ userDataDir })
    await use(app)
    if (!app.closed && storedKey.has(app.window)) {
      // A failed test may not have reached its own clean-up: leave no key in the keychain.
      await app.window.evaluate(() => (globalThis as unknown as PageGlobals).api.removeApiKey()).catch(() => undefined)
    }
    await app.close().catch(() => undefined)
    if (testInfo.status !== testInfo.expectedStatus && app.output.length > 0) {
      await testInfo.attach('electron-output.txt', { body: app.output.join(''), contentType: 'text/plain' })
    }
  },

  electronApp: async ({ app }, use) => {
    await use(app.electronApp)
  },

  window: async ({ app }, use) => {
    await use(app.window)
  },

  sandbox: async ({ requireElectron }, use) => {
    void requireElectron
    const sandbox = await startSandbox()
    await use(sandbox)
    await sandbox.close()
  },
})

export { expect }

export interface ConnectionValues {
  baseUrl: string
  organizationId: number | string
  apiKeyId: string
  apiKey: string
}

/** The Settings values that point the app at the sandbox. */
export function sandboxSettings(sandbox: Sandbox, overrides: { apiKey?: string } = {}): ConnectionValues {
  return {
    baseUrl: sandbox.url,
    organizationId: sandbox.organizationId,
    apiKeyId: sandbox.apiKeyId,
    apiKey: overrides.apiKey ?? sandbox.apiKey,
  }
}

/** Fills Settings as a user would, saves (the key goes to the keychain), and returns to the form. */
export async function configure(window: Page, values: ConnectionValues): Promise<void> {
  await window.getByRole('button', { name: 'Settings', exact: true }).click()
  await window.getByLabel('Base URL').fill(values.baseUrl)
  await window.getByLabel('Organization ID').fill(String(values.organizationId))
  await window.getByLabel('API key ID').fill(values.apiKeyId)
  await window.getByLabel('API key', { exact: true }).fill(values.apiKey)
  storedKey.add(window)
  await window.getByRole('button', { name: 'Save settings' }).click()
  await expect(window.getByText(/key is stored/i)).toBeVisible()
  await window.getByRole('button', { name: 'New contact', exact: true }).click()
  await expect(window.getByRole('heading', { name: 'New contact' })).toBeVisible()
}

/** Removes the stored key through Settings' "Remove key", as a user would. */
export async function removeKeyThroughSettings(window: Page): Promise<void> {
  await window.getByRole('button', { name: 'Settings', exact: true }).click()
  await window.getByRole('button', { name: 'Remove key' }).click()
  await window
    .getByRole('dialog', { name: 'Remove the API key?' })
    .getByRole('button', { name: 'Yes, remove key' })
    .click()
  await expect(window.getByText(/No key is stored yet/i)).toBeVisible()
  await expect(window.getByRole('button', { name: 'Remove key' })).toBeDisabled()
}

/** Every top-level window main has, as main counts them. */
export async function windowCount(electronApp: ElectronApplication): Promise<number> {
  return electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)
}
