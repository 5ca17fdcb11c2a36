// Smoke-tests one installed or mounted build in the release workflow: starts it in its self-check
// mode (CLOVERHOUND_SELF_CHECK=<report path>: it opens its window, loads app://, checks the bridge,
// the keychain and the outbox, writes a JSON report and exits), then reads the report, and reads the
// binary's fuses with @electron/fuses against scripts/expected-fuses.ts.
// Usage: node --experimental-strip-types scripts/smoke-test-package.ts --exe <executable> --fuses <executable or .app>
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { describeExpectedFuses, fuseProblems } from './expected-fuses.ts'

const SELF_CHECK_TIMEOUT_MS = 120_000

interface SelfCheckReport {
  ok: boolean
  checks: Record<string, unknown>
}

const { values } = parseArgs({ options: { exe: { type: 'string' }, fuses: { type: 'string' } } })
if (!values.exe || !values.fuses) {
  console.error('Usage: smoke-test-package.ts --exe <executable> --fuses <executable or .app>')
  process.exit(2)
}

const results: { label: string; problems: string[] }[] = []
const folder = mkdtempSync(join(tmpdir(), 'cloverhound-smoke-'))
try {
  results.push({
    label: `self-check of ${values.exe}`,
    problems: await selfCheck(values.exe, join(folder, 'report.json')),
  })
  results.push({ label: `fuses: ${describeExpectedFuses()}`, problems: await fuseProblems(values.fuses) })
} finally {
  rmSync(folder, { recursive: true, force: true })
}

for (const { label, problems } of results) {
  console.log(`  ${problems.length === 0 ? '✓' : '✗'} ${label}`)
  for (const problem of problems) console.log(`      ${problem}`)
}
const failed = results.filter((result) => result.problems.length > 0).length
console.log(`smoke test: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)

async function selfCheck(exe: string, reportPath: string): Promise<string[]> {
  const exit = await new Promise<{ code: number | null; signal: string | null; error?: Error }>((settle) => {
    const child = spawn(exe, [], {
      env: { ...process.env, CLOVERHOUND_SELF_CHECK: reportPath },
      stdio: 'inherit',
    })
    const timer = setTimeout(() => child.kill(), SELF_CHECK_TIMEOUT_MS)
    child.once('error', (error) => settle({ code: null, signal: null, error }))
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      settle({ code, signal })
    })
  })
  if (exit.error) return [`the app could not be started: ${exit.error.message}`]

  const problems: string[] = []
  if (exit.code !== 0) problems.push(`the app exited with ${exit.code ?? exit.signal ?? 'nothing'}, not 0`)
  let report: SelfCheckReport
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as SelfCheckReport
  } catch (error) {
    return [
      ...problems,
      `no readable report at ${reportPath}: ${error instanceof Error ? error.message : String(error)}`,
    ]
  }
  console.log(JSON.stringify(report, null, 2))
  if (report.ok !== true) problems.push('the report says ok: false')
  if (typeof report.checks !== 'object' || report.checks === null || Object.keys(report.checks).length === 0) {
    problems.push('the report lists no checks')
  }
  return problems
}
