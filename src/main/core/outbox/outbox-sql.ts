import type { DatabaseSync, StatementSync } from 'node:sqlite'
import {
  HISTORY_STATES,
  OUTBOX_TRANSITIONS,
  WAITING_STATES,
  type OutboxMove,
  type OutboxState,
} from '../../../shared/outbox.ts'
import { ITEM_COLUMNS, STORED_COLUMNS } from './outbox-rows.ts'

/**
 * Every statement the store runs, prepared once at open. A transition is one UPDATE … RETURNING guarded
 * by `state IN (…)`, the move's from-states in OUTBOX_TRANSITIONS: when the item moved on meanwhile
 * it matches no row and nothing is written. The SET names the to-state (checked against the table
 * by a test). INDEXED BY pins the plans that must stay fast at 100,000 items whatever SQLite's statistics say.
 */
const list = (states: readonly OutboxState[]): string => states.map((state) => `'${state}'`).join(', ')
const from = (move: OutboxMove): string => list(OUTBOX_TRANSITIONS[move].from)
const transition = (move: OutboxMove, set: string): string =>
  `UPDATE outbox_items SET ${set}, updated_at = :now WHERE id = :id AND state IN (${from(move)}) RETURNING ${STORED_COLUMNS}`

export const OUTBOX_SQL = {
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',

  insert: `INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url, target_organization_id, state,
      draft_json, request_json, attempts, next_attempt_at, created_at, updated_at)
    VALUES (:id, :key, :profileId, :baseUrl, :organizationId, 'queued', :draft, :request, 0, :now, :now, :now)`,
  get: `SELECT ${STORED_COLUMNS} FROM outbox_items WHERE id = :id`,

  pageAll: `SELECT ${ITEM_COLUMNS} FROM outbox_items WHERE seq < :before ORDER BY seq DESC LIMIT :limit`,
  // One state at a time: an IN list would make SQLite sort every matching row, or walk the whole table.
  pageState: `SELECT ${ITEM_COLUMNS} FROM outbox_items INDEXED BY outbox_items_by_state
    WHERE state = :state AND seq < :before ORDER BY seq DESC LIMIT :limit`,
  // SQLite counts a whole table by summing the cells of its slimmest index's pages, without decoding rows.
  countAll: 'SELECT count(*) AS n FROM outbox_items',
  countOverdue: `SELECT count(*) AS n FROM outbox_items INDEXED BY outbox_items_by_age
    WHERE state IN (${list(WAITING_STATES)}) AND created_at < :cut`,

  // A null :profileId asks about the target whatever the profile; the sender always names its profile.
  due: `SELECT ${STORED_COLUMNS} FROM outbox_items INDEXED BY outbox_items_due
    WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id = :organizationId
      AND next_attempt_at <= :now AND (:profileId IS NULL OR profile_id = :profileId)
    ORDER BY next_attempt_at, seq LIMIT :limit`,
  nextAttemptAt: `SELECT min(next_attempt_at) AS at FROM outbox_items INDEXED BY outbox_items_due
    WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id = :organizationId
      AND (:profileId IS NULL OR profile_id = :profileId)`,
  queuedForProfile: `SELECT count(*) AS n FROM outbox_items INDEXED BY outbox_items_due
    WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id = :organizationId
      AND profile_id = :profileId`,
  // Deleting a profile is rare: a walk over the table is fine here.
  waitingForProfile: `SELECT state, count(*) AS n FROM outbox_items
    WHERE profile_id = :profileId AND state IN (${list(WAITING_STATES)}) GROUP BY state`,
  // A deleted profile's contacts go to another: what waits to be sent goes to its organization, due now;
  // an unconfirmed one keeps the organization it may have reached (the user decides, as ever).
  moveProfileItems: `UPDATE outbox_items SET profile_id = :profileId,
      target_base_url = CASE WHEN state IN ('queued', 'needs_fix') THEN :baseUrl ELSE target_base_url END,
      target_organization_id = CASE WHEN state IN ('queued', 'needs_fix') THEN :organizationId
        ELSE target_organization_id END,
      attempts = CASE state WHEN 'queued' THEN 0 ELSE attempts END,
      next_attempt_at = CASE state WHEN 'queued' THEN :now ELSE next_attempt_at END, updated_at = :now
    WHERE profile_id = :from AND state IN ('queued', 'needs_fix', 'unconfirmed') RETURNING id`,
  // Four index ranges around this target instead of a walk over every queued item (usually all of them are ours).
  heldForOtherTargets: `SELECT
      (SELECT count(*) FROM outbox_items INDEXED BY outbox_items_due
        WHERE state = 'queued' AND target_base_url < :baseUrl)
    + (SELECT count(*) FROM outbox_items INDEXED BY outbox_items_due
        WHERE state = 'queued' AND target_base_url > :baseUrl)
    + (SELECT count(*) FROM outbox_items INDEXED BY outbox_items_due
        WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id < :organizationId)
    + (SELECT count(*) FROM outbox_items INDEXED BY outbox_items_due
        WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id > :organizationId) AS n`,

  markSending: transition('markSending', `state = 'sending', attempts = attempts + 1, next_attempt_at = NULL`),
  markSent: transition(
    'markSent',
    `state = 'sent', contact_json = :contact, next_attempt_at = NULL, last_error = NULL, field_errors_json = NULL`,
  ),
  requeue: transition('requeue', `state = 'queued', next_attempt_at = :nextAttemptAt, last_error = :lastError`),
  markNeedsFix: transition(
    'markNeedsFix',
    `state = 'needs_fix', next_attempt_at = NULL, last_error = :lastError, field_errors_json = :fieldErrors`,
  ),
  markUnconfirmed: transition(
    'markUnconfirmed',
    `state = 'unconfirmed', next_attempt_at = NULL, last_error = :lastError`,
  ),
  updateDraft: transition(
    'edit',
    `state = 'queued', draft_json = :draft, request_json = :request, target_base_url = :baseUrl,
      target_organization_id = :organizationId, attempts = 0, next_attempt_at = :now, last_error = NULL,
      field_errors_json = NULL`,
  ),
  sendAgain: transition('sendAgain', `state = 'queued', next_attempt_at = :now, last_error = NULL`),
  // Like an edit without a new draft: the new target's backoff starts again; the attempts table keeps the history.
  retarget: `UPDATE outbox_items SET state = 'queued', target_base_url = :baseUrl,
      target_organization_id = :organizationId, profile_id = :profileId, attempts = 0, next_attempt_at = :now,
      last_error = NULL, field_errors_json = NULL, updated_at = :now
    WHERE id = :id AND state IN (${from('retarget')})
      AND (target_base_url <> :baseUrl OR target_organization_id <> :organizationId)
    RETURNING ${STORED_COLUMNS}`,
  markSentByUser: transition(
    'markAsSent',
    `state = 'sent', contact_json = NULL, next_attempt_at = NULL, last_error = NULL, field_errors_json = NULL`,
  ),
  // Undo of markSentByUser: only a sent item without the server's contact, i.e. one the user marked.
  undoMarkSentByUser: `UPDATE outbox_items SET state = 'unconfirmed', last_error = :lastError, updated_at = :now
    WHERE id = :id AND state IN (${from('undoMarkAsSent')}) AND contact_json IS NULL RETURNING ${STORED_COLUMNS}`,
  // SET reads the row as it was, so discarded_from gets the old state.
  discard: transition('discard', `discarded_from = state, state = 'discarded', next_attempt_at = NULL`),
  // Only back to where discard can come from; a queued item is due at once.
  restore: `UPDATE outbox_items SET state = discarded_from, discarded_from = NULL,
      next_attempt_at = CASE discarded_from WHEN 'queued' THEN :now ELSE NULL END, updated_at = :now
    WHERE id = :id AND state IN (${from('restore')}) AND discarded_from IN (${from('discard')})
    RETURNING ${STORED_COLUMNS}`,
  // A queued row whose JSON no longer reads must not be sent; the user sees it and decides.
  holdUnreadable: transition('holdUnreadable', `state = 'needs_fix', next_attempt_at = NULL, last_error = :lastError`),

  recoverInterrupted: `UPDATE outbox_items SET state = 'unconfirmed', next_attempt_at = NULL, last_error = :lastError,
      updated_at = :now WHERE state IN (${from('recoverInterrupted')})`,
  // Reading out everything (Export contacts): row by row from both ends, so a damaged page in the middle
  // costs only the rows on it.
  readForward: `SELECT ${ITEM_COLUMNS} FROM outbox_items WHERE seq > :after ORDER BY seq`,
  readBackward: `SELECT ${ITEM_COLUMNS} FROM outbox_items WHERE seq > :after ORDER BY seq DESC`,
  vacuum: 'VACUUM',
  // Moves the WAL's pages (old versions of deleted rows among them) into the file and empties the WAL.
  checkpoint: 'PRAGMA wal_checkpoint(TRUNCATE)',
  // A bulk action on a filter takes its items one state at a time, newest first, like a page.
  bulkCandidates: `SELECT id, seq FROM outbox_items INDEXED BY outbox_items_by_state
    WHERE state = :state AND seq < :before ORDER BY seq DESC LIMIT :limit`,
  bulkCandidatesElsewhere: `SELECT id, seq FROM outbox_items INDEXED BY outbox_items_by_state
    WHERE state = :state AND seq < :before
      AND (target_base_url <> :baseUrl OR target_organization_id <> :organizationId)
    ORDER BY seq DESC LIMIT :limit`,
  countStateAt: `SELECT count(*) AS n FROM outbox_items INDEXED BY outbox_items_due
    WHERE state = :state AND target_base_url = :baseUrl AND target_organization_id = :organizationId`,
} as const

