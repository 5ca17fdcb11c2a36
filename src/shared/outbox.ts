import { z } from 'zod'
import type { AppError } from './app-error.ts'
import {
  contactDraftSchema,
  contactFieldErrorsSchema,
  createdContactSchema,
  type ContactFieldErrors,
} from './contact.ts'
import { itemErrorSchema } from './item-error.ts'
import { queueReasonSchema } from './queue-reason.ts'
import { connectionHealthSchema } from './settings.ts'

/** An item's life; see docs/architecture.md "The outbox". */
export const outboxStates = ['queued', 'sending', 'sent', 'needs_fix', 'unconfirmed', 'discarded'] as const
export type OutboxState = (typeof outboxStates)[number]

/** Items the queue sends by itself: "waiting to send". */
export const TO_SEND_STATES: readonly OutboxState[] = ['queued', 'sending']
/** Items that wait for the user's decision: "needs you". */
export const NEEDS_YOU_STATES: readonly OutboxState[] = ['needs_fix', 'unconfirmed']
/** States the user still has to see through: both of the above. */
export const WAITING_STATES: readonly OutboxState[] = [...TO_SEND_STATES, ...NEEDS_YOU_STATES]
/** The rest: kept as history until the retention window prunes them. */
export const HISTORY_STATES: readonly OutboxState[] = outboxStates.filter((state) => !WAITING_STATES.includes(state))

/** Where a restored item goes: back to the state it was discarded from. */
export const RESTORED = 'discarded_from'

interface Transition {
  /** Who makes the move: the user (a button), the user's Undo of a move just made, the sync worker, or the app starting up. */
  by: 'user' | 'undo' | 'worker' | 'startup'
  from: readonly OutboxState[]
  to: OutboxState | typeof RESTORED
}

/**
 * Every legal move of an item: the one table the store's SQL guards, the commands' refusals, the
 * renderer's buttons and the tests' models are built from. The user's moves come first, in the
 * order their buttons appear.
 */
export const OUTBOX_TRANSITIONS = {
  /** Due at once, whatever its backoff; the worker then takes it. */
  sendNow: { by: 'user', from: ['queued'], to: 'queued' },
  /** A new draft (and the current connection); attempts and errors start again. */
  edit: { by: 'user', from: ['queued', 'needs_fix'], to: 'queued' },
  /** The user accepts that the server may already have it; same idempotency key. */
  sendAgain: { by: 'user', from: ['unconfirmed'], to: 'queued' },
  markAsSent: { by: 'user', from: ['unconfirmed'], to: 'sent' },
  /** Saved for an older Base URL or organization: addressed to the connection in Settings now, due at once. */
  retarget: { by: 'user', from: ['queued', 'needs_fix'], to: 'queued' },
  discard: { by: 'user', from: ['queued', 'needs_fix', 'unconfirmed'], to: 'discarded' },
  restore: { by: 'user', from: ['discarded'], to: RESTORED },
  /** Undo of Mark as sent (the snackbar): only for an item the user marked, which has no server contact. */
  undoMarkAsSent: { by: 'undo', from: ['sent'], to: 'unconfirmed' },

  markSending: { by: 'worker', from: ['queued'], to: 'sending' },
  markSent: { by: 'worker', from: ['sending'], to: 'sent' },
  requeue: { by: 'worker', from: ['sending'], to: 'queued' },
  markNeedsFix: { by: 'worker', from: ['sending'], to: 'needs_fix' },
  markUnconfirmed: { by: 'worker', from: ['sending'], to: 'unconfirmed' },
  /** A queued row whose JSON no longer reads must not be sent: the user looks at it. */
  holdUnreadable: { by: 'worker', from: ['queued'], to: 'needs_fix' },
  /** Found `sending` at start-up: the app stopped mid-request. */
  recoverInterrupted: { by: 'startup', from: ['sending'], to: 'unconfirmed' },
} as const satisfies Record<string, Transition>

