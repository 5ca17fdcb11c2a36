// Security scan gate: runs electronegativity over src/, offline, and fails on any finding that is
// not in the reviewed baseline (security/electronegativity-baseline.json: check, file, why).
// Usage: node --experimental-strip-types scripts/check-electronegativity.ts   (npm run test:security-scan)
//
// Why not its CLI: electronegativity 1.10.3 never fails on findings (exit 0), its CLI breaks with the
// commander version this tree hoists (it uses commander without declaring it), and every run
// fetches translations from the network. So this calls its runner (the function the CLI calls),
// answers the translation fetch locally, excludes AvailableSecurityFixesGlobalCheck (the other
// network check), and gates on the findings the runner returns: the same list its CLI would write
// to a SARIF or CSV file (which the runner writes without waiting, so reading it back races).
//
// Its limits: it parses .js/.ts/.html/.json, not .vue single-file components, and it reads code
// statically (an options object built by a function is invisible to it). It is unmaintained: the
// window, IPC and CSP tests under test/ are the primary security checks; this is a second net.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const SCANNED = join(ROOT, 'src')
const BASELINE = join(ROOT, 'security', 'electronegativity-baseline.json')
const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck']

interface Finding {
  check: string
  file: string
  line: number
  message: string
}

interface BaselineEntry {
  check: string
  file: string
  justification: string
}

interface RunnerOptions {
  input: string
  customScan: string[]
  excludeFromScan: string[]
  isRelative: boolean
  isVerbose: boolean
  electronVersionOverride: string
  parserPlugins: string[]
}

interface RunnerIssue {
  id: string
  /** Relative to the scanned folder (isRelative), or "N/A" for app-wide findings. */
  file: string
  location?: { line?: number }
  description: string
}

interface RunnerResult {
  globalChecks: number
  atomicChecks: number
  errors: { file: string; message: string; tolerable: boolean }[]
  issues: RunnerIssue[]
}

type Runner = (options: RunnerOptions, forCli: boolean) => Promise<RunnerResult>

class ScanAborted extends Error {}

const requireFromHere = createRequire(import.meta.url)

function loadOfflineRunner(): Runner {
  let translations: string
  try {
    translations = requireFromHere.resolve('@doyensec/electronegativity/dist/locales/i18n.js')
  } catch {
    throw new ScanAborted('@doyensec/electronegativity is not installed; run npm ci first')
  }
  // The runner awaits `got(<translations bucket>/<LANG>.json)` before every scan; a local
  // "not found" makes it keep its bundled English strings without touching the network.
  const got = createRequire(translations)('got') as { default: unknown }
  got.default = () => Promise.resolve({ statusCode: 404, body: '' })
  return requireFromHere('@doyensec/electronegativity') as Runner
}

function electronVersion(): string {
  const manifest = join(ROOT, 'node_modules', 'electron', 'package.json')
  if (!existsSync(manifest)) throw new ScanAborted('the electron package is not installed; run npm ci first')
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
}

function toFinding(issue: RunnerIssue): Finding {
  return {
    check: issue.id,
    // The baseline names files from the repository root, with forward slashes on every OS.
    file: issue.file === 'N/A' ? issue.file : relative(ROOT, join(SCANNED, issue.file)).split('\\').join('/'),
    line: issue.location?.line ?? 0,
    message: issue.description,
  }
}

function readBaseline(): BaselineEntry[] {
  const parsed = JSON.parse(readFileSync(BASELINE, 'utf8')) as { findings?: unknown }
  if (!Array.isArray(parsed.findings)) throw new ScanAborted(`${BASELINE} needs a "findings" array`)
  return parsed.findings.map((entry: unknown, index: number) => {
    const { check, file, justification } = (entry ?? {}) as Record<string, unknown>
    if (typeof check !== 'string' || typeof file !== 'string' || typeof justification !== 'string') {
      throw new ScanAborted(`baseline entry ${index} needs "check", "file" and "justification" strings`)
    }
    if (justification.trim().length < 40) {
      throw new ScanAborted(`baseline entry ${index} (${check} in ${file}) needs a real justification`)
    }
    return { check, file, justification }
  })
}

function countFiles(dir: string, extension: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith(extension)).length
}

async function main(): Promise<number> {
  const baseline = readBaseline()
  const run = loadOfflineRunner()
  const result = await run(
    {
      input: SCANNED,
      customScan: [],
      excludeFromScan: NETWORK_CHECKS.map((check) => check.toLowerCase()),
      isRelative: true,
      isVerbose: false,
      electronVersionOverride: electronVersion(),
      parserPlugins: [],
    },
    false,
  )
  const findings = result.issues.map(toFinding)
  const unparsed = result.errors.filter((error) => !error.tolerable)

  console.log(
    `electronegativity on src/: ${result.globalChecks + result.atomicChecks} checks, ` +
      `${findings.length} findings; ${countFiles(SCANNED, '.vue')} .vue files not scanned (it cannot parse them)`,
  )
  const baselined = (finding: Finding) => baseline.some((e) => e.check === finding.check && e.file === finding.file)
  const accepted = findings.filter(baselined)
  const unreviewed = findings.filter((finding) => !baselined(finding))
  const stale = baseline.filter((e) => !findings.some((f) => f.check === e.check && f.file === e.file))

  for (const f of accepted) console.log(`  baselined  ${f.check}  ${f.file}:${f.line}`)
  for (const f of unreviewed) console.log(`  NEW        ${f.check}  ${f.file}:${f.line}  ${f.message}`)
  for (const error of unparsed) console.log(`  NOT SCANNED  ${error.file}: ${error.message}`)
  for (const e of stale) {
    console.log(`  note: baseline entry ${e.check} for ${e.file} matches nothing any more; remove it`)
  }

  if (unreviewed.length > 0 || unparsed.length > 0) {
    console.log(
      `security scan failed: ${unreviewed.length} unreviewed finding(s), ${unparsed.length} file(s) not parsed. ` +
        'Fix the code, or if the finding is a false positive or an accepted risk, add it to ' +
        'security/electronegativity-baseline.json with a justification a reviewer can check.',
    )
    return 1
  }
  console.log(`security scan passed: ${accepted.length} baselined finding(s), 0 new`)
  return 0
}

try {
  process.exitCode = await main()
} catch (error) {
  if (!(error instanceof ScanAborted)) throw error
  console.error(`check-electronegativity: ${error.message}`)
  process.exitCode = 1
}
