import type { OutboxItem } from '../../shared/outbox-schemas.ts'
import type { Connection } from './credentials.ts'
import type { OutboxStore } from './outbox/outbox-store-types.ts'

/** What replaces a known key or contact value in free text. */
export const HIDDEN = '[hidden]'

/** Below this, a phrase is matched only as a whole word, so "Al" hides "Al" but not "All". */
const ANYWHERE_MIN_LENGTH = 6
/** Phone numbers are compared as digits; shorter runs are too common (years, counts) to mean a phone. */
const PHONE_MIN_DIGITS = 7
const PAGE_SIZE = 500

const WORD = /[\p{L}\p{N}]+/gu
const DIGIT_RUN = /\+?\d[\d\s().-]{4,}\d/g

/**
 * The key and the contacts' own values, to hide wherever they turn up in free text. redactText's
 * patterns catch the shapes (emails, E.164 numbers, Basic credentials, key=value); this catches a
 * name or a key that has no shape, e.g. "Could not send Ada Lovelace".
 */
export class SensitiveText {
  /** Keys: few, and hidden even inside a longer token. */
  readonly #secrets = new Set<string>()
  /** Contact values by their longest word, so a scrub looks only at phrases whose key word is in the text. */
  readonly #phrases = new Map<string, Set<string>>()
  readonly #words = new Set<string>()
  readonly #phones = new Set<string>()
  /** Every tail of every phone, so a number written without its country code is found in one look-up. */
  readonly #phoneTails = new Set<string>()

  get size(): number {
    return this.#secrets.size + this.#phrases.size + this.#words.size + this.#phones.size
  }

  addSecret(value: string | undefined): void {
    const secret = value?.trim().toLowerCase()
    if (secret) this.#secrets.add(secret)
  }

  addContact(contact: { name?: string | null; email?: string | null; description?: string | null }): void {
    const name = contact.name?.trim()
    if (name) {
      this.#addPhrase(name)
      // First or last name alone, as a whole word.
      for (const word of name.match(WORD) ?? []) {
        // Digits in a name are not a name; hiding them would blank counts and times in the report.
        if (word.length >= 2 && !/^\d+$/.test(word)) this.#words.add(word.toLowerCase())
      }
    }
    this.#addPhrase(contact.email ?? '')
    const description = contact.description ?? ''
    this.#addPhrase(description)
    for (const line of description.split(/\r?\n/)) if (line.trim().length >= 4) this.#addPhrase(line)
  }

  addPhone(number: string | undefined): void {
    if (!number) return
    this.#addPhrase(number)
    const digits = number.replace(/\D/g, '')
    if (digits.length < PHONE_MIN_DIGITS) return
    this.#phones.add(digits)
    for (let start = 0; digits.length - start >= PHONE_MIN_DIGITS; start++) this.#phoneTails.add(digits.slice(start))
  }

  scrub(text: string): string {
    const lower = text.toLowerCase()
    const found = [...this.#secrets].filter((secret) => lower.includes(secret))
    for (const word of new Set(lower.match(WORD) ?? [])) {
      for (const phrase of this.#phrases.get(word) ?? []) if (lower.includes(phrase)) found.push(phrase)
    }
    // Longest first, so an email is hidden whole before a name inside it.
    let result = text
    for (const phrase of found.sort((a, b) => b.length - a.length)) result = hide(result, phrase)
    if (this.#words.size > 0) {
      result = result.replace(WORD, (word) => (this.#words.has(word.toLowerCase()) ? HIDDEN : word))
    }
    if (this.#phones.size > 0) {
      result = result.replace(DIGIT_RUN, (run) => (this.#isPhone(run.replace(/\D/g, '')) ? HIDDEN : run))
    }
    return result
  }

  #addPhrase(value: string): void {
    const phrase = value.trim().toLowerCase()
    // The longest word is the most telling: "surname" narrows far more than "ada" or "at".
    const key = (phrase.match(WORD) ?? []).reduce(
      (longest, word) => (word.length > longest.length ? word : longest),
      '',
    )
    if (!key) return
    const phrases = this.#phrases.get(key) ?? new Set<string>()
    phrases.add(phrase)
    this.#phrases.set(key, phrases)
  }

  /** The same number with or without its country code, trunk zero or international prefix. */
  #isPhone(digits: string): boolean {
    if (digits.length < PHONE_MIN_DIGITS) return false
    if (this.#phoneTails.has(digits.replace(/^0+/, ''))) return true
    for (let start = 1; digits.length - start >= PHONE_MIN_DIGITS; start++) {
      if (this.#phones.has(digits.slice(start))) return true
    }
    return false
  }
}

function hide(text: string, phrase: string): string {
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern =
    phrase.length >= ANYWHERE_MIN_LENGTH ? escaped : String.raw`(?<![\p{L}\p{N}])${escaped}(?![\p{L}\p{N}])`
  return text.replace(new RegExp(pattern, 'giu'), HIDDEN)
}

export interface SensitiveSources {
  /** The stored key and profile; undefined (or a throw) when there is none or the keychain is locked. */
  connection(): Promise<Connection | undefined>
  store: Pick<OutboxStore, 'page'>
  now: () => number
}

/** Everything in the outbox and the keychain that a diagnostics report must not repeat. */
export async function collectSensitiveText(sources: SensitiveSources): Promise<SensitiveText> {
  const sensitive = new SensitiveText()
  try {
    const connection = await sources.connection()
    if (connection) {
      sensitive.addSecret(connection.apiKey)
      sensitive.addSecret(connection.profile.apiKeyId)
      sensitive.addSecret(Buffer.from(`${connection.profile.apiKeyId}:${connection.apiKey}`).toString('base64'))
    }
  } catch {
    // A locked keychain holds no key this process could have logged.
  }
  let before: number | undefined
  do {
    const page = sources.store.page({ filter: 'all', limit: PAGE_SIZE, before }, sources.now())
    for (const item of page.items) addItem(sensitive, item)
    before = page.nextBefore ?? undefined
    // A large outbox takes a while to read: let IPC and timers run between pages.
    if (before !== undefined) await new Promise((resolve) => setImmediate(resolve))
  } while (before !== undefined)
  return sensitive
}

function addItem(sensitive: SensitiveText, item: OutboxItem): void {
  const { draft, contact } = item
  sensitive.addContact({ name: draft.fullName, email: draft.email, description: draft.description })
  for (const phone of draft.phones) sensitive.addPhone(phone.number)
  if (contact) {
    sensitive.addContact({ name: contact.full_name, email: contact.email, description: contact.description })
    for (const phone of contact.contact_phones ?? []) sensitive.addPhone(phone.number)
  }
}
