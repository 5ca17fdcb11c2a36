/**
 * The queue's rules, one by one: what blocks sending, what clears it, when the worker looks again.
 */
import { describe, expect, it } from 'vitest'
import type { Connection } from '../../src/main/core/credentials.ts'
import { KEYCHAIN_RETRY_MS, QueueState } from '../../src/main/core/outbox/queue-state.ts'

const now = Date.UTC(2030, 0, 1, 12, 0, 0)
const connection: Connection = {
  profile: { baseUrl: 'https://api.example.test', organizationId: 7, apiKeyId: 'key-id' },
  apiKey: 'secret',
  boundTo: { origin: 'https://api.example.test', apiKeyId: 'key-id' },
}
const probeDelay = (failures: number): number => 1_000 * 2 ** failures
const keychainDown = { blocked: 'The keychain is locked.', transient: true }
const noKey = { blocked: 'Waiting for the API key: add it in Settings.', transient: false }

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

  it('no connection blocks sending in its own words until a read finds one', () => {
    const queue = new QueueState()
    queue.connectionResolved(noKey)
    expect(queue.condition(now)).toEqual({ state: 'not_configured', message: noKey.blocked })
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
    queue.apply({ reached: true, pauseMessage: 'The API key was refused.' }, true, now, probeDelay)
    expect(queue.condition(now)).toEqual({ state: 'paused_auth', message: 'The API key was refused.' })
    expect(queue.maySend(now)).toBe(false)
    expect(queue.wakeAt(now, now + 1_000)).toBeUndefined()
    queue.credentialsChanged()
    expect(queue.condition(now)).toEqual({ state: 'running' })
    expect(queue.maySend(now)).toBe(true)
  })

  it('ignores a refusal of credentials that have been replaced since', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, pauseMessage: 'The API key was refused.' }, false, now, probeDelay)
    expect(queue.condition(now)).toEqual({ state: 'running' })
  })

  it('the blocked connection outranks a pause, which outranks the server’s wait', () => {
    const queue = new QueueState()
    queue.apply({ reached: true, waitUntil: now + 60_000 }, true, now, probeDelay)
    expect(queue.condition(now)).toEqual({ state: 'waiting', until: now + 60_000 })
    queue.apply({ reached: true, pauseMessage: 'Refused.' }, true, now, probeDelay)
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

  it('offline: one request at a time, probes on a growing backoff, and nothing to wake for with nothing due', () => {
    const queue = new QueueState()
    unreachable(queue, now)
    expect(queue.condition(now)).toEqual({ state: 'offline' })
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
    // Still offline: the forced send goes as the one probe.
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
    queue.apply({ reached: true, pauseMessage: 'Refused.' }, true, now, probeDelay)
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
})
