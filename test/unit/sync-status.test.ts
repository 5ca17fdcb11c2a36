import { describe, expect, it } from 'vitest'
import type { OutboxCounts } from '../../src/main/core/outbox/outbox-store-types.ts'
import { buildSyncStatus, clock } from '../../src/main/core/outbox/sync-status.ts'

const NOW = new Date(2030, 0, 1, 14, 0, 0).getTime()
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
  now: NOW,
})

describe('buildSyncStatus: the status line in words', () => {
  it('offline counts what will be sent', () => {
    expect(buildSyncStatus({ state: 'offline' }, facts({ queued: 3 })).message).toBe(
      'Offline — 3 contacts will be sent when the connection is back.',
    )
    expect(buildSyncStatus({ state: 'offline' }, facts({ queued: 1 })).message).toBe(
      'Offline — 1 contact will be sent when the connection is back.',
    )
  })

  it('waiting names the local time and carries it as ISO', () => {
    const until = new Date(2030, 0, 1, 14, 5, 0).getTime()
    const status = buildSyncStatus({ state: 'waiting', until }, facts({ queued: 1 }))
    expect(status).toMatchObject({
      state: 'waiting',
      message: 'Waiting until 14:05 — the server asked to slow down.',
      until: new Date(until).toISOString(),
    })
  })

  it('paused says what to fix', () => {
    const message = 'Paused: the API key was not accepted. Fix it in Settings.'
    expect(buildSyncStatus({ state: 'paused_auth', message }, facts({ queued: 2 })).message).toBe(message)
  })

  it('running: sending, queued with the next try, or everything sent', () => {
    expect(buildSyncStatus({ state: 'running' }, facts({ sending: 2, queued: 1 })).message).toBe('Sending 2 contacts…')
    const next = new Date(2030, 0, 1, 14, 30, 0).getTime()
    expect(buildSyncStatus({ state: 'running' }, facts({ queued: 2 }, 0, next)).message).toBe(
      '2 contacts queued; the next try is at 14:30.',
    )
    expect(buildSyncStatus({ state: 'running' }, facts({ sent: 5 })).message).toBe('Everything is sent.')
  })

  it('adds what needs the user: fixes, unconfirmed, held for another connection, overdue', () => {
    const status = buildSyncStatus(
      { state: 'running' },
      facts({ queued: 2, needs_fix: 1, unconfirmed: 2, overdue: 1 }, 2),
    )
    expect(status.message).toBe(
      'Nothing to send right now. 1 contact needs fixing. 2 contacts may or may not have been created — check them. ' +
        '2 contacts were saved for another connection — edit them to send with the current settings. ' +
        '1 contact has been waiting a long time.',
    )
    expect(status).toMatchObject({ waiting: 5, overdue: 1, counts: { queued: 2, needs_fix: 1, unconfirmed: 2 } })
    expect(status.counts).not.toHaveProperty('overdue')
  })

  it('not configured says how many wait', () => {
    const status = buildSyncStatus(
      { state: 'not_configured', message: 'Waiting for the API key: add it in Settings.' },
      facts({ queued: 4 }),
    )
    expect(status.message).toBe('Waiting for the API key: add it in Settings. 4 contacts are waiting.')
  })

  it('clock shows seconds only when the moment is near', () => {
    expect(clock(NOW + 30_000, NOW)).toBe('14:00:30')
    expect(clock(NOW + 10 * 60_000, NOW)).toBe('14:10')
  })
})
