import { itemErrorWords } from '../../shared/item-error-words.ts'
import {
  OUTBOX_ACTION_LABELS,
  actionsFor,
  type OutboxAction,
  type OutboxItem,
  type OutboxState,
  type SyncStatus,
} from '../../shared/outbox.ts'
import { formatPhone } from './phone-loader.ts'

/** Offered only where the item's target is compared with Settings (the detail pane, bulk actions), not on every row. */
const NOT_ON_ROWS: readonly OutboxAction[] = ['retarget']

/**
 * What the user can do with an item in this state (OUTBOX_TRANSITIONS) from its row, in button order.
 * Undo in the snackbar covers a slip; Restore covers the user who noticed later.
 */
export function allowedActions(state: OutboxState): readonly OutboxAction[] {
  return actionsFor(state).filter((action) => !NOT_ON_ROWS.includes(action))
}

/** A button's name. */
export function actionLabel(action: OutboxAction): string {
  return OUTBOX_ACTION_LABELS[action]
}

/** The item's last error in words, or undefined when it has none. */
export function lastErrorWords(item: OutboxItem): string | undefined {
  return item.lastError ? itemErrorWords(item.lastError) : undefined
}

export type Tone = 'ok' | 'pending' | 'warn' | 'danger' | 'muted'

export function stateTone(state: OutboxState): Tone {
  switch (state) {
    case 'sent':
      return 'ok'
    case 'queued':
    case 'sending':
      return 'pending'
    case 'unconfirmed':
      return 'warn'
    case 'needs_fix':
      return 'danger'
    case 'discarded':
      return 'muted'
  }
}

/** The state in words, as the list shows it. */
export function stateWords(item: OutboxItem): string {
  switch (item.state) {
    case 'queued':
      return 'Waiting to send'
    case 'sending':
      return 'Sending…'
    case 'sent':
      return item.contact ? `Sent — #${item.contact.id}` : 'Sent — marked by you'
    case 'needs_fix':
      return 'Needs a fix'
    case 'unconfirmed':
      return 'Not confirmed — may have been created'
    case 'discarded':
      return 'Discarded'
  }
}

/** The name as typed, or a stand-in for a draft saved without one. */
export function itemName(item: OutboxItem): string {
  return item.draft.fullName.trim() || 'Unnamed contact'
}

/** "ada@example.com · +1 415 555 0132 and 2 more", from the server's contact once sent. */
export function itemSummary(item: OutboxItem): string {
  const email = (item.contact?.email ?? item.draft.email).trim()
  const phones =
    item.contact?.contact_phones?.map((p) => formatPhone(p.number)) ??
    item.draft.phones.map((p) => p.number.trim()).filter(Boolean)
  const parts: string[] = []
  if (email) parts.push(email)
  if (phones.length > 0) parts.push(phones.length > 1 ? `${phones[0]} and ${phones.length - 1} more` : phones[0]!)
  return parts.join(' · ') || 'No email or phone'
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' })
const dateAndTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
})

/** A time of day for today, a date and time otherwise; '' for a missing or unreadable time. */
export function formatWhen(iso: string | null | undefined, now = new Date()): string {
  if (!iso) return ''
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateAndTime.format(date)
}

/** "3 attempts · next try 14:05": only what is relevant to the state. */
export function attemptWords(item: OutboxItem, now = new Date()): string {
  const parts: string[] = []
  if (item.attempts > 0 && item.state !== 'sent') {
    parts.push(item.attempts === 1 ? '1 attempt' : `${item.attempts} attempts`)
  }
  if (item.state === 'queued' && item.nextAttemptAt && new Date(item.nextAttemptAt).getTime() > now.getTime()) {
    parts.push(`next try ${formatWhen(item.nextAttemptAt, now)}`)
  }
  return parts.join(' · ')
}

export type SavedNotice = {
  tone: Tone
  title: string
  body: string
  /** Offer to edit it right here (needs_fix). */
  canEdit: boolean
  /** Point the user to the Outbox (needs_fix, unconfirmed). */
  opensOutbox: boolean
}

/**
 * What the form says about the contact it just saved, following the item (and the queue) until
 * it is sent or needs the user.
 */
export function savedNotice(item: OutboxItem, sync: SyncStatus | null, now = new Date()): SavedNotice {
  const name = itemName(item)
  const notice = (tone: Tone, title: string, body: string, extra: Partial<SavedNotice> = {}): SavedNotice => ({
    tone,
    title,
    body,
    canEdit: false,
    opensOutbox: false,
    ...extra,
  })
  switch (item.state) {
    case 'sent':
      return notice('ok', item.contact ? `Created #${item.contact.id}` : 'Marked as sent', name)
    case 'needs_fix':
      return notice(
        'danger',
        'Needs a fix — open it in the Outbox',
        lastErrorWords(item) ?? `${name} was not accepted.`,
        {
          canEdit: true,
          opensOutbox: true,
        },
      )
    case 'unconfirmed':
      return notice(
        'warn',
        'Not confirmed — it may have been created',
        `${lastErrorWords(item) ?? 'The server did not confirm it.'} Check it in the Outbox before sending it again.`,
        { opensOutbox: true },
      )
    case 'discarded':
      return notice('muted', 'Discarded', `${name} will not be sent.`)
    case 'sending':
      return notice('pending', 'Saved — sending…', `${name} is saved on this computer.`)
    case 'queued':
      return queuedNotice(item, sync, name, now, notice)
  }
}

function queuedNotice(
  item: OutboxItem,
  sync: SyncStatus | null,
  name: string,
  now: Date,
  notice: (tone: Tone, title: string, body: string) => SavedNotice,
): SavedNotice {
  const kept = `${name} is saved on this computer and nothing is lost if the app closes.`
  switch (sync?.state) {
    case 'offline':
      return notice('warn', 'Saved — it will be sent when the connection is back', kept)
    case 'paused_auth':
      return notice('warn', 'Saved — it will be sent once the API key is accepted', `${kept} ${sync.message}`)
    case 'not_configured':
      return notice('warn', 'Saved — it will be sent once the connection is set up in Settings', kept)
    case 'waiting': {
      const until = formatWhen(sync.until, now)
      return notice('warn', until ? `Saved — the server asked to wait until ${until}` : 'Saved — waiting', kept)
    }
  }
  if (item.attempts > 0) {
    const next = formatWhen(item.nextAttemptAt, now)
    const title = next ? `Saved — will try again at ${next}` : 'Saved — will try again soon'
    const lastError = lastErrorWords(item)
    return notice('warn', title, lastError ? `${lastError} ${kept}` : kept)
  }
  return notice('pending', 'Saved — sending…', `${name} is saved on this computer.`)
}
