/**
 * What the store answers: the sender's questions, counts and overdue, paging across filters, and
 * everything surviving a restart. Transitions are in outbox-store.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { outboxStates, type OutboxFilter, type OutboxState } from '../../src/shared/outbox.ts'
import type { StoredItem } from '../../src/main/core/outbox/outbox-store-types.ts'
import {
  DAY_MS,
  OFFLINE,
  T0,
  TARGET,
  freshStore,
  itemIn,
  must,
  newItem,
  openStore,
} from './support/outbox-store-fixtures.ts'

describe('what the sender asks', () => {
  it('due returns this target’s queued items whose time has come, earliest first, up to the limit', () => {
    const { store } = freshStore()
    const late = store.enqueue(newItem('Late'), T0)
    const early = store.enqueue(newItem('Early'), T0 + 1)
    must(store.markSending(early.id, T0 + 2))
    must(store.requeue(early.id, { nextAttemptAt: T0 - 500, lastError: OFFLINE }, T0 + 2))
    const future = store.enqueue(newItem('Future'), T0 + 2)
    must(store.markSending(future.id, T0 + 2))
    must(store.requeue(future.id, { nextAttemptAt: T0 + 60_000, lastError: OFFLINE }, T0 + 2))
    store.enqueue(newItem('Elsewhere', { ...TARGET, organizationId: 43 }), T0)
    itemIn(store, 'needs_fix')

    expect(store.due(TARGET, T0 + 10, 10).map((i) => i.draft.fullName)).toEqual(['Early', 'Late'])
    expect(store.due(TARGET, T0 + 10, 1).map((i) => i.id)).toEqual([early.id])
    expect(store.due(TARGET, T0 + 60_000, 10).map((i) => i.id)).toEqual([early.id, late.id, future.id])
    expect(store.nextAttemptAt(TARGET)).toBe(T0 - 500)
    expect(store.nextAttemptAt({ baseUrl: 'https://nowhere.example.test', organizationId: 1 })).toBeUndefined()
  })

  it('heldForOtherTargets counts queued items saved for another base URL or organization', () => {
    const { store } = freshStore()
    store.enqueue(newItem('Here'), T0)
    store.enqueue(newItem('Other org'), T0)
    store.enqueue(newItem('Other org'), T0)
    store.enqueue(newItem('Before', { baseUrl: 'https://a.example.test', organizationId: 42 }), T0)
    store.enqueue(newItem('After', { baseUrl: 'https://z.example.test', organizationId: 42 }), T0)
    const others = store.page({ filter: 'all', limit: 10 }, T0).items.filter((i) => i.draft.fullName === 'Other org')
    for (const item of others)
      must(store.updateDraft(item.id, newItem('Other org', { ...TARGET, organizationId: 41 }), T0))
    expect(store.heldForOtherTargets(TARGET)).toBe(4)
    expect(store.heldForOtherTargets({ ...TARGET, organizationId: 41 })).toBe(3)
  })
})

describe('counts and overdue', () => {
  it('counts every state and flags only waiting items older than the window', () => {
    const { store } = freshStore(DAY_MS)
    const old = T0 - 2 * DAY_MS
    for (const state of outboxStates) itemIn(store, state, old)
    for (const state of outboxStates) itemIn(store, state, T0)
    expect(store.counts(T0)).toEqual({
      queued: 2,
      sending: 2,
      sent: 2,
      needs_fix: 2,
      unconfirmed: 2,
      discarded: 2,
      overdue: 4,
    })
    const page = store.page({ filter: 'all', limit: 50 }, T0).items
    expect(
      page
        .filter((i) => i.overdue)
        .map((i) => i.state)
        .sort(),
    ).toEqual([...WAITING_SORTED])
    store.flagAfterMs = 3 * DAY_MS
    expect(store.counts(T0).overdue).toBe(0)
  })
})
const WAITING_SORTED = ['needs_fix', 'queued', 'sending', 'unconfirmed']

describe('paging', () => {
  const expected: Record<OutboxFilter, (state: OutboxState) => boolean> = {
    waiting: (s) => WAITING_SORTED.includes(s),
    to_send: (s) => s === 'queued' || s === 'sending',
    needs_you: (s) => s === 'needs_fix' || s === 'unconfirmed',
    sent: (s) => s === 'sent',
    discarded: (s) => s === 'discarded',
    all: () => true,
  }

  it.each(Object.keys(expected) as OutboxFilter[])(
    'walks the %s filter newest first with nextBefore and total',
    (filter) => {
      const { store } = freshStore()
      const all = Array.from({ length: 300 }, (_, i) => itemIn(store, outboxStates[(i * 5) % 6] ?? 'queued', T0 + i))
      const want = all.filter((i) => expected[filter](i.state)).map((i) => i.seq)
      want.reverse()

      const seen: number[] = []
      let before: number | undefined
      for (let guard = 0; guard < 100; guard++) {
        const page = store.page({ filter, limit: 7, before }, T0)
        expect(page.total).toBe(want.length)
        expect(page.items.length).toBeGreaterThan(0)
        seen.push(...page.items.map((i) => i.seq))
        if (page.nextBefore === null) break
        expect(page.nextBefore).toBe(page.items.at(-1)?.seq)
        before = page.nextBefore
      }
      expect(seen).toEqual(want)
    },
  )

  it('shows the renderer no wire body, idempotency key or profile', () => {
    const { store } = freshStore()
    store.enqueue(newItem(), T0)
    const [item] = store.page({ filter: 'waiting', limit: 5 }, T0).items
    expect(item).not.toHaveProperty('idempotencyKey')
    expect(item).not.toHaveProperty('profileId')
    expect(item).not.toHaveProperty('request')
  })

  it('returns an empty last page with a null cursor when nothing matches', () => {
    const { store } = freshStore()
    itemIn(store, 'sent')
    expect(store.page({ filter: 'discarded', limit: 10 }, T0)).toEqual({ items: [], nextBefore: null, total: 0 })
  })
})

describe('restart', () => {
  it('keeps every item and field across close and reopen, and seq keeps increasing', () => {
    const { store, path } = freshStore()
    const items = outboxStates.map((state) => itemIn(store, state))
    const before = items.map((i) => store.get(i.id, T0))
    store.close()
    const reopened = openStore(path)
    expect(items.map((i) => reopened.get(i.id, T0))).toEqual(before)
    expect(reopened.enqueue(newItem(), T0).seq).toBeGreaterThan(Math.max(...items.map((i) => i.seq)))
  })

  it('recoverInterrupted turns every sending item into unconfirmed, and only those', () => {
    const { store, path } = freshStore()
    const sending = [itemIn(store, 'sending'), itemIn(store, 'sending')]
    const queued = itemIn(store, 'queued')
    store.close()
    const reopened = openStore(path)
    expect(reopened.recoverInterrupted(T0 + 1000)).toBe(2)
    for (const item of sending) {
      expect(reopened.get(item.id, T0)).toMatchObject({
        state: 'unconfirmed',
        lastError: { code: 'interrupted', params: {} },
      })
    }
    expect(reopened.get(queued.id, T0)?.state).toBe('queued')
    expect(reopened.recoverInterrupted(T0 + 2000)).toBe(0)
  })

  it('pruneHistory deletes only sent and discarded items last changed before the cut', () => {
    const { store } = freshStore()
    const recent = outboxStates.map((state) => itemIn(store, state, T0))
    // Created last, so the newest seq is among the pruned: it must not be handed out again.
    const old = outboxStates.map((state) => itemIn(store, state, T0 - 10 * DAY_MS))
    expect(store.pruneHistory(T0 - DAY_MS)).toBe(2)
    const left = (items: StoredItem[]) => items.filter((i) => store.get(i.id, T0)).map((i) => i.state)
    expect(left(old)).toEqual(['queued', 'sending', 'needs_fix', 'unconfirmed'])
    expect(left(recent)).toEqual([...outboxStates])
    expect(store.enqueue(newItem(), T0).seq).toBeGreaterThan(Math.max(...old.map((i) => i.seq)))
  })
})
