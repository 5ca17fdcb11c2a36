import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Runs `electron-vite build` when out/renderer/index.html is missing or older than any file in
 * src/, the build config or the lockfile: the web preview and the benchmarks serve what was built.
 */
export function buildIfStale(root: string): void {
  const built = join(root, 'out', 'renderer', 'index.html')
  const sources = [join(root, 'src'), join(root, 'electron.vite.config.ts'), join(root, 'package-lock.json')]
  if (existsSync(built) && !sources.some((path) => newestMtime(path) > statSync(built).mtimeMs)) return
  console.info('Building the app…')
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  })
}

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0)
}
