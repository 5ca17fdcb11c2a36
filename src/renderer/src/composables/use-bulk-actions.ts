import { ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import { BULK_BATCH_MAX, bulkResultWords, type BulkAction, type OutboxFilter } from '../../../shared/outbox.ts'
import type { BulkCounts } from '../../../shared/outbox-schemas.ts'
import { bridge, callBridge } from '../bridge.ts'
import { formatNumber } from '../count-words.ts'

/** What a bulk action applies to: these ids, or everything in a filter (main picks the items, batch by batch). */
export type BulkScope = { ids: readonly string[] } | { filter: OutboxFilter }

/** The last bulk action in words, and what Undo does when the action allows one. */
export interface BulkNotice {
  message: string
  undo: { action: BulkAction; ids: string[] } | null
}

/** A discard is undone by restoring; Send again and Move cannot be taken back once the worker may have sent them. */
const UNDO: Partial<Record<BulkAction, BulkAction>> = { discard: 'restore' }

/**
 * Runs bulk actions through main: up to BULK_BATCH_MAX ids per call (one transaction each), or a
 * filter batch by batch until main says there is no more. One runs at a time.
 */
export function useBulkActions() {
  const busy = ref(false)
  /** Why main stopped a bulk action part-way (the batches before it stay done). */
  const failure = ref<AppError | null>(null)
  const notice = ref<BulkNotice | null>(null)

  async function run(action: BulkAction, scope: BulkScope): Promise<BulkNotice | null> {
    if (busy.value) return null
    busy.value = true
    failure.value = null
    const done: string[] = []
    let skipped = 0
    try {
      const batches = 'ids' in scope ? idBatches(action, scope.ids) : filterBatches(action, scope.filter)
      for await (const result of batches) {
        if (!result.ok) {
          failure.value = result.error
          break
        }
        done.push(...result.value.done)
        skipped += result.value.skipped
      }
    } finally {
      busy.value = false
    }
    const undo = UNDO[action]
    const next: BulkNotice = {
      message: bulkResultWords(action, done.length, skipped, formatNumber),
      undo: undo && done.length > 0 ? { action: undo, ids: done } : null,
    }
    notice.value = next
    return next
  }

  async function* idBatches(action: BulkAction, ids: readonly string[]) {
    for (let start = 0; start < ids.length; start += BULK_BATCH_MAX) {
      const batch = ids.slice(start, start + BULK_BATCH_MAX)
      yield await callBridge(() => bridge.applyOutboxBulk({ action, ids: batch }))
    }
  }

  async function* filterBatches(action: BulkAction, filter: OutboxFilter) {
    let before: number | undefined
    for (;;) {
      const result = await callBridge(() => bridge.applyOutboxBulk({ action, filter, before }))
      yield result
      if (!result.ok || result.value.nextBefore === null) return
      before = result.value.nextBefore
    }
  }

  /** Takes the last action back (a discard: its items are restored); its own words replace the notice. */
  async function undo(): Promise<BulkNotice | null> {
    const last = notice.value?.undo
    if (!last) return null
    notice.value = null
    return run(last.action, { ids: last.ids })
  }

  function dismiss(): void {
    notice.value = null
  }

  /** How many items of a filter each action would move now: the count a confirmation names. */
  async function counts(filter: OutboxFilter): Promise<BulkCounts | null> {
    const result = await callBridge(() => bridge.countOutboxBulk({ filter }))
    if (result.ok) return result.value
    failure.value = result.error
    return null
  }

  return { busy, failure, notice, run, undo, dismiss, counts }
}
