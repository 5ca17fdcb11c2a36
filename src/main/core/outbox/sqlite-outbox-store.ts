import type { DatabaseSync } from 'node:sqlite'
import type { ContactDraft, ContactFieldErrors, ContactRequest, CreatedContact } from '../../../shared/contact.ts'
import { itemError, type ItemError } from '../../../shared/item-error.ts'
import type { BulkAction, OutboxFilter, OutboxState, OutboxTarget } from '../../../shared/outbox.ts'
import type { BulkCounts, OutboxAttempts, OutboxPage, OutboxPageRequest } from '../../../shared/outbox-schemas.ts'
import type { DuplicateKey, DuplicateQuery } from '../../../shared/duplicates.ts'
import { openOutboxDatabase, openReadOnlyOutboxDatabase } from './open-outbox-database.ts'
import { currentParams, OutboxConnection, targetParams } from './outbox-connection.ts'
import {
  readAttempts,
  readBulkCounts,
  readCounts,
  readDuplicates,
  readEverything,
  readPage,
  readWaitingForProfile,
} from './outbox-reads.ts'
import { storedItemError, storedTime, toStoredItem } from './outbox-rows.ts'
import {
  bulkByIds,
  bulkInFilter,
  endAttempt,
  insertItem,
  markSendingAll,
  moveProfileItems,
  pruneHistory,
  recoverInterrupted,
  takeDue,
  transition,
} from './outbox-writes.ts'
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

/** The OutboxStore over one SQLite file: reads live in outbox-reads.ts, writes in outbox-writes.ts. */
class SqliteOutboxStore implements OutboxStore {
  readonly path: string
  readonly readOnly: boolean
  readonly #c: OutboxConnection

  constructor(path: string, db: DatabaseSync, flagAfterMs: number, readOnly: boolean) {
    this.path = path
    this.readOnly = readOnly
    this.#c = new OutboxConnection(path, db, flagAfterMs, readOnly)
  }

  get flagAfterMs(): number {
    return this.#c.flagAfterMs
  }

  set flagAfterMs(value: number) {
    this.#c.flagAfterMs = value
  }

  enqueue(item: NewOutboxItem, now: number): StoredItem {
    // One INSERT and its commit; the returned item is built from what was written, not read back.
    return this.#c.write(() => insertItem(this.#c, item, now))
  }

  enqueueMany(items: readonly NewOutboxItem[], now: number): StoredItem[] {
    // One transaction for the batch (Import CSV writes one slice at a time): a failing row rolls back the rows before it.
    return this.#c.write(() => items.map((item) => insertItem(this.#c, item, now)))
  }

  get(id: string, now: number): StoredItem | undefined {
    const row = this.#c.read(() => this.#c.statements.get.get({ id }))
    return row && toStoredItem(row, now, this.flagAfterMs)
  }

