import { randomUUID } from 'node:crypto'
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import type { ContactDraft, ContactFieldErrors, ContactRequest, CreatedContact } from '../../../shared/contact.ts'
import { itemError, type ItemError } from '../../../shared/item-error.ts'
import {
  OUTBOX_FILTER_STATES,
  OUTBOX_TRANSITIONS,
  bulkActions,
  outboxStates,
  type AttemptOutcome,
  type BulkAction,
  type BulkCounts,
  type OutboxAttempts,
  type OutboxFilter,
  type OutboxPage,
  type OutboxPageRequest,
  type OutboxState,
  type OutboxTarget,
} from '../../../shared/outbox.ts'
import type { DuplicateKey, DuplicateQuery } from '../../../shared/duplicates.ts'
import { ATTEMPTS_TABLE, COUNTS_TABLE, TERMS_TABLE } from './migrations.ts'
import { hasTable, openOutboxDatabase, openReadOnlyOutboxDatabase } from './open-outbox-database.ts'
import { operationFailure, outboxUnavailable, readOnlyOutbox, sqliteCodeOf } from './outbox-errors.ts'
import type { Row } from './outbox-rows.ts'
import {
  isoTime,
  readStoredItem,
  storedItemError,
  storedTime,
  toOutboxAttempt,
  toOutboxItem,
  toStoredItem,
} from './outbox-rows.ts'
import {
  ATTEMPT_SQL,
  KEPT_COUNT_SQL,
  MOVE_STATEMENTS,
  OUTBOX_SQL,
  SCANNED_SQL,
  type AttemptStatementName,
  type CountStatementName,
  type OutboxStatementName,
} from './outbox-sql.ts'
import { OutboxSearch } from './outbox-search.ts'
import { TERM_SQL, writeTerms, type ItemRow, type TermStatements } from './outbox-terms.ts'
import { queryTokens } from '../../../shared/search-terms.ts'
import type {
  BulkBatch,
  CurrentTarget,
  NewOutboxItem,
  OpenOutboxOptions,
  OutboxCounts,
  OutboxReadout,
  OutboxStore,
  StoredItem,
} from './outbox-store-types.ts'

export { OutboxStorageError, OutboxUnavailableError } from './outbox-errors.ts'

const PAGE_LIMIT_MAX = 500

/**
 * Opens the outbox file (see openOutboxDatabase for what is refused and how). Throws
 * OutboxUnavailableError with words for the user; the caller then calls recoverInterrupted.
 */
export function openOutboxStore(options: OpenOutboxOptions): OutboxStore {
  const db = openOutboxDatabase(options.path, { platform: options.platform })
  return new SqliteOutboxStore(options.path, db, options.flagAfterMs, false)
}

/**
 * Opens a file that openOutboxStore refused as damaged, read-only, so that what it holds can be seen
 * and exported. Throws OutboxUnavailableError when not even that is possible.
 */
export function openReadOnlyOutboxStore(options: OpenOutboxOptions): OutboxStore {
  return new SqliteOutboxStore(options.path, openReadOnlyOutboxDatabase(options.path), options.flagAfterMs, true)
}

type Params = Record<string, SQLInputValue>

class SqliteOutboxStore implements OutboxStore {
  readonly path: string
  readonly readOnly: boolean
  flagAfterMs: number
  readonly #db: DatabaseSync
  readonly #statements: Record<OutboxStatementName, StatementSync>
  /** Null only for a read-only file from before the attempts table (schema 3). */
  readonly #attemptStatements: Record<AttemptStatementName, StatementSync> | null
  /** Null only for a read-only file from before the terms table (schema 5): it cannot be searched. */
  readonly #search: OutboxSearch | null
  readonly #termStatements: TermStatements | null
  /** Counts kept by triggers (schema 4); a read-only file from before counts by scanning. */
  readonly #countStatements: Record<CountStatementName, StatementSync>
  #closed = false
  /** Inside together(): each write is a savepoint of the one transaction, committed once at the end. */
  #together = false

