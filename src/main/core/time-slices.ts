import { performance } from 'node:perf_hooks'

/**
 * Main serves every window and the sync worker, so long work runs in slices of about this many
 * milliseconds with a turn of the event loop between them. The lag this leaves is measured by
 * `npm run bench -- --only csv` (8 ms slices left a p99 over a frame's 16 ms; a slice also pays its commit).
 */
export const SLICE_BUDGET_MS = 6

/** One turn of the event loop: timers, I/O callbacks and IPC messages queued meanwhile run first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** A clock for one stretch of work: `spent()` says when the budget is used and the loop should have a turn. */
export function sliceClock(budgetMs = SLICE_BUDGET_MS): { spent(): boolean; restart(): void } {
  let started = performance.now()
  return {
    spent: () => performance.now() - started >= budgetMs,
    restart: () => void (started = performance.now()),
  }
}

/**
 * For work done in batches that cannot stop part-way (a transaction): how many items the next batch
 * should hold so it takes about the budget, from what the last one cost; between 1 and `max`.
 */
export function nextBatchSize(last: { items: number; ms: number }, max: number, budgetMs = SLICE_BUDGET_MS): number {
  const perItem = last.ms / Math.max(last.items, 1)
  if (perItem <= 0) return max
  return Math.max(1, Math.min(max, Math.floor(budgetMs / perItem)))
}
