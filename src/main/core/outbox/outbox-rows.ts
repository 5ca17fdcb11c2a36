import type { SQLOutputValue } from 'node:sqlite'
import type { z } from 'zod'
import {
  contactDraftSchema,
  contactFieldErrorsSchema,
  contactRequestSchema,
  createdContactSchema,
  type ContactDraft,
} from '../../../shared/contact.ts'
import { itemError, itemErrorSchema, type ItemError } from '../../../shared/item-error.ts'
import { isRecord, parseJson } from '../../../shared/json.ts'
import { LIMITS } from '../../../shared/limits.ts'
import { WAITING_STATES, attemptOutcomes, outboxStates, type OutboxState } from '../../../shared/outbox.ts'
import type { OutboxAttempt, OutboxItem } from '../../../shared/outbox-schemas.ts'
import type { StoredItem } from './outbox-store-types.ts'

/** One row as node:sqlite returns it (a null-prototype object, so a column named `__proto__` could not pollute). */
export type Row = Record<string, SQLOutputValue>

/** What the list shows: no wire body, no idempotency key, no profile. */
export const ITEM_COLUMNS =
  'seq, id, state, target_base_url, target_organization_id, draft_json, attempts, next_attempt_at, ' +
  'last_error, field_errors_json, contact_json, created_at, updated_at'
/** Everything the sender needs as well. */
export const STORED_COLUMNS = `${ITEM_COLUMNS}, request_json, idempotency_key, profile_id, discarded_from`

/** Shown instead of the last error when a row's JSON no longer parses; the row itself is kept as it is. */
export const UNREADABLE = itemError('unreadable', {})

/** The bound contactDraftSchema puts on each text field. */
const DRAFT_TEXT_MAX = LIMITS.description * 4
/** Date's own range; beyond it toISOString throws. */
const MAX_TIME_MS = 8.64e15

/** A time from the caller, as the whole milliseconds the STRICT INTEGER columns take (rounded up: never earlier). */
export function storedTime(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`The outbox needs a finite time in milliseconds, not ${value}.`)
  return Math.min(Math.max(Math.ceil(value), 0), MAX_TIME_MS)
}

export function isoTime(ms: number): string {
  return new Date(Math.min(Math.max(ms, 0), MAX_TIME_MS)).toISOString()
}

export function isOverdue(state: OutboxState, createdAt: number, now: number, flagAfterMs: number): boolean {
  return WAITING_STATES.includes(state) && createdAt < now - flagAfterMs
}

export function toOutboxItem(row: Row, now: number, flagAfterMs: number): OutboxItem {
  return readItem(row, now, flagAfterMs).item
}

export function toStoredItem(row: Row, now: number, flagAfterMs: number): StoredItem {
  return readStoredItem(row, now, flagAfterMs).item
}

/** `readable` is false when some JSON column no longer parses: such an item must never be sent as it is. */
export function readStoredItem(row: Row, now: number, flagAfterMs: number): { item: StoredItem; readable: boolean } {
  const base = readItem(row, now, flagAfterMs)
  const request = parseColumn(contactRequestSchema, row.request_json)
  const readable = base.readable && request.ok
  const item: StoredItem = {
    ...base.item,
    lastError: readable ? base.item.lastError : UNREADABLE,
    // An empty name can never pass validation, so this stand-in cannot reach the server.
    request: request.ok ? request.value : { full_name: '' },
    idempotencyKey: text(row.idempotency_key),
    profileId: text(row.profile_id),
    discardedFrom: stateOf(row.discarded_from) ?? null,
  }
  return { item, readable }
}

