// Checks what a packaged build carries, on any machine and without downloading Electron:
// electron-builder packs the built app (`npm run build` first) for `--linux dir` around a stand-in
// Electron folder, then this script reads resources/app.asar and asserts what must and must not be
// in it, that keytar's native module is unpacked, and that the configured fuses were flipped.
// Then it runs the packaged layout itself under Node: the archive extracted to a temp folder, every
// external module of the built main imported from there, keytar.node loaded from app.asar.unpacked,
// and the packaged core (out/main/core.js) saving a contact that reaches the sandbox API, with an
// in-memory key store. Nothing of it resolves into the repository.
// Usage: node --experimental-strip-types scripts/check-package.ts   (npm run test:package)
// Set CHECK_PACKAGE_KEEP=1 to keep the temporary output folder for a look.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { extractAll, getRawHeader } from '@electron/asar'
import { parse as parseYaml } from 'yaml'
import type { createAppCore } from '../src/main/core/app-core.ts'
import type { silentLogger } from '../src/main/core/logger.ts'
import type { MemorySecretStore } from '../src/main/core/secret-store.ts'
import { startSandbox } from '../tools/sandbox/sandbox-server.ts'
import { describeExpectedFuses, fuseProblems } from './expected-fuses.ts'

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
const REQUIRED_APP_FILES = [
  'out/main/index.js',
  // The utility process that runs the core (src/main/core-process.ts).
  'out/main/core-process.js',
  'out/main/core.js',
  'out/preload/index.cjs',
  'out/renderer/index.html',
  'package.json',
]
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

