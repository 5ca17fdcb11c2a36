import type { StatementSync } from 'node:sqlite'
import {
  OUTBOX_FILTER_STATES,
  OUTBOX_TRANSITIONS,
  bulkActions,
  outboxStates,
  type BulkAction,
  type OutboxFilter,
  type OutboxState,
} from '../../../shared/outbox.ts'
import type { BulkCounts, OutboxAttempts, OutboxPage, OutboxPageRequest } from '../../../shared/outbox-schemas.ts'
import type { OutboxTarget } from '../../../shared/outbox.ts'
import type { DuplicateKey, DuplicateQuery } from '../../../shared/duplicates.ts'
import { queryTokens } from '../../../shared/search-terms.ts'
import { targetParams, type OutboxConnection, type Params } from './outbox-connection.ts'
import type { Row } from './outbox-rows.ts'
import { storedTime, toOutboxAttempt, toOutboxItem } from './outbox-rows.ts'
import type { OutboxSearch } from './outbox-search.ts'
import type { OutboxCounts, OutboxReadout } from './outbox-store-types.ts'

export const PAGE_LIMIT_MAX = 500

export function readPage(c: OutboxConnection, request: OutboxPageRequest, now: number): OutboxPage {
  const limit = Math.min(Math.max(Math.trunc(request.limit), 1), PAGE_LIMIT_MAX)
  const before = request.before ?? Number.MAX_SAFE_INTEGER
  const tokens = queryTokens(request.query ?? '')
  if (tokens.length > 0) return searchPage(c, { filter: request.filter, tokens, before, limit }, now)
  const states = request.filter === 'all' ? null : OUTBOX_FILTER_STATES[request.filter]
  // One more row than asked tells whether another page follows, so the last page never comes back empty.
  const params: Params = { before, limit: limit + 1 }
  const { rows, total } = c.read(() => {
    if (states === null) {
      const total = Number(c.countStatements.countKept.get()?.n ?? 0)
      return { rows: c.statements.pageAll.all(params), total }
    }
    // Each state's newest rows come from its own index range; merged here they are the filter's newest.
    const merged = states.flatMap((state) => c.statements.pageState.all({ ...params, state }))
    merged.sort((a, b) => Number(b.seq) - Number(a.seq))
    const count = states.reduce((sum, state) => sum + c.countInState(state), 0)
    return { rows: merged, total: count }
  })
  const items = rows.slice(0, limit).map((row) => toOutboxItem(row, now, c.flagAfterMs))
  const last = items.at(-1)
  return { items, nextBefore: rows.length > limit && last ? last.seq : null, total }
}

function searchPage(c: OutboxConnection, request: Parameters<OutboxSearch['page']>[0], now: number): OutboxPage {
  const search = c.search
  // A damaged file from before the terms table: it can be read and exported, not searched.
  if (!search) return { items: [], nextBefore: null, total: 0, totalAtLeast: true }
  const { rows, total, totalAtLeast, resumeBefore } = c.read(() => search.page(request))
  const items = rows.slice(0, request.limit).map((row) => toOutboxItem(row, now, c.flagAfterMs))
  const last = items.at(-1)
  return {
    items,
    nextBefore: rows.length > request.limit && last ? last.seq : resumeBefore,
    total,
    ...(totalAtLeast ? { totalAtLeast } : {}),
  }
}

export function readDuplicates(
  c: OutboxConnection,
  target: OutboxTarget,
  query: DuplicateQuery,
  excludeId: string | undefined,
): DuplicateKey[] {
  const search = c.search
  // A damaged file from before the terms table: nothing can be looked up in it.
  if (!search) return []
  return c.read(() => search.findDuplicates(target, query, excludeId))
}

export function readCounts(c: OutboxConnection, now: number): OutboxCounts {
  const counts: OutboxCounts = {
    queued: 0,
    sending: 0,
    sent: 0,
    needs_fix: 0,
    unconfirmed: 0,
    discarded: 0,
    overdue: 0,
  }
  c.read(() => {
    for (const row of c.countStatements.countByState.all()) {
      const state = outboxStates.find((known) => known === row.state)
      if (state) counts[state] = Number(row.n)
    }
    counts.overdue = c.count('countOverdue', { cut: storedTime(now) - c.flagAfterMs })
  })
  return counts
}

export function readWaitingForProfile(c: OutboxConnection, profileId: string): Partial<Record<OutboxState, number>> {
  const rows = c.read(() => c.statements.waitingForProfile.all({ profileId }))
  const counts: Partial<Record<OutboxState, number>> = {}
  for (const row of rows) {
    const state = outboxStates.find((known) => known === row.state)
    if (state) counts[state] = Number(row.n)
  }
  return counts
}

export function readBulkCounts(
  c: OutboxConnection,
  filter: OutboxFilter,
  current: OutboxTarget | undefined,
): BulkCounts {
  return c.read(() => {
    const count = (action: BulkAction): number =>
      action === 'retarget' && !current
        ? 0
        : bulkStates(action, filter).reduce((sum, state) => {
            const inState = c.countInState(state)
            // Move to current organization leaves what is already for the current target.
            const here =
              action === 'retarget' && current ? c.count('countStateAt', { state, ...targetParams(current) }) : 0
            return sum + inState - here
          }, 0)
    return Object.fromEntries(bulkActions.map((action) => [action, count(action)])) as BulkCounts
  })
}

export function readAttempts(c: OutboxConnection, id: string, limit: number): OutboxAttempts {
  const statements = c.attemptStatements
  if (!statements) return { attempts: [], total: 0 }
  return c.read(() => ({
    attempts: statements.list.all({ id, limit: Math.max(Math.trunc(limit), 0) }).map(toOutboxAttempt),
    total: Number(statements.count.get({ id })?.n ?? 0),
  }))
}

export function readEverything(c: OutboxConnection, now: number): OutboxReadout {
  const rows: Row[] = []
  const forward = readUntilFailure(c, c.statements.readForward, { after: 0 }, rows)
  if (!forward) {
    // Past a damaged page: what follows it may still read from the other end.
    const tail: Row[] = []
    readUntilFailure(c, c.statements.readBackward, { after: Number(rows.at(-1)?.seq ?? 0) }, tail)
    rows.push(...tail.reverse())
  }
  const complete = forward && countAllOrUndefined(c) === rows.length
  return { items: rows.map((row) => toOutboxItem(row, now, c.flagAfterMs)), complete }
}

/** The states a bulk action takes items from within a filter: both the filter's and the move's. */
export function bulkStates(action: BulkAction, filter: OutboxFilter): OutboxState[] {
  const from: readonly OutboxState[] = OUTBOX_TRANSITIONS[action].from
  return OUTBOX_FILTER_STATES[filter].filter((state) => from.includes(state))
}

/** Appends rows until the statement fails part-way (a damaged page); returns whether it reached the end. */
function readUntilFailure(c: OutboxConnection, statement: StatementSync, params: Params, into: Row[]): boolean {
  try {
    for (const row of statement.iterate(params)) into.push(row as Row)
    return true
  } catch (error) {
    c.noteFailure(error)
    return false
  }
}

function countAllOrUndefined(c: OutboxConnection): number | undefined {
  try {
    return c.count('countAll', {})
  } catch (error) {
    c.noteFailure(error)
    return undefined
  }
}
