/**
 * The counts the status line shows are kept by triggers beside the rows (migration 4). Whatever
 * sequence of moves, prunes, recoveries and bulk actions runs, they must equal a real COUNT(*)
 * over the rows; and a file from before the counts table gets them backfilled from its rows.
 */
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/core/outbox/migrations.ts'
import type { OutboxStore } from '../../src/main/core/outbox/outbox-store-types.ts'
import { outboxStates, type OutboxState } from '../../src/shared/outbox.ts'
import {
  CREATED,
  DAY_MS,
  OFFLINE,
  REJECTED,
  T0,
  TARGET,
  freshStore,
  itemIn,
  newItem,
  openStore,
  tempFolder,
} from './support/outbox-store-fixtures.ts'

/** What SQLite finds by walking the rows, state by state. */
function realCounts(path: string): Record<OutboxState, number> {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    const counts = Object.fromEntries(outboxStates.map((state) => [state, 0])) as Record<OutboxState, number>
    const rows = db.prepare('SELECT state, count(*) AS n FROM outbox_items NOT INDEXED GROUP BY state').all()
    for (const row of rows) counts[row.state as OutboxState] = Number(row.n)
    return counts
  } finally {
    db.close()
  }
}

function keptCounts(store: OutboxStore, now: number): Record<OutboxState, number> {
  const counts = store.counts(now)
  return Object.fromEntries(outboxStates.map((state) => [state, counts[state]])) as Record<OutboxState, number>
}

type Step =
  | { kind: 'enqueue' }
  | { kind: 'move'; move: Move; pick: number }
  | { kind: 'bulk'; action: 'discard' | 'sendAgain' | 'markAsSent' | 'restore'; picks: number[] }
  | { kind: 'sendingTogether'; picks: number[] }
  | { kind: 'recover' }
  | { kind: 'prune'; days: number }

