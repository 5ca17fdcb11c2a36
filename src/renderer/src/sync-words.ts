import type { SyncStatus } from '../../shared/outbox-schemas.ts'
import type { QueueReason, QueueReasonCode, QueueReasonParams } from '../../shared/queue-reason.ts'
import { countWords, pick } from './count-words.ts'
import { formatWhen } from './outbox-copy.ts'

export type StatusTone = 'ok' | 'warn' | 'danger' | 'idle'

/** The queue's status in words: a short label, one sentence of detail, and what waits for the user. */
export interface StatusWords {
  tone: StatusTone
  label: string
  detail: string
  notes: string[]
}

/**
 * Each reason the queue stops, told in one place: the label the status line shows and the sentence
 * under it. The keychain's own fix is told by Settings, so here it only points there.
 */
const REASON_WORDS: { [C in QueueReasonCode]: (params: QueueReasonParams<C>) => { label: string; detail: string } } = {
  no_connection: () => ({ label: 'Not set up', detail: 'Add the connection in Settings to send contacts.' }),
  no_api_key: ({ host }) => ({ label: 'Waiting for the API key', detail: `Add the API key for ${host} in Settings.` }),
  keychain_unavailable: () => ({
    label: 'Keychain unavailable',
    detail: 'The API key cannot be read until the system keychain is back. Settings says how to fix it.',
  }),
  settings_unreadable: () => ({
    label: 'Settings unreadable',
    detail: 'The app could not read its connection settings. Open Settings and save them again.',
  }),
  key_refused: () => ({ label: 'Paused', detail: 'The API key was not accepted (401). Fix it in Settings.' }),
  organization_refused: ({ organizationId }) => ({
    label: 'Paused',
    detail: `This API key may not create contacts in organization ${organizationId} (403). Fix it in Settings.`,
  }),
  no_key_for_server: ({ host }) => ({
    label: 'Paused',
    detail: `No API key was entered for ${host}. Enter it in Settings.`,
  }),
}

export function reasonWords(reason: QueueReason): { label: string; detail: string } {
  const words = REASON_WORDS[reason.code] as (params: QueueReason['params']) => { label: string; detail: string }
  return words(reason.params)
}

/** "3 waiting to send · 2 need you · 1 overdue": the counts, split the same way everywhere. */
export function countSummary(status: SyncStatus): string {
  const parts = [countWords(status.toSend, 'toSend')]
  if (status.needsYou > 0) parts.push(countWords(status.needsYou, 'needsYou'))
  if (status.overdue > 0) parts.push(countWords(status.overdue, 'overdue'))
  return parts.join(' · ')
}

/** Whether **Send now** has something to do: queued items for this connection, and nothing that stops them. */
export function canSendNow(status: SyncStatus | null): boolean {
  if (!status || status.sendable === 0) return false
  return status.state === 'running' || status.state === 'offline' || status.state === 'unreachable'
}

export function statusWords(status: SyncStatus, now = new Date()): StatusWords {
  return { ...headline(status, now), notes: footnotes(status) }
}

function headline(status: SyncStatus, now: Date): Omit<StatusWords, 'notes'> {
  const { sendable } = status
  const willSend = (when: string): string =>
    sendable > 0 ? `${countWords(sendable, 'contact')} will be sent ${when}.` : `New contacts will be sent ${when}.`
  switch (status.state) {
    case 'not_configured':
    case 'paused_auth': {
      const words = status.reason ? reasonWords(status.reason) : { label: 'Paused', detail: '' }
      const tone = status.state === 'paused_auth' ? 'danger' : 'warn'
      const waiting =
        sendable > 0
          ? ` ${countWords(sendable, 'contact')} ${pick(sendable, { one: 'is', other: 'are' })} waiting.`
          : ''
      return { tone, label: words.label, detail: `${words.detail}${waiting}` }
    }
    case 'waiting': {
      const until = formatWhen(status.until, now)
      return {
        tone: 'warn',
        label: 'Waiting for the server',
        detail: until ? `The server asked the app to wait until ${until}.` : 'The server asked the app to wait.',
      }
    }
    case 'offline':
      return { tone: 'warn', label: 'Offline', detail: `No network. ${willSend('when the connection is back')}` }
    case 'unreachable': {
      const server = status.host ?? 'the server'
      return {
        tone: 'warn',
        label: 'Server unreachable',
        detail: `Could not reach ${server}. ${willSend('when it answers again')}`,
      }
    }
    case 'running':
      return { tone: 'ok', label: 'Online', detail: runningDetail(status, now) }
  }
}

function runningDetail(status: SyncStatus, now: Date): string {
  const sending = status.counts.sending
  if (sending > 0) return `Sending ${countWords(sending, 'contact')}…`
  if (status.sendable > 0) {
    const next = formatWhen(status.nextAttemptAt, now)
    const waiting = countWords(status.sendable, 'toSend')
    return next ? `${waiting}; the next try is at ${next}.` : `${waiting}.`
  }
  // "Everything is sent" would be untrue while items wait for the user.
  return status.needsYou + status.held > 0 ? 'Nothing to send right now.' : 'Everything is sent.'
}

function footnotes(status: SyncStatus): string[] {
  const notes: string[] = []
  const { needs_fix: needsFix, unconfirmed } = status.counts
  if (status.needsYou > 0) {
    const parts: string[] = []
    if (needsFix > 0) parts.push(countWords(needsFix, 'needsFix'))
    if (unconfirmed > 0) parts.push(countWords(unconfirmed, 'notConfirmed'))
    notes.push(`${countWords(status.needsYou, 'needsYou')}: ${parts.join(', ')}.`)
  }
  const { held } = status
  if (held > 0) {
    const them = pick(held, { one: 'it', other: 'them' })
    notes.push(
      `${countWords(held, 'contact')} ${pick(held, { one: 'was', other: 'were' })} saved for another connection — edit ${them} to send with the current settings.`,
    )
  }
  if (status.overdue > 0) {
    notes.push(
      `${countWords(status.overdue, 'contact')} ${pick(status.overdue, { one: 'has', other: 'have' })} been waiting a long time.`,
    )
  }
  return notes
}
