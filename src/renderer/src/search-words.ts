import { countWords, formatNumber, pick } from './count-words.ts'

/** The Outbox search's words, in one place. */

/** "3 contacts match", "1 contact matches", "More than 100 contacts match", "40 of 250 contacts match". */
export function searchCountText(shown: number, total: number, atLeast: boolean): string {
  if (atLeast) return `More than ${countWords(shown, 'contact')} match`
  const verb = pick(total, { one: 'matches', other: 'match' })
  return shown < total
    ? `${formatNumber(shown)} of ${countWords(total, 'contact')} match`
    : `${countWords(total, 'contact')} ${verb}`
}

/** While a search of common words goes on through older contacts and has found none yet. */
export const SEARCHING_OLDER_TEXT = 'Searching older contacts…'

/** An empty result, in words: what was searched for, and where. */
export function noMatchText(query: string, filterLabel: string | null): string {
  const where = filterLabel === null ? '' : ` in ${filterLabel}`
  return `No contacts${where} match “${query.trim()}”. Check the spelling, try the start of a name or of the number, or clear the search.`
}
