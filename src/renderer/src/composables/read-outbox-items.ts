import type { Result } from '../../../shared/app-error.ts'
import { ITEMS_READ_MAX } from '../../../shared/outbox.ts'
import type { OutboxItem } from '../../../shared/outbox-schemas.ts'
import { bridge, callBridge } from '../bridge.ts'

/**
 * Reads the items named, ITEMS_READ_MAX per bridge call (callers keep a burst under it: one call);
 * an id that is gone is left out. Every read of changed items goes through here.
 */
export async function readOutboxItems(ids: readonly string[]): Promise<Result<OutboxItem[]>> {
  const items: OutboxItem[] = []
  for (let from = 0; from < ids.length; from += ITEMS_READ_MAX) {
    const chunk = ids.slice(from, from + ITEMS_READ_MAX)
    const result = await callBridge(() => bridge.getOutboxItems({ ids: chunk }))
    if (!result.ok) return result
    items.push(...result.value.items)
  }
  return { ok: true, value: items }
}
