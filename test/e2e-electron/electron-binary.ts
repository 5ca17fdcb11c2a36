import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'

/** Where the Electron executable is, or why there is none. */
export type ElectronBinary = { found: true; executablePath: string } | { found: false; reason: string }

/** What the Electron end-to-end tests do here: run, or skip / fail with the reason. */
export type ElectronTestPlan = { run: true } | { run: false; fail: boolean; reason: string }

export interface TestMachine {
  /** `process.env.CI`: set by GitHub Actions and the project's own CI. */
  ci: string | undefined
  platform: NodeJS.Platform
  uid: number | undefined
}

/**
 * Where no Electron can start, the tests skip with the reason on a developer's machine, and fail
 * under CI: a CI run must never be green because the Electron tests quietly did not run.
 */
export function planElectronTests(binary: ElectronBinary, machine: TestMachine): ElectronTestPlan {
  const fail = machine.ci !== undefined && machine.ci !== '' && machine.ci !== 'false'
  if (!binary.found) return { run: false, fail, reason: noBinaryMessage(binary.reason) }
  if (machine.platform === 'linux' && machine.uid === 0) {
    return {
      run: false,
      fail,
      reason:
        'Electron’s Chromium sandbox refuses to run as root (crbug.com/638180), and these tests keep it on: ' +
        'run them as a normal user.',
    }
  }
  return { run: true }
}

export function noBinaryMessage(reason: string): string {
  return (
    `No Electron binary here: ${reason}. These tests need a real Electron and run in GitHub Actions, ` +
    'where the binary downloads (see .github/workflows/ci.yml).'
  )
}

const run = promisify(execFile)

/** How long the one download attempt may take (the archive is about 100 MB). */
export const DOWNLOAD_TIMEOUT_MS = 5 * 60_000

/**
 * The `electron` package's folder, resolved the way Playwright resolves `electron/index.js`.
 * Only files are read: `require('electron')` itself would start a download and throw
 * "Electron failed to install correctly" where none is possible.
 */
export function electronPackageDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return undefined
  }
}

/**
 * The executable `require('electron')` would return, without that require's side effect: the same
 * `path.txt` + `dist/` lookup (and `ELECTRON_OVERRIDE_DIST_PATH`) as the package's index.js.
 */
export function findElectronBinary(packageDir = electronPackageDir()): ElectronBinary {
  if (!packageDir) return { found: false, reason: 'the electron package is not installed (run npm ci)' }
  const pathFile = join(packageDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  if (override) {
    const executablePath = join(override, relative || 'electron')
    return existsSync(executablePath)
      ? { found: true, executablePath }
      : { found: false, reason: 'ELECTRON_OVERRIDE_DIST_PATH names a folder without an Electron executable' }
  }
  if (!relative) return { found: false, reason: 'node_modules/electron has no downloaded binary (no path.txt)' }
  const executablePath = join(packageDir, 'dist', relative)
  return existsSync(executablePath)
    ? { found: true, executablePath }
    : { found: false, reason: `node_modules/electron/dist has no ${relative}` }
}

/**
 * Finds the binary, downloading it once if it is missing. Since Electron 42 the package downloads
 * lazily on the first `require('electron')` rather than at install, so on a fresh CI machine the
 * binary is fetched here — by the package's own installer, in a child process whose output is
 * kept out of the test log. Where that cannot work, the reason comes back instead of an error.
 */
export async function ensureElectronBinary(): Promise<ElectronBinary> {
  const packageDir = electronPackageDir()
  const present = findElectronBinary(packageDir)
  if (present.found || !packageDir) return present
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { found: false, reason: `${present.reason}, and ELECTRON_SKIP_BINARY_DOWNLOAD is set` }
  }
  try {
    await run(process.execPath, [join(packageDir, 'install.js')], {
      cwd: packageDir,
      timeout: DOWNLOAD_TIMEOUT_MS,
      windowsHide: true,
    })
  } catch (error) {
    return { found: false, reason: `${present.reason}, and downloading it failed (${downloadFailure(error)})` }
  }
  return findElectronBinary(packageDir)
}

/** The installer's last words (it prints a stack trace), kept to one short line. */
function downloadFailure(error: unknown): string {
  const { stderr, killed, message } = error as { stderr?: unknown; killed?: boolean; message?: string }
  if (killed) return `no answer within ${DOWNLOAD_TIMEOUT_MS / 60_000} minutes`
  const lines = String(stderr ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '))
  return (lines[0] ?? message ?? 'unknown error').slice(0, 200)
}
