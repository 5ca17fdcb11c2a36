import type { SyncStatus } from '../../shared/outbox-schemas.ts'
import type { ConnectionTestVerdict, SettingsView } from '../../shared/settings.ts'
import { formatWhen } from './outbox-copy.ts'
import { reasonWords } from './sync-words.ts'

export type ConnectionTone = 'ok' | 'idle' | 'warn' | 'danger'

/** Which of the connection's conditions Settings is showing; the words follow from it. */
export type ConnectionCondition =
  | 'keychain_unavailable'
  | 'not_set_up'
  | 'key_refused'
  | 'organization_refused'
  | 'paused'
  | 'blocked'
  | 'offline'
  | 'unreachable'
  | 'waiting'
  | 'never_checked'
  | 'working'

export interface ConnectionSummary {
  condition: ConnectionCondition
  tone: ConnectionTone
  text: string
}

/**
 * The Settings status line: what the saved settings do right now, from the live sync status (the queue's
 * state and what the server last said about the key and organization), never from the settings alone.
 */
export function connectionSummary(view: SettingsView, status: SyncStatus | null, now = new Date()): ConnectionSummary {
  const say = (condition: ConnectionCondition, tone: ConnectionTone, text: string): ConnectionSummary => ({
    condition,
    tone,
    text,
  })
  if (!view.keychain.available) {
    return say('keychain_unavailable', 'warn', 'Contacts cannot be sent until the system keychain is available.')
  }
  if (!view.configured) return say('not_set_up', 'idle', 'Not set up yet: fill in every field, including the API key.')
  const lastWorked = formatWhen(status?.connection.lastSuccessAt, now)
  const since = lastWorked ? ` It last worked at ${lastWorked}.` : ''
  switch (status?.connection.refused) {
    case 'key':
      return say(
        'key_refused',
        'danger',
        'Key refused: the server did not accept this API key ID and API key. Enter the key again and save.',
      )
    case 'organization':
      return say(
        'organization_refused',
        'danger',
        `Organization refused: this API key may not create contacts in organization ${view.profile.organizationId}. Check the Organization ID.`,
      )
  }
  switch (status?.state) {
    case 'paused_auth':
      return say('paused', 'danger', reasonText(status, 'Paused'))
    case 'not_configured':
      return say('blocked', 'warn', reasonText(status, 'Not set up'))
    case 'offline':
      return say(
        'offline',
        'warn',
        `Offline: this computer has no network; contacts wait here and are sent once it is back.${since}`,
      )
    case 'unreachable':
      return say(
        'unreachable',
        'warn',
        `Server unreachable: contacts wait on this computer and are sent once it answers.${since}`,
      )
    case 'waiting': {
      const until = formatWhen(status.until, now)
      return say(
        'waiting',
        'warn',
        `Waiting for the server: it asked the app to slow down${until ? ` until ${until}` : ''}.${since}`,
      )
    }
  }
  if (!lastWorked) {
    return say(
      'never_checked',
      'idle',
      'Never checked: the server has not answered for these settings yet. Test connection asks it.',
    )
  }
  return say('working', 'ok', `Working: the server accepted these settings at ${lastWorked}.`)
}

/** The queue's reason in the status line's own words (sync-words.ts), so Settings and the status bar agree. */
function reasonText(status: SyncStatus, fallback: string): string {
  if (!status.reason) return `${fallback}.`
  const { label, detail } = reasonWords(status.reason)
  return `${label}. ${detail}`
}

/** How a Test connection result looks: the callout's tone. */
export function verdictTone(verdict: ConnectionTestVerdict): 'success' | 'warning' | 'danger' {
  switch (verdict) {
    case 'working':
      return 'success'
    case 'key_refused':
    case 'organization_refused':
      return 'danger'
    default:
      return 'warning'
  }
}
