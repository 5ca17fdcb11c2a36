/**
 * The durable outbox store on real SQLite files: saving, every transition, and every guard.
 * Queries, paging and restart: outbox-store-queries.test.ts. The file itself (pragmas, damaged
 * files, failures, hostile content): outbox-store-files.test.ts. Load: outbox-store-load.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { itemError } from '../../src/shared/item-error.ts'
import { OUTBOX_TRANSITIONS, nextState, outboxStates, type OutboxMove } from '../../src/shared/outbox.ts'
import type { OutboxStore, StoredItem } from '../../src/main/core/outbox/outbox-store-types.ts'
import {
  CREATED,
  OFFLINE,
  REJECTED,
  T0,
  TIMED_OUT,
  TARGET,
  draftFor,
  freshStore,
  itemIn,
  must,
  newItem,
  requestFor,
} from './support/outbox-store-fixtures.ts'

const OTHER_TARGET = { baseUrl: 'https://other.example.test', organizationId: 7 }
const iso = (ms: number): string => new Date(ms).toISOString()

describe('enqueue and get', () => {
  it('saves a queued item due now, with its own id and idempotency key, and reads the same back', () => {
    const { store } = freshStore()
    const saved = store.enqueue(newItem(), T0)
    expect(saved).toMatchObject({
      state: 'queued',
      attempts: 0,
      nextAttemptAt: iso(T0),
      createdAt: iso(T0),
      lastError: null,
      fieldErrors: null,
      contact: null,
      overdue: false,
      discardedFrom: null,
      profileId: 'default',
      target: TARGET,
    })
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(saved.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/)
    expect(saved.idempotencyKey).not.toBe(saved.id)
    expect(store.get(saved.id, T0)).toEqual(saved)
  })

  it('gives every item a distinct id, idempotency key and an increasing seq', () => {
    const { store } = freshStore()
    const items = Array.from({ length: 200 }, (_, i) => store.enqueue(newItem(`Person ${i}`), T0 + i))
    expect(new Set(items.map((i) => i.id)).size).toBe(200)
    expect(new Set(items.map((i) => i.idempotencyKey)).size).toBe(200)
    expect(items.map((i) => i.seq)).toEqual([...items.map((i) => i.seq)].sort((a, b) => a - b))
  })

  it('returns undefined for an id it does not know', () => {
    const { store } = freshStore()
    expect(store.get('00000000-0000-4000-8000-000000000000', T0)).toBeUndefined()
  })
})

describe('transitions', () => {
  it('markSending counts the attempt and clears the due time', () => {
    const { store } = freshStore()
    const item = store.enqueue(newItem(), T0)
    const sending = must(store.markSending(item.id, T0 + 5))
    expect(sending).toMatchObject({ state: 'sending', attempts: 1, nextAttemptAt: null, updatedAt: iso(T0 + 5) })
  })

  it('markSent keeps the server contact and clears the last error', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    must(store.requeue(item.id, { nextAttemptAt: T0 + 10, lastError: OFFLINE }, T0 + 2))
    must(store.markSending(item.id, T0 + 10))
    const sent = must(store.markSent(item.id, CREATED, T0 + 11))
    expect(sent).toMatchObject({ state: 'sent', contact: CREATED, lastError: null, attempts: 2 })
    expect(store.get(item.id, T0 + 12)?.contact).toEqual(CREATED)
  })

  it('requeue schedules the next attempt (whole milliseconds, never earlier) and keeps the reason', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    const busy = itemError('server_error', { status: 503 })
    const queued = must(store.requeue(item.id, { nextAttemptAt: T0 + 1234.2, lastError: busy }, T0 + 3))
    expect(queued).toMatchObject({ state: 'queued', nextAttemptAt: iso(T0 + 1235), lastError: busy })
    expect(store.get(item.id, T0)?.lastError).toEqual(busy)
  })

  it('markNeedsFix keeps the server messages per field and per phone row', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    const fieldErrors = { email: ['is invalid'], phones: [[], ['is not a number']] }
    const fix = must(store.markNeedsFix(item.id, { lastError: REJECTED, fieldErrors }, T0 + 3))
    expect(fix).toMatchObject({ state: 'needs_fix', fieldErrors, lastError: REJECTED })
    expect(store.get(item.id, T0)?.fieldErrors).toEqual(fieldErrors)
  })

  it('markUnconfirmed keeps why the outcome is unknown', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    const lost = itemError('connection_lost', { host: 'api.example.test' })
    expect(store.markUnconfirmed(item.id, lost, T0 + 3)).toMatchObject({
      state: 'unconfirmed',
      lastError: lost,
      nextAttemptAt: null,
    })
  })

  it('updateDraft replaces draft, request and target, resets attempts and errors, and is due at once', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'needs_fix')
    const target = { baseUrl: 'https://other.example.test', organizationId: 7 }
    const updated = must(
      store.updateDraft(item.id, { draft: draftFor('Ada King'), request: requestFor('Ada King'), target }, T0 + 50),
    )
    expect(updated).toMatchObject({
      state: 'queued',
      draft: draftFor('Ada King'),
      request: requestFor('Ada King'),
      target,
      attempts: 0,
      nextAttemptAt: iso(T0 + 50),
      lastError: null,
      fieldErrors: null,
      idempotencyKey: item.idempotencyKey,
    })
    expect(must(store.updateDraft(item.id, { ...newItem('Again'), target }, T0 + 60)).draft.fullName).toBe('Again')
  })

  it('sendAgain queues an unconfirmed item due now with the same idempotency key', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'unconfirmed')
    const again = must(store.sendAgain(item.id, T0 + 100))
    expect(again).toMatchObject({ state: 'queued', nextAttemptAt: iso(T0 + 100), lastError: null, attempts: 1 })
    expect(again.idempotencyKey).toBe(item.idempotencyKey)
  })

  it('markSentByUser records an unconfirmed item as sent without a server contact', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'unconfirmed')
    expect(store.markSentByUser(item.id, T0 + 9)).toMatchObject({ state: 'sent', contact: null, lastError: null })
  })

  it('undoMarkSentByUser puts an item the user marked as sent back to unconfirmed, saying so', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'unconfirmed')
    must(store.markSentByUser(item.id, T0 + 9))
    const undone = must(store.undoMarkSentByUser(item.id, T0 + 10))
    expect(undone).toMatchObject({ state: 'unconfirmed', contact: null, idempotencyKey: item.idempotencyKey })
    expect(undone.lastError).toEqual({ code: 'mark_as_sent_undone', params: {} })
    expect(store.get(item.id, T0 + 10)).toEqual(undone)
  })

  it('undoMarkSentByUser leaves an item the server created alone', () => {
    const { store } = freshStore()
    const sent = itemIn(store, 'sent')
    expect(sent.contact).not.toBeNull()
    expect(store.undoMarkSentByUser(sent.id, T0 + 10)).toBeUndefined()
    expect(store.get(sent.id, T0 + 10)).toEqual(store.get(sent.id, T0))
  })

  it.each(['queued', 'needs_fix', 'unconfirmed'] as const)(
    'discard remembers that the item was %s and restore puts it back there',
    (from) => {
      const { store } = freshStore()
      const item = itemIn(store, from)
      const discarded = must(store.discard(item.id, T0 + 20))
      expect(discarded).toMatchObject({ state: 'discarded', discardedFrom: from, nextAttemptAt: null })
      const restored = must(store.restore(item.id, T0 + 30))
      expect(restored).toMatchObject({ state: from, discardedFrom: null })
      expect(restored.nextAttemptAt).toBe(from === 'queued' ? iso(T0 + 30) : null)
      expect(restored.draft).toEqual(item.draft)
    },
  )

  it('keeps the idempotency key through a whole life of retries, edits, discards and restores', () => {
    const { store } = freshStore()
    const item = store.enqueue(newItem(), T0)
    const keys = [
      must(store.markSending(item.id, T0 + 1)),
      must(store.requeue(item.id, { nextAttemptAt: T0 + 2, lastError: OFFLINE }, T0 + 1)),
      must(store.markSending(item.id, T0 + 2)),
      must(store.markNeedsFix(item.id, { lastError: REJECTED, fieldErrors: null }, T0 + 3)),
      must(store.discard(item.id, T0 + 4)),
      must(store.restore(item.id, T0 + 5)),
      must(store.updateDraft(item.id, newItem('Edited'), T0 + 6)),
      must(store.markSending(item.id, T0 + 7)),
      must(store.markUnconfirmed(item.id, TIMED_OUT, T0 + 8)),
      must(store.sendAgain(item.id, T0 + 9)),
      must(store.markSending(item.id, T0 + 10)),
      must(store.markSent(item.id, CREATED, T0 + 11)),
    ].map((step) => step.idempotencyKey)
    expect(new Set([item.idempotencyKey, ...keys])).toEqual(new Set([item.idempotencyKey]))
  })
})

/**
 * How each store method makes its move; which states it may start from comes from OUTBOX_TRANSITIONS alone.
 * Undoing Mark as sent also needs an item without the server's contact: its own tests above cover it.
 */
