/**
 * The outbox under load: a long random run checked against a model and SQLite's own integrity
 * check, and paging at 100,000 items (how fast is `npm run bench`'s job, not a test's).
 */
import { randomUUID } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { outboxStates, type OutboxFilter, type OutboxState } from '../../src/shared/outbox.ts'
import type { StoredItem } from '../../src/main/core/outbox/outbox-store-types.ts'
import {
  CREATED,
  T0,
  TARGET,
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

describe('a busy run', () => {
  it('matches a model of every transition and passes PRAGMA integrity_check afterwards', () => {
    const { store, path } = freshStore()
    const random = mulberry32(20_250_115)
    const model = new Map<string, OutboxState>()
    const ids: string[] = []
    const pick = (): string => ids[Math.floor(random() * ids.length)] ?? ''
    let now = T0
    for (let step = 0; step < 1_500; step++) {
      now += 1_000
      const id = pick()
      const roll = random()
      let result: StoredItem | undefined
      if (ids.length < 5 || roll < 0.2) {
        result = store.enqueue(newItem(`Person ${step}`), now)
        ids.push(result.id)
      } else if (roll < 0.35) result = store.markSending(id, now)
      else if (roll < 0.45) result = store.markSent(id, CREATED, now)
      else if (roll < 0.55) result = store.requeue(id, { nextAttemptAt: now + 5_000, lastError: 'Offline' }, now)
      else if (roll < 0.6) result = store.markNeedsFix(id, { lastError: 'Fix', fieldErrors: { email: ['bad'] } }, now)
      else if (roll < 0.65) result = store.markUnconfirmed(id, 'Timeout', now)
      else if (roll < 0.72) result = store.updateDraft(id, newItem(`Edited ${step}`), now)
      else if (roll < 0.78) result = store.sendAgain(id, now)
      else if (roll < 0.8) result = store.markSentByUser(id, now)
      else if (roll < 0.88) result = store.discard(id, now)
      else if (roll < 0.95) result = store.restore(id, now)
      else for (const item of store.due(TARGET, now, 3)) expect(item.state).toBe('queued')
      if (result) model.set(result.id, result.state)
    }
    // The run really visits every state, not just a few.
    expect(new Set(model.values())).toEqual(new Set(outboxStates))
    for (const [id, state] of model) expect(store.get(id, now)?.state).toBe(state)
    const counts = store.counts(now)
    for (const state of outboxStates) {
      expect(counts[state]).toBe([...model.values()].filter((s) => s === state).length)
    }
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
