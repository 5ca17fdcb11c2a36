// `npm run bench`: the app's performance on the paths users run, against baselines measured in the
// same run. A benchmark, not a test: it prints one table and writes it, with the raw figures, as
// JSON under bench/results/; it fails only when it cannot measure. Sections and sizes: bench-config.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { buildIfStale } from '../tools/build-if-stale.ts'
import { readConfig, type Section } from './bench-config.ts'
import { createContext, type BenchContext } from './bench-context.ts'
import { benchCsv } from './csv-bench.ts'
import { benchCsvUi } from './csv-ui-bench.ts'
import { benchCoreStartup } from './core-startup-bench.ts'
import { benchFlush } from './flush-bench.ts'
import { benchOutbox } from './outbox-bench.ts'
import { report, row } from './report.ts'
import { benchScroll } from './scroll-bench.ts'
import { benchSearch } from './search-bench.ts'
import { benchStartup } from './startup-bench.ts'

const RUNNERS: Record<Section, (ctx: BenchContext) => Promise<void>> = {
  outbox: benchOutbox,
  search: benchSearch,
  'core-startup': benchCoreStartup,
  flush: benchFlush,
  startup: benchStartup,
  scroll: benchScroll,
  csv: benchCsv,
  'csv-ui': benchCsvUi,
}

const config = readConfig()
// Every section but these serves the built renderer.
const CORE_ONLY: readonly Section[] = ['outbox', 'search', 'core-startup', 'csv']
if (config.ownBuild && config.sections.some((section) => !CORE_ONLY.includes(section)))
  buildIfStale(resolve(import.meta.dirname, '..'))

const work = mkdtempSync(join(tmpdir(), 'cloverhound-bench-'))
const ctx = createContext(config, work)
let failed = false
try {
  for (const section of config.sections) {
    const start = performance.now()
    console.info(`Bench: ${section}…`)
    try {
      await RUNNERS[section](ctx)
    } catch (error) {
      // One section that cannot measure must not cost the others' figures.
      failed = true
      console.error(`Bench section "${section}" failed:`, error)
      ctx.rows.push(
        row(`${section}: not measured`, 'failed', {
          baseline: String((error as Error).message ?? error).slice(0, 200),
        }),
      )
    }
    console.info(`Bench: ${section} took ${Math.round((performance.now() - start) / 1000)} s`)
  }
} finally {
  await ctx.close()
  rmSync(work, { recursive: true, force: true })
}
ctx.results.seedSeconds = ctx.folders.seedSeconds
report('bench', ctx.rows, ctx.results)
if (failed) process.exitCode = 1
