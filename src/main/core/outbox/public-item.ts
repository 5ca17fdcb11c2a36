import type { OutboxItem, OutboxPage } from '../../../shared/outbox-schemas.ts'
import type { StoredItem } from './outbox-store-types.ts'

/**
 * What the renderer may see of an item: picked field by field, so the wire body, the
 * idempotency key and whatever the store adds later never cross the bridge by accident.
 */
export function publicItem(item: OutboxItem | StoredItem): OutboxItem {
  return {
    id: item.id,
    seq: item.seq,
    state: item.state,
    draft: item.draft,
    target: item.target,
    attempts: item.attempts,
    nextAttemptAt: item.nextAttemptAt,
    lastError: item.lastError,
    fieldErrors: item.fieldErrors,
    contact: item.contact,
    overdue: item.overdue,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  }
}

export function publicPage(page: OutboxPage): OutboxPage {
  return { items: page.items.map(publicItem), nextBefore: page.nextBefore, total: page.total }
}
