import { parsePhoneNumberFromString } from 'libphonenumber-js'

/**
 * What an outbox item is found by, as rows of outbox_terms (schema 5). Two kinds of term share the
 * table and cannot collide: search words (letters and digits only, matched by prefix) and duplicate
 * keys (`@` + the email in lower case, `+…` an E.164 number, matched exactly).
 */

/** A word longer than this is kept (and matched) by its first this-many characters. */
const WORD_MAX = 64
/** Words a query is made of beyond this are ignored: the first ones already narrow it down. */
export const QUERY_TOKENS_MAX = 6
/** A query made only of these (and at least one digit) is one phone number, however it is spaced. */
const NUMBER_ONLY = /^[\d\s()+\-./#]+$/u

export interface TermSource {
  fullName: string
  email?: string | null
  description?: string | null
  /** E.164 numbers. */
  phones: readonly string[]
  /** The server's contact id, once sent. */
  serverId?: number | null
}

/** The key an email is looked up by for duplicates (emails are compared without regard to case). */
export function emailKey(email: string): string {
  return `@${email.trim().toLowerCase()}`
}

/** The key an E.164 number is looked up by for duplicates. */
export function phoneKey(e164: string): string {
  return e164.trim()
}

/** Every term of an item, without repeats. */
export function itemTerms(source: TermSource): string[] {
  const terms = new Set<string>()
  const addWords = (text: string | null | undefined): void => {
    for (const word of words(text ?? '')) terms.add(word)
  }
  addWords(source.fullName)
  addWords(source.email)
  addWords(source.description)
  if (source.email?.trim()) terms.add(emailKey(source.email))
  for (const e164 of source.phones) {
    terms.add(phoneKey(e164))
    for (const digits of phoneDigitForms(e164)) terms.add(digits)
  }
  if (typeof source.serverId === 'number') terms.add(String(source.serverId))
  return [...terms]
}

/**
 * The words a query asks for, each to be matched as the start of some term of an item. A query that
 * is only a number ("415 555 0132", "+1 (415) 555-0132") is its digits; so is a run of numbers
 * among words ("ada 415 555").
 */
export function queryTokens(query: string): string[] {
  const tokens: string[] = []
  let digits = ''
  const endNumber = (): void => {
    if (digits) tokens.push(digits)
    digits = ''
  }
  for (const chunk of query.split(/\s+/u).filter(Boolean)) {
    if (NUMBER_ONLY.test(chunk) && /\d/u.test(chunk)) {
      digits += chunk.replace(/\D/gu, '')
      continue
    }
    endNumber()
    tokens.push(...words(chunk))
  }
  endNumber()
  return [...new Set(tokens.map((token) => token.slice(0, WORD_MAX)))].slice(0, QUERY_TOKENS_MAX)
}

/** The bounds of the terms that start with `token`: term >= low AND term < high. */
export function prefixRange(token: string): { low: string; high: string } {
  // U+10FFFF is the largest code point, and in UTF-8 the largest lead bytes: nothing that starts with token sorts above.
  return { low: token, high: `${token}\u{10FFFF}` }
}

/** Lower case, accents off, split on anything that is not a letter or a digit. */
function words(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).map((word) => word.slice(0, WORD_MAX))
}

/**
 * The digits a person may type for a number: international without the +, the national number,
 * and the national format with its trunk prefix (020 7946 0958 in the UK).
 */
function phoneDigitForms(e164: string): string[] {
  const forms = [e164.replace(/\D/gu, '')]
  const parsed = parsePhoneNumberFromString(e164)
  if (parsed) {
    forms.push(String(parsed.nationalNumber))
    forms.push(parsed.formatNational().replace(/\D/gu, ''))
  }
  return forms.filter((form) => form.length > 0)
}