export type OutboxMove = keyof typeof OUTBOX_TRANSITIONS
/** The moves a user makes, by id; the renderer gives each its label. */
export type OutboxAction = {
  [M in OutboxMove]: (typeof OUTBOX_TRANSITIONS)[M]['by'] extends 'user' ? M : never
}[OutboxMove]

export const outboxMoves = Object.keys(OUTBOX_TRANSITIONS) as OutboxMove[]
export const outboxActions = outboxMoves.filter((move): move is OutboxAction => OUTBOX_TRANSITIONS[move].by === 'user')

/** Whether `move` may start from `state`. */
export function canMove(move: OutboxMove, state: OutboxState): boolean {
  const from: readonly OutboxState[] = OUTBOX_TRANSITIONS[move].from
  return from.includes(state)
}

/**
 * Where `move` takes an item, or undefined when the table does not allow it. A restore needs to
 * know where the item was discarded from, and goes back only to a state discard starts from.
 */
export function nextState(
  move: OutboxMove,
  item: { state: OutboxState; discardedFrom?: OutboxState | null },
): OutboxState | undefined {
  if (!canMove(move, item.state)) return undefined
  const to = OUTBOX_TRANSITIONS[move].to
  if (to !== RESTORED) return to
  const back = item.discardedFrom
  return back && canMove('discard', back) ? back : undefined
}

/** The user's actions an item in this state offers, in button order. */
export function actionsFor(state: OutboxState): OutboxAction[] {
  return outboxActions.filter((action) => canMove(action, state))
}

/** The buttons' names; refusals quote them, so the words agree everywhere. */
export const OUTBOX_ACTION_LABELS: Record<OutboxAction, string> = {
  sendNow: 'Send now',
  edit: 'Edit',
  sendAgain: 'Send again',
  markAsSent: 'Mark as sent',
  retarget: 'Move to current organization',
  discard: 'Discard',
  restore: 'Restore',
}

const GONE = 'This contact is no longer in the outbox. Reload the list.'
/** Why Move to current organization leaves an item as it is although its state allows the move. */
const ALREADY_CURRENT = 'This contact is already for the organization in Settings.'

const quoted = (action: OutboxAction): string => `“${OUTBOX_ACTION_LABELS[action]}”`
/** What a refused action says about the state the item is in now; any label quoted is one the table allows there. */
export const REFUSED_IN: Record<OutboxState, string> = {
  queued: `This contact is still queued; it will be sent on its own. Use ${quoted('sendNow')} to try at once.`,
  sending: 'This contact is being sent right now. Wait a moment, then try again.',
  sent: 'This contact was already sent.',
  needs_fix: 'This contact needs fixing first: edit it and save; it is sent after that.',
  unconfirmed: `This contact may already exist in Cloverhound. Choose ${quoted('sendAgain')} or ${quoted('markAsSent')} (or discard it) first.`,
  discarded: 'This contact was discarded. Restore it first.',
}

/** The host an item is addressed to, for words; the stored text when it does not read as a URL. */
export function targetHost(target: OutboxTarget): string {
  try {
    return new URL(target.baseUrl).host
  } catch {
    return target.baseUrl
  }
}

/** Why Send now refuses an item saved for another connection than the one in Settings. */
export function otherTargetWords(target: OutboxTarget): string {
  return `This contact was saved for organization ${target.organizationId} at ${targetHost(target)}, not the connection in Settings now. Use “${OUTBOX_ACTION_LABELS.retarget}”, or edit and save it, to send it with the current settings.`
}

/** Saving or editing needs a connection to address the item to; the API key may come later. */
export const NO_CONNECTION_WORDS =
  'Add the connection in Settings first (Base URL, Organization ID and API key ID). The API key can come later: contacts wait for it.'

/** What saving or editing answers for a draft that does not pass main's check: general words, then per field and row. */
export function invalidDraftError(errors: ContactFieldErrors): AppError {
  const { general, phones, ...fields } = errors
  return {
    code: 'invalid',
    message: general?.join(' ') || 'Fix the fields marked below.',
    fields: fields as Record<string, string[]>,
    ...(phones ? { phones } : {}),
  }
}

