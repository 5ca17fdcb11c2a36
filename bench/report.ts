import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { round } from './stats.ts'

/** One line of a benchmark's table: the figure, the baseline it is compared with, and the aim. */
export interface BenchRow {
  measure: string
  value: string
  baseline: string
  ratio: string
  aim: string
}

export function row(
  measure: string,
  value: string,
  { baseline = '—', ratio = '—', aim = '—' }: Partial<Omit<BenchRow, 'measure' | 'value'>> = {},
): BenchRow {
  return { measure, value, baseline, ratio, aim }
}

/** How the table writes figures, so every row reads the same way. */
export const format = {
  ms: (value: number, digits = 2): string => `${round(value, digits)} ms`,
  p50p99: (s: { p50: number; p99: number }, digits = 2): string =>
    `${round(s.p50, digits)} / ${round(s.p99, digits)} ms`,
  p50p99max: (s: { p50: number; p99: number; max: number }, digits = 2): string =>
    `${round(s.p50, digits)} / ${round(s.p99, digits)} / ${round(s.max, 1)} ms`,
  perSecond: (value: number): string => `${round(value, 1)}/s`,
  times: (value: number, baseline: number): string => `${round(value / baseline, 2)}×`,
  percent: (value: number, baseline: number): string => `${round((value / baseline) * 100, 1)} %`,
  count: (value: number): string => new Intl.NumberFormat('en-US').format(value),
  /** 1000000 → "1M", 100000 → "100k". */
  size: (items: number): string =>
    items >= 1_000_000 ? `${items / 1_000_000}M` : items >= 1_000 ? `${items / 1_000}k` : String(items),
}

export interface BenchRun {
  node: string
  date: string
  /** The machine as the run found it: a loaded machine makes every figure worse. */
  machine: { cpus: number; loadAverageAtStart: number[]; loadAverageAtEnd: number[] }
  rows: BenchRow[]
  results: Record<string, unknown>
}

export const RESULTS_DIR = resolve(import.meta.dirname, 'results')
const loadAtStart = loadavg().map((n) => round(n, 2))

/** Prints the table and writes it with the raw results as bench/results/<name>-<time>.json. */
export function report(name: string, rows: BenchRow[], results: Record<string, unknown>): void {
  console.table(rows)
  mkdirSync(RESULTS_DIR, { recursive: true })
  const date = new Date().toISOString()
  const fileName = `${name}-${date.replace(/[:.]/g, '-')}.json`
  const run: BenchRun = {
    node: process.version,
    date,
    machine: {
      cpus: cpus().length,
      loadAverageAtStart: loadAtStart,
      loadAverageAtEnd: loadavg().map((n) => round(n, 2)),
    },
    rows,
    results,
  }
  writeFileSync(join(RESULTS_DIR, fileName), `${JSON.stringify(run, null, 2)}\n`)
  console.info(`Results written to bench/results/${fileName}`)
  const [load] = loadAtStart
  if (load !== undefined && load > run.machine.cpus) {
    console.warn(`The load average was ${load} on ${run.machine.cpus} CPUs at the start: figures from a busy machine.`)
  }
}