type Run = (store: OutboxStore, id: string) => StoredItem | undefined
const runs: Record<Exclude<OutboxMove, 'sendNow' | 'holdUnreadable' | 'recoverInterrupted' | 'undoMarkAsSent'>, Run> = {
  markSending: (s, id) => s.markSending(id, T0 + 99),
  markSent: (s, id) => s.markSent(id, CREATED, T0 + 99),
  requeue: (s, id) => s.requeue(id, { nextAttemptAt: T0, lastError: OFFLINE }, T0 + 99),
  markNeedsFix: (s, id) => s.markNeedsFix(id, { lastError: REJECTED, fieldErrors: null }, T0 + 99),
  markUnconfirmed: (s, id) => s.markUnconfirmed(id, TIMED_OUT, T0 + 99),
  edit: (s, id) => s.updateDraft(id, newItem('Changed'), T0 + 99),
  sendAgain: (s, id) => s.sendAgain(id, T0 + 99),
  retarget: (s, id) => s.retarget(id, { target: OTHER_TARGET, profileId: 'default' }, T0 + 99),
  markAsSent: (s, id) => s.markSentByUser(id, T0 + 99),
  discard: (s, id) => s.discard(id, T0 + 99),
  restore: (s, id) => s.restore(id, T0 + 99),
}
const moves = Object.keys(runs) as (keyof typeof runs)[]
const pairs = moves.flatMap((move) => outboxStates.map((state) => [move, state] as const))
const allowed = pairs.filter(([move, state]) => (OUTBOX_TRANSITIONS[move].from as readonly string[]).includes(state))
const refused = pairs.filter((pair) => !allowed.includes(pair))

describe('transition guards', () => {
  it.each(allowed)('%s on an item in %s lands where OUTBOX_TRANSITIONS says', (move, state) => {
    const { store } = freshStore()
    const item = itemIn(store, state)
    const expected = nextState(move, item)
    expect(expected).toBeDefined()
    expect(runs[move](store, item.id)?.state).toBe(expected)
    expect(store.get(item.id, T0)?.state).toBe(expected)
  })

  it.each(refused)('%s on an item in %s returns undefined and writes nothing', (move, state) => {
    const { store } = freshStore()
    const item = itemIn(store, state)
    const before = store.get(item.id, T0)
    expect(runs[move](store, item.id)).toBeUndefined()
    expect(store.get(item.id, T0)).toEqual(before)
  })

  it.each(moves)('%s on an unknown id returns undefined', (move) => {
    const { store } = freshStore()
    itemIn(store, 'queued')
    expect(runs[move](store, '00000000-0000-4000-8000-000000000000')).toBeUndefined()
  })
})
