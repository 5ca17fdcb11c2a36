/**
 * The durable outbox store on real SQLite files: saving, every transition, and every guard.
 * Queries, paging and restart: outbox-store-queries.test.ts. The file itself (pragmas, damaged
 * files, failures, hostile content): outbox-store-files.test.ts. Load: outbox-store-load.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { outboxStates, type OutboxState } from '../../src/shared/outbox.ts'
import type { OutboxStore, StoredItem } from '../../src/main/core/outbox/outbox-store-types.ts'
import {
  CREATED,
  T0,
  TARGET,
  draftFor,
  freshStore,
  itemIn,
  must,
  newItem,
  requestFor,
} from './support/outbox-store-fixtures.ts'

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
    must(store.requeue(item.id, { nextAttemptAt: T0 + 10, lastError: 'Offline' }, T0 + 2))
    must(store.markSending(item.id, T0 + 10))
    const sent = must(store.markSent(item.id, CREATED, T0 + 11))
    expect(sent).toMatchObject({ state: 'sent', contact: CREATED, lastError: null, attempts: 2 })
    expect(store.get(item.id, T0 + 12)?.contact).toEqual(CREATED)
  })

  it('requeue schedules the next attempt (whole milliseconds, never earlier) and keeps the reason', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    const queued = must(store.requeue(item.id, { nextAttemptAt: T0 + 1234.2, lastError: 'Server busy' }, T0 + 3))
    expect(queued).toMatchObject({ state: 'queued', nextAttemptAt: iso(T0 + 1235), lastError: 'Server busy' })
  })

  it('markNeedsFix keeps the server messages per field and per phone row', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    const fieldErrors = { email: ['is invalid'], phones: [[], ['is not a number']] }
    const fix = must(store.markNeedsFix(item.id, { lastError: 'Check the highlighted fields.', fieldErrors }, T0 + 3))
    expect(fix).toMatchObject({ state: 'needs_fix', fieldErrors, lastError: 'Check the highlighted fields.' })
    expect(store.get(item.id, T0)?.fieldErrors).toEqual(fieldErrors)
  })

  it('markUnconfirmed keeps why the outcome is unknown', () => {
    const { store } = freshStore()
    const item = itemIn(store, 'sending')
    expect(store.markUnconfirmed(item.id, 'The connection dropped.', T0 + 3)).toMatchObject({
      state: 'unconfirmed',
      lastError: 'The connection dropped.',
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
    expect(undone.lastError).toMatch(/undid “Mark as sent”/)
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
      must(store.requeue(item.id, { nextAttemptAt: T0 + 2, lastError: 'Offline' }, T0 + 1)),
      must(store.markSending(item.id, T0 + 2)),
      must(store.markNeedsFix(item.id, { lastError: 'Fix', fieldErrors: null }, T0 + 3)),
      must(store.discard(item.id, T0 + 4)),
      must(store.restore(item.id, T0 + 5)),
      must(store.updateDraft(item.id, newItem('Edited'), T0 + 6)),
      must(store.markSending(item.id, T0 + 7)),
      must(store.markUnconfirmed(item.id, 'Timeout', T0 + 8)),
      must(store.sendAgain(item.id, T0 + 9)),
      must(store.markSending(item.id, T0 + 10)),
      must(store.markSent(item.id, CREATED, T0 + 11)),
    ].map((step) => step.idempotencyKey)
    expect(new Set([item.idempotencyKey, ...keys])).toEqual(new Set([item.idempotencyKey]))
  })
})

type Transition = (store: OutboxStore, id: string) => StoredItem | undefined
const transitions: Record<string, { from: readonly OutboxState[]; run: Transition }> = {
  markSending: { from: ['queued'], run: (s, id) => s.markSending(id, T0 + 99) },
  markSent: { from: ['sending'], run: (s, id) => s.markSent(id, CREATED, T0 + 99) },
  requeue: { from: ['sending'], run: (s, id) => s.requeue(id, { nextAttemptAt: T0, lastError: 'x' }, T0 + 99) },
  markNeedsFix: {
    from: ['sending'],
    run: (s, id) => s.markNeedsFix(id, { lastError: 'x', fieldErrors: null }, T0 + 99),
  },
  markUnconfirmed: { from: ['sending'], run: (s, id) => s.markUnconfirmed(id, 'x', T0 + 99) },
  updateDraft: { from: ['needs_fix', 'queued'], run: (s, id) => s.updateDraft(id, newItem('Changed'), T0 + 99) },
  sendAgain: { from: ['unconfirmed'], run: (s, id) => s.sendAgain(id, T0 + 99) },
  markSentByUser: { from: ['unconfirmed'], run: (s, id) => s.markSentByUser(id, T0 + 99) },
  discard: { from: ['queued', 'needs_fix', 'unconfirmed'], run: (s, id) => s.discard(id, T0 + 99) },
  restore: { from: ['discarded'], run: (s, id) => s.restore(id, T0 + 99) },
  // From sent only when the user marked it (tested above): itemIn's sent item has the server's contact.
  undoMarkSentByUser: { from: [], run: (s, id) => s.undoMarkSentByUser(id, T0 + 99) },
}
const refused = Object.entries(transitions).flatMap(([name, t]) =>
  outboxStates.filter((state) => !t.from.includes(state)).map((state) => [name, state] as const),
)

describe('transition guards', () => {
  it.each(refused)('%s on an item in %s returns undefined and writes nothing', (name, state) => {
    const { store } = freshStore()
    const item = itemIn(store, state)
    const before = store.get(item.id, T0)
    expect(transitions[name]?.run(store, item.id)).toBeUndefined()
    expect(store.get(item.id, T0)).toEqual(before)
  })

  it.each(Object.keys(transitions))('%s on an unknown id returns undefined', (name) => {
    const { store } = freshStore()
    itemIn(store, 'queued')
    expect(transitions[name]?.run(store, '00000000-0000-4000-8000-000000000000')).toBeUndefined()
  })
})
