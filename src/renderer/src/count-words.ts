/**
 * Counted words, one grammar for the whole app: the number in the user's locale, the words (English)
 * chosen by the plural rule for that number.
 */
const NOUNS = {
  contact: { one: 'contact', other: 'contacts' },
  toSend: { one: 'waiting to send', other: 'waiting to send' },
  needsYou: { one: 'needs you', other: 'need you' },
  needsFix: { one: 'needs a fix', other: 'need a fix' },
  notConfirmed: { one: 'not confirmed', other: 'not confirmed' },
  overdue: { one: 'overdue', other: 'overdue' },
  attempt: { one: 'attempt', other: 'attempts' },
} as const satisfies Record<string, Record<'one' | 'other', string>>
export type CountNoun = keyof typeof NOUNS

// The words are English, so English decides between "one" and "other"; digits follow the user's locale.
const plural = new Intl.PluralRules('en')
/** Made on first use: Chromium loads its number data then (~20 ms), not while the modules load. */
let numbers: Intl.NumberFormat | undefined

/** A number as the app shows it everywhere: "2,000" in the user's locale. */
export function formatNumber(n: number): string {
  return (numbers ??= new Intl.NumberFormat()).format(n)
}

/** "1 contact", "2 contacts", "1 needs you", "3 need you". */
export function countWords(n: number, noun: CountNoun): string {
  return `${formatNumber(n)} ${nounFor(n, noun)}`
}

/** The words after the number alone, for a badge that shows the number by itself. */
export function nounFor(n: number, noun: CountNoun): string {
  return pick(n, NOUNS[noun])
}

/** The one or the other form for n, for a verb or pronoun beside a counted noun: "it"/"them", "was"/"were". */
export function pick<T>(n: number, forms: { one: T; other: T }): T {
  return plural.select(n) === 'one' ? forms.one : forms.other
}
