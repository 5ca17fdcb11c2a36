import { outboxStates, type OutboxState, type SyncStatus } from '../../../shared/outbox.ts'
import { NEVER_CHECKED, type ConnectionHealth } from '../../../shared/settings.ts'
import type { OutboxCounts } from './outbox-store-types.ts'

/** Why the queue is (not) sending, as the worker knows it; the words are made here. */
export type QueueCondition =
  | { state: 'running' }
  | { state: 'offline' }
  | { state: 'waiting'; until: number }
  | { state: 'paused_auth'; message: string }
  | { state: 'not_configured'; message: string }

export interface StatusFacts {
  counts: OutboxCounts
  /** Queued items saved for another connection than the current one. */
  held: number
  /** The earliest next attempt for the current connection, if any. */
  nextAttemptAt: number | undefined
  now: number
  /** What the server last said about the connection (connection-health.ts); none heard when absent. */
  connection?: ConnectionHealth
}

/** The queue's state and one line of words for the status bar. */
export function buildSyncStatus(condition: QueueCondition, facts: StatusFacts): SyncStatus {
  const { counts } = facts
  const stateCounts = Object.fromEntries(outboxStates.map((state) => [state, counts[state]])) as Record<
    OutboxState,
    number
  >
  const pending = counts.queued + counts.sending
  return {
    state: condition.state,
    message: [headline(condition, counts, facts), ...footnotes(counts, facts.held)].join(' '),
    until: condition.state === 'waiting' ? new Date(condition.until).toISOString() : null,
    counts: stateCounts,
    waiting: pending + counts.needs_fix + counts.unconfirmed,
    overdue: counts.overdue,
    connection: facts.connection ?? { ...NEVER_CHECKED },
  }
}

function headline(condition: QueueCondition, counts: OutboxCounts, facts: StatusFacts): string {
  const sendable = Math.max(0, counts.queued + counts.sending - facts.held)
  switch (condition.state) {
    case 'not_configured':
      return sendable > 0 ? `${condition.message} ${waitingWords(sendable)}` : condition.message
    case 'paused_auth':
      return condition.message
    case 'waiting':
      return `Waiting until ${clock(condition.until, facts.now)} — the server asked to slow down.`
    case 'offline':
      return sendable > 0
        ? `Offline — ${contacts(sendable)} will be sent when the connection is back.`
        : 'Offline — new contacts will be sent when the connection is back.'
    case 'running':
      if (counts.sending > 0) return `Sending ${contacts(counts.sending)}…`
      if (sendable > 0) {
        const next = facts.nextAttemptAt
        return next !== undefined && next > facts.now
          ? `${capitalized(contacts(sendable))} queued; the next try is at ${clock(next, facts.now)}.`
          : `${capitalized(contacts(sendable))} queued.`
      }
      // "Everything is sent" would be untrue while items wait for the user.
      return counts.needs_fix + counts.unconfirmed + facts.held > 0
        ? 'Nothing to send right now.'
        : 'Everything is sent.'
  }
}

function footnotes(counts: OutboxCounts, held: number): string[] {
  const notes: string[] = []
  if (counts.needs_fix > 0)
    notes.push(`${capitalized(contacts(counts.needs_fix))} ${verb(counts.needs_fix, 'needs', 'need')} fixing.`)
  if (counts.unconfirmed > 0) {
    notes.push(
      `${capitalized(contacts(counts.unconfirmed))} may or may not have been created — check ${counts.unconfirmed === 1 ? 'it' : 'them'}.`,
    )
  }
  if (held > 0) {
    notes.push(
      `${capitalized(contacts(held))} ${verb(held, 'was', 'were')} saved for another connection — edit ${held === 1 ? 'it' : 'them'} to send with the current settings.`,
    )
  }
  if (counts.overdue > 0)
    notes.push(
      `${capitalized(contacts(counts.overdue))} ${verb(counts.overdue, 'has', 'have')} been waiting a long time.`,
    )
  return notes
}

const contacts = (n: number): string => `${n} ${n === 1 ? 'contact' : 'contacts'}`
const verb = (n: number, one: string, many: string): string => (n === 1 ? one : many)
const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
const waitingWords = (n: number): string => `${capitalized(contacts(n))} ${verb(n, 'is', 'are')} waiting.`

/** Local wall-clock time; seconds only when the moment is close enough for them to matter. */
export function clock(at: number, now: number): string {
  const date = new Date(at)
  const pad = (n: number): string => String(n).padStart(2, '0')
  const minutes = `${pad(date.getHours())}:${pad(date.getMinutes())}`
  return at - now < 2 * 60_000 ? `${minutes}:${pad(date.getSeconds())}` : minutes
}
