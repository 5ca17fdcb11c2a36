import type { DuplicateKey, DuplicateMatch } from '../../shared/duplicates.ts'
import { formatPhone } from './phone-loader.ts'

/** An earlier contact the form's email or numbers point to, and which of them it shares. */
export interface PossibleDuplicate {
  match: DuplicateMatch
  /** "the same email", "the same number +1 415 555 0132". */
  shared: string[]
}

/** Where the earlier contact stands, in the Outbox's own words. */
export function duplicateStateWords(match: DuplicateMatch): string {
  switch (match.state) {
    case 'sent':
      return match.serverId === null ? 'sent (marked by you)' : `sent #${match.serverId}`
    case 'queued':
    case 'sending':
      return 'waiting to send'
    case 'needs_fix':
      return 'needs a fix'
    case 'unconfirmed':
      return 'not confirmed'
    case 'discarded':
      return 'discarded'
  }
}

/** "Ada Lovelace — sent #1234": the earlier contact and where it stands. */
export function duplicateOf(match: DuplicateMatch): string {
  return `${match.fullName || 'an unnamed contact'} — ${duplicateStateWords(match)}`
}

/** "Possible duplicate of Ada Lovelace — sent #1234". */
export function duplicateLine(match: DuplicateMatch): string {
  return `Possible duplicate of ${duplicateOf(match)}`
}

/** One entry per earlier contact (newest first), however many of the keys it shares. */
export function possibleDuplicates(keys: readonly DuplicateKey[]): PossibleDuplicate[] {
  const byId = new Map<string, PossibleDuplicate>()
  for (const key of keys) {
    const what = key.kind === 'email' ? 'the same email' : `the same number ${formatPhone(key.value)}`
    for (const match of key.matches) {
      const entry = byId.get(match.id) ?? { match, shared: [] }
      entry.shared.push(what)
      byId.set(match.id, entry)
    }
  }
  return [...byId.values()]
}

/** "It has the same email and the same number +1 415 555 0132." */
export function sharedWords(entry: PossibleDuplicate): string {
  const list =
    entry.shared.length <= 1
      ? (entry.shared[0] ?? '')
      : `${entry.shared.slice(0, -1).join(', ')} and ${entry.shared.at(-1)}`
  return `It has ${list}.`
}