const moves = [
  'markSending',
  'markSent',
  'requeue',
  'markNeedsFix',
  'markUnconfirmed',
  'sendAgain',
  'markSentByUser',
  'undoMarkSentByUser',
  'discard',
  'restore',
  'updateDraft',
] as const
type Move = (typeof moves)[number]

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Step>({ kind: 'enqueue' }) },
  {
    weight: 8,
    arbitrary: fc.record({ kind: fc.constant('move' as const), move: fc.constantFrom(...moves), pick: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bulk' as const),
      action: fc.constantFrom('discard' as const, 'sendAgain' as const, 'markAsSent' as const, 'restore' as const),
      picks: fc.array(fc.nat(), { maxLength: 5 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('sendingTogether' as const),
      picks: fc.array(fc.nat(), { maxLength: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: 'recover' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('prune' as const), days: fc.integer({ min: 0, max: 3 }) }) },
)

function run(store: OutboxStore, ids: string[], step: Step, now: number): void {
  const at = (pick: number): string => ids[pick % ids.length]!
  switch (step.kind) {
    case 'enqueue':
      ids.push(store.enqueue(newItem(), now).id)
      return
    case 'recover':
      store.recoverInterrupted(now)
      return
    case 'prune':
      store.pruneHistory(now - step.days * DAY_MS)
      return
    default:
  }
  if (ids.length === 0) return
  if (step.kind === 'bulk') {
    store.bulk(
      step.action,
      step.picks.map((pick) => at(pick)),
      now,
    )
    return
  }
  if (step.kind === 'sendingTogether') {
    store.markSendingAll(
      step.picks.map((pick) => at(pick)),
      now,
    )
    return
  }
  const id = at(step.pick)
  switch (step.move) {
    case 'markSent':
      store.markSent(id, CREATED, now)
      return
    case 'requeue':
      store.requeue(id, { nextAttemptAt: now, lastError: OFFLINE }, now)
      return
    case 'markNeedsFix':
      store.markNeedsFix(id, { lastError: REJECTED, fieldErrors: null }, now)
      return
    case 'markUnconfirmed':
      store.markUnconfirmed(id, OFFLINE, now)
      return
    case 'updateDraft':
      store.updateDraft(id, { ...newItem('Grace Hopper'), target: TARGET }, now)
      return
    default:
      store[step.move](id, now)
  }
}

describe('the kept counts', () => {
  it('equal a real count of the rows after every step of random sequences', () => {
    fc.assert(
      fc.property(fc.array(stepArbitrary, { minLength: 1, maxLength: 60 }), (steps) => {
        const { store, path } = freshStore()
        const ids: string[] = []
        let now = T0
        for (const step of steps) {
          // A day apart now and then, so that pruning finds something old enough.
          now += step.kind === 'enqueue' ? DAY_MS : 1_000
          run(store, ids, step, now)
          expect(keptCounts(store, now), JSON.stringify(step)).toEqual(realCounts(path))
        }
        store.close()
      }),
      { numRuns: 60 },
    )
  })

  it('stay exact when a transaction that moved items is rolled back', () => {
    const { store, path } = freshStore()
    const queued = itemIn(store, 'queued')
    itemIn(store, 'sent')
    const db = new DatabaseSync(path)
    db.exec('BEGIN IMMEDIATE')
    db.prepare("UPDATE outbox_items SET state = 'discarded', discarded_from = state WHERE id = ?").run(queued.id)
    db.exec('ROLLBACK')
    db.close()
    expect(keptCounts(store, T0)).toEqual(realCounts(path))
    expect(store.counts(T0)).toMatchObject({ queued: 1, sent: 1, discarded: 0 })
  })
})

describe('the counts migration', () => {
  it('backfills the counts of a file from before it from its rows, then keeps them', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    const old = new DatabaseSync(path)
    for (const migration of MIGRATIONS.filter((m) => m.version < 4)) old.exec(migration.sql)
    old.exec('PRAGMA user_version = 3')
    const insert = old.prepare(`INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url,
        target_organization_id, state, draft_json, request_json, attempts, next_attempt_at, created_at, updated_at)
      VALUES (?, ?, 'default', ?, ?, ?, ?, ?, 1, NULL, ?, ?)`)
    const states: OutboxState[] = ['queued', 'sent', 'sent', 'sent', 'needs_fix', 'unconfirmed', 'discarded']
    const draft = JSON.stringify(newItem().draft)
    const request = JSON.stringify(newItem().request)
    states.forEach((state, i) => {
      const id = `00000000-0000-4000-8000-00000000000${i}`
      insert.run(id, `key-${id}`, TARGET.baseUrl, TARGET.organizationId, state, draft, request, T0, T0)
    })
    old.close()

    const store = openStore(path)
    expect(keptCounts(store, T0)).toEqual({
      queued: 1,
      sending: 0,
      sent: 3,
      needs_fix: 1,
      unconfirmed: 1,
      discarded: 1,
    })
    expect(keptCounts(store, T0)).toEqual(realCounts(path))
    // Kept from here on: a move and a prune after the migration still agree with the rows.
    store.discard('00000000-0000-4000-8000-000000000000', T0)
    expect(store.pruneHistory(T0 + 1)).toBe(5)
    expect(keptCounts(store, T0)).toEqual(realCounts(path))
    expect(store.counts(T0)).toMatchObject({ sent: 0, discarded: 0, needs_fix: 1, unconfirmed: 1 })
    store.close()
    const db = new DatabaseSync(path)
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION })
    db.close()
  })

  it('backfills an empty file to no counts at all', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    const old = new DatabaseSync(path)
    for (const migration of MIGRATIONS.filter((m) => m.version < 4)) old.exec(migration.sql)
    old.exec('PRAGMA user_version = 3')
    old.close()
    const store = openStore(path)
    expect(keptCounts(store, T0)).toEqual(realCounts(path))
    expect(Object.values(keptCounts(store, T0)).every((n) => n === 0)).toBe(true)
  })
})

describe('writes made together (the worker’s group commit)', () => {
  it('commit as one; a write that fails inside is undone alone and the others stay', () => {
    const { store, path } = freshStore()
    const sending = itemIn(store, 'sending')
    const queued = itemIn(store, 'queued')
    const needsFix = itemIn(store, 'needs_fix')
    let refused: unknown
    store.together(() => {
      store.markSent(sending.id, CREATED, T0 + 10)
      try {
        // The table's CHECK refuses organization 0: this write fails inside the transaction.
        store.updateDraft(needsFix.id, { ...newItem('Grace Hopper'), target: { ...TARGET, organizationId: 0 } }, T0)
      } catch (error) {
        refused = error
      }
      store.markSendingAll([queued.id], T0 + 10)
    })
    expect(refused).toBeInstanceOf(Error)
    expect(store.get(sending.id, T0)?.state).toBe('sent')
    expect(store.get(queued.id, T0)?.state).toBe('sending')
    expect(store.get(needsFix.id, T0)).toMatchObject({ state: 'needs_fix', target: TARGET })
    expect(keptCounts(store, T0)).toEqual(realCounts(path))
    // Committed: another connection sees the same.
    store.close()
    expect(realCounts(path)).toMatchObject({ sent: 1, sending: 1, needs_fix: 1, queued: 0 })
  })
})