/** Why an action does not apply to an item in this state (undefined: the item is gone), in words a user can act on. */
export function refusalWords(action: OutboxAction | 'undoMarkAsSent' | 'get', state: OutboxState | undefined): string {
  if (state === undefined) return GONE
  // Only one state allows it, so say which rather than what the item is.
  if (action === 'restore') return 'Only a discarded contact can be restored.'
  if (action === 'retarget' && canMove(action, state)) return ALREADY_CURRENT
  if (action === 'undoMarkAsSent') return 'Only a contact you marked as sent yourself can be put back as not confirmed.'
  return REFUSED_IN[state]
}

const isoTime = z.string().max(40)
const itemId = z.string().regex(/^[0-9a-f-]{36}$/, 'Not an outbox item id.')

/** Where an item goes: fixed when it is saved, so a later change of Settings cannot redirect it silently. */
export const outboxTargetSchema = z.object({
  baseUrl: z.string(),
  organizationId: z.number().int().positive(),
})
export type OutboxTarget = z.infer<typeof outboxTargetSchema>

/** One saved contact and where it stands. What the renderer sees: never a key or a header. */
export const outboxItemSchema = z.object({
  id: itemId,
  /** Increases with every save; orders the list and pages it. */
  seq: z.number().int().nonnegative(),
  state: z.enum(outboxStates),
  draft: contactDraftSchema,
  target: outboxTargetSchema,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: isoTime.nullable(),
  /** The last failure, as a code and its facts; the renderer puts it in words. */
  lastError: itemErrorSchema.nullable(),
  /** The server's (or main's) messages per field and phone row, for needs_fix. */
  fieldErrors: contactFieldErrorsSchema.nullable(),
  /** The server's contact once sent (null when the user marked it sent by hand). */
  contact: createdContactSchema.nullable(),
  /** Waiting longer than the retention window: shown to the user, never dropped. */
  overdue: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
})
export type OutboxItem = z.infer<typeof outboxItemSchema>

export const outboxFilters = ['waiting', 'to_send', 'needs_you', 'sent', 'discarded', 'all'] as const
export type OutboxFilter = (typeof outboxFilters)[number]

/** The states each filter of the Outbox list shows. */
export const OUTBOX_FILTER_STATES: Record<OutboxFilter, readonly OutboxState[]> = {
  waiting: WAITING_STATES,
  to_send: TO_SEND_STATES,
  needs_you: NEEDS_YOU_STATES,
  sent: ['sent'],
  discarded: ['discarded'],
  all: outboxStates,
}

export function matchesFilter(state: OutboxState, filter: OutboxFilter): boolean {
  return OUTBOX_FILTER_STATES[filter].includes(state)
}

/** Longer than any name, email or number a person would search for. */
export const SEARCH_QUERY_MAX = 200

export const outboxPageRequestSchema = z.object({
  filter: z.enum(outboxFilters),
  /** The `seq` to continue below (newest first); omit for the first page. */
  before: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500),
  /** Search words (name, email, phone in any format, description, server id); blank or absent: everything. */
  query: z.string().max(SEARCH_QUERY_MAX).optional(),
})
export type OutboxPageRequest = z.infer<typeof outboxPageRequestSchema>

export const outboxPageSchema = z.object({
  items: z.array(outboxItemSchema),
  /**
   * Pass as `before` for the next page; null at the end. A search of common words checks a bounded part
   * of the history per page, so its page may be short, even empty, and still have a next one.
   */
  nextBefore: z.number().int().nullable(),
  /** How many items match the filter in all. */
  total: z.number().int().nonnegative(),
  /** A search that matches many items is not counted to the end: `total` is then how many are known so far. */
  totalAtLeast: z.boolean().optional(),
})
export type OutboxPage = z.infer<typeof outboxPageSchema>