async function main(): Promise<void> {
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
    const appOutDir = join(outputDir, 'linux-unpacked')
    checkLinuxTargets(join(ROOT, 'electron-builder.yml'))
    await inspect(manifest, appOutDir)
    await runPackagedLayout(join(appOutDir, 'resources'), join(work, 'runtime'))
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

async function inspect(manifest: PackageJson, appOutDir: string): Promise<void> {
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

  check(`fuses: ${describeExpectedFuses()}`, await fuseProblems(join(appOutDir, manifest.name ?? 'electron')))
}

/**
 * Linux ships as deb only: electron-builder 26's AppImage launcher (AppRun, with either toolset) adds
 * --no-sandbox wherever `unshare -Ur` fails, as on Ubuntu 24.04, and an AppImage can use neither a
 * setuid chrome-sandbox nor an AppArmor profile. The deb keeps the sandbox on (docs/releasing.md).
 */
function checkLinuxTargets(configFile: string): void {
  const config = parseYaml(readFileSync(configFile, 'utf8')) as { linux?: { target?: unknown }; appImage?: unknown }
  const targets = (Array.isArray(config.linux?.target) ? config.linux.target : [config.linux?.target]).map((target) =>
    String(typeof target === 'object' && target !== null ? (target as { target?: unknown }).target : target),
  )
  const problems: string[] = []
  if (targets.some((target) => /appimage/i.test(target)) || config.appImage !== undefined) {
    problems.push('electron-builder.yml has an AppImage target or options')
  }
  if (!targets.includes('deb')) problems.push(`electron-builder.yml's Linux targets are ${targets.join(', ')}, not deb`)
  check('Linux: deb only, no AppImage (its launcher turns the sandbox off)', problems)
}

const KEYTAR_NODE = 'node_modules/keytar/build/Release/keytar.node'
/** Electron's own module: the Electron binary provides it, so no package in the archive may. */
/** Electron's built-in modules: `electron`, and the utility process's own (imported by out/main/core-process.js). */
const PROVIDED_BY_ELECTRON = new Set(['electron', 'electron/utility'])
const SENT_WITHIN_MS = 15_000

/** The packaged core's entry, as out/main/core.js exports it (see src/main/core/index.ts). */
interface PackagedCore {
  createAppCore: typeof createAppCore
  MemorySecretStore: typeof MemorySecretStore
  silentLogger: typeof silentLogger
}

/**
 * Runs the packaged layout under Node, as Electron would load it: app.asar extracted (its unpacked
 * files come from app.asar.unpacked), with stand-ins for Electron's built-in `electron` and
 * `electron/utility` modules one folder above the app, where only Electron itself could put them.
 */
async function runPackagedLayout(resources: string, runtime: string): Promise<void> {
  const appDir = join(runtime, 'app')
  extractAll(join(resources, 'app.asar'), appDir)
  const electronStandIn = join(runtime, 'node_modules', 'electron')
  mkdirSync(electronStandIn, { recursive: true })
  writeFileSync(join(electronStandIn, 'package.json'), JSON.stringify({ name: 'electron', main: 'index.js' }))
  for (const file of ['index.js', 'utility.js']) {
    writeFileSync(
      join(electronStandIn, file),
      '// Stand-in for a module the Electron binary provides.\nmodule.exports = {}\n',
    )
  }

  check(
    `${KEYTAR_NODE} loads from app.asar.unpacked`,
    loadKeytarBinding(join(resources, 'app.asar.unpacked', KEYTAR_NODE)),
  )
  const mainDir = join(appDir, 'out', 'main')
  const externals = externalModules(mainDir)
  check(
    `every external module of the built main imports from the package: ${externals.join(', ')}`,
    await importExternals(mainDir, appDir, externals),
  )
  check(
    'the packaged core saves a contact that reaches the sandbox API (in-memory key store)',
    await runCore(appDir, runtime),
  )
}

function loadKeytarBinding(path: string): string[] {
  try {
    const binding = createRequire(import.meta.url)(path) as Record<string, unknown>
    const missing = ['getPassword', 'setPassword', 'deletePassword', 'findCredentials'].filter(
      (name) => typeof binding[name] !== 'function',
    )
    return missing.map((name) => `keytar.node has no ${name}()`)
  } catch (error) {
    return [`keytar.node does not load: ${messageOf(error)}`]
  }
}

/** Bare specifiers the built main imports (statically or lazily), minus Node's own modules. */
function externalModules(mainDir: string): string[] {
  const names = new Set<string>()
  const files = readdirSync(mainDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'))
  for (const file of files) {
    const code = readFileSync(join(mainDir, file), 'utf8')
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./][^"']*)["']/g)) {
      const specifier = match[1] ?? ''
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue
      names.add(specifier)
    }
  }
  return [...names].sort()
}

/** Imports each module from beside the built main, so Node resolves it exactly as the app does. */
async function importExternals(mainDir: string, appDir: string, names: string[]): Promise<string[]> {
  const probe = join(mainDir, 'package-check-probe.mjs')
  writeFileSync(
    probe,
    'export const where = (name) => import.meta.resolve(name)\nexport const load = (name) => import(name)\n',
  )
  const { where, load } = (await import(pathToFileURL(probe).href)) as {
    where: (name: string) => string
    load: (name: string) => Promise<unknown>
  }
  const problems: string[] = []
  for (const name of names) {
    try {
      const path = fileURLToPath(where(name))
      const inside = !relative(appDir, path).startsWith('..')
      if (PROVIDED_BY_ELECTRON.has(name)) {
        if (inside) problems.push(`${name} is packaged, but only the Electron binary may provide it`)
        continue
      }
      if (!inside) problems.push(`${name} resolves outside the package, to ${path}`)
      await load(name)
    } catch (error) {
      problems.push(`${name}: ${messageOf(error)}`)
    }
  }
  return problems
}

async function runCore(appDir: string, runtime: string): Promise<string[]> {
  let core: PackagedCore
  try {
    core = (await import(pathToFileURL(join(appDir, 'out', 'main', 'core.js')).href)) as PackagedCore
  } catch (error) {
    return [`out/main/core.js does not load: ${messageOf(error)}`]
  }
  const sandbox = await startSandbox()
  const app = await core.createAppCore({
    dataDir: join(runtime, 'data'),
    secrets: new core.MemorySecretStore(),
    fetch: (input, init) => fetch(input, init),
    emit: () => {},
    logger: core.silentLogger,
  })
  try {
    const settings = await app.handlers.saveSettings({
      baseUrl: sandbox.url,
      organizationId: sandbox.organizationId,
      apiKeyId: sandbox.apiKeyId,
      apiKey: sandbox.apiKey,
    })
    if (!settings.ok) return [`saveSettings: ${settings.error.message}`]
    const saved = await app.handlers.saveContact({
      fullName: 'Packaged Check',
      email: 'check@example.com',
      description: '',
      phones: [{ number: '+14155550132' }],
    })
    if (!saved.ok) return [`saveContact: ${saved.error.message}`]
    const deadline = Date.now() + SENT_WITHIN_MS
    let state = saved.value.state
    while (state !== 'sent' && Date.now() < deadline) {
      await new Promise((done) => setTimeout(done, 50))
      const item = await app.handlers.getOutboxItem({ id: saved.value.id })
      state = item.ok ? item.value.state : state
    }
    const problems: string[] = []
    if (state !== 'sent') problems.push(`the contact is ${state}, not sent, after ${SENT_WITHIN_MS / 1000} s`)
    if (sandbox.contacts.map((contact) => contact.full_name).join() !== 'Packaged Check') {
      problems.push(`the sandbox holds ${sandbox.contacts.length} contacts, not the one saved`)
    }
    const exported = await app.handlers.exportContacts(undefined)
    if (!exported.ok || exported.value.kind !== 'file' || !exported.value.csv.includes('Packaged Check')) {
      problems.push('Export contacts (CSV) did not hand over the saved contact')
    }
    return problems
  } finally {
    await app.close()
    await sandbox.close()
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

try {
  await main()
} catch (error) {
  if (!(error instanceof CheckAborted)) throw error
  console.error(`check-package: ${error.message}`)
  process.exit(1)
}
