/**
 * OUTBOX_TRANSITIONS is the one statement of the outbox's legal moves: the SQL guards built from it
 * say the same, the frozen migrations agree with it, and the words derived from it quote only what it allows.
 */
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/main/core/outbox/migrations.ts'
import { KEPT_COUNT_SQL, MOVE_STATEMENTS, OUTBOX_SQL } from '../../src/main/core/outbox/outbox-sql.ts'
import {
  OUTBOX_ACTION_LABELS,
  OUTBOX_FILTER_STATES,
  OUTBOX_TRANSITIONS,
  RESTORED,
  REFUSED_IN,
  WAITING_STATES,
  actionsFor,
  canMove,
  nextState,
  outboxActions,
  outboxFilters,
  outboxMoves,
  outboxStates,
  refusalWords,
  type OutboxState,
} from '../../src/shared/outbox.ts'

/** The quoted state names in an `IN (…)` list. */
const statesIn = (list: string): string[] => [...list.matchAll(/'([a-z_]+)'/g)].map((match) => match[1]!)
const normalized = (sql: string): string => sql.replace(/\s+/g, ' ')

/** Updates that give items another profile and leave their state as it is (deleting a profile moves its contacts). */
const NOT_MOVES: readonly string[] = ['moveProfileItems']

describe('the SQL guards', () => {
  it('write every move but Send now, and every transition statement belongs to a move', () => {
    expect(Object.keys(MOVE_STATEMENTS).sort()).toEqual(outboxMoves.filter((move) => move !== 'sendNow').sort())
    const updates = Object.entries(OUTBOX_SQL)
      .filter(([name, sql]) => /^UPDATE outbox_items SET/.test(sql) && !NOT_MOVES.includes(name))
      .map(([name]) => name)
    expect(updates.sort()).toEqual(Object.values(MOVE_STATEMENTS).sort())
  })

  it.each(NOT_MOVES)('%s changes no state, so it needs no move', (name) => {
    const sql = normalized(OUTBOX_SQL[name as keyof typeof OUTBOX_SQL])
    expect(sql).not.toMatch(/(?:SET |, )state =/)
  })

  it.each(Object.entries(MOVE_STATEMENTS))('%s: its statement starts only from the table’s states', (move, name) => {
    const sql = normalized(OUTBOX_SQL[name])
    const where = sql.match(/WHERE (?:id = :id AND )?state IN \(([^)]*)\)/)
    expect(where, sql).not.toBeNull()
    const from: readonly string[] = OUTBOX_TRANSITIONS[move as keyof typeof MOVE_STATEMENTS].from
    expect(statesIn(where![1]!).sort()).toEqual([...from].sort())
  })

  it.each(Object.entries(MOVE_STATEMENTS))('%s: its statement ends in the table’s state', (move, name) => {
    const sql = normalized(OUTBOX_SQL[name])
    const to = OUTBOX_TRANSITIONS[move as keyof typeof MOVE_STATEMENTS].to
    const set = sql.match(/(?:^|[ ,])state = ('[a-z_]+'|discarded_from)/)
    expect(set, sql).not.toBeNull()
    expect(set![1]).toBe(to === RESTORED ? 'discarded_from' : `'${to}'`)
  })

  it('restores only to a state discard starts from, and due again only when it was queued', () => {
    const sql = normalized(OUTBOX_SQL.restore)
    const back = sql.match(/discarded_from IN \(([^)]*)\)/)
    expect(statesIn(back![1]!).sort()).toEqual([...OUTBOX_TRANSITIONS.discard.from].sort())
    expect(sql).toContain("CASE discarded_from WHEN 'queued' THEN :now ELSE NULL END")
  })

  it('count as overdue only the waiting states, and prune only the others', () => {
    expect(statesIn(normalized(OUTBOX_SQL.countOverdue).match(/state IN \(([^)]*)\)/)![1]!)).toEqual([
      ...WAITING_STATES,
    ])
    const pruned = statesIn(normalized(KEPT_COUNT_SQL.pruneHistory).match(/state IN \(([^)]*)\)/)![1]!)
    expect(pruned.sort()).toEqual(outboxStates.filter((state) => !WAITING_STATES.includes(state)).sort())
  })
})

describe('the frozen migrations', () => {
  it('allow exactly the states the table knows, in both state columns', () => {
    const first = normalized(MIGRATIONS[0]!.sql)
    const checks = [...first.matchAll(/CHECK \((state|discarded_from) IN \(([^)]*)\)\)/g)]
    expect(checks.map((check) => check[1])).toEqual(['state', 'discarded_from'])
    for (const check of checks) expect(statesIn(check[2]!)).toEqual([...outboxStates])
    // …and the table leaves none of them out.
    const named = new Set<string>(
      outboxMoves.flatMap((move) => [...OUTBOX_TRANSITIONS[move].from, OUTBOX_TRANSITIONS[move].to]),
    )
    expect(outboxStates.filter((state) => !named.has(state))).toEqual([])
  })

  it('never name a state after the first schema (later steps change data, not the states)', () => {
    const known: readonly string[] = outboxStates
    for (const migration of MIGRATIONS.slice(1)) {
      expect(statesIn(migration.sql).filter((word) => known.includes(word))).toEqual([])
    }
  })
})

describe('what the table decides', () => {
  it('offers the user’s actions in button order', () => {
    const offered = Object.fromEntries(outboxStates.map((state) => [state, actionsFor(state)]))
    expect(offered).toEqual({
      queued: ['sendNow', 'edit', 'retarget', 'discard'],
      sending: [],
      sent: [],
      needs_fix: ['edit', 'retarget', 'discard'],
      unconfirmed: ['sendAgain', 'markAsSent', 'discard'],
      discarded: ['restore'],
    })
  })

  it('restores to where the item was discarded from, and nowhere else', () => {
    for (const from of outboxStates) {
      expect(nextState('restore', { state: 'discarded', discardedFrom: from })).toBe(
        canMove('discard', from) ? from : undefined,
      )
    }
    expect(nextState('restore', { state: 'discarded', discardedFrom: null })).toBeUndefined()
    expect(nextState('restore', { state: 'queued', discardedFrom: 'queued' })).toBeUndefined()
  })

  it('gives every filter its states, `all` every state', () => {
    expect(Object.keys(OUTBOX_FILTER_STATES)).toEqual([...outboxFilters])
    expect(OUTBOX_FILTER_STATES.all).toEqual(outboxStates)
    expect(OUTBOX_FILTER_STATES.waiting).toEqual(WAITING_STATES)
  })
})

describe('refusals', () => {
  const labelsQuoted = (words: string): string[] => [...words.matchAll(/“([^”]+)”/g)].map((match) => match[1]!)

  it.each(outboxStates)('for an item in %s quote only buttons that state offers', (state: OutboxState) => {
    const offered = actionsFor(state).map((action) => OUTBOX_ACTION_LABELS[action])
    for (const label of labelsQuoted(REFUSED_IN[state])) expect(offered).toContain(label)
  })

  it('have words for every action refused in every state, and for an item that is gone', () => {
    for (const action of outboxActions) {
      for (const state of outboxStates) {
        if (!canMove(action, state)) expect(refusalWords(action, state).length).toBeGreaterThan(20)
      }
    }
    expect(refusalWords('get', undefined)).toBe('This contact is no longer in the outbox. Reload the list.')
    expect(refusalWords('restore', 'queued')).toBe('Only a discarded contact can be restored.')
  })
})
