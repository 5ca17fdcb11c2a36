// Checks what a packaged build carries, on any machine and without downloading Electron:
// electron-builder packs the built app (`npm run build` first) for `--linux dir` around a stand-in
// Electron folder, then this script reads resources/app.asar and asserts what must and must not be
// in it, that keytar's native module is unpacked, and that the configured fuses were flipped.
// Usage: node --experimental-strip-types scripts/check-package.ts   (npm run test:package)
// Set CHECK_PACKAGE_KEEP=1 to keep the temporary output folder for a look.
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { getRawHeader } from '@electron/asar'

type DirectoryRecord = ReturnType<typeof getRawHeader>['header']
type AsarEntry = DirectoryRecord['files'][string]

interface PackageJson {
  name?: string
  version?: string
  main?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

const ROOT = resolve(import.meta.dirname, '..')
const ALLOWED_AT_ROOT = new Set(['out', 'node_modules', 'package.json'])
const REQUIRED_APP_FILES = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']
/** Build tools that must never ship, whether or not package.json lists them directly. */
const NEVER_SHIPPED = [
  'playwright',
  'playwright-core',
  'app-builder-lib',
  'builder-util',
  '@electron/rebuild',
  'node-gyp',
]
const SOURCE_OR_MAP = /\.(ts|mts|cts|tsx|map)$/
const NATIVE_BUILD_LEFTOVERS = /^node_modules\/keytar\/(src|binding\.gyp|build\/Release\/obj\.target)/

/**
 * What the fuses must read after packaging (@electron/fuses' wire order). The stand-in starts from
 * Electron's defaults, so each line proves electron-builder flipped it as electron-builder.yml says.
 */
const EXPECTED_FUSES: ReadonlyArray<[name: string, enabled: boolean]> = [
  ['RunAsNode', false],
  ['EnableCookieEncryption', true],
  ['EnableNodeOptionsEnvironmentVariable', false],
  ['EnableNodeCliInspectArguments', false],
  ['EnableEmbeddedAsarIntegrityValidation', true],
  ['OnlyLoadAppFromAsar', true],
]
const FUSE_GRANT_FILE_PROTOCOL = 7
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron's own defaults for the eight V1 fuses: '1' enabled, '0' disabled. */
const DEFAULT_FUSE_WIRE = '10110001'

const results: { ok: boolean; label: string; problems: string[] }[] = []

function check(label: string, problems: string[]): void {
  results.push({ ok: problems.length === 0, label, problems })
}

function readJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson
}

/** A reason the check cannot go on at all (as opposed to a failed assertion). */
class CheckAborted extends Error {}

function fail(message: string): never {
  throw new CheckAborted(message)
}

/**
 * A stand-in for an unpacked Electron for Linux: electron-builder copies the folder, renames the
 * `electron` executable to the app's name and writes resources/app.asar next to it. The executable
 * carries a fuse wire (sentinel, version 1, length, states) so @electron/fuses can flip it exactly
 * as in a real binary; nothing ever runs it.
 */
function createStandInElectron(folder: string, electronVersion: string): void {
  mkdirSync(join(folder, 'resources'), { recursive: true })
  mkdirSync(join(folder, 'locales'), { recursive: true })
  const wire = Buffer.from(DEFAULT_FUSE_WIRE, 'latin1')
  const executable = join(folder, 'electron')
  writeFileSync(
    executable,
    Buffer.concat([
      Buffer.from('#!/bin/sh\necho "stand-in Electron for scripts/check-package.ts" >&2\nexit 1\n'),
      Buffer.from(FUSE_SENTINEL, 'latin1'),
      Buffer.from([1, wire.length]),
      wire,
    ]),
  )
  chmodSync(executable, 0o755)
  writeFileSync(join(folder, 'version'), electronVersion)
  writeFileSync(join(folder, 'LICENSE'), 'Stand-in for the Electron license file.\n')
  writeFileSync(join(folder, 'locales', 'en-US.pak'), '')
}

function readFuseWire(executable: string): string {
  const binary = readFileSync(executable)
  const at = binary.indexOf(FUSE_SENTINEL, 0, 'latin1')
  if (at < 0) return ''
  const start = at + FUSE_SENTINEL.length
  const length = binary[start + 1] ?? 0
  return binary.subarray(start + 2, start + 2 + length).toString('latin1')
}

