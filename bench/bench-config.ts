// What `npm run bench` measures and at what sizes. The environment changes them: BENCH_HISTORY=0,100000
// skips the 1M seed (several minutes of set-up); BENCH_FLUSH_HISTORY=100000 leaves out the flush on 1M items.
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export const SECTIONS = ['outbox', 'search', 'core-startup', 'flush', 'startup', 'scroll', 'csv', 'csv-ui'] as const
export type Section = (typeof SECTIONS)[number]

export interface BenchConfig {
  sections: readonly Section[]
  /** History sizes for saving, paging, status and core start-up. */
  history: number[]
  /** History sizes for the extra flushes compared with the empty-history one. */
  flushHistory: number[]
  /** Items in the Outbox for the scroll. */
  scrollItems: number
  /** The built renderer to serve (another build can be passed to compare; it is never rebuilt). */
  rendererDir: string
  /** Whether rendererDir is the project's own build (then it is rebuilt when stale). */
  ownBuild: boolean
  /** Cold loads of the renderer per variant. */
  startupSamples: number
}

const root = resolve(import.meta.dirname, '..')

export function readConfig(argv = process.argv.slice(2), env = process.env): BenchConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      'renderer-dir': { type: 'string' },
      samples: { type: 'string', default: '10' },
      only: { type: 'string' },
    },
  })
  const sections = list('--only', values.only ?? env.BENCH_ONLY, SECTIONS.join(','), (name) => {
    if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`Unknown section "${name}"`)
    return name as Section
  })
  return {
    sections,
    history: sizes('BENCH_HISTORY', env.BENCH_HISTORY, '0,100000,1000000'),
    flushHistory: sizes('BENCH_FLUSH_HISTORY', env.BENCH_FLUSH_HISTORY, '100000,1000000'),
    scrollItems: sizes('BENCH_SCROLL_ITEMS', env.BENCH_SCROLL_ITEMS, '100000')[0] ?? 100_000,
    rendererDir: resolve(values['renderer-dir'] ?? join(root, 'out', 'renderer')),
    ownBuild: values['renderer-dir'] === undefined,
    startupSamples: Math.max(1, Number(values.samples) || 10),
  }
}

function sizes(name: string, raw: string | undefined, fallback: string): number[] {
  return list(name, raw, fallback, (part) => {
    const n = Number(part.replace(/_/g, ''))
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name}: "${part}" is not a number of items`)
    return n
  })
}

function list<T>(name: string, raw: string | undefined, fallback: string, parse: (part: string) => T): T[] {
  const parts = (raw ?? fallback)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  try {
    return parts.map(parse)
  } catch (error) {
    throw new Error(`${name}: ${(error as Error).message} (expected a comma-separated list, e.g. ${fallback})`, {
      cause: error,
    })
  }
}
