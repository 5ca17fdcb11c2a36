import { randomUUID } from 'node:crypto'
import { itemError } from '../../../shared/item-error.ts'
import type { AttemptOutcome, BulkAction, OutboxFilter, OutboxTarget } from '../../../shared/outbox.ts'
import { currentParams, targetParams, type OutboxConnection, type Params } from './outbox-connection.ts'
import { bulkStates, PAGE_LIMIT_MAX } from './outbox-reads.ts'
import type { Row } from './outbox-rows.ts'
import { isoTime, readStoredItem, storedItemError, storedTime, toStoredItem } from './outbox-rows.ts'
import { MOVE_STATEMENTS, type OutboxStatementName } from './outbox-sql.ts'
import type { BulkBatch, CurrentTarget, NewOutboxItem, StoredItem } from './outbox-store-types.ts'

/** Inside a write transaction: one new queued item with its own id and Idempotency-Key. */
export function insertItem(c: OutboxConnection, item: NewOutboxItem, now: number): StoredItem {
  const at = storedTime(now)
  const id = randomUUID()
  const idempotencyKey = randomUUID()
  const params: Params = {
    id,
    key: idempotencyKey,
    profileId: item.profileId,
    baseUrl: item.target.baseUrl,
    organizationId: item.target.organizationId,
    draft: JSON.stringify(item.draft),
    request: JSON.stringify(item.request),
    now: at,
  }
  // The INSERT and its terms, in the caller's transaction; the item returned is built from what was written.
  const result = c.statements.insert.run(params)
  c.index({ seq: Number(result.lastInsertRowid), request_json: params.request, draft_json: params.draft }, true)
  const time = isoTime(at)
  return {
    id,
    seq: Number(result.lastInsertRowid),
    state: 'queued',
    draft: item.draft,
    target: { baseUrl: item.target.baseUrl, organizationId: item.target.organizationId },
    attempts: 0,
    nextAttemptAt: time,
    lastError: null,
    fieldErrors: null,
    contact: null,
    overdue: false,
    createdAt: time,
    updatedAt: time,
    request: item.request,
    idempotencyKey,
    profileId: item.profileId,
    discardedFrom: null,
  }
}

/** One guarded UPDATE and, when it moved the item, `then` (its attempt record, its terms) in the same transaction. */
export function transition(
  c: OutboxConnection,
  name: OutboxStatementName,
  params: Params,
  now: number,
  then?: (moved: Row) => void,
): StoredItem | undefined {
  const row = c.write(() => {
    const moved = c.statements[name].get({ ...params, now: storedTime(now) })
    if (moved && then) then(moved)
    return moved
  })
  return row && toStoredItem(row, now, c.flagAfterMs)
}

export function endAttempt(
  c: OutboxConnection,
  id: string,
  outcome: AttemptOutcome,
  error: string | null,
  now: number,
): () => void {
  return () => c.attempt('end').run({ id, now: storedTime(now), outcome, error })
}

export function takeDue(
  c: OutboxConnection,
  target: OutboxTarget,
  now: number,
  limit: number,
  profileId: string | undefined,
): StoredItem[] {
  const params: Params = {
    ...targetParams(target),
    profileId: profileId ?? null,
    now: storedTime(now),
    limit: Math.max(Math.trunc(limit), 0),
  }
  // Each pass holds back at least one unreadable row, so this ends; usually it runs once.
  for (;;) {
    const read = c.read(() => c.statements.due.all(params)).map((row) => readStoredItem(row, now, c.flagAfterMs))
    const unreadable = read.filter((entry) => !entry.readable).map((entry) => entry.item)
    if (unreadable.length === 0) return read.map((entry) => entry.item)
    c.write(() => {
      for (const item of unreadable) {
        const lastError = storedItemError(item.lastError)
        c.statements.holdUnreadable.run({ id: item.id, now: storedTime(now), lastError })
      }
    })
  }
}

