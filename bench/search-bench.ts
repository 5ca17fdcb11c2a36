// The Outbox search and the possible-duplicate lookup at each history size, through the commands the
// renderer calls, against a baseline in the same run: the plain first page of the same filter.
import { dispatchCommand } from '../src/main/core/command-dispatch.ts'
import type { OutboxFilter } from '../src/shared/outbox.ts'
import type { BenchContext } from './bench-context.ts'
import { startBenchCore, saveConnection, type BenchCore } from './bench-core.ts'
import { HISTORY_TARGET } from './history-seed.ts'
import { realisticDraft } from './realistic-contacts.ts'
import { format, row } from './report.ts'
import { summarize, timeMsAsync, type Summary } from './stats.ts'

/** The renderer's PAGE_SIZE. */
const PAGE_LIMIT = 100
const ROUNDS = 4
const DUPLICATE_SAMPLES = 400
const FILTERS: readonly OutboxFilter[] = ['all', 'sent', 'needs_you', 'to_send']

/** What people type, keystroke by keystroke where they would be typing: names, emails, numbers, words, ids. */
const QUERIES: readonly string[] = [
  ...prefixes('ada lovelace'),
  ...prefixes('415 555 0132'),
  'grace hopper',
  'ken thompson callback',
  'knuth@',
  'donald.knuth',
  '(212) 555-0007',
  '+44 20 7946',
  'renewal',
  'premium plan',
  'blue ridge',
  '#4711',
  '98765',
  'nobody-by-this-name',
]

interface SizeResult {
  baselinePage: Summary
  search: Summary
  duplicates: Summary
  slowest: { query: string; filter: OutboxFilter; ms: number }
}

export async function benchSearch(ctx: BenchContext): Promise<void> {
  const bySize: Record<number, SizeResult> = {}
  for (const size of ctx.config.history.filter((n) => n > 0)) {
    const dataDir = ctx.folders.folder(size)
    const core = await startBenchCore({ dataDir })
    try {
      // The history's own organization, so duplicates are looked up where they are.
      await saveConnection(core, { ...HISTORY_TARGET, apiKeyId: 'bench-key-id' })
      bySize[size] = await measure(core)
    } finally {
      await core.close()
      ctx.discard(dataDir)
    }
  }
  ctx.results.search = { pageLimit: PAGE_LIMIT, queries: QUERIES, filters: FILTERS, bySize }
  for (const [size, r] of Object.entries(bySize)) {
    const at = `${format.size(Number(size))} items`
    const baseline = `plain first page ${format.p50p99(r.baselinePage)}`
    ctx.rows.push(
      row(
        `search, first page of ${PAGE_LIMIT}, ${QUERIES.length} queries × ${FILTERS.length} filters, ${at}, p50 / p99`,
        format.p50p99(r.search),
        {
          baseline,
          ratio: format.times(r.search.p50, r.baselinePage.p50),
          aim: 'p99 ≤ 50 ms',
        },
      ),
      row(
        `search, slowest single query, ${at}`,
        `${format.ms(r.slowest.ms)} (“${r.slowest.query}”, ${r.slowest.filter})`,
      ),
      row(`possible duplicates (findDuplicates: email + phones), ${at}, p50 / p99`, format.p50p99(r.duplicates), {
        baseline,
        ratio: format.times(r.duplicates.p50, r.baselinePage.p50),
        aim: 'p99 ≤ 10 ms',
      }),
    )
  }
}

async function measure(core: BenchCore): Promise<SizeResult> {
  const baseline: number[] = []
  const search: number[] = []
  let slowest = { query: '', filter: 'all' as OutboxFilter, ms: 0 }
  const list = (input: unknown) => expectOk(dispatchCommand(core.handlers, 'listOutbox', input))
  for (let round = 0; round < ROUNDS; round++) {
    for (const filter of FILTERS) {
      // Interleaved, so both see the same cache and noise.
      baseline.push(await timeMsAsync(() => list({ filter, limit: PAGE_LIMIT })))
      for (const query of QUERIES) {
        const ms = await timeMsAsync(() => list({ filter, limit: PAGE_LIMIT, query }))
        search.push(ms)
        if (ms > slowest.ms) slowest = { query, filter, ms }
      }
    }
  }
  const duplicates: number[] = []
  for (let i = 0; i < DUPLICATE_SAMPLES; i++) {
    // A contact from the history (a hit) and one that is new (a miss), in turn.
    const draft = realisticDraft(i % 2 === 0 ? i : 1_000_000 + i)
    const input = { email: draft.email, phones: draft.phones, country: draft.country }
    duplicates.push(await timeMsAsync(() => expectOk(dispatchCommand(core.handlers, 'findDuplicates', input))))
  }
  return { baselinePage: summarize(baseline), search: summarize(search), duplicates: summarize(duplicates), slowest }
}

function prefixes(text: string): string[] {
  return Array.from({ length: text.length }, (_, i) => text.slice(0, i + 1)).filter((part) => part.trim() === part)
}

async function expectOk(pending: Promise<{ ok: boolean; error?: { message: string } }>): Promise<void> {
  const result = await pending
  if (!result.ok) throw new Error(`A command failed during the bench: ${result.error?.message}`)
}