function readItem(row: Row, now: number, flagAfterMs: number): { item: OutboxItem; readable: boolean } {
  const storedState = stateOf(row.state)
  // The CHECK constraint rules out other values; if one appears anyway, nothing is sent without the user.
  const state = storedState ?? 'unconfirmed'
  const draft = parseColumn(contactDraftSchema, row.draft_json)
  const fieldErrors = parseNullableColumn(contactFieldErrorsSchema, row.field_errors_json)
  const contact = parseNullableColumn(createdContactSchema, row.contact_json)
  const readable = storedState !== undefined && draft.ok && fieldErrors.ok && contact.ok
  const createdAt = integer(row.created_at)
  const nextAttemptAt = row.next_attempt_at
  const item: OutboxItem = {
    id: text(row.id),
    seq: integer(row.seq),
    state,
    draft: draft.ok ? draft.value : salvageDraft(row.draft_json),
    target: { baseUrl: text(row.target_base_url), organizationId: integer(row.target_organization_id) },
    attempts: integer(row.attempts),
    nextAttemptAt: nextAttemptAt === null || nextAttemptAt === undefined ? null : isoTime(integer(nextAttemptAt)),
    lastError: readable ? readItemError(row.last_error) : UNREADABLE,
    fieldErrors: fieldErrors.ok ? fieldErrors.value : null,
    contact: contact.ok ? contact.value : null,
    overdue: isOverdue(state, createdAt, now, flagAfterMs),
    createdAt: isoTime(createdAt),
    updatedAt: isoTime(integer(row.updated_at)),
  }
  return { item, readable }
}

/** One row of outbox_attempts; an outcome code this app does not know reads as null, its error as words. */
export function toOutboxAttempt(row: Row): OutboxAttempt {
  const ended = row.ended_at
  return {
    n: integer(row.n),
    startedAt: isoTime(integer(row.started_at)),
    endedAt: ended === null || ended === undefined ? null : isoTime(integer(ended)),
    outcome: attemptOutcomes.find((outcome) => outcome === row.outcome_code) ?? null,
    error: readItemError(row.error_json),
  }
}

/** The last_error column: an ItemError as JSON (schema 2 on; migration 2 turned older words into `legacy`). */
export function storedItemError(error: ItemError | null): string | null {
  return error === null ? null : JSON.stringify(error)
}

/** Text that is not an ItemError (a newer app's code, a hand-edited file) is shown as it is rather than lost. */
function readItemError(value: SQLOutputValue | undefined): ItemError | null {
  if (typeof value !== 'string') return null
  const parsed = itemErrorSchema.safeParse(parseJson(value))
  return parsed.success ? parsed.data : itemError('legacy', { text: value })
}

type Parsed<T> = { ok: true; value: T } | { ok: false }

function parseColumn<T>(schema: z.ZodType<T>, value: SQLOutputValue | undefined): Parsed<T> {
  if (typeof value !== 'string') return { ok: false }
  const result = schema.safeParse(parseJson(value))
  return result.success ? { ok: true, value: result.data } : { ok: false }
}

function parseNullableColumn<T>(schema: z.ZodType<T>, value: SQLOutputValue | undefined): Parsed<T | null> {
  return value === null ? { ok: true, value: null } : parseColumn(schema, value)
}

/** Keeps whatever text of a draft still reads, so the user can see (and save again) what they typed. */
function salvageDraft(value: SQLOutputValue | undefined): ContactDraft {
  const json = typeof value === 'string' ? parseJson(value) : undefined
  const record = isRecord(json) ? json : {}
  const phones = Array.isArray(record.phones) ? record.phones.slice(0, LIMITS.phones * 5) : []
  const draft: ContactDraft = {
    fullName: textField(record.fullName, DRAFT_TEXT_MAX),
    email: textField(record.email, DRAFT_TEXT_MAX),
    description: textField(record.description, DRAFT_TEXT_MAX),
    phones: phones.map((phone: unknown) => ({
      number: textField(isRecord(phone) ? phone.number : undefined, LIMITS.description),
    })),
  }
  if (typeof record.country === 'string' && record.country.length <= 2) draft.country = record.country
  return draft
}

function textField(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : ''
}

function stateOf(value: SQLOutputValue | undefined): OutboxState | undefined {
  return outboxStates.find((state) => state === value)
}

function text(value: SQLOutputValue | undefined): string {
  return typeof value === 'string' ? value : ''
}

function integer(value: SQLOutputValue | undefined): number {
  if (typeof value === 'number') return value
  return typeof value === 'bigint' ? Number(value) : 0
}
