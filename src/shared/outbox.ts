import type { AppError } from './app-error.ts'
import type { ContactFieldErrors } from './contact.ts'

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

/** Where an item goes: fixed when it is saved, so a later change of Settings cannot redirect it silently. */
export interface OutboxTarget {
  baseUrl: string
  organizationId: number
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

/**
 * The queue as a whole, per connection profile: `offline` when the platform says there is no
 * network, `unreachable` when there is one but the API cannot be reached (refused, DNS, timeout),
 * `waiting` when the server asked to wait (429/503 with Retry-After).
 */
export const queueStates = ['running', 'offline', 'unreachable', 'paused_auth', 'waiting', 'not_configured'] as const
export type QueueState = (typeof queueStates)[number]

/** Ids per `getOutboxItems` call: the loaded rows a burst changed, plus as many it may have to place. */
export const ITEMS_READ_MAX = 200

/** How an attempt ended: the sync worker's decision, or the app stopping mid-request (found at start-up). */
export const attemptOutcomes = ['sent', 'retry', 'pause_auth', 'needs_fix', 'unconfirmed', 'interrupted'] as const
export type AttemptOutcome = (typeof attemptOutcomes)[number]

/** Attempts kept per item are unbounded (no attempt limit); the newest this many cross the bridge. */
export const ATTEMPTS_SHOWN_MAX = 200

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
