import type { ContactDraft, ContactFieldErrors, ContactRequest, CreatedContact } from '../../../shared/contact.ts'
import type { DuplicateKey, DuplicateQuery } from '../../../shared/duplicates.ts'
import type { ItemError } from '../../../shared/item-error.ts'
import type { BulkAction, OutboxFilter, OutboxState, OutboxTarget } from '../../../shared/outbox.ts'
import type {
  BulkCounts,
  OutboxAttempts,
  OutboxItem,
  OutboxPage,
  OutboxPageRequest,
} from '../../../shared/outbox-schemas.ts'

/** What the sender needs beyond what the renderer sees. Never leaves main. */
export interface StoredItem extends OutboxItem {
  /** The wire body, validated when saved or edited. */
  request: ContactRequest
  /** Made at enqueue; the same for every attempt of this contact. */
  idempotencyKey: string
  profileId: string
  /** For undo: the state a discarded item came from. */
  discardedFrom: OutboxState | null
}

export interface NewOutboxItem {
  draft: ContactDraft
  request: ContactRequest
  target: OutboxTarget
  profileId: string
}

/** Every item that could be read out of the file, oldest first; `complete` is false when some rows could not. */
export interface OutboxReadout {
  items: OutboxItem[]
  complete: boolean
}

export type OutboxCounts = Record<OutboxState, number> & { overdue: number }

/** Where Move to current organization sends items: the connection in Settings now. */
export interface CurrentTarget {
  target: OutboxTarget
  profileId: string
}

/** What one bulk batch did: the ids moved, and how many of those asked for had moved on. */
export interface BulkBatch {
  done: string[]
  skipped: number
}

/**
 * The durable outbox. Every method is one SQLite transaction, synchronous (node:sqlite), and
 * durable when it returns. A transition names the state it expects: when the item is not in it
 * (changed meanwhile, discarded, unknown id) nothing is written and it returns undefined.
 */
export interface OutboxStore {
  readonly path: string
  /** True when the file failed its check at open: reads work, every change is refused with words, nothing is written. */
  readonly readOnly: boolean
  /** Items waiting longer than this (ms since saved) are `overdue`: flagged, never dropped. */
  flagAfterMs: number
  enqueue(item: NewOutboxItem, now: number): StoredItem
  /** Many items in one transaction: all are written or, when any INSERT fails, none. */
  enqueueMany(items: readonly NewOutboxItem[], now: number): StoredItem[]
  get(id: string, now: number): StoredItem | undefined
  page(request: OutboxPageRequest, now: number): OutboxPage
  /**
   * Earlier items for this target (outbox and sent history, not discarded) with each email (compared
   * without case) or E.164 number: one entry per distinct key asked, its matches newest first (at most
   * DUPLICATE_MATCHES_MAX). `excludeId`: the item being edited. Index lookups only.
   */
  findDuplicates(target: OutboxTarget, query: DuplicateQuery, options?: { excludeId?: string }): DuplicateKey[]
  counts(now: number): OutboxCounts
  /** Queued items for this target (and saved for this profile, when given) whose next attempt is due, oldest first. */
  due(target: OutboxTarget, now: number, limit: number, profileId?: string): StoredItem[]
  /** The earliest next attempt among queued items for this target (and profile, when given) (ms), if any. */
  nextAttemptAt(target: OutboxTarget, profileId?: string): number | undefined
  /** Queued items saved for this profile and its target now: what its queue can send. */
  queuedForProfile(current: CurrentTarget): number
  /** A profile's unfinished items by state (those a delete would leave without a profile). */
  waitingForProfile(profileId: string): Partial<Record<OutboxState, number>>
  /** Gives another profile a deleted profile's unfinished items (see OUTBOX_SQL.moveProfileItems); returns their ids. */
  moveProfileItems(fromProfileId: string, to: CurrentTarget, now: number): string[]
  /** Queued items saved for another target than this one (held until the user edits them). */
  heldForOtherTargets(target: OutboxTarget): number