export function markSendingAll(c: OutboxConnection, ids: readonly string[], now: number): StoredItem[] {
  const at = storedTime(now)
  // One commit for the items picked together: each is durably `sending` before its request starts.
  const rows = c.write(() =>
    ids.flatMap((id) => {
      const moved = c.statements.markSending.get({ id, now: at })
      if (!moved) return []
      c.attempt('start').run({ id, now: at })
      return [moved]
    }),
  )
  return rows.map((row) => toStoredItem(row, now, c.flagAfterMs))
}

export function moveProfileItems(c: OutboxConnection, fromProfileId: string, to: CurrentTarget, now: number): string[] {
  const params = { ...currentParams(to), from: fromProfileId, now: storedTime(now) }
  const rows = c.write(() => c.statements.moveProfileItems.all(params))
  return rows.map((row) => String(row.id))
}

export function bulkByIds(
  c: OutboxConnection,
  action: BulkAction,
  ids: readonly string[],
  now: number,
  current: CurrentTarget | undefined,
): BulkBatch {
  const unique = [...new Set(ids)]
  const done = c.write(() => unique.filter((id) => bulkMove(c, action, id, current, now)))
  return { done, skipped: unique.length - done.length }
}

export function bulkInFilter(
  c: OutboxConnection,
  action: BulkAction,
  request: { filter: OutboxFilter; before?: number; limit: number },
  now: number,
  current: CurrentTarget | undefined,
): BulkBatch & { nextBefore: number | null } {
  if (action === 'retarget' && !current) return { done: [], skipped: 0, nextBefore: null }
  const limit = Math.min(Math.max(Math.trunc(request.limit), 1), PAGE_LIMIT_MAX)
  const params: Params = { before: request.before ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 }
  const statement = c.statements[action === 'retarget' ? 'bulkCandidatesElsewhere' : 'bulkCandidates']
  if (action === 'retarget' && current) Object.assign(params, targetParams(current.target))
  // Chosen and moved in one transaction, so nothing can move on in between.
  return c.write(() => {
    const rows = bulkStates(action, request.filter).flatMap((state) => statement.all({ ...params, state }))
    rows.sort((a, b) => Number(b.seq) - Number(a.seq))
    const batch = rows.slice(0, limit)
    const done = batch.map((row) => String(row.id)).filter((id) => bulkMove(c, action, id, current, now))
    const last = batch.at(-1)
    return {
      done,
      skipped: batch.length - done.length,
      nextBefore: rows.length > limit && last ? Number(last.seq) : null,
    }
  })
}

/** Inside a bulk transaction: one item's move with the statement the table's move has; false when its guard refused. */
function bulkMove(
  c: OutboxConnection,
  action: BulkAction,
  id: string,
  current: CurrentTarget | undefined,
  now: number,
): boolean {
  if (action === 'retarget' && !current) return false
  const params: Params = {
    id,
    now: storedTime(now),
    ...(action === 'retarget' && current ? currentParams(current) : {}),
  }
  return c.statements[MOVE_STATEMENTS[action]].get(params) !== undefined
}

export function recoverInterrupted(c: OutboxConnection, now: number): number {
  const params = { now: storedTime(now), lastError: storedItemError(itemError('interrupted', {})) }
  return Number(
    c.write(() => {
      c.attempt('endInterrupted').run({ now: params.now, error: params.lastError })
      return c.statements.recoverInterrupted.run(params)
    }).changes,
  )
}

export function pruneHistory(c: OutboxConnection, olderThan: number): number {
  if (c.readOnly) return 0
  const params = { cut: storedTime(olderThan) }
  const removed = Number(c.write(() => c.countStatements.pruneHistory.run(params)).changes)
  if (removed > 0) compact(c)
  return removed
}

/**
 * After a prune: VACUUM rebuilds the file without the freed pages, and a truncating checkpoint moves
 * that into the file and empties the WAL, where older copies of the deleted rows would otherwise
 * linger. Both only tidy up: the rows are already gone (and zeroed by secure_delete), so a failure
 * here (a full disk: VACUUM needs room for a copy) is left for the next prune to try again.
 */
function compact(c: OutboxConnection): void {
  try {
    c.statements.vacuum.run()
    c.statements.checkpoint.get()
  } catch {
    // See above: nothing is lost, and nothing half-done stays behind (VACUUM is one transaction).
  }
}