  constructor(path: string, db: DatabaseSync, flagAfterMs: number, readOnly: boolean) {
    this.path = path
    this.readOnly = readOnly
    this.#db = db
    this.flagAfterMs = flagAfterMs
    try {
      // Prepared once and reused; preparing also proves at open that the schema is what we expect.
      this.#statements = prepareAll(db, OUTBOX_SQL)
      this.#attemptStatements = readOnly && !hasTable(db, ATTEMPTS_TABLE) ? null : prepareAll(db, ATTEMPT_SQL)
      const searchable = !readOnly || hasTable(db, TERMS_TABLE)
      this.#search = searchable ? new OutboxSearch(db) : null
      this.#termStatements = searchable ? prepareAll(db, TERM_SQL) : null
      this.#countStatements = prepareAll(db, readOnly && !hasTable(db, COUNTS_TABLE) ? SCANNED_SQL : KEPT_COUNT_SQL)
    } catch (error) {
      db.close()
      // The version said "current" but a table or index is missing or different: not a file we can trust.
      throw sqliteCodeOf(error) === undefined ? error : outboxUnavailable('damaged', path, error)
    }
  }

  enqueue(item: NewOutboxItem, now: number): StoredItem {
    // One INSERT and its commit; the returned item is built from what was written, not read back.
    return this.#write(() => this.#insert(item, now))
  }

  enqueueMany(items: readonly NewOutboxItem[], now: number): StoredItem[] {
    // One transaction for the whole import: a failure on any row rolls back every row before it.
    return this.#write(() => items.map((item) => this.#insert(item, now)))
  }

  /** Inside a write transaction: one new queued item with its own id and Idempotency-Key. */
  #insert(item: NewOutboxItem, now: number): StoredItem {
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
    const result = this.#statements.insert.run(params)
    this.#index({ seq: Number(result.lastInsertRowid), request_json: params.request, draft_json: params.draft })
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

  get(id: string, now: number): StoredItem | undefined {
    const row = this.#read(() => this.#statements.get.get({ id }))
    return row && toStoredItem(row, now, this.flagAfterMs)
  }

  page(request: OutboxPageRequest, now: number): OutboxPage {
    const limit = Math.min(Math.max(Math.trunc(request.limit), 1), PAGE_LIMIT_MAX)
    const before = request.before ?? Number.MAX_SAFE_INTEGER
    const tokens = queryTokens(request.query ?? '')
    if (tokens.length > 0) return this.#searchPage({ filter: request.filter, tokens, before, limit }, now)
    const states = request.filter === 'all' ? null : OUTBOX_FILTER_STATES[request.filter]
    // One more row than asked tells whether another page follows, so the last page never comes back empty.
    const params: Params = { before, limit: limit + 1 }
    const { rows, total } = this.#read(() => {
      if (states === null) {
        const total = Number(this.#countStatements.countKept.get()?.n ?? 0)
        return { rows: this.#statements.pageAll.all(params), total }
      }
      // Each state's newest rows come from its own index range; merged here they are the filter's newest.
      const merged = states.flatMap((state) => this.#statements.pageState.all({ ...params, state }))
      merged.sort((a, b) => Number(b.seq) - Number(a.seq))
      const count = states.reduce((sum, state) => sum + this.#countInState(state), 0)
      return { rows: merged, total: count }
    })
    const items = rows.slice(0, limit).map((row) => toOutboxItem(row, now, this.flagAfterMs))
    const last = items.at(-1)
    return { items, nextBefore: rows.length > limit && last ? last.seq : null, total }
  }

  findDuplicates(target: OutboxTarget, query: DuplicateQuery, options: { excludeId?: string } = {}): DuplicateKey[] {
    const search = this.#search
    // A damaged file from before the terms table: nothing can be looked up in it.
    if (!search) return []
    return this.#read(() => search.findDuplicates(target, query, options.excludeId))
  }

  counts(now: number): OutboxCounts {
    const counts: OutboxCounts = {
      queued: 0,
      sending: 0,
      sent: 0,
      needs_fix: 0,
      unconfirmed: 0,
      discarded: 0,
      overdue: 0,
    }
    this.#read(() => {
      for (const row of this.#countStatements.countByState.all()) {
        const state = outboxStates.find((known) => known === row.state)
        if (state) counts[state] = Number(row.n)
      }
      counts.overdue = this.#count('countOverdue', { cut: storedTime(now) - this.flagAfterMs })
    })
    return counts
  }