/**
 * The queue as a whole, per connection profile: `offline` when the platform says there is no
 * network, `unreachable` when there is one but the API cannot be reached (refused, DNS, timeout),
 * `waiting` when the server asked to wait (429/503 with Retry-After).
 */
export const queueStates = ['running', 'offline', 'unreachable', 'paused_auth', 'waiting', 'not_configured'] as const
export type QueueState = (typeof queueStates)[number]

/** Machine facts only (codes, counts, ISO times): the renderer makes the words, in the user's locale. */
export const syncStatusSchema = z.object({
  state: z.enum(queueStates),
  /** For `not_configured` and `paused_auth`: why, as a code; null otherwise. */
  reason: queueReasonSchema.nullable(),
  /** The current connection's host, for "Could not reach …"; null without a connection. */
  host: z.string().nullable(),
  /** For `waiting`: when sending resumes (ISO 8601). */
  until: isoTime.nullable(),
  /** The earliest next try of a queued item for the current connection (ISO 8601). */
  nextAttemptAt: isoTime.nullable(),
  counts: z.record(z.enum(outboxStates), z.number().int().nonnegative()),
  /** queued + sending + needs_fix + unconfirmed: everything not finished. */
  waiting: z.number().int().nonnegative(),
  /** queued + sending: "waiting to send". */
  toSend: z.number().int().nonnegative(),
  /** needs_fix + unconfirmed: "needs you". */
  needsYou: z.number().int().nonnegative(),
  /** Queued items whose profile now points at another organization than they were saved for: sent only after an edit or a move. */
  held: z.number().int().nonnegative(),
  /** Queued items every profile can send as they are: what **Send now** can send. */
  sendable: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  /** The active profile's connection, as the server last judged it. */
  connection: connectionHealthSchema,
  /** Other profiles whose contacts wait because their key or organization was refused or is missing: "needs attention". */
  otherProfilesStopped: z.number().int().nonnegative(),
})
export type SyncStatus = z.infer<typeof syncStatusSchema>

export const itemIdInputSchema = z.object({ id: itemId })

/** Ids per `getOutboxItems` call: the loaded rows a burst changed, plus as many it may have to place. */
export const ITEMS_READ_MAX = 200
export const itemIdsInputSchema = z.object({ ids: z.array(itemId).min(1).max(ITEMS_READ_MAX) })
/** The items that exist, in the order asked, each once; an id that is gone is left out. */
export const outboxItemsSchema = z.object({ items: z.array(outboxItemSchema).max(ITEMS_READ_MAX) })
export const updateItemInputSchema = z.object({ id: itemId, draft: contactDraftSchema })
export const sendNowInputSchema = z.object({ id: itemId.optional() })
export const connectivityInputSchema = z.object({ online: z.boolean() })

export const outboxChangedSchema = z.object({
  /** Items whose row changed; empty means "reload the list". */
  ids: z.array(itemId),
})

/** How an attempt ended: the sync worker's decision, or the app stopping mid-request (found at start-up). */
export const attemptOutcomes = ['sent', 'retry', 'pause_auth', 'needs_fix', 'unconfirmed', 'interrupted'] as const
export type AttemptOutcome = (typeof attemptOutcomes)[number]

/** One request for an item, as the outbox recorded it with the state change it caused. */
export const outboxAttemptSchema = z.object({
  /** 1 for the item's first attempt; keeps counting across edits. */
  n: z.number().int().positive(),
  startedAt: isoTime,
  /** Null while the request is in flight. */
  endedAt: isoTime.nullable(),
  /** Null while in flight, or when the stored code is not one this app knows. */
  outcome: z.enum(attemptOutcomes).nullable(),
  /** Why it failed, as the item's lastError was then. */
  error: itemErrorSchema.nullable(),
})
export type OutboxAttempt = z.infer<typeof outboxAttemptSchema>

/** Attempts kept per item are unbounded (no attempt limit); the newest this many cross the bridge. */
export const ATTEMPTS_SHOWN_MAX = 200

