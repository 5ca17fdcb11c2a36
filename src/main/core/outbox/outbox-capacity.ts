import { WAITING_STATES } from '../../../shared/outbox.ts'
import type { OutboxCounts } from './outbox-store-types.ts'

/**
 * The most contacts that may wait to be sent at once: a day of fast entry plus a 10,000-row CSV
 * import fit many times over, while a runaway (or hostile) page cannot fill the disk through the bridge.
 */
export const MAX_WAITING_ITEMS = 50_000

export const OUTBOX_FULL_MESSAGE =
  `The outbox is full: ${MAX_WAITING_ITEMS.toLocaleString('en-US')} contacts are waiting to be sent. ` +
  'This contact was not saved. Let the waiting ones send, or fix or discard some in the Outbox, then save again.'

export function waitingCount(counts: OutboxCounts): number {
  return WAITING_STATES.reduce((sum, state) => sum + counts[state], 0)
}

export function outboxIsFull(counts: OutboxCounts): boolean {
  return waitingCount(counts) >= MAX_WAITING_ITEMS
}
