import { outboxStates, type OutboxState } from '../../src/shared/outbox.ts'
import type { SyncStatus } from '../../src/shared/outbox-schemas.ts'
import { NEVER_CHECKED } from '../../src/shared/settings.ts'

/** A valid status line as the core reports it: running, with these counts (the totals follow from them). */
export function syncStatus(
  partial: Partial<SyncStatus> = {},
  counts: Partial<Record<OutboxState, number>> = {},
): SyncStatus {
  const all = { ...Object.fromEntries(outboxStates.map((s) => [s, 0])), ...counts } as Record<OutboxState, number>
  const toSend = all.queued + all.sending
  const needsYou = all.needs_fix + all.unconfirmed
  return {
    state: 'running',
    reason: null,
    host: 'api.example.test',
    until: null,
    nextAttemptAt: null,
    counts: all,
    waiting: toSend + needsYou,
    toSend,
    needsYou,
    held: 0,
    sendable: all.queued,
    overdue: 0,
    connection: { ...NEVER_CHECKED },
    otherProfilesStopped: 0,
    ...partial,
  }
}
