import {
  NEEDS_YOU_STATES,
  TO_SEND_STATES,
  WAITING_STATES,
  outboxStates,
  type OutboxState,
} from '../../../shared/outbox.ts'
import type { SyncStatus } from '../../../shared/outbox-schemas.ts'
import type { QueueReason } from '../../../shared/queue-reason.ts'
import { NEVER_CHECKED, type ConnectionHealth } from '../../../shared/settings.ts'
import type { OutboxCounts } from './outbox-store-types.ts'

/** Why the queue is (not) sending, as the worker knows it. */
export type QueueCondition =
  | { state: 'running' }
  | { state: 'offline' }
  | { state: 'unreachable' }
  | { state: 'waiting'; until: number }
  | { state: 'paused_auth'; reason: QueueReason }
  | { state: 'not_configured'; reason: QueueReason }

export interface StatusFacts {
  counts: OutboxCounts
  /** Queued items whose profile no longer points at the organization they were saved for. */
  held: number
  /** The earliest next attempt for the current connection, if any. */
  nextAttemptAt: number | undefined
  /** The current connection's host, if there is one. */
  host: string | undefined
  now: number
  /** What the server last said about the connection (connection-health.ts); none heard when absent. */
  connection?: ConnectionHealth
  /** Profiles other than the active one whose contacts wait while their key or organization is refused or missing. */
  otherProfilesStopped?: number
}

const iso = (at: number | undefined): string | null => (at === undefined ? null : new Date(at).toISOString())

/**
 * The queue's state as facts: codes, counts and ISO times. No words here: the renderer says them
 * in the user's locale (sync-words.ts), so every place that tells the status tells it alike.
 */
export function buildSyncStatus(condition: QueueCondition, facts: StatusFacts): SyncStatus {
  const { counts } = facts
  const stateCounts = Object.fromEntries(outboxStates.map((state) => [state, counts[state]])) as Record<
    OutboxState,
    number
  >
  const sum = (states: readonly OutboxState[]): number => states.reduce((total, state) => total + counts[state], 0)
  const next = facts.nextAttemptAt
  return {
    state: condition.state,
    reason: condition.state === 'not_configured' || condition.state === 'paused_auth' ? condition.reason : null,
    host: facts.host ?? null,
    until: condition.state === 'waiting' ? iso(condition.until) : null,
    // Only a try still to come is worth a time; one due now is "sending soon".
    nextAttemptAt: next !== undefined && next > facts.now ? iso(next) : null,
    counts: stateCounts,
    waiting: sum(WAITING_STATES),
    toSend: sum(TO_SEND_STATES),
    needsYou: sum(NEEDS_YOU_STATES),
    held: facts.held,
    sendable: Math.max(0, counts.queued - facts.held),
    overdue: counts.overdue,
    connection: facts.connection ?? { ...NEVER_CHECKED },
    otherProfilesStopped: facts.otherProfilesStopped ?? 0,
  }
}
