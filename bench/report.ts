import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** One line of a benchmark's table: the figure, the baseline it is compared with, and the aim. */
export interface BenchRow {
  measure: string
  value: string
  baseline: string
  ratio: string
  aim: string
}

/** Prints the table and writes the raw results as bench/results/<name>-<time>.json. */
export function report(name: string, rows: BenchRow[], results: Record<string, unknown>): void {
  console.table(rows)
  const outDir = resolve(import.meta.dirname, 'results')
  mkdirSync(outDir, { recursive: true })
  const fileName = `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
  const body = { node: process.version, date: new Date().toISOString(), results }
  writeFileSync(join(outDir, fileName), `${JSON.stringify(body, null, 2)}\n`)
  console.info(`Results written to bench/results/${fileName}`)
}
