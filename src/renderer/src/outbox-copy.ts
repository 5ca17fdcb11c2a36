import { itemErrorWords } from '../../shared/item-error-words.ts'
import {
  OUTBOX_ACTION_LABELS,
  actionsFor,
  contactCount,
  targetHost,
  type AttemptOutcome,
  type BulkAction,
  type OutboxAction,
  type OutboxState,
} from '../../shared/outbox.ts'
import type { OutboxItem, SyncStatus } from '../../shared/outbox-schemas.ts'
import type { OutboxTarget } from '../../shared/outbox.ts'
import { countWords, formatNumber } from './count-words.ts'
import { formatPhone, formatTypedPhone, phoneKit } from './phone-loader.ts'

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
    item.draft.phones
      .filter((p) => p.number.trim())
      .map((p) => formatTypedPhone(p.number, p.country ?? item.draft.country))
  const parts: string[] = []
  if (email) parts.push(email)
  if (phones.length > 0) parts.push(phones.length > 1 ? `${phones[0]} and ${phones.length - 1} more` : phones[0]!)
  return parts.join(' · ') || 'No email or phone'
}

/**
 * Makes the app's one time format: the time of day for today, the date and time on another day
 * (with the year when it is another year). `locale` and `timeZone` default to the user's; tests fix them.
 */
export function whenFormatter(
  locale?: string,
  timeZone?: string,
): (iso: string | null | undefined, now?: Date) => string {
  // Made on the first time shown: Chromium loads its date data then, and the first paint shows no time.
  const makeFormats = () => ({
    time: new Intl.DateTimeFormat(locale, { timeZone, hour: 'numeric', minute: '2-digit' }),
    dateAndTime: new Intl.DateTimeFormat(locale, {
      timeZone,
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
    }),
    full: new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }),
    day: new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  })
  let formats: ReturnType<typeof makeFormats> | undefined
  return (iso, now = new Date()) => {
    if (!iso) return ''
    const date = new Date(iso)
    if (Number.isNaN(date.getTime())) return ''
    const { time, dateAndTime, full, day } = (formats ??= makeFormats())
    const [at, today] = [day.format(date), day.format(now)]
    if (at === today) return time.format(date)
    return at.slice(0, 4) === today.slice(0, 4) ? dateAndTime.format(date) : full.format(date)
  }
}

/** A time as the app shows it everywhere, in the user's locale and time zone; '' for a missing or unreadable time. */
export const formatWhen = whenFormatter()

/** "3 attempts · next try 14:05": only what is relevant to the state. */
export function attemptWords(item: OutboxItem, now = new Date()): string {
  const parts: string[] = []
  if (item.attempts > 0 && item.state !== 'sent') {
    parts.push(countWords(item.attempts, 'attempt'))
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
  // Why the queue waits is the connection status's to tell; the title only says what it means for this contact.
  switch (sync?.state) {
    case 'offline':
      return notice('warn', 'Saved — it will be sent when the connection is back', kept)
    case 'unreachable':
      return notice('warn', 'Saved — it will be sent when the server can be reached', kept)
    case 'paused_auth':
      return notice('warn', 'Saved — it will be sent once the API key is accepted', kept)
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

/**
 * Every phone of an item in international format: the server's numbers once sent, else each typed
 * number read with the draft's country (as typed when it does not read, or before the phone module is in).
 */
export function itemPhones(item: OutboxItem): string[] {
  const sent = item.contact?.contact_phones
  if (sent) return sent.map((phone) => formatPhone(phone.number))
  const kit = phoneKit()
  const country = kit && item.draft.country && kit.isCountryCode(item.draft.country) ? item.draft.country : undefined
  return item.draft.phones
    .map((phone) => phone.number.trim())
    .filter(Boolean)
    .map((number) => {
      const read = kit?.normalizePhone(number, country)
      return read?.ok ? kit!.formatPhone(read.e164) : number
    })
}

/** "organization 42 at cloud.cloverhound.com". */
export function targetWords(target: OutboxTarget): string {
  return `organization ${target.organizationId} at ${targetHost(target)}`
}

/** How an attempt ended, in the list's words. */
export const ATTEMPT_OUTCOME_WORDS: Record<AttemptOutcome, string> = {
  sent: 'Created',
  retry: 'Failed — tried again later',
  pause_auth: 'Refused credentials — waiting for Settings',
  needs_fix: 'Refused — needs a fix',
  unconfirmed: 'Not confirmed — may have been created',
  interrupted: 'Cut off — the app stopped',
}

/** What a confirmation dialog asks. */
export interface Confirmation {
  title: string
  body: string
  confirmLabel: string
  /** The action removes or claims something: its button says so. */
  danger?: boolean
}

export function sendAgainConfirmation(item: OutboxItem): Confirmation {
  return {
    title: 'Send again?',
    body: `The server may already have created “${itemName(item)}”: the last attempt was cut off after it was sent. Sending again can create a duplicate. Check the organization first if you can.`,
    confirmLabel: 'Yes, send again',
  }
}

/** Mark as sent is a claim that the server has the contact: asked first. */
export function markAsSentConfirmation(item: OutboxItem): Confirmation {
  return {
    title: 'Mark as sent?',
    body: `Only if you have checked that “${itemName(item)}” is in Cloverhound: the app will not send it again. You can undo this right after.`,
    confirmLabel: 'Yes, mark as sent',
  }
}

/** "Send 40 contacts again?": the question names the count, the body what follows. */
export function bulkConfirmation(action: BulkAction, count: number, current: OutboxTarget | null): Confirmation {
  const contacts = contactCount(count, formatNumber)
  const them = count === 1 ? 'it' : 'them'
  switch (action) {
    case 'sendAgain':
      return {
        title: `Send ${contacts} again?`,
        body: `The server may already have created ${them}: the last attempts were cut off after sending. Sending again can create duplicates. Check the organization first if you can.`,
        confirmLabel: 'Yes, send again',
      }
    case 'markAsSent':
      return {
        title: `Mark ${contacts} as sent?`,
        body: `Only if Cloverhound has ${them}: ${count === 1 ? 'it is' : 'they are'} then never sent again.`,
        confirmLabel: 'Yes, mark as sent',
        danger: true,
      }
    case 'retarget':
      return {
        title: `Move ${contacts} to the current organization?`,
        body: `${count === 1 ? 'It was' : 'They were'} saved for another Base URL or organization and will be sent to ${current ? targetWords(current) : 'the connection in Settings'} instead.`,
        confirmLabel: 'Yes, move',
      }
    case 'discard':
      return {
        title: `Discard ${contacts}?`,
        body: `${count === 1 ? 'It is' : 'They are'} not sent. You can undo this right after, or restore ${them} later from Discarded.`,
        confirmLabel: 'Yes, discard',
        danger: true,
      }
    case 'restore':
      return {
        title: `Restore ${contacts}?`,
        body: `${count === 1 ? 'It goes' : 'They go'} back to where ${count === 1 ? 'it was' : 'they were'} before being discarded.`,
        confirmLabel: 'Yes, restore',
      }
  }
}
