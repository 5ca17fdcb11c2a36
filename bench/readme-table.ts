// Regenerates README's Performance table from a bench run: the newest bench/results/bench-*.json, or
// the files given, their rows one after another (sections run apart, e.g. `--only outbox,flush` and
// `--only startup,scroll`). `node --experimental-strip-types bench/readme-table.ts [results.json …]`
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { format as prettierFormat, resolveConfig } from 'prettier'
import { RESULTS_DIR, type BenchRun } from './report.ts'

const README = resolve(import.meta.dirname, '..', 'README.md')
const START = '<!-- bench-table:start -->'
const END = '<!-- bench-table:end -->'

const paths = process.argv.length > 2 ? process.argv.slice(2) : [newestRun()]
const runs = paths.map((path) => JSON.parse(readFileSync(path, 'utf8')) as BenchRun)
const cell = (text: string) => text.replace(/\|/g, '\\|').trim()
const table = [
  '| measure | result | baseline in the same run | ratio | aim |',
  '| --- | --- | --- | --- | --- |',
  ...runs
    .flatMap((run) => run.rows)
    .map((r) => `| ${[r.measure, r.value, r.baseline, r.ratio, r.aim].map(cell).join(' | ')} |`),
].join('\n')
const describe = (run: BenchRun): { text: string; busy: boolean } => {
  const { cpus, loadAverageAtStart, loadAverageAtEnd } = run.machine
  const [atStart = 0, atEnd = 0] = [loadAverageAtStart[0], loadAverageAtEnd[0]]
  return {
    text:
      `the run of ${run.date.slice(0, 16).replace('T', ' ')} UTC on ${cpus} CPUs (Node ${run.node.replace(/^v/, '')}), ` +
      `load average ${atStart} at its start and ${atEnd} at its end`,
    busy: Math.max(atStart, atEnd) > cpus,
  }
}
const described = runs.map(describe)
const note =
  `Figures from ${described.map((d) => d.text).join('; then ')}.` +
  (described.some((d) => d.busy)
    ? ' The machine was busy with other work: regenerate these figures on a quiet one before judging the aims.'
    : '')

const readme = readFileSync(README, 'utf8')
const from = readme.indexOf(START)
const to = readme.indexOf(END)
if (from < 0 || to < from) throw new Error(`README.md has no ${START} … ${END} block to replace`)
const block = `${START}\n\n${table}\n\n${note}\n\n${END}`
const next = readme.slice(0, from) + block + readme.slice(to + END.length)
const options = { ...(await resolveConfig(README)), filepath: README }
writeFileSync(README, await prettierFormat(next, options))
const names = paths.map((path) => path.split('/').pop()).join(', ')
console.info(`README.md: the Performance table now shows ${names} (${runs.flatMap((run) => run.rows).length} rows)`)

function newestRun(): string {
  const runs = readdirSync(RESULTS_DIR)
    .filter((name) => /^bench-.*\.json$/.test(name))
    .sort()
  const newest = runs.at(-1)
  if (!newest) throw new Error('No bench/results/bench-*.json yet: run `npm run bench` first')
  return join(RESULTS_DIR, newest)
}