  due(target: OutboxTarget, now: number, limit: number, profileId?: string): StoredItem[] {
    const params: Params = {
      ...targetParams(target),
      profileId: profileId ?? null,
      now: storedTime(now),
      limit: Math.max(Math.trunc(limit), 0),
    }
    // Each pass holds back at least one unreadable row, so this ends; usually it runs once.
    for (;;) {
      const read = this.#read(() => this.#statements.due.all(params)).map((row) =>
        readStoredItem(row, now, this.flagAfterMs),
      )
      const unreadable = read.filter((entry) => !entry.readable).map((entry) => entry.item)
      if (unreadable.length === 0) return read.map((entry) => entry.item)
      this.#write(() => {
        for (const item of unreadable) {
          const lastError = storedItemError(item.lastError)
          this.#statements.holdUnreadable.run({ id: item.id, now: storedTime(now), lastError })
        }
      })
    }
  }

  nextAttemptAt(target: OutboxTarget, profileId?: string): number | undefined {
    const params = { ...targetParams(target), profileId: profileId ?? null }
    const row = this.#read(() => this.#statements.nextAttemptAt.get(params))
    return typeof row?.at === 'number' ? row.at : undefined
  }

  queuedForProfile(current: CurrentTarget): number {
    return this.#read(() => this.#count('queuedForProfile', currentParams(current)))
  }

  waitingForProfile(profileId: string): Partial<Record<OutboxState, number>> {
    const rows = this.#read(() => this.#statements.waitingForProfile.all({ profileId }))
    const counts: Partial<Record<OutboxState, number>> = {}
    for (const row of rows) {
      const state = outboxStates.find((known) => known === row.state)
      if (state) counts[state] = Number(row.n)
    }
    return counts
  }

  moveProfileItems(fromProfileId: string, to: CurrentTarget, now: number): string[] {
    const params = { ...currentParams(to), from: fromProfileId, now: storedTime(now) }
    const rows = this.#write(() => this.#statements.moveProfileItems.all(params))
    return rows.map((row) => String(row.id))
  }

  heldForOtherTargets(target: OutboxTarget): number {
    return this.#read(() => this.#count('heldForOtherTargets', targetParams(target)))
  }

  markSending(id: string, now: number): StoredItem | undefined {
    return this.markSendingAll([id], now)[0]
  }

  markSendingAll(ids: readonly string[], now: number): StoredItem[] {
    const at = storedTime(now)
    // One commit for the items picked together: each is durably `sending` before its request starts.
    const rows = this.#write(() =>
      ids.flatMap((id) => {
        const moved = this.#statements.markSending.get({ id, now: at })
        if (!moved) return []
        this.#attempt('start').run({ id, now: at })
        return [moved]
      }),
    )
    return rows.map((row) => toStoredItem(row, now, this.flagAfterMs))
  }

  markSent(id: string, contact: CreatedContact, now: number): StoredItem | undefined {
    const endAttempt = this.#endAttempt(id, 'sent', null, now)
    // The server's id is searchable from now on.
    return this.#transition('markSent', { id, contact: JSON.stringify(contact) }, now, (row) => {
      endAttempt()
      this.#index(row)
    })
  }

  requeue(
    id: string,
    change: { nextAttemptAt: number; lastError: ItemError; outcome?: 'retry' | 'pause_auth' },
    now: number,
  ): StoredItem | undefined {
    const lastError = storedItemError(change.lastError)
    const params = { id, nextAttemptAt: storedTime(change.nextAttemptAt), lastError }
    return this.#transition('requeue', params, now, this.#endAttempt(id, change.outcome ?? 'retry', lastError, now))
  }

  markNeedsFix(
    id: string,
    change: { lastError: ItemError; fieldErrors: ContactFieldErrors | null },
    now: number,
  ): StoredItem | undefined {
    const fieldErrors = change.fieldErrors === null ? null : JSON.stringify(change.fieldErrors)
    const lastError = storedItemError(change.lastError)
    return this.#transition(
      'markNeedsFix',
      { id, lastError, fieldErrors },
      now,
      this.#endAttempt(id, 'needs_fix', lastError, now),
    )
  }

  markUnconfirmed(id: string, lastError: ItemError, now: number): StoredItem | undefined {
    const stored = storedItemError(lastError)
    return this.#transition(
      'markUnconfirmed',
      { id, lastError: stored },
      now,
      this.#endAttempt(id, 'unconfirmed', stored, now),
    )
  }

  updateDraft(
    id: string,
    change: { draft: ContactDraft; request: ContactRequest; target: OutboxTarget },
    now: number,
  ): StoredItem | undefined {
    const params = {
      id,
      draft: JSON.stringify(change.draft),
      request: JSON.stringify(change.request),
      ...targetParams(change.target),
    }
    return this.#transition('updateDraft', params, now, (row) => this.#index(row))
  }

  sendAgain(id: string, now: number): StoredItem | undefined {
    return this.#transition('sendAgain', { id }, now)
  }

  markSentByUser(id: string, now: number): StoredItem | undefined {
    return this.#transition('markSentByUser', { id }, now)
  }

  retarget(id: string, current: CurrentTarget, now: number): StoredItem | undefined {
    return this.#transition('retarget', { id, ...currentParams(current) }, now)
  }

  undoMarkSentByUser(id: string, now: number): StoredItem | undefined {
    return this.#transition(
      'undoMarkSentByUser',
      { id, lastError: storedItemError(itemError('mark_as_sent_undone', {})) },
      now,
    )
  }

  discard(id: string, now: number): StoredItem | undefined {
    return this.#transition('discard', { id }, now)
  }

  restore(id: string, now: number): StoredItem | undefined {
    return this.#transition('restore', { id }, now)
  }

  bulk(action: BulkAction, ids: readonly string[], now: number, current?: CurrentTarget): BulkBatch {
    const unique = [...new Set(ids)]
    const done = this.#write(() => unique.filter((id) => this.#bulkMove(action, id, current, now)))
    return { done, skipped: unique.length - done.length }
  }

  bulkInFilter(
    action: BulkAction,
    request: { filter: OutboxFilter; before?: number; limit: number },
    now: number,
    current?: CurrentTarget,
  ): BulkBatch & { nextBefore: number | null } {
    if (action === 'retarget' && !current) return { done: [], skipped: 0, nextBefore: null }
    const limit = Math.min(Math.max(Math.trunc(request.limit), 1), PAGE_LIMIT_MAX)
    const params: Params = { before: request.before ?? Number.MAX_SAFE_INTEGER, limit: limit + 1 }
    const statement = this.#statements[action === 'retarget' ? 'bulkCandidatesElsewhere' : 'bulkCandidates']
    if (action === 'retarget' && current) Object.assign(params, targetParams(current.target))
    // Chosen and moved in one transaction, so nothing can move on in between.
    return this.#write(() => {
      const rows = bulkStates(action, request.filter).flatMap((state) => statement.all({ ...params, state }))
      rows.sort((a, b) => Number(b.seq) - Number(a.seq))
      const batch = rows.slice(0, limit)
      const done = batch.map((row) => String(row.id)).filter((id) => this.#bulkMove(action, id, current, now))
      const last = batch.at(-1)
      return {
        done,
        skipped: batch.length - done.length,
        nextBefore: rows.length > limit && last ? Number(last.seq) : null,
      }
    })
  }

  bulkCounts(filter: OutboxFilter, current: OutboxTarget | undefined): BulkCounts {
    return this.#read(() => {
      const count = (action: BulkAction): number =>
        action === 'retarget' && !current
          ? 0
          : bulkStates(action, filter).reduce((sum, state) => {
              const inState = this.#countInState(state)
              // Move to current organization leaves what is already for the current target.
              const here =
                action === 'retarget' && current ? this.#count('countStateAt', { state, ...targetParams(current) }) : 0
              return sum + inState - here
            }, 0)
      return Object.fromEntries(bulkActions.map((action) => [action, count(action)])) as BulkCounts
    })
  }

  attempts(id: string, limit: number): OutboxAttempts {
    const statements = this.#attemptStatements
    if (!statements) return { attempts: [], total: 0 }
    return this.#read(() => ({
      attempts: statements.list.all({ id, limit: Math.max(Math.trunc(limit), 0) }).map(toOutboxAttempt),
      total: Number(statements.count.get({ id })?.n ?? 0),
    }))
  }

  recoverInterrupted(now: number): number {
    const params = { now: storedTime(now), lastError: storedItemError(itemError('interrupted', {})) }
    return Number(
      this.#write(() => {
        this.#attempt('endInterrupted').run({ now: params.now, error: params.lastError })
        return this.#statements.recoverInterrupted.run(params)
      }).changes,
    )
  }

  pruneHistory(olderThan: number): number {
    if (this.readOnly) return 0
    const params = { cut: storedTime(olderThan) }
    const removed = Number(this.#write(() => this.#countStatements.pruneHistory.run(params)).changes)
    if (removed > 0) this.#compact()
    return removed
  }

  readAll(now: number): OutboxReadout {
    const rows: Row[] = []
    const forward = readUntilFailure(this.#statements.readForward, { after: 0 }, rows)
    if (!forward) {
      // Past a damaged page: what follows it may still read from the other end.
      const tail: Row[] = []
      readUntilFailure(this.#statements.readBackward, { after: Number(rows.at(-1)?.seq ?? 0) }, tail)
      rows.push(...tail.reverse())
    }
    const complete = forward && this.#countAllOrUndefined() === rows.length
    return { items: rows.map((row) => toOutboxItem(row, now, this.flagAfterMs)), complete }
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#db.close()
  }

  /** One guarded UPDATE and, when it moved the item, `then` (its attempt record, its terms) in the same transaction. */
  #transition(
    name: OutboxStatementName,
    params: Params,
    now: number,
    then?: (moved: Row) => void,
  ): StoredItem | undefined {
    const row = this.#write(() => {
      const moved = this.#statements[name].get({ ...params, now: storedTime(now) })
      if (moved && then) then(moved)
      return moved
    })
    return row && toStoredItem(row, now, this.flagAfterMs)
  }

  /** Inside a write: the item's search terms and duplicate keys, as its row now reads. */
  #index(row: ItemRow): void {
    // A writable store always has the table (migration 5); only a read-only one can lack it, and it never writes.
    if (!this.#termStatements) throw readOnlyOutbox(this.path)
    writeTerms(this.#termStatements, row)
  }

  #searchPage(request: Parameters<OutboxSearch['page']>[0], now: number): OutboxPage {
    const search = this.#search
    // A damaged file from before the terms table: it can be read and exported, not searched.
    if (!search) return { items: [], nextBefore: null, total: 0, totalAtLeast: true }
    const { rows, total, totalAtLeast } = this.#read(() => search.page(request))
    const items = rows.slice(0, request.limit).map((row) => toOutboxItem(row, now, this.flagAfterMs))
    const last = items.at(-1)
    return {
      items,
      nextBefore: rows.length > request.limit && last ? last.seq : null,
      total,
      ...(totalAtLeast ? { totalAtLeast } : {}),
    }
  }

  #endAttempt(id: string, outcome: AttemptOutcome, error: string | null, now: number): () => void {
    return () => this.#attempt('end').run({ id, now: storedTime(now), outcome, error })
  }

  /** Inside a bulk transaction: one item's move with the statement the table's move has; false when its guard refused. */
  #bulkMove(action: BulkAction, id: string, current: CurrentTarget | undefined, now: number): boolean {
    if (action === 'retarget' && !current) return false
    const params: Params = {
      id,
      now: storedTime(now),
      ...(action === 'retarget' && current ? currentParams(current) : {}),
    }
    return this.#statements[MOVE_STATEMENTS[action]].get(params) !== undefined
  }

  #attempt(name: AttemptStatementName): StatementSync {
    // A writable store always has the table (migration 3); only a read-only one can lack it, and it never writes.
    if (!this.#attemptStatements) throw readOnlyOutbox(this.path)
    return this.#attemptStatements[name]
  }

  /**
   * After a prune: VACUUM rebuilds the file without the freed pages, and a truncating checkpoint moves
   * that into the file and empties the WAL, where older copies of the deleted rows would otherwise
   * linger. Both only tidy up: the rows are already gone (and zeroed by secure_delete), so a failure
   * here (a full disk: VACUUM needs room for a copy) is left for the next prune to try again.
   */
  #compact(): void {
    try {
      this.#statements.vacuum.run()
      this.#statements.checkpoint.get()
    } catch {
      // See above: nothing is lost, and nothing half-done stays behind (VACUUM is one transaction).
    }
  }

  #countAllOrUndefined(): number | undefined {
    try {
      return this.#count('countAll', {})
    } catch {
      return undefined
    }
  }

  #countInState(state: OutboxState): number {
    return Number(this.#countStatements.countState.get({ state })?.n ?? 0)
  }

  #count(name: OutboxStatementName, params: Params): number {
    return Number(this.#statements[name].get(params)?.n ?? 0)
  }

  together<T>(work: () => T): T {
    if (this.#together) return work()
    return this.#write(() => {
      this.#together = true
      try {
        return work()
      } finally {
        this.#together = false
      }
    })
  }

  /** One transaction: BEGIN IMMEDIATE takes the write lock first, so it cannot fail half-way on a busy upgrade. */
  #write<T>(work: () => T): T {
    if (this.readOnly) throw readOnlyOutbox(this.path)
    if (this.#together) return this.#savepoint(work)
    try {
      this.#statements.begin.run()
    } catch (error) {
      throw operationFailure(error, this.path)
    }
    try {
      const result = work()
      this.#statements.commit.run()
      return result
    } catch (error) {
      this.#rollback()
      throw operationFailure(error, this.path)
    }
  }

  /** A write inside together(): undone alone when it fails, so the others in the transaction still commit. */
  #savepoint<T>(work: () => T): T {
    this.#db.exec('SAVEPOINT outbox_write')
    try {
      const result = work()
      this.#db.exec('RELEASE outbox_write')
      return result
    } catch (error) {
      try {
        this.#db.exec('ROLLBACK TO outbox_write')
        this.#db.exec('RELEASE outbox_write')
      } catch {
        // SQLite had already rolled the whole transaction back; the outer write reports it.
      }
      throw operationFailure(error, this.path)
    }
  }

  #read<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw operationFailure(error, this.path)
    }
  }

  #rollback(): void {
    try {
      this.#statements.rollback.run()
    } catch {
      // SQLite had already rolled back (it does on some I/O and disk-full errors).
    }
  }
}

/** Appends rows until the statement fails part-way (a damaged page); returns whether it reached the end. */
function readUntilFailure(statement: StatementSync, params: Params, into: Row[]): boolean {
  try {
    for (const row of statement.iterate(params)) into.push(row as Row)
    return true
  } catch {
    return false
  }
}

function targetParams(target: OutboxTarget): Params {
  return { baseUrl: target.baseUrl, organizationId: target.organizationId }
}

function currentParams(current: CurrentTarget): Params {
  return { ...targetParams(current.target), profileId: current.profileId }
}

/** The states a bulk action takes items from within a filter: both the filter's and the move's. */
function bulkStates(action: BulkAction, filter: OutboxFilter): OutboxState[] {
  const from: readonly OutboxState[] = OUTBOX_TRANSITIONS[action].from
  return OUTBOX_FILTER_STATES[filter].filter((state) => from.includes(state))
}

function prepareAll<N extends string>(db: DatabaseSync, sql: Record<N, string>): Record<N, StatementSync> {
  return Object.fromEntries(Object.entries<string>(sql).map(([name, text]) => [name, db.prepare(text)])) as Record<
    N,
    StatementSync
  >
}