  /** queued → sending; counts the attempt and opens its record in the attempts history. */
  markSending(id: string, now: number): StoredItem | undefined
  /**
   * Runs `work`'s writes in one transaction with one durable commit at the end (a group commit);
   * each write inside is a savepoint, so one that fails is undone alone.
   */
  together<T>(work: () => T): T
  /** markSending for several items in one transaction (one durable commit); those a guard refused are left out. */
  markSendingAll(ids: readonly string[], now: number): StoredItem[]
  /** sending → sent with the server's contact. */
  markSent(id: string, contact: CreatedContact, now: number): StoredItem | undefined
  /**
   * sending → queued after a transient failure (`retry`, the default) or refused credentials (`pause_auth`).
   * This and the other outcomes below close the attempt's record in the same transaction.
   */
  requeue(
    id: string,
    change: { nextAttemptAt: number; lastError: ItemError; outcome?: 'retry' | 'pause_auth' },
    now: number,
  ): StoredItem | undefined
  /** sending → needs_fix (422 and other permanent refusals). */
  markNeedsFix(
    id: string,
    change: { lastError: ItemError; fieldErrors: ContactFieldErrors | null },
    now: number,
  ): StoredItem | undefined
  /** sending → unconfirmed (may have reached the server). */
  markUnconfirmed(id: string, lastError: ItemError, now: number): StoredItem | undefined
  /** needs_fix | queued → queued with a new draft and request (and the current target); attempts reset. */
  updateDraft(
    id: string,
    change: { draft: ContactDraft; request: ContactRequest; target: OutboxTarget },
    now: number,
  ): StoredItem | undefined
  /** unconfirmed → queued, due now, same idempotency key. */
  sendAgain(id: string, now: number): StoredItem | undefined
  /** unconfirmed → sent, without a server contact. */
  markSentByUser(id: string, now: number): StoredItem | undefined
  /** queued | needs_fix → queued for the current target (not one it is already for), due now. */
  retarget(id: string, current: CurrentTarget, now: number): StoredItem | undefined
  /** sent (by the user, so without a server contact) → unconfirmed: undoes markSentByUser. */
  undoMarkSentByUser(id: string, now: number): StoredItem | undefined
  /** queued | needs_fix | unconfirmed → discarded (remembers where from). */
  discard(id: string, now: number): StoredItem | undefined
  /** discarded → the state it came from. */
  restore(id: string, now: number): StoredItem | undefined
  /**
   * One action on these ids in one transaction: all or nothing; ids it no longer applies to are skipped.
   * Move to current organization needs `current`; without it nothing moves.
   */
  bulk(action: BulkAction, ids: readonly string[], now: number, current?: CurrentTarget): BulkBatch
  /**
   * One action on the next `limit` items of a filter it applies to, newest first below `before`, in one
   * transaction. `nextBefore` continues with the next batch; null when there are no more.
   */
  bulkInFilter(
    action: BulkAction,
    request: { filter: OutboxFilter; before?: number; limit: number },
    now: number,
    current?: CurrentTarget,
  ): BulkBatch & { nextBefore: number | null }
  /** How many items of a filter each bulk action would move now (Move to current organization: none without a target). */
  bulkCounts(filter: OutboxFilter, current: OutboxTarget | undefined): BulkCounts
  /** An item's attempts, newest first (at most `limit`), and how many there are. */
  attempts(id: string, limit: number): OutboxAttempts
  /** At start-up: every `sending` left by a crash becomes `unconfirmed` (its attempt `interrupted`). Returns how many. */
  recoverInterrupted(now: number): number
  /**
   * Deletes sent and discarded items last changed before `olderThan`, then compacts the file so their
   * text is gone from it and its WAL. Returns how many. A read-only outbox keeps everything (returns 0).
   */
  pruneHistory(olderThan: number): number
  /** Every item that still reads, for Export contacts (CSV); a damaged row range is skipped, not fatal. */
  readAll(now: number): OutboxReadout
  close(): void
}

export interface OpenOutboxOptions {
  /** The SQLite file, in the app's data folder. */
  path: string
  flagAfterMs: number
  /** For tests; decides whether F_FULLFSYNC is asked for (macOS). */
  platform?: NodeJS.Platform
}
