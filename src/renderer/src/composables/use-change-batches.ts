/** Changes arrive in bursts while the queue drains; one refresh per burst is enough. */
const CHANGE_BATCH_MS = 50

/** What main reported changed since the last batch: these ids, or (`reload`) anything at all. */
export type ChangeBatch = { reload: boolean; ids: string[] }

/**
 * Gathers main's `outboxChanged` reports into batches and hands them to `apply` one at a time, so
 * the answers read for one batch never arrive after those of the next.
 */
export function useChangeBatches(apply: (batch: ChangeBatch) => Promise<void>): {
  /** Main's report: an empty list means anything may have changed. */
  add(ids: readonly string[]): void
  /** Resolves once every change reported so far has been applied (tests, and callers that must see them). */
  settle(): Promise<void>
  /** Drops the pending timer; what was gathered waits for the next report. */
  cancel(): void
} {
  const ids = new Set<string>()
  let reload = false
  let timer: ReturnType<typeof setTimeout> | null = null
  let applying: Promise<void> | null = null

  function add(changed: readonly string[]): void {
    if (changed.length === 0) reload = true
    for (const id of changed) ids.add(id)
    schedule()
  }

  function take(): ChangeBatch {
    const batch = { reload, ids: reload ? [] : [...ids] }
    reload = false
    ids.clear()
    return batch
  }

  function run(): Promise<void> {
    applying = apply(take()).finally(() => {
      applying = null
      if (reload || ids.size > 0) schedule()
    })
    return applying
  }

  function schedule(): void {
    if (timer || applying) return
    timer = setTimeout(() => {
      timer = null
      void run()
    }, CHANGE_BATCH_MS)
  }

  function cancel(): void {
    if (timer) clearTimeout(timer)
    timer = null
  }

  async function settle(): Promise<void> {
    while (timer || applying) {
      if (applying) await applying
      else {
        cancel()
        await run()
      }
    }
  }

  return { add, settle, cancel }
}