/** Every file in the archive as a relative path, with whether electron-builder unpacked it. */
function listArchive(directory: DirectoryRecord, prefix = ''): { path: string; unpacked: boolean }[] {
  const entries: { path: string; unpacked: boolean }[] = []
  for (const [name, entry] of Object.entries(directory.files)) {
    const path = prefix ? `${prefix}/${name}` : name
    if (isDirectory(entry)) entries.push(...listArchive(entry, path))
    else entries.push({ path, unpacked: 'unpacked' in entry && entry.unpacked === true })
  }
  return entries
}

function isDirectory(entry: AsarEntry): entry is DirectoryRecord {
  return 'files' in entry
}

/** Finds an installed package the way Node's resolver would, from `fromDir` upwards. */
function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name)
    if (existsSync(join(candidate, 'package.json'))) return candidate
    if (dir === ROOT || dirname(dir) === dir) return undefined
  }
}

/** The production dependency closure: `dependencies` and installed `optionalDependencies`, all the way down. */
function productionDependencies(manifest: PackageJson): Set<string> {
  const names = new Set<string>()
  const queue: { name: string; from: string; optional: boolean }[] = []
  const enqueue = (pkg: PackageJson, from: string) => {
    for (const name of Object.keys(pkg.dependencies ?? {})) queue.push({ name, from, optional: false })
    for (const name of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name, from, optional: true })
  }
  enqueue(manifest, ROOT)
  const seenDirs = new Set<string>()
  while (queue.length > 0) {
    const next = queue.shift()
    if (!next) break
    const dir = findPackageDir(next.name, next.from)
    if (!dir) {
      if (!next.optional) fail(`${next.name} is not installed (needed from ${next.from}); run npm ci first`)
      continue
    }
    names.add(next.name)
    if (seenDirs.has(dir)) continue
    seenDirs.add(dir)
    enqueue(readJson(join(dir, 'package.json')), dir)
  }
  return names
}