/**
 * Counting and pruning as schema 4 does them: counts kept per state by triggers (one small table,
 * never a walk over the items) and history found by (state, updated_at). Apart from OUTBOX_SQL
 * because a damaged file opened read-only may be older: it then counts by scanning (SCANNED_SQL).
 */
export const KEPT_COUNT_SQL = {
  countByState: 'SELECT state, n FROM outbox_counts',
  countState: 'SELECT coalesce(max(n), 0) AS n FROM outbox_counts WHERE state = :state',
  countKept: 'SELECT coalesce(sum(n), 0) AS n FROM outbox_counts',
  // Their attempts go with them (ON DELETE CASCADE), looked up by the attempts' primary key.
  pruneHistory: `DELETE FROM outbox_items INDEXED BY outbox_items_by_update
    WHERE state IN (${list(HISTORY_STATES)}) AND updated_at < :cut`,
} as const

/** The same questions on a file from before schema 4 (read-only, so it never prunes). */
export const SCANNED_SQL: Record<keyof typeof KEPT_COUNT_SQL, string> = {
  countByState: 'SELECT state, count(*) AS n FROM outbox_items INDEXED BY outbox_items_by_state GROUP BY state',
  countState: 'SELECT count(*) AS n FROM outbox_items INDEXED BY outbox_items_by_state WHERE state = :state',
  countKept: 'SELECT count(*) AS n FROM outbox_items',
  pruneHistory: 'SELECT 0 WHERE 0',
}

