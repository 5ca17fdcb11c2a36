/**
 * The outbox under load: a long random run checked against OUTBOX_TRANSITIONS and SQLite's own integrity
 * check, and paging at 100,000 items (how fast is `npm run bench`'s job, not a test's).
 */
import { randomUUID } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import {
  nextState,
  outboxStates,
  type OutboxFilter,
  type OutboxMove,
  type OutboxState,
} from '../../src/shared/outbox.ts'
import type { StoredItem } from '../../src/main/core/outbox/outbox-store-types.ts'
import {
  CREATED,
  OFFLINE,
  REJECTED,
  T0,
  TARGET,
  TIMED_OUT,
  draftFor,
  freshStore,
  newItem,
  openStore,
  requestFor,
} from './support/outbox-store-fixtures.ts'

/** A small seeded generator, so a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

type Model = { state: OutboxState; discardedFrom: OutboxState | null }

describe('a busy run', () => {
  it('follows OUTBOX_TRANSITIONS at every step and passes PRAGMA integrity_check afterwards', () => {
    const { store, path } = freshStore()
    const random = mulberry32(20_250_115)
    // The model decides from the table alone what each move must do; the store has to agree.
    const model = new Map<string, Model>()
    const ids: string[] = []
    const pick = (): string => ids[Math.floor(random() * ids.length)] ?? ''
    const moves: [number, OutboxMove, (id: string, now: number) => StoredItem | undefined][] = [
      [0.35, 'markSending', (id, now) => store.markSending(id, now)],
      [0.45, 'markSent', (id, now) => store.markSent(id, CREATED, now)],
      [0.55, 'requeue', (id, now) => store.requeue(id, { nextAttemptAt: now + 5_000, lastError: OFFLINE }, now)],
      [
        0.6,
        'markNeedsFix',
        (id, now) => store.markNeedsFix(id, { lastError: REJECTED, fieldErrors: { email: ['bad'] } }, now),
      ],
      [0.65, 'markUnconfirmed', (id, now) => store.markUnconfirmed(id, TIMED_OUT, now)],
      [0.72, 'edit', (id, now) => store.updateDraft(id, newItem(`Edited ${now}`), now)],
      [0.78, 'sendAgain', (id, now) => store.sendAgain(id, now)],
      [0.8, 'markAsSent', (id, now) => store.markSentByUser(id, now)],
      [0.88, 'discard', (id, now) => store.discard(id, now)],
      [0.95, 'restore', (id, now) => store.restore(id, now)],
    ]
    const taken = new Set<OutboxMove>()
    let now = T0
    for (let step = 0; step < 1_500; step++) {
      now += 1_000
      const roll = random()
      if (ids.length < 5 || roll < 0.2) {
        const item = store.enqueue(newItem(`Person ${step}`), now)
        ids.push(item.id)
        model.set(item.id, { state: 'queued', discardedFrom: null })
        continue
      }
      const move = moves.find(([below]) => roll < below)
      if (!move) {
        const due = store.due(TARGET, now, 3)
        for (const item of due) expect(model.get(item.id)?.state).toBe('queued')
        continue
      }
      const [, name, run] = move
      const id = pick()
      const before = model.get(id)!
      const expected = nextState(name, before)
      const result = run(id, now)
      if (expected === undefined) {
        expect(result, `${name} from ${before.state}`).toBeUndefined()
        continue
      }
      expect(result?.state, `${name} from ${before.state}`).toBe(expected)
      taken.add(name)
      model.set(id, { state: expected, discardedFrom: name === 'discard' ? before.state : null })
    }
    // The run really makes every move and visits every state, not just a few.
    expect(taken).toEqual(new Set(moves.map(([, name]) => name)))
    const states = [...model.values()].map((entry) => entry.state)
    expect(new Set(states)).toEqual(new Set(outboxStates))
    for (const [id, entry] of model) expect(store.get(id, now)?.state).toBe(entry.state)
    const counts = store.counts(now)
    for (const state of outboxStates) expect(counts[state]).toBe(states.filter((s) => s === state).length)
    store.close()

    const db = new DatabaseSync(path)
    expect(db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }])
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([])
    db.close()
  })
})

const HUGE = 100_000

describe(`an outbox of ${HUGE.toLocaleString('en')} items`, () => {
  it('opens and pages every filter newest first, without gaps or repeats', () => {
    const { store, path } = freshStore()
    store.close()
    fillRaw(path, HUGE)

    const reopened = openStore(path)
    const counts = reopened.counts(T0)
    for (const filter of ['all', 'waiting', 'sent', 'discarded'] as OutboxFilter[]) {
      const first = reopened.page({ filter, limit: 50 }, T0)
      expect(first.items).toHaveLength(50)
      const seen: number[] = first.items.map((item) => item.seq)
      let before = first.nextBefore ?? undefined
      for (let i = 0; i < 5; i++) {
        const page = reopened.page({ filter, limit: 50, before }, T0)
        expect(page.total).toBe(first.total)
        seen.push(...page.items.map((item) => item.seq))
        before = page.nextBefore ?? undefined
      }
      expect(seen).toEqual([...seen].sort((a, b) => b - a))
      expect(new Set(seen).size).toBe(seen.length)
    }
    const all = reopened.page({ filter: 'all', limit: 1 }, T0)
    expect(all.total).toBe(HUGE)
    expect(outboxStates.reduce((sum, state) => sum + counts[state], 0)).toBe(HUGE)
  })
})

/** Fills the file in one transaction, far faster than 100,000 durable enqueues; the columns mirror enqueue's. */
function fillRaw(path: string, count: number): void {
  const db = new DatabaseSync(path)
  const insert = db.prepare(
    `INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url, target_organization_id, state,
       discarded_from, draft_json, request_json, attempts, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, 'default', ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
  )
  const states: OutboxState[] = ['sent', 'sent', 'sent', 'queued', 'needs_fix', 'discarded', 'unconfirmed', 'sent']
  db.exec('BEGIN')
  for (let i = 0; i < count; i++) {
    const state = states[i % states.length] ?? 'sent'
    const at = T0 + i
    insert.run(
      randomUUID(),
      randomUUID(),
      TARGET.baseUrl,
      TARGET.organizationId,
      state,
      state === 'discarded' ? 'queued' : null,
      JSON.stringify(draftFor(`Person ${i}`)),
      JSON.stringify(requestFor(`Person ${i}`)),
      state === 'queued' ? at : null,
      at,
      at,
    )
  }
  db.exec('COMMIT')
  db.close()
}
