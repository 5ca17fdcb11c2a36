import { describe, expect, it } from 'vitest'
import type { OutboxCounts } from '../../src/main/core/outbox/outbox-store-types.ts'
import { buildSyncStatus } from '../../src/main/core/outbox/sync-status.ts'
import { syncStatusSchema } from '../../src/shared/outbox-schemas.ts'
import { queueReason } from '../../src/shared/queue-reason.ts'

const NOW = Date.UTC(2030, 0, 1, 14, 0, 0)
const counts = (partial: Partial<OutboxCounts> = {}): OutboxCounts => ({
  queued: 0,
  sending: 0,
  sent: 0,
  needs_fix: 0,
  unconfirmed: 0,
  discarded: 0,
  overdue: 0,
  ...partial,
})
const facts = (partial: Partial<OutboxCounts> = {}, held = 0, nextAttemptAt?: number) => ({
  counts: counts(partial),
  held,
  nextAttemptAt,
  host: 'api.example.test',
  now: NOW,
})

describe('buildSyncStatus: the queue as facts, no words', () => {
  it('splits waiting to send (queued + sending) from needs you (needs a fix + not confirmed)', () => {
    const status = buildSyncStatus(
      { state: 'running' },
      facts({ queued: 2, sending: 1, needs_fix: 1, unconfirmed: 2, sent: 9, overdue: 1 }, 1),
    )
    expect(status).toMatchObject({ toSend: 3, needsYou: 3, waiting: 6, held: 1, sendable: 1, overdue: 1 })
    expect(status.counts).not.toHaveProperty('overdue')
    expect(syncStatusSchema.parse(status)).toEqual(status)
  })

  it('carries times as ISO: the server’s wait, and the next try only while it is still to come', () => {
    const until = NOW + 5 * 60_000
    expect(buildSyncStatus({ state: 'waiting', until }, facts({ queued: 1 }, 0, NOW + 60_000))).toMatchObject({
      state: 'waiting',
      until: new Date(until).toISOString(),
      nextAttemptAt: new Date(NOW + 60_000).toISOString(),
      reason: null,
    })
    expect(buildSyncStatus({ state: 'running' }, facts({ queued: 1 }, 0, NOW)).nextAttemptAt).toBeNull()
  })

  it('gives the reason as a code for a blocked or paused queue, and none otherwise', () => {
    const reason = queueReason('organization_refused', { organizationId: 7 })
    expect(buildSyncStatus({ state: 'paused_auth', reason }, facts({ queued: 2 })).reason).toEqual(reason)
    const noKey = queueReason('no_api_key', { host: 'api.example.test' })
    expect(buildSyncStatus({ state: 'not_configured', reason: noKey }, facts()).reason).toEqual(noKey)
    expect(buildSyncStatus({ state: 'unreachable' }, facts({ queued: 1 }))).toMatchObject({
      state: 'unreachable',
      reason: null,
      host: 'api.example.test',
    })
    expect(buildSyncStatus({ state: 'offline' }, facts()).state).toBe('offline')
  })

  it('never counts more sendable items than are queued', () => {
    expect(buildSyncStatus({ state: 'running' }, facts({ queued: 1 }, 3)).sendable).toBe(0)
  })
})