function runElectronBuilder(electronDist: string, outputDir: string): void {
  const cli = join(ROOT, 'node_modules', 'electron-builder', 'cli.js')
  if (!existsSync(cli)) fail('electron-builder is not installed; run npm ci first')
  const args = [
    cli,
    '--linux',
    'dir',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    // The stand-in has no headers to rebuild against, and keytar is N-API (see electron-builder.yml).
    '-c.npmRebuild=false',
    `-c.directories.output=${outputDir}`,
  ]
  const started = Date.now()
  const run = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 5 * 60_000,
    env: { ...process.env, CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
  })
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr)
    fail(`electron-builder failed (exit ${run.status ?? run.signal ?? 'unknown'}); its output is above`)
  }
  console.log(`  electron-builder --linux dir: ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

function main(): void {
  const manifest = readJson(join(ROOT, 'package.json'))
  for (const file of REQUIRED_APP_FILES.filter((f) => f.startsWith('out/'))) {
    if (!existsSync(join(ROOT, file))) fail(`${file} is missing: run \`npm run build\` first`)
  }
  const electronManifest = join(ROOT, 'node_modules', 'electron', 'package.json')
  if (!existsSync(electronManifest)) fail('the electron package is not installed; run npm ci first')
  const electronVersion = readJson(electronManifest).version ?? 'unknown'

  const work = mkdtempSync(join(tmpdir(), 'cloverhound-package-'))
  try {
    console.log(`Package check (stand-in Electron ${electronVersion}, output in ${work})`)
    const electronDist = join(work, 'electron')
    const outputDir = join(work, 'dist')
    createStandInElectron(electronDist, electronVersion)
    runElectronBuilder(electronDist, outputDir)
    inspect(manifest, join(outputDir, 'linux-unpacked'))
  } finally {
    if (process.env.CHECK_PACKAGE_KEEP === '1') console.log(`  kept ${work}`)
    else rmSync(work, { recursive: true, force: true })
  }

  for (const result of results) {
    console.log(`  ${result.ok ? '✓' : '✗'} ${result.label}`)
    for (const problem of result.problems.slice(0, 20)) console.log(`      ${problem}`)
    if (result.problems.length > 20) console.log(`      … and ${result.problems.length - 20} more`)
  }
  const failed = results.filter((r) => !r.ok).length
  console.log(`package check: ${results.length - failed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

function inspect(manifest: PackageJson, appOutDir: string): void {
  const resources = join(appOutDir, 'resources')
  const archive = join(resources, 'app.asar')
  if (!existsSync(archive)) fail(`electron-builder wrote no ${archive}`)
  const entries = listArchive(getRawHeader(archive).header)
  const paths = new Set(entries.map((e) => e.path))
  const sizeMb = (statSync(archive).size / 1024 / 1024).toFixed(1)
  const unpacked = entries.filter((e) => e.unpacked)
  console.log(`  app.asar: ${entries.length} files, ${sizeMb} MB; unpacked: ${unpacked.map((e) => e.path).join(', ')}`)

  const mainEntry = (manifest.main ?? '').replace(/^\.\//, '')
  const required = [...new Set([...REQUIRED_APP_FILES, mainEntry])].filter(Boolean)
  check(
    `app code: ${required.join(', ')}`,
    required.filter((file) => !paths.has(file)).map((file) => `missing ${file}`),
  )

  check(
    'nothing else at the archive root (only out/, node_modules/, package.json)',
    [...new Set(entries.map((e) => e.path.split('/')[0] ?? ''))]
      .filter((top) => !ALLOWED_AT_ROOT.has(top))
      .map((top) => `unexpected ${top}`),
  )

  // Package names present in the archive, hoisted or nested.
  const shipped = new Set<string>()
  for (const { path } of entries) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(path)
    if (match?.[1]) shipped.add(match[1])
  }
  const production = productionDependencies(manifest)
  const direct = Object.keys(manifest.dependencies ?? {})
  check(
    `production dependencies: ${direct.join(', ')} (${production.size} packages with theirs)`,
    [...production].filter((name) => !shipped.has(name)).map((name) => `missing node_modules/${name}`),
  )

  const devOnly = [...Object.keys(manifest.devDependencies ?? {}), ...NEVER_SHIPPED].filter((n) => !production.has(n))
  check(
    `no devDependencies or build tools (${devOnly.length} checked)`,
    devOnly.filter((name) => shipped.has(name)).map((name) => `node_modules/${name} is packaged`),
  )

  check(
    'no TypeScript sources, declarations or source maps; no native build leftovers',
    entries
      .map((e) => e.path)
      .filter((path) => SOURCE_OR_MAP.test(path) || NATIVE_BUILD_LEFTOVERS.test(path))
      .map((path) => `packaged ${path}`),
  )

  const nativeModules = entries.filter((e) => e.path.endsWith('.node'))
  const keytarNode = 'node_modules/keytar/build/Release/keytar.node'
  const nativeProblems = nativeModules
    .filter((e) => !e.unpacked || !existsSync(join(resources, 'app.asar.unpacked', e.path)))
    .map((e) => `${e.path} is not in app.asar.unpacked`)
  if (!nativeModules.some((e) => e.path === keytarNode)) nativeProblems.push(`missing ${keytarNode}`)
  // Everything else stays inside the archive, where the integrity check covers it.
  for (const e of unpacked) if (!e.path.endsWith('.node')) nativeProblems.push(`${e.path} is unpacked`)
  check(`native modules unpacked, and nothing else: ${nativeModules.map((e) => e.path).join(', ')}`, nativeProblems)

  const wire = readFuseWire(join(appOutDir, manifest.name ?? 'electron'))
  const fuseProblems: string[] = []
  if (wire.length !== DEFAULT_FUSE_WIRE.length) fuseProblems.push('no fuse wire found in the packaged executable')
  const expected: [string, boolean, number][] = EXPECTED_FUSES.map(([name, enabled], index) => [name, enabled, index])
  expected.push(['GrantFileProtocolExtraPrivileges', false, FUSE_GRANT_FILE_PROTOCOL])
  for (const [name, enabled, index] of expected) {
    const actual = wire[index]
    if (actual !== (enabled ? '1' : '0')) fuseProblems.push(`${name} is ${actual === '1' ? 'on' : 'off'}`)
  }
  check(`fuses: ${expected.map(([name, enabled]) => `${name} ${enabled ? 'on' : 'off'}`).join(', ')}`, fuseProblems)
}

try {
  main()
} catch (error) {
  if (!(error instanceof CheckAborted)) throw error
  console.error(`check-package: ${error.message}`)
  process.exit(1)
}
