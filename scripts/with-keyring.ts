// Runs a command inside a private D-Bus session with a throwaway, unlocked GNOME Keyring, so
// tests use the real Secret Service without touching the developer's own keychain.
// Usage: node scripts/with-keyring.ts <command> [args…]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const [command, ...args] = process.argv.slice(2)
if (!command) {
  console.error('Usage: node scripts/with-keyring.ts <command> [args…]')
  process.exit(2)
}

if (process.platform !== 'linux' || process.env.CLOVERHOUND_TEST_KEYRING === 'private') {
  // macOS and Windows keychains cannot be sandboxed like this; the keychain tests skip there.
  process.exit(run(command, args, process.env))
}

for (const tool of ['dbus-run-session', 'gnome-keyring-daemon']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    console.error(`${tool} is missing. Install it with: sudo apt-get install dbus gnome-keyring libsecret-1-dev`)
    process.exit(1)
  }
}

const home = mkdtempSync(join(tmpdir(), 'cloverhound-keyring-'))
const runtime = join(home, 'runtime')
const env = {
  ...process.env,
  XDG_DATA_HOME: join(home, 'data'),
  XDG_RUNTIME_DIR: runtime,
  CLOVERHOUND_TEST_KEYRING: 'private',
}
spawnSync('mkdir', ['-m', '700', '-p', runtime, env.XDG_DATA_HOME])
const inner = 'printf throwaway | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "$@"'
const status = run('dbus-run-session', ['--', 'sh', '-c', inner, 'sh', command, ...args], env)
rmSync(home, { recursive: true, force: true })
process.exit(status)

function run(file: string, argv: string[], environment: NodeJS.ProcessEnv): number {
  // On Windows, npm's bin shims (vitest.cmd) start only through a shell.
  const result = spawnSync(file, argv, { stdio: 'inherit', env: environment, shell: process.platform === 'win32' })
  return result.status ?? 1
}