  page(request: OutboxPageRequest, now: number): OutboxPage {
    return readPage(this.#c, request, now)
  }

  findDuplicates(target: OutboxTarget, query: DuplicateQuery, options: { excludeId?: string } = {}): DuplicateKey[] {
    return readDuplicates(this.#c, target, query, options.excludeId)
  }

  counts(now: number): OutboxCounts {
    return readCounts(this.#c, now)
  }

  due(target: OutboxTarget, now: number, limit: number, profileId?: string): StoredItem[] {
    return takeDue(this.#c, target, now, limit, profileId)
  }

  nextAttemptAt(target: OutboxTarget, profileId?: string): number | undefined {
    const params = { ...targetParams(target), profileId: profileId ?? null }
    const row = this.#c.read(() => this.#c.statements.nextAttemptAt.get(params))
    return typeof row?.at === 'number' ? row.at : undefined
  }

  queuedForProfile(current: CurrentTarget): number {
    return this.#c.read(() => this.#c.count('queuedForProfile', currentParams(current)))
  }

  waitingForProfile(profileId: string): Partial<Record<OutboxState, number>> {
    return readWaitingForProfile(this.#c, profileId)
  }

  moveProfileItems(fromProfileId: string, to: CurrentTarget, now: number): string[] {
    return moveProfileItems(this.#c, fromProfileId, to, now)
  }

  heldForOtherTargets(target: OutboxTarget): number {
    return this.#c.read(() => this.#c.count('heldForOtherTargets', targetParams(target)))
  }

  markSending(id: string, now: number): StoredItem | undefined {
    return this.markSendingAll([id], now)[0]
  }

  markSendingAll(ids: readonly string[], now: number): StoredItem[] {
    return markSendingAll(this.#c, ids, now)
  }

  markSent(id: string, contact: CreatedContact, now: number): StoredItem | undefined {
    const ended = endAttempt(this.#c, id, 'sent', null, now)
    // The server's id is searchable from now on.
    return transition(this.#c, 'markSent', { id, contact: JSON.stringify(contact) }, now, (row) => {
      ended()
      this.#c.index(row)
    })
  }

  requeue(
    id: string,
    change: { nextAttemptAt: number; lastError: ItemError; outcome?: 'retry' | 'pause_auth' },
    now: number,
  ): StoredItem | undefined {
    const lastError = storedItemError(change.lastError)
    const params = { id, nextAttemptAt: storedTime(change.nextAttemptAt), lastError }
    const ended = endAttempt(this.#c, id, change.outcome ?? 'retry', lastError, now)
    return transition(this.#c, 'requeue', params, now, ended)
  }

  markNeedsFix(
    id: string,
    change: { lastError: ItemError; fieldErrors: ContactFieldErrors | null },
    now: number,
  ): StoredItem | undefined {
    const fieldErrors = change.fieldErrors === null ? null : JSON.stringify(change.fieldErrors)
    const lastError = storedItemError(change.lastError)
    const ended = endAttempt(this.#c, id, 'needs_fix', lastError, now)
    return transition(this.#c, 'markNeedsFix', { id, lastError, fieldErrors }, now, ended)
  }

  markUnconfirmed(id: string, lastError: ItemError, now: number): StoredItem | undefined {
    const stored = storedItemError(lastError)
    const ended = endAttempt(this.#c, id, 'unconfirmed', stored, now)
    return transition(this.#c, 'markUnconfirmed', { id, lastError: stored }, now, ended)
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
    return transition(this.#c, 'updateDraft', params, now, (row) => this.#c.index(row))
  }

  sendAgain(id: string, now: number): StoredItem | undefined {
    return transition(this.#c, 'sendAgain', { id }, now)
  }

  markSentByUser(id: string, now: number): StoredItem | undefined {
    return transition(this.#c, 'markSentByUser', { id }, now)
  }

  retarget(id: string, current: CurrentTarget, now: number): StoredItem | undefined {
    return transition(this.#c, 'retarget', { id, ...currentParams(current) }, now)
  }

  undoMarkSentByUser(id: string, now: number): StoredItem | undefined {
    const lastError = storedItemError(itemError('mark_as_sent_undone', {}))
    return transition(this.#c, 'undoMarkSentByUser', { id, lastError }, now)
  }

  discard(id: string, now: number): StoredItem | undefined {
    return transition(this.#c, 'discard', { id }, now)
  }

  restore(id: string, now: number): StoredItem | undefined {
    return transition(this.#c, 'restore', { id }, now)
  }

  bulk(action: BulkAction, ids: readonly string[], now: number, current?: CurrentTarget): BulkBatch {
    return bulkByIds(this.#c, action, ids, now, current)
  }

  bulkInFilter(
    action: BulkAction,
    request: { filter: OutboxFilter; before?: number; limit: number },
    now: number,
    current?: CurrentTarget,
  ): BulkBatch & { nextBefore: number | null } {
    return bulkInFilter(this.#c, action, request, now, current)
  }

  bulkCounts(filter: OutboxFilter, current: OutboxTarget | undefined): BulkCounts {
    return readBulkCounts(this.#c, filter, current)
  }

  attempts(id: string, limit: number): OutboxAttempts {
    return readAttempts(this.#c, id, limit)
  }

  recoverInterrupted(now: number): number {
    return recoverInterrupted(this.#c, now)
  }

  pruneHistory(olderThan: number): number {
    return pruneHistory(this.#c, olderThan)
  }

  readAll(now: number): OutboxReadout {
    return readEverything(this.#c, now)
  }

  together<T>(work: () => T): T {
    return this.#c.together(work)
  }

  close(): void {
    this.#c.close()
  }
}
