import type { SyncStatus } from '../../src/shared/outbox-schemas.ts'

/** A valid status line as the core reports it, `queued` contacts waiting to send and nothing else. */
export function runningStatus(queued: number): SyncStatus {
  return {
    state: 'running',
    reason: null,
    host: 'api.example.test',
    until: null,
    nextAttemptAt: null,
    counts: { queued, sending: 0, sent: 0, needs_fix: 0, unconfirmed: 0, discarded: 0 },
    waiting: queued,
    toSend: queued,
    needsYou: 0,
    held: 0,
    sendable: queued,
    overdue: 0,
    connection: { lastSuccessAt: null, refused: null },
    otherProfilesStopped: 0,
  }
}
