import type { ContactFieldErrors, CreatedContact } from '../../../shared/contact.ts'
import { itemError, type ItemError, type ItemErrorParams } from '../../../shared/item-error.ts'
import { queueReason, type QueueReason } from '../../../shared/queue-reason.ts'
import type { CreateContactOutcome } from '../cloverhound-client.ts'

/** What the whole queue should do after a retry: keep going, probe for the way to the server, or wait for it. */
export type RetryQueueEffect = 'running' | 'unreachable' | 'waiting'

/** One send's outcome turned into the item's next state (and the queue's), with why as a code. */
export type SendDecision =
  | { kind: 'sent'; contact: CreatedContact }
  | { kind: 'retry'; lastError: ItemError; retryAfterMs: number | undefined; queue: RetryQueueEffect }
  | { kind: 'pause_auth'; lastError: ItemError; queueReason: QueueReason }
  | { kind: 'needs_fix'; lastError: ItemError; fieldErrors: ContactFieldErrors | null }
  | { kind: 'unconfirmed'; lastError: ItemError }

export interface DecisionContext {
  /** The API's host, for messages ("Could not reach cloud-staging.cloverhound.com"). */
  host: string
  organizationId: number
  /**
   * The connection's "Server deduplicates retries (Idempotency-Key)": the user vouches that a repeat
   * with the same key cannot create a second contact, so answers lost after sending are tried again.
   */
  serverDeduplicates: boolean
}

/**
 * The outbox's sending rules (docs/architecture.md "The outbox") as one pure function: which failures are
 * worth another try, which need the user, and which may already have created the contact.
 */
export function decideOutcome(outcome: CreateContactOutcome, context: DecisionContext): SendDecision {
  const { host } = context
  /** May have been created: the user decides, unless the server deduplicates a repeat. */
  const lostAfterSend = (
    cause: ItemErrorParams<'resending_deduplicated'>['cause'],
    unconfirmed: ItemError,
    status: number | null = null,
    retryAfterMs?: number,
  ): SendDecision =>
    context.serverDeduplicates
      ? {
          kind: 'retry',
          lastError: itemError('resending_deduplicated', { host, status, cause }),
          retryAfterMs,
          queue: 'running',
        }
      : { kind: 'unconfirmed', lastError: unconfirmed }
  switch (outcome.kind) {
    case 'created':
      return { kind: 'sent', contact: outcome.contact }
    case 'invalid':
      return {
        kind: 'needs_fix',
        lastError: itemError('rejected', { messages: outcome.errors.general ?? [] }),
        fieldErrors: outcome.errors,
      }
    case 'unauthorized':
      return {
        kind: 'pause_auth',
        lastError: itemError('unauthorized', {}),
        queueReason: queueReason('key_refused', {}),
      }
    case 'forbidden':
      return {
        kind: 'pause_auth',
        lastError: itemError('forbidden', { organizationId: context.organizationId }),
        queueReason: queueReason('organization_refused', { organizationId: context.organizationId }),
      }
    case 'rate_limited':
      return {
        kind: 'retry',
        lastError: itemError('rate_limited', {}),
        retryAfterMs: outcome.retryAfterMs,
        // Without a Retry-After there is no time to wait for: the item's own backoff spaces it out.
        queue: outcome.retryAfterMs === undefined ? 'running' : 'waiting',
      }
    case 'server_error':
      return {
        kind: 'retry',
        lastError: itemError('server_error', { status: outcome.status }),
        retryAfterMs: outcome.retryAfterMs,
        queue: outcome.status === 503 && outcome.retryAfterMs !== undefined ? 'waiting' : 'running',
      }
    case 'failed_after_send':
      return lostAfterSend(
        'status',
        itemError('failed_after_send', { host, status: outcome.status }),
        outcome.status,
        outcome.retryAfterMs,
      )
    // A success without a contact, or a conflict, answers a repeat the same way: sending it again cannot settle it.
    case 'no_contact':
      return { kind: 'unconfirmed', lastError: itemError('reply_without_contact', { host, status: outcome.status }) }
    case 'conflict':
      return { kind: 'unconfirmed', lastError: itemError('conflict', { host }) }
    case 'redirected':
      return { kind: 'needs_fix', lastError: itemError('redirected', { host }), fieldErrors: null }
    case 'untrusted_certificate':
      // Nothing was sent; a certificate is replaced by its owner (or a network stops intercepting): try again later.
      return {
        kind: 'retry',
        lastError: itemError('certificate_untrusted', { host }),
        retryAfterMs: undefined,
        queue: 'running',
      }
    case 'network':
      return outcome.mayHaveReachedServer
        ? lostAfterSend('connection_lost', itemError('connection_lost', { host }))
        : {
            kind: 'retry',
            lastError: itemError('network_unreachable', { host, reason: outcome.description }),
            retryAfterMs: undefined,
            queue: 'unreachable',
          }
    case 'timeout':
      return lostAfterSend('timeout', itemError('timeout', { host }))
    case 'unexpected': {
      const mayExist = outcome.mayHaveReachedServer
      const lastError = itemError('unexpected_reply', { host, reason: outcome.description, mayExist })
      return mayExist
        ? { kind: 'unconfirmed', lastError }
        : // A redirect, a 404 or another refusal will not change by itself: the user has to look.
          { kind: 'needs_fix', lastError, fieldErrors: null }
    }
  }
}

/** For an in-flight request cut off by the app closing: the server may have read it. */
export function interruptedDecision(): SendDecision {
  return { kind: 'unconfirmed', lastError: itemError('interrupted', {}) }
}
