/** Small, dependency-free statistics for the benchmarks. */
export interface Summary {
  n: number
  p50: number
  p99: number
  max: number
  mean: number
}

export function summarize(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length
  return { n: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, mean }
}

/** Milliseconds taken by `run`, measured with the monotonic clock. */
export function timeMs(run: () => void): number {
  const start = process.hrtime.bigint()
  run()
  return Number(process.hrtime.bigint() - start) / 1e6
}

export async function timeMsAsync(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint()
  await run()
  return Number(process.hrtime.bigint() - start) / 1e6
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits))