export const outboxAttemptsSchema = z.object({
  /** Newest first. */
  attempts: z.array(outboxAttemptSchema).max(ATTEMPTS_SHOWN_MAX),
  /** How many there are in all. */
  total: z.number().int().nonnegative(),
})
export type OutboxAttempts = z.infer<typeof outboxAttemptsSchema>

/** The user's moves that apply to many items at once; each takes items only from its from-states. */
export const bulkActions = [
  'sendAgain',
  'markAsSent',
  'retarget',
  'discard',
  'restore',
] as const satisfies readonly OutboxAction[]
export type BulkAction = (typeof bulkActions)[number]

/** Items per bulk batch: one transaction each, all or nothing. */
export const BULK_BATCH_MAX = 500

/** Up to BULK_BATCH_MAX ids, or everything in a filter one batch at a time (newest first, below `before`). */
export const bulkInputSchema = z.union([
  z.strictObject({ action: z.enum(bulkActions), ids: z.array(itemId).min(1).max(BULK_BATCH_MAX) }),
  z.strictObject({
    action: z.enum(bulkActions),
    filter: z.enum(outboxFilters),
    before: z.number().int().nonnegative().optional(),
  }),
])
export type BulkInput = z.infer<typeof bulkInputSchema>

export const bulkResultSchema = z.object({
  /** The items the action moved, for Undo. */
  done: z.array(itemId).max(BULK_BATCH_MAX),
  /** Ids given that the action no longer applied to (they had moved on, or are gone). */
  skipped: z.number().int().nonnegative(),
  /** For a filter: pass as `before` for the next batch; null when the filter has no more. */
  nextBefore: z.number().int().nullable(),
  /** bulkResultWords for this batch. */
  message: z.string(),
})
export type BulkResult = z.infer<typeof bulkResultSchema>

export const bulkCountsInputSchema = z.object({ filter: z.enum(outboxFilters) })
/** How many items of a filter each bulk action would move now. */
export const bulkCountsSchema = z.object(
  Object.fromEntries(bulkActions.map((action) => [action, z.number().int().nonnegative()])) as Record<
    BulkAction,
    z.ZodNumber
  >,
)
export type BulkCounts = z.infer<typeof bulkCountsSchema>

/** "40 contacts", "1 contact". */
export function contactCount(n: number, format: (n: number) => string = String): string {
  return `${format(n)} ${n === 1 ? 'contact' : 'contacts'}`
}

const BULK_DONE_WORDS: Record<BulkAction, (contacts: string) => string> = {
  sendAgain: (contacts) => `${contacts} will be sent again`,
  markAsSent: (contacts) => `${contacts} marked as sent`,
  retarget: (contacts) => `${contacts} moved to the current organization`,
  discard: (contacts) => `${contacts} discarded`,
  restore: (contacts) => `${contacts} restored`,
}

const changedMeanwhile = (one: boolean): string => `${one ? 'it' : 'they'} had changed meanwhile`
const BULK_SKIPPED_WHY: Record<BulkAction, (one: boolean) => string> = {
  sendAgain: changedMeanwhile,
  markAsSent: changedMeanwhile,
  retarget: (one) => `${changedMeanwhile(one)} or ${one ? 'was' : 'were'} already for the current organization`,
  discard: changedMeanwhile,
  restore: (one) => `${one ? 'it was' : 'they were'} no longer discarded`,
}

/** What a bulk action did, in words: how many were done and how many skipped, and why. */
export function bulkResultWords(
  action: BulkAction,
  done: number,
  skipped: number,
  format: (n: number) => string = String,
): string {
  const skippedWords = `${format(skipped)} skipped because ${BULK_SKIPPED_WHY[action](skipped === 1)}`
  if (done === 0) return skipped > 0 ? `No contacts changed: ${skippedWords}.` : 'No contacts needed this.'
  const doneWords = BULK_DONE_WORDS[action](contactCount(done, format))
  return skipped > 0 ? `${doneWords}; ${skippedWords}.` : `${doneWords}.`
}
