import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { E164_PATTERN } from '../../../shared/e164.ts'
import { isRecord, parseJson } from '../../../shared/json.ts'
import { itemTerms, type TermSource } from '../../../shared/search-terms.ts'
import { prepareAll } from './outbox-sql.ts'

/** Writing an item's terms (schema 5): always inside the transaction that writes the item. */
export const TERM_SQL = {
  termsOf: 'SELECT term FROM outbox_terms WHERE seq = :seq',
  deleteTerm: 'DELETE FROM outbox_terms WHERE term = :term AND seq = :seq',
  insertTerm: 'INSERT OR IGNORE INTO outbox_terms (term, seq) VALUES (:term, :seq)',
} as const

export type TermStatements = Record<keyof typeof TERM_SQL, StatementSync>

/** The columns terms come from (seq, request_json, draft_json, contact_json), as read or as just written. */
export type ItemRow = Readonly<Record<string, unknown>>

/**
 * Makes the item's terms those of its row as it is now (its wire body, or its draft, and the server's
 * contact). Only the difference is written: a send or an edit changes a few terms of dozens, and each
 * deleted one is zeroed on disk (secure_delete).
 */
export function writeTerms(statements: TermStatements, row: ItemRow, fresh = false): void {
  const seq = Number(row.seq)
  const wanted = new Set(itemTerms(termSourceOf(row)))
  // A row just inserted has no terms yet (seq is never reused: AUTOINCREMENT), so there is nothing to read.
  if (!fresh) {
    for (const stored of statements.termsOf.all({ seq })) {
      const term = String(stored.term)
      if (!wanted.delete(term)) statements.deleteTerm.run({ term, seq })
    }
  }
  for (const term of wanted) statements.insertTerm.run({ term, seq })
}

/** Migration 5: the terms of every item already in the file (the table was created empty in the same step). */
export function backfillTerms(db: DatabaseSync): void {
  const statements = prepareAll(db, TERM_SQL)
  const rows = db.prepare('SELECT seq, request_json, draft_json, contact_json FROM outbox_items ORDER BY seq')
  for (const row of rows.iterate()) writeTerms(statements, row, true)
}

/**
 * What a row is found by. The wire body is what was (or will be) sent, already trimmed and in E.164;
 * a row whose body does not read falls back to the draft's text. Hand-written reading rather than the
 * schemas: it runs for every row of a large file in the migration, and a bad row must not stop it.
 */
function termSourceOf(row: ItemRow): TermSource {
  const request = jsonRecord(row.request_json)
  const draft = jsonRecord(row.draft_json)
  const contact = jsonRecord(row.contact_json)
  const fromRequest = typeof request.full_name === 'string' && request.full_name.trim() !== ''
  const phones = new Set<string>([
    ...numbersOf(request.contact_phones_attributes),
    ...numbersOf(contact.contact_phones),
  ])
  return {
    fullName: textOf(fromRequest ? request.full_name : draft.fullName),
    email: textOf(fromRequest ? request.email : draft.email),
    description: textOf(fromRequest ? request.description : draft.description),
    phones: [...phones],
    serverId: typeof contact.id === 'number' && Number.isSafeInteger(contact.id) ? contact.id : null,
  }
}

function jsonRecord(value: unknown): Record<string, unknown> {
  const json = typeof value === 'string' ? parseJson(value) : undefined
  return isRecord(json) ? json : {}
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function numbersOf(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value
    .map((phone: unknown) => (isRecord(phone) ? phone.number : undefined))
    .filter((number): number is string => typeof number === 'string' && E164_PATTERN.test(number))
}
