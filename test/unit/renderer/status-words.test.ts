/**
 * The words the renderer makes from main's facts: counted words for 1 and n, the one time format,
 * the status line for each queue state, and when Send now applies.
 */
import { describe, expect, it } from 'vitest'
import { countWords } from '../../../src/renderer/src/count-words.ts'
import { whenFormatter } from '../../../src/renderer/src/outbox-copy.ts'
import { canSendNow, countSummary, statusWords } from '../../../src/renderer/src/sync-words.ts'
import { queueReason } from '../../../src/shared/queue-reason.ts'
import { syncStatus as status } from '../../support/sync-status.ts'

describe('countWords: one grammar for 1 and n', () => {
  it.each([
    [1, 'contact', '1 contact'],
    [2, 'contact', '2 contacts'],
    [0, 'contact', '0 contacts'],
    [1, 'needsYou', '1 needs you'],
    [3, 'needsYou', '3 need you'],
    [1, 'toSend', '1 waiting to send'],
    [12, 'toSend', '12 waiting to send'],
    [1, 'needsFix', '1 needs a fix'],
    [2, 'needsFix', '2 need a fix'],
    [1, 'attempt', '1 attempt'],
    [5, 'attempt', '5 attempts'],
  ] as const)('%i %s → %s', (n, noun, words) => {
    expect(countWords(n, noun)).toBe(words)
  })
})

describe('whenFormatter: the one time format', () => {
  const format = whenFormatter('en-GB', 'Europe/London')
  const now = new Date('2030-06-15T10:00:00Z')

  it('shows only the time of day for today, in the locale and time zone', () => {
    expect(format('2030-06-15T13:05:00Z', now)).toBe('14:05')
    expect(whenFormatter('en-US', 'America/New_York')('2030-06-15T13:05:00Z', now)).toBe('9:05 AM')
  })

  it('adds the date on another day, and the year in another year', () => {
    expect(format('2030-06-14T13:05:00Z', now)).toBe('14 Jun, 14:05')
    expect(format('2029-12-31T13:05:00Z', now)).toBe('31 Dec 2029, 13:05')
  })

  it('decides “today” in the user’s time zone, not UTC', () => {
    // 23:30 UTC on the 15th is already the 16th in Tokyo.
    const tokyo = whenFormatter('en-GB', 'Asia/Tokyo')
    expect(tokyo('2030-06-15T23:30:00Z', new Date('2030-06-15T20:00:00Z'))).toBe('8:30')
    expect(format('2030-06-15T23:30:00Z', now)).toBe('16 Jun, 0:30')
  })

  it('says nothing for a missing or unreadable time', () => {
    expect(format(null, now)).toBe('')
    expect(format('not a time', now)).toBe('')
  })
})

describe('statusWords: the status line from main’s facts', () => {
  it('running: sending, waiting to send with the next try, nothing to send, everything sent', () => {
    expect(statusWords(status({}, { sending: 2, queued: 1 }))).toMatchObject({
      label: 'Online',
      detail: 'Sending 2 contacts…',
    })
    const now = new Date()
    const next = new Date(now.getTime() + 60 * 60_000)
    expect(statusWords(status({ nextAttemptAt: next.toISOString() }, { queued: 1 }), now).detail).toMatch(
      /^1 waiting to send; the next try is at .+\.$/,
    )
    expect(statusWords(status({}, { needs_fix: 1 })).detail).toBe('Nothing to send right now.')
    expect(statusWords(status({}, { sent: 4 }))).toMatchObject({ tone: 'ok', detail: 'Everything is sent.', notes: [] })
  })

  it('tells offline, server unreachable and waiting for the server apart', () => {
    expect(statusWords(status({ state: 'offline' }, { queued: 1 }))).toMatchObject({
      label: 'Offline',
      detail: 'No network. 1 contact will be sent when the connection is back.',
    })
    expect(statusWords(status({ state: 'unreachable' }, { queued: 2 }))).toMatchObject({
      label: 'Server unreachable',
      detail: 'Could not reach api.example.test. 2 contacts will be sent when it answers again.',
    })
    const waiting = statusWords(status({ state: 'waiting', until: new Date().toISOString() }, { queued: 1 }))
    expect(waiting.label).toBe('Waiting for the server')
    expect(waiting.detail).toMatch(/^The server asked the app to wait until .+\.$/)
  })

  it('says each reason in its own words', () => {
    const paused = status(
      { state: 'paused_auth', reason: queueReason('organization_refused', { organizationId: 7 }) },
      { queued: 2 },
    )
    expect(statusWords(paused)).toMatchObject({
      tone: 'danger',
      label: 'Paused',
      detail:
        'This API key may not create contacts in organization 7 (403). Fix it in Settings. 2 contacts are waiting.',
    })
    const noKey = status({ state: 'not_configured', reason: queueReason('no_api_key', { host: 'api.example.test' }) })
    expect(statusWords(noKey)).toMatchObject({
      label: 'Waiting for the API key',
      detail: 'Add the API key for api.example.test in Settings.',
    })
  })

  it('notes what needs the user, held items and overdue ones, with the grammar for 1 and n', () => {
    const words = statusWords(status({ held: 1, overdue: 2, sendable: 0 }, { queued: 1, needs_fix: 1, unconfirmed: 2 }))
    expect(words.notes).toEqual([
      '3 need you: 1 needs a fix, 2 not confirmed.',
      '1 contact was saved for another connection — edit it to send with the current settings.',
      '2 contacts have been waiting a long time.',
    ])
    expect(countSummary(status({ overdue: 1 }, { queued: 3, unconfirmed: 1 }))).toBe(
      '3 waiting to send · 1 needs you · 1 overdue',
    )
  })
})

describe('canSendNow: only when something can be sent', () => {
  it('needs queued items for the current connection', () => {
    expect(canSendNow(null)).toBe(false)
    expect(canSendNow(status({}, { queued: 1 }))).toBe(true)
    expect(canSendNow(status({}, { needs_fix: 3, sending: 1 }))).toBe(false)
    expect(canSendNow(status({ held: 2, sendable: 0 }, { queued: 2 }))).toBe(false)
  })

  it('not while paused, blocked or told to wait; offline or unreachable, it goes as the probe', () => {
    const queued = { queued: 1 }
    expect(canSendNow(status({ state: 'paused_auth', reason: queueReason('key_refused', {}) }, queued))).toBe(false)
    expect(canSendNow(status({ state: 'not_configured', reason: queueReason('no_connection', {}) }, queued))).toBe(
      false,
    )
    expect(canSendNow(status({ state: 'waiting', until: new Date().toISOString() }, queued))).toBe(false)
    expect(canSendNow(status({ state: 'offline' }, queued))).toBe(true)
    expect(canSendNow(status({ state: 'unreachable' }, queued))).toBe(true)
  })
})
