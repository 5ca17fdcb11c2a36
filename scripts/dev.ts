/**
 * `npm run dev [-- electron-vite options]`: the Electron app with hot reload, once there is an Electron binary
 * that runs here. Since Electron 42 the binary downloads on first use; where that cannot work (no network to
 * GitHub, ELECTRON_SKIP_BINARY_DOWNLOAD, a machine that cannot run it) this says so and points to the web
 * preview, instead of electron-vite failing with "Electron failed to install correctly".
 */
import { spawn, spawnSync } from 'node:child_process'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureElectronBinary, findElectronBinary, type ElectronBinary } from '../test/e2e-electron/electron-binary.ts'

/** How long `electron --version` may take before the binary counts as not starting. */
export const VERSION_TIMEOUT_MS = 20_000

export type VersionCheck = { ok: true; version: string } | { ok: false; reason: string }

export interface DevCheckDependencies {
  /** Finds the binary, downloading it once when missing. */
  ensureBinary: () => Promise<ElectronBinary>
  /** Runs the binary far enough to prove it loads on this machine. */
  version: (executablePath: string) => VersionCheck
}

/** Why `npm run dev` cannot start Electron here, in words for the terminal; undefined when it can. */
export async function electronDevProblem(deps: DevCheckDependencies): Promise<string | undefined> {
  const binary = await deps.ensureBinary()
  if (!binary.found) return noElectronMessage(binary.reason)
  const version = deps.version(binary.executablePath)
  return version.ok ? undefined : noElectronMessage(`the Electron binary does not start (${version.reason})`)
}

export function noElectronMessage(reason: string): string {
  return [
    `npm run dev needs an Electron binary, and there is none that runs here: ${reason}.`,
    '',
    'The same app runs in a browser instead (the same renderer and core):',
    '  npm run sandbox                              # in one terminal: a local stand-in for the API',
    '  npm run preview:web -- --in-memory-secrets   # in another: prints "Web preview: <address>"; open it',
    '',
    'To get Electron itself, run `npx install-electron` where GitHub downloads work (see the README).',
  ].join('\n')
}

/**
 * `--version` under ELECTRON_RUN_AS_NODE: it prints the bundled Node's version and exits without opening a
 * window, so it needs no display, yet it loads the executable and every library it links against.
 */
export function electronVersion(executablePath: string): VersionCheck {
  const run = spawnSync(executablePath, ['--version'], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: VERSION_TIMEOUT_MS,
    windowsHide: true,
  })
  if (run.error) {
    const code = (run.error as NodeJS.ErrnoException).code
    return {
      ok: false,
      reason: code === 'ETIMEDOUT' ? `no answer within ${VERSION_TIMEOUT_MS / 1000} s` : String(code),
    }
  }
  if (run.status === 0) return { ok: true, version: run.stdout.trim() }
  const said = run.stderr.split(/\r?\n/).find((line) => line.trim() !== '')
  return { ok: false, reason: said?.trim().slice(0, 200) ?? `exit code ${run.status ?? run.signal}` }
}

async function main(): Promise<void> {
  if (!findElectronBinary().found && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.info('Downloading the Electron binary (first run only)…')
  }
  const problem = await electronDevProblem({ ensureBinary: ensureElectronBinary, version: electronVersion })
  if (problem) {
    console.error(problem)
    process.exit(1)
  }
  const root = resolve(import.meta.dirname, '..')
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  const child = spawn(process.execPath, [electronVite, 'dev', ...process.argv.slice(2)], { stdio: 'inherit' })
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