export type CountStatementName = keyof typeof KEPT_COUNT_SQL

/**
 * The attempts table's statements (schema 3). Apart from OUTBOX_SQL because a damaged file opened
 * read-only may be older and lack the table: it then shows no attempts rather than nothing at all.
 */
export const ATTEMPT_SQL = {
  // n follows the item's last attempt, whatever the item's own count says (an edit starts that again).
  start: `INSERT INTO outbox_attempts (item_id, n, started_at)
    SELECT :id, coalesce(max(n), 0) + 1, :now FROM outbox_attempts WHERE item_id = :id`,
  end: `UPDATE outbox_attempts SET ended_at = :now, outcome_code = :outcome, error_json = :error
    WHERE item_id = :id AND ended_at IS NULL`,
  // At start-up, before those items leave `sending`: their open attempts were cut off by the app stopping.
  endInterrupted: `UPDATE outbox_attempts SET ended_at = :now, outcome_code = 'interrupted', error_json = :error
    WHERE ended_at IS NULL AND item_id IN (SELECT id FROM outbox_items INDEXED BY outbox_items_by_state
      WHERE state IN (${from('recoverInterrupted')}))`,
  list: `SELECT n, started_at, ended_at, outcome_code, error_json FROM outbox_attempts
    WHERE item_id = :id ORDER BY n DESC LIMIT :limit`,
  count: 'SELECT count(*) AS n FROM outbox_attempts WHERE item_id = :id',
} as const

export type AttemptStatementName = keyof typeof ATTEMPT_SQL

export type OutboxStatementName = keyof typeof OUTBOX_SQL

/** The statement that writes each move of OUTBOX_TRANSITIONS (Send now writes nothing: the worker just stops waiting). */
export const MOVE_STATEMENTS = {
  edit: 'updateDraft',
  sendAgain: 'sendAgain',
  markAsSent: 'markSentByUser',
  retarget: 'retarget',
  discard: 'discard',
  restore: 'restore',
  undoMarkAsSent: 'undoMarkSentByUser',
  markSending: 'markSending',
  markSent: 'markSent',
  requeue: 'requeue',
  markNeedsFix: 'markNeedsFix',
  markUnconfirmed: 'markUnconfirmed',
  holdUnreadable: 'holdUnreadable',
  recoverInterrupted: 'recoverInterrupted',
} as const satisfies Record<Exclude<OutboxMove, 'sendNow'>, OutboxStatementName>

/** Each statement of `sql` prepared on `db`, under the same names. */
export function prepareAll<N extends string>(db: DatabaseSync, sql: Record<N, string>): Record<N, StatementSync> {
  return Object.fromEntries(Object.entries<string>(sql).map(([name, text]) => [name, db.prepare(text)])) as Record<
    N,
    StatementSync
  >
}
