import type { ContactFieldErrors, CreatedContact } from '../../../shared/contact.ts'
import type { CreateContactOutcome } from '../cloverhound-client.ts'

/** What the whole queue should do after a retry: keep going, probe for the network, or wait for the server. */
export type RetryQueueEffect = 'running' | 'offline' | 'waiting'

/** One send's outcome turned into the item's next state (and the queue's), with words for the user. */
export type SendDecision =
  | { kind: 'sent'; contact: CreatedContact }
  | { kind: 'retry'; lastError: string; retryAfterMs: number | undefined; queue: RetryQueueEffect }
  | { kind: 'pause_auth'; lastError: string; queueMessage: string }
  | { kind: 'needs_fix'; lastError: string; fieldErrors: ContactFieldErrors | null }
  | { kind: 'unconfirmed'; lastError: string }

export interface DecisionContext {
  /** The API's host, for messages ("Could not reach cloud-staging.cloverhound.com"). */
  host: string
  organizationId: number
}

const MAY_EXIST = 'It may have been created: check Cloverhound, then choose “Send again” or “Mark as sent”.'

/**
 * The outbox's sending rules (DESIGN.md "The outbox") as one pure function: which failures are
 * worth another try, which need the user, and which may already have created the contact.
 */
export function decideOutcome(outcome: CreateContactOutcome, context: DecisionContext): SendDecision {
  switch (outcome.kind) {
    case 'created':
      return { kind: 'sent', contact: outcome.contact }
    case 'invalid': {
      const general = outcome.errors.general ?? []
      return {
        kind: 'needs_fix',
        lastError: general.length
          ? `The server did not accept this contact: ${general.join(' ')}`
          : 'The server did not accept this contact. Fix the fields marked and it will be sent again.',
        fieldErrors: outcome.errors,
      }
    }
    case 'unauthorized':
      return {
        kind: 'pause_auth',
        lastError: 'The API key ID or API key was not accepted (401). Fix it in Settings; this contact stays queued.',
        queueMessage: 'Paused: the API key was not accepted. Fix it in Settings.',
      }
    case 'forbidden':
      return {
        kind: 'pause_auth',
        lastError: `This API key may not create contacts in organization ${context.organizationId} (403). Fix it in Settings; this contact stays queued.`,
        queueMessage: `Paused: this API key may not create contacts in organization ${context.organizationId}. Fix it in Settings.`,
      }
    case 'rate_limited':
      return {
        kind: 'retry',
        lastError: 'The server asked to slow down (too many requests). The app will try again later.',
        retryAfterMs: outcome.retryAfterMs,
        // Without a Retry-After there is no time to wait for: the item's own backoff spaces it out.
        queue: outcome.retryAfterMs === undefined ? 'running' : 'waiting',
      }
    case 'server_error':
      return {
        kind: 'retry',
        lastError: `The Cloverhound server had a problem (status ${outcome.status}). The app will try again.`,
        retryAfterMs: outcome.retryAfterMs,
        queue: outcome.status === 503 && outcome.retryAfterMs !== undefined ? 'waiting' : 'running',
      }
    case 'network':
      return outcome.mayHaveReachedServer
        ? {
            kind: 'unconfirmed',
            lastError: `The connection to ${context.host} broke after the contact was sent. ${MAY_EXIST}`,
          }
        : {
            kind: 'retry',
            lastError: `Could not reach ${context.host}: ${outcome.description}. It will be sent when the connection is back.`,
            retryAfterMs: undefined,
            queue: 'offline',
          }
    case 'timeout':
      return { kind: 'unconfirmed', lastError: `${context.host} took too long to answer. ${MAY_EXIST}` }
    case 'unexpected': {
      const words = `Unexpected reply from ${context.host}: ${outcome.description}.`
      return outcome.mayHaveReachedServer
        ? { kind: 'unconfirmed', lastError: `${words} ${MAY_EXIST}` }
        : // A redirect, a 404 or another refusal will not change by itself: the user has to look.
          { kind: 'needs_fix', lastError: words, fieldErrors: { general: [words] } }
    }
  }
}

/** For an in-flight request cut off by the app closing: the server may have read it. */
export function interruptedDecision(): SendDecision {
  return { kind: 'unconfirmed', lastError: `The app closed while this contact was being sent. ${MAY_EXIST}` }
}
