/**
 * The queue's rules, one by one: what blocks sending, what clears it, when the worker looks again.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/main/core/credentials.ts'
import { KEYCHAIN_RETRY_MS, QueueState } from '../../src/main/core/outbox/queue-state.ts'
import { queueReason } from '../../src/shared/queue-reason.ts'

const now = Date.UTC(2030, 0, 1, 12, 0, 0)
const connection: Connection = {
  profile: { baseUrl: 'https://api.example.test', organizationId: 7, apiKeyId: 'key-id' },
  apiKey: 'secret',
  boundTo: { origin: 'https://api.example.test', apiKeyId: 'key-id' },
}
const probeDelay = (failures: number): number => 1_000 * 2 ** failures
const keychainDown = { blocked: queueReason('keychain_unavailable', {}), transient: true }
const noKey = { blocked: queueReason('no_api_key', { host: 'api.example.test' }), transient: false }
const keyRefused = queueReason('key_refused', {})

function unreachable(queue: QueueState, at: number): void {
  queue.apply({ reached: false }, true, at, probeDelay)
}

describe('QueueState', () => {
  it('starts running, free to send, with nothing to wake for', () => {
    const queue = new QueueState()
    expect(queue.condition(now)).toEqual({ state: 'running' })
    expect(queue.maySend(now)).toBe(true)
    expect(queue.wakeAt(now, undefined)).toBeUndefined()
    expect(queue.wakeAt(now, now + 5_000)).toBe(now + 5_000)
  })

  it('no connection blocks sending, with its reason, until a read finds one', () => {
    const queue = new QueueState()
    queue.connectionResolved(noKey)
    expect(queue.condition(now)).toEqual({ state: 'not_configured', reason: noKey.blocked })
    expect(queue.maySend(now)).toBe(false)
    queue.connectionResolved({ connection })
    expect(queue.condition(now)).toEqual({ state: 'running' })
    expect(queue.maySend(now)).toBe(true)
  })

  it('an unavailable keychain wakes the worker after the slow tick; a missing key never does', () => {
    const queue = new QueueState()
    queue.connectionResolved(keychainDown)
    expect(queue.wakeAt(now, now + 1_000)).toBe(now + KEYCHAIN_RETRY_MS)
    queue.connectionResolved(noKey)
    expect(queue.wakeAt(now, now + 1_000)).toBeUndefined()
    queue.connectionResolved({ connection })
    expect(queue.wakeAt(now, now + 1_000)).toBe(now + 1_000)
  })

  it('a refusal pauses everything with no wake-up until the credentials change', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, pauseReason: keyRefused }, true, now, probeDelay)
    expect(queue.condition(now)).toEqual({ state: 'paused_auth', reason: keyRefused })
    expect(queue.maySend(now)).toBe(false)
    expect(queue.wakeAt(now, now + 1_000)).toBeUndefined()
    queue.credentialsChanged()
    expect(queue.condition(now)).toEqual({ state: 'running' })
    expect(queue.maySend(now)).toBe(true)
  })

  it('ignores a refusal of credentials that have been replaced since', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, pauseReason: keyRefused }, false, now, probeDelay)
    expect(queue.condition(now)).toEqual({ state: 'running' })
  })

  it('the blocked connection outranks a pause, which outranks the server’s wait', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, waitUntil: now + 60_000 }, true, now, probeDelay)
    expect(queue.condition(now)).toEqual({ state: 'waiting', until: now + 60_000 })
    queue.apply({ reached: true, pauseReason: keyRefused }, true, now, probeDelay)
    expect(queue.condition(now).state).toBe('paused_auth')
    queue.connectionResolved(noKey)
    expect(queue.condition(now).state).toBe('not_configured')
  })

  it('the server’s wait holds every send until it ends, keeps the later of two, and wakes the worker then', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, waitUntil: now + 60_000 }, true, now, probeDelay)
    queue.apply({ reached: true, waitUntil: now + 30_000 }, true, now, probeDelay)
    expect(queue.maySend(now + 59_999)).toBe(false)
    // Nothing due, or due earlier: the wait's end is the moment to look again.
    expect(queue.wakeAt(now, undefined)).toBe(now + 60_000)
    expect(queue.wakeAt(now, now + 1_000)).toBe(now + 60_000)
    expect(queue.wakeAt(now, now + 90_000)).toBe(now + 90_000)
    expect(queue.maySend(now + 60_000)).toBe(true)
    expect(queue.condition(now + 60_000)).toEqual({ state: 'running' })
    expect(queue.wakeAt(now + 60_000, undefined)).toBeUndefined()
  })

  it('unreachable: one request at a time, probes on a growing backoff, and nothing to wake for with nothing due', () => {
    const queue = new QueueState()
    unreachable(queue, now)
    expect(queue.condition(now)).toEqual({ state: 'unreachable' })
    expect(queue.concurrency(4)).toBe(1)
    expect(queue.maySend(now + 999)).toBe(false)
    expect(queue.maySend(now + 1_000)).toBe(true)
    expect(queue.wakeAt(now, now + 10)).toBe(now + 1_000)
    expect(queue.wakeAt(now, undefined)).toBeUndefined()
    unreachable(queue, now + 1_000)
    expect(queue.maySend(now + 2_999)).toBe(false)
    expect(queue.wakeAt(now + 1_000, now + 10)).toBe(now + 3_000)
  })

  it('an answered request ends the outage: full concurrency, the backoff forgotten, the backlog forced once', () => {
    const queue = new QueueState()
    unreachable(queue, now)
    unreachable(queue, now + 1_000)
    queue.apply({ reached: true }, true, now + 3_000, probeDelay)
    expect(queue.condition(now + 3_000)).toEqual({ state: 'running' })
    expect(queue.concurrency(4)).toBe(4)
    expect(queue.takeForceAll()).toBe(true)
    expect(queue.takeForceAll()).toBe(false)
    // The probe backoff starts again from its first step.
    unreachable(queue, now + 4_000)
    expect(queue.maySend(now + 4_999)).toBe(false)
    expect(queue.maySend(now + 5_000)).toBe(true)
  })

  it('staying online forces nothing', () => {
    const queue = new QueueState()
    queue.connectivityReported(true)
    queue.apply({ reached: true }, true, now, probeDelay)
    expect(queue.takeForceAll()).toBe(false)
  })

  it('“Send now” for all forces the backlog once and lifts the server’s wait and the probe backoff', () => {
    const queue = new QueueState()
    unreachable(queue, now)
    queue.apply({ reached: undefined, waitUntil: now + 60_000 }, true, now, probeDelay)
    expect(queue.maySend(now)).toBe(false)
    queue.sendNowRequested(true)
    expect(queue.maySend(now)).toBe(true)
    // Still unreachable: the forced send goes as the one probe.
    expect(queue.concurrency(4)).toBe(1)
    expect(queue.takeForceAll()).toBe(true)
    expect(queue.takeForceAll()).toBe(false)
  })

  it('“Send now” for one item lifts the waits without forcing the backlog, and leaves a pause alone', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, waitUntil: now + 60_000 }, true, now, probeDelay)
    queue.sendNowRequested(false)
    expect(queue.maySend(now)).toBe(true)
    expect(queue.takeForceAll()).toBe(false)
    queue.apply({ reached: true, pauseReason: keyRefused }, true, now, probeDelay)
    queue.sendNowRequested(false)
    expect(queue.maySend(now)).toBe(false)
  })

  it('the platform’s hint counts only when it changes, so a steady one does not undo what a request showed', () => {
    const queue = new QueueState()
    queue.applyPlatformHint(false)
    expect(queue.condition(now).state).toBe('offline')
    queue.apply({ reached: true }, true, now, probeDelay)
    queue.applyPlatformHint(false)
    expect(queue.condition(now).state).toBe('running')
    queue.applyPlatformHint(true)
    queue.applyPlatformHint(false)
    expect(queue.condition(now).state).toBe('offline')
  })

  it('the renderer’s word on connectivity shows at once, and coming back forces the backlog', () => {
    const queue = new QueueState()
    queue.connectivityReported(false)
    expect(queue.condition(now).state).toBe('offline')
    expect(queue.concurrency(4)).toBe(1)
    queue.connectivityReported(true)
    expect(queue.condition(now).state).toBe('running')
    expect(queue.takeForceAll()).toBe(true)
  })

  it('no network (the platform’s word) is offline, apart from a server that cannot be reached; both probe on the backoff', () => {
    const queue = new QueueState()
    queue.connectivityReported(false)
    expect(queue.condition(now)).toEqual({ state: 'offline' })
    // The probe made while offline fails too: still told as offline, since no network explains it.
    unreachable(queue, now)
    expect(queue.condition(now)).toEqual({ state: 'offline' })
    expect(queue.maySend(now + 999)).toBe(false)
    expect(queue.maySend(now + 1_000)).toBe(true)
    expect(queue.concurrency(4)).toBe(1)
    // The network is back but the server still does not answer: now it is the server.
    queue.connectivityReported(true)
    expect(queue.condition(now)).toEqual({ state: 'running' })
    unreachable(queue, now + 1_000)
    expect(queue.condition(now + 1_000)).toEqual({ state: 'unreachable' })
    expect(queue.maySend(now + 1_999)).toBe(false)
    expect(queue.wakeAt(now + 1_000, now + 1_010)).toBe(now + 2_000)
  })

  it('a new server or organization forgets what the old one showed: unreachable, its wait, the probe backoff', () => {
    const queue = new QueueState()
    unreachable(queue, now)
    unreachable(queue, now + 1_000)
    queue.targetChanged()
    expect(queue.condition(now + 1_000)).toEqual({ state: 'running' })
    expect(queue.maySend(now + 1_000)).toBe(true)
    expect(queue.concurrency(4)).toBe(4)
    expect(queue.takeForceAll()).toBe(true)

    queue.apply({ reached: true, waitUntil: now + 60_000 }, true, now, probeDelay)
    queue.targetChanged()
    expect(queue.condition(now)).toEqual({ state: 'running' })
    // No network is not the server's doing: it stays.
    queue.connectivityReported(false)
    queue.targetChanged()
    expect(queue.condition(now)).toEqual({ state: 'offline' })
  })

  it('new credentials lift a refusal but not a blocked connection, which only a fresh read lifts', () => {
    const queue = new QueueState()
    queue.apply(
      { reached: true, pauseReason: queueReason('organization_refused', { organizationId: 7 }) },
      true,
      now,
      probeDelay,
    )
    queue.credentialsChanged()
    expect(queue.condition(now)).toEqual({ state: 'running' })
    queue.connectionResolved(noKey)
    queue.credentialsChanged()
    expect(queue.condition(now).state).toBe('not_configured')
    queue.connectionResolved({ connection })
    expect(queue.condition(now)).toEqual({ state: 'running' })
  })
})
