import { WAITING_STATES } from '../../../shared/outbox.ts'
import { ITEM_COLUMNS, STORED_COLUMNS } from './outbox-rows.ts'

/**
 * Every statement the store runs, prepared once at open. A transition is one UPDATE … RETURNING guarded
 * by `state IN (expected)`: when the item moved on meanwhile it matches no row and nothing is written.
 * INDEXED BY pins the plans that must stay fast at 100,000 items whatever SQLite's statistics say.
 */
const waiting = WAITING_STATES.map((state) => `'${state}'`).join(', ')
const transition = (set: string, from: string): string =>
  `UPDATE outbox_items SET ${set}, updated_at = :now WHERE id = :id AND state IN (${from}) RETURNING ${STORED_COLUMNS}`

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
  countState: 'SELECT count(*) AS n FROM outbox_items INDEXED BY outbox_items_by_state WHERE state = :state',
  countByState: 'SELECT state, count(*) AS n FROM outbox_items INDEXED BY outbox_items_by_state GROUP BY state',
  countOverdue: `SELECT count(*) AS n FROM outbox_items INDEXED BY outbox_items_by_age
    WHERE state IN (${waiting}) AND created_at < :cut`,

  due: `SELECT ${STORED_COLUMNS} FROM outbox_items INDEXED BY outbox_items_due
    WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id = :organizationId
      AND next_attempt_at <= :now
    ORDER BY next_attempt_at, seq LIMIT :limit`,
  nextAttemptAt: `SELECT min(next_attempt_at) AS at FROM outbox_items INDEXED BY outbox_items_due
    WHERE state = 'queued' AND target_base_url = :baseUrl AND target_organization_id = :organizationId`,
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

  markSending: transition(`state = 'sending', attempts = attempts + 1, next_attempt_at = NULL`, `'queued'`),
  markSent: transition(
    `state = 'sent', contact_json = :contact, next_attempt_at = NULL, last_error = NULL, field_errors_json = NULL`,
    `'sending'`,
  ),
  requeue: transition(`state = 'queued', next_attempt_at = :nextAttemptAt, last_error = :lastError`, `'sending'`),
  markNeedsFix: transition(
    `state = 'needs_fix', next_attempt_at = NULL, last_error = :lastError, field_errors_json = :fieldErrors`,
    `'sending'`,
  ),
  markUnconfirmed: transition(`state = 'unconfirmed', next_attempt_at = NULL, last_error = :lastError`, `'sending'`),
  updateDraft: transition(
    `state = 'queued', draft_json = :draft, request_json = :request, target_base_url = :baseUrl,
      target_organization_id = :organizationId, attempts = 0, next_attempt_at = :now, last_error = NULL,
      field_errors_json = NULL`,
    `'needs_fix', 'queued'`,
  ),
  sendAgain: transition(`state = 'queued', next_attempt_at = :now, last_error = NULL`, `'unconfirmed'`),
  markSentByUser: transition(
    `state = 'sent', contact_json = NULL, next_attempt_at = NULL, last_error = NULL, field_errors_json = NULL`,
    `'unconfirmed'`,
  ),
  // Undo of markSentByUser: only a sent item without the server's contact, i.e. one the user marked.
  undoMarkSentByUser: `UPDATE outbox_items SET state = 'unconfirmed', last_error = :lastError, updated_at = :now
    WHERE id = :id AND state = 'sent' AND contact_json IS NULL RETURNING ${STORED_COLUMNS}`,
  // SET reads the row as it was, so discarded_from gets the old state.
  discard: transition(
    `discarded_from = state, state = 'discarded', next_attempt_at = NULL`,
    `'queued', 'needs_fix', 'unconfirmed'`,
  ),
  // Only back to where discard can come from; a queued item is due at once.
  restore: `UPDATE outbox_items SET state = discarded_from, discarded_from = NULL,
      next_attempt_at = CASE discarded_from WHEN 'queued' THEN :now ELSE NULL END, updated_at = :now
    WHERE id = :id AND state = 'discarded' AND discarded_from IN ('queued', 'needs_fix', 'unconfirmed')
    RETURNING ${STORED_COLUMNS}`,
  // A queued row whose JSON no longer reads must not be sent; the user sees it and decides.
  holdUnreadable: transition(`state = 'needs_fix', next_attempt_at = NULL, last_error = :lastError`, `'queued'`),

  recoverInterrupted: `UPDATE outbox_items SET state = 'unconfirmed', next_attempt_at = NULL, last_error = :lastError,
      updated_at = :now WHERE state = 'sending'`,
  pruneHistory: `DELETE FROM outbox_items INDEXED BY outbox_items_by_state
    WHERE state IN ('sent', 'discarded') AND updated_at < :cut`,
} as const

export type OutboxStatementName = keyof typeof OUTBOX_SQL
