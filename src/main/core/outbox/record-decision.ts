import type { QueueReason } from '../../../shared/queue-reason.ts'
import { retryDelay, type BackoffOptions } from './backoff.ts'
import type { SendDecision } from './decide-outcome.ts'
import type { OutboxStore } from './outbox-store-types.ts'

/** What one send's outcome says about the whole queue. */
export interface QueueEffect {
  /** True when the server answered, false when it could not be reached, undefined when we cannot tell. */
  reached: boolean | undefined
  /** The server asked every request to wait until then (429/503 with Retry-After). */
  waitUntil?: number
  /** The credentials were refused: nothing more goes until they change. */
  pauseReason?: QueueReason
}

export interface RecordOptions {
  now: number
  random: () => number
  backoff: BackoffOptions
}

/**
 * Writes a send's decision to the item and its attempt's record (one transaction, from `sending`) and
 * returns its effect on the queue. `attempts` counts this attempt; the backoff exponent starts at 0 for the first retry.
 */
export function recordDecision(
  store: OutboxStore,
  id: string,
  attempts: number,
  decision: SendDecision,
  options: RecordOptions,
): QueueEffect {
  const { now } = options
  switch (decision.kind) {
    case 'sent':
      store.markSent(id, decision.contact, now)
      return { reached: true }
    case 'retry': {
      const delay = retryDelay(attempts - 1, decision.retryAfterMs, options.random, options.backoff)
      store.requeue(id, { nextAttemptAt: now + delay, lastError: decision.lastError, outcome: 'retry' }, now)
      const waiting = decision.queue === 'waiting' && decision.retryAfterMs !== undefined
      return {
        reached: decision.queue !== 'unreachable',
        ...(waiting ? { waitUntil: now + (decision.retryAfterMs ?? 0) } : {}),
      }
    }
    case 'pause_auth':
      // Not the item's fault: due again as soon as the credentials change, with no backoff.
      store.requeue(id, { nextAttemptAt: now, lastError: decision.lastError, outcome: 'pause_auth' }, now)
      return { reached: true, pauseReason: decision.queueReason }
    case 'needs_fix':
      store.markNeedsFix(id, { lastError: decision.lastError, fieldErrors: decision.fieldErrors }, now)
      return { reached: true }
    case 'unconfirmed':
      store.markUnconfirmed(id, decision.lastError, now)
      return { reached: undefined }
  }
}
