// Data folders with a year's worth of history in them, for the history-size axis. Seeding is set-up,
// not measured: rows go in directly, in big transactions, and each size is seeded once per run and
// copied for every bench that uses it. The rows are what the app writes (realistic drafts, the wire
// body main derives, the server's contact for sent ones), in a real history's mix of states.
import { randomUUID } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { OUTBOX_FILE_NAME } from '../src/main/core/app-core.ts'
import { backfillTerms } from '../src/main/core/outbox/outbox-terms.ts'
import { openOutboxStore } from '../src/main/core/outbox/sqlite-outbox-store.ts'
import type { OutboxState } from '../src/shared/outbox.ts'
import { createdContact, realisticContact } from './realistic-contacts.ts'

/** Where the history was sent; the benches' own saves go to the sandbox instead. */
export const HISTORY_TARGET = { baseUrl: 'https://api.cloverhound.example', organizationId: 4242 }
const PROFILE_ID = 'default'
const DAY_MS = 24 * 60 * 60 * 1000
/** Inside the default 30-day history window, so start-up pruning keeps every seeded row. */
const SPAN_MS = 29 * DAY_MS
const BATCH_ROWS = 50_000
const POOL_SIZE = 1_000
const FLAG_AFTER_MS = 7 * DAY_MS

/** Out of every 200 items: mostly sent; a few discarded, waiting for a fix, or not confirmed. No queued ones. */
const MIX: readonly [OutboxState, number][] = [
  ['sent', 190],
  ['discarded', 6],
  ['needs_fix', 3],
  ['unconfirmed', 1],
]
const MIX_PERIOD = MIX.reduce((sum, [, n]) => sum + n, 0)

function stateOf(i: number): OutboxState {
  let slot = i % MIX_PERIOD
  for (const [state, n] of MIX) {
    if (slot < n) return state
    slot -= n
  }
  return 'sent'
}

/** How many of each state `size` seeded items hold. */
export function historyCounts(size: number): Partial<Record<OutboxState, number>> {
  const counts: Partial<Record<OutboxState, number>> = {}
  for (let i = 0; i < size; i++) {
    const state = stateOf(i)
    counts[state] = (counts[state] ?? 0) + 1
  }
  return counts
}

export interface HistoryFolders {
  /** A new data folder holding `size` history items (0: an empty folder). */
  folder(size: number): string
  /** Seconds spent seeding each size so far. */
  readonly seedSeconds: Record<number, number>
}

/** Seeds each size at most once under `work`; every folder handed out is a fresh copy. */
export function historyFolders(work: string): HistoryFolders {
  const templates = new Map<number, string>()
  const seedSeconds: Record<number, number> = {}
  return {
    seedSeconds,
    folder(size) {
      const dataDir = mkdtempSync(join(work, `data-${size}-`))
      if (size === 0) return dataDir
      let template = templates.get(size)
      if (!template) {
        template = join(work, `template-${size}`)
        const start = performance.now()
        seedHistory(template, size)
        settleOnDisk(join(template, OUTBOX_FILE_NAME))
        seedSeconds[size] = Math.round((performance.now() - start) / 100) / 10
        templates.set(size, template)
      }
      copyFileSync(join(template, OUTBOX_FILE_NAME), join(dataDir, OUTBOX_FILE_NAME))
      settleOnDisk(join(dataDir, OUTBOX_FILE_NAME))
      return dataDir
    },
  }
}

/**
 * Waits until the file is on disk. A user's year-old outbox is not being written: a seed or copy of
 * gigabytes otherwise goes on being written back while the bench measures, and each of the app's
 * fsyncs waits behind it (saves of 100–270 ms at 1M items, none over 40 ms once it has settled).
 */
function settleOnDisk(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Writes `size` history items into a new outbox file in `dataDir`, then checks the store counts them all. */
export function seedHistory(dataDir: string, size: number): void {
  mkdirSync(dataDir, { recursive: true })
  const path = join(dataDir, OUTBOX_FILE_NAME)
  if (existsSync(path)) throw new Error(`Seeding needs a new data folder; ${OUTBOX_FILE_NAME} is already there.`)
  // The app makes the schema (its own migrations), so the seed follows it as it changes.
  openOutboxStore({ path, flagAfterMs: FLAG_AFTER_MS }).close()

  const pool = Array.from({ length: POOL_SIZE }, (_, i) => {
    const { draft, request } = realisticContact(i)
    return { request, draftJson: JSON.stringify(draft), requestJson: JSON.stringify(request) }
  })
  const db = new DatabaseSync(path)
  // Set-up speed only: the app sets its own journal and durability again when it opens the file.
  db.exec('PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000')
  const insert = db.prepare(
    `INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url, target_organization_id, state,
       discarded_from, draft_json, request_json, attempts, next_attempt_at, last_error, field_errors_json,
       contact_json, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  )
  const start = Date.now() - SPAN_MS
  try {
    for (let from = 0; from < size; from += BATCH_ROWS) {
      db.exec('BEGIN')
      for (let i = from; i < Math.min(size, from + BATCH_ROWS); i++) {
        const contact = pool[i % POOL_SIZE]!
        const createdAt = start + Math.floor((i * SPAN_MS) / size)
        const updatedAt = createdAt + 2_000
        const row = rowFor(stateOf(i), i, contact.request, new Date(updatedAt).toISOString())
        insert.run(
          randomUUID(),
          randomUUID(),
          PROFILE_ID,
          HISTORY_TARGET.baseUrl,
          HISTORY_TARGET.organizationId,
          row.state,
          row.discardedFrom,
          contact.draftJson,
          contact.requestJson,
          row.attempts,
          row.lastError,
          row.fieldErrors,
          row.contact,
          createdAt,
          updatedAt,
        )
      }
      db.exec('COMMIT')
    }
    // Rows written past the store have no search terms yet: the migration's backfill gives them theirs.
    db.exec('BEGIN')
    backfillTerms(db)
    db.exec('COMMIT')
  } finally {
    db.close()
  }
  checkCounts(path, size)
}

interface SeedRow {
  state: OutboxState
  discardedFrom: OutboxState | null
  attempts: number
  lastError: string | null
  fieldErrors: string | null
  contact: string | null
}

function rowFor(state: OutboxState, i: number, request: Parameters<typeof createdContact>[0], at: string): SeedRow {
  const none = { discardedFrom: null, lastError: null, fieldErrors: null, contact: null }
  switch (state) {
    case 'sent':
      return {
        ...none,
        state,
        attempts: 1 + (i % 7 === 0 ? 1 : 0),
        contact: JSON.stringify(createdContact(request, i + 1, HISTORY_TARGET.organizationId, at)),
      }
    case 'needs_fix':
      return {
        ...none,
        state,
        attempts: 1,
        lastError: 'Cloverhound did not accept this contact. Fix the fields marked below, then save it again.',
        fieldErrors: JSON.stringify({ phones: [['is invalid']], general: ['Phone number is invalid'] }),
      }
    case 'unconfirmed':
      return {
        ...none,
        state,
        attempts: 1,
        lastError:
          'The server answered 502 after the contact was sent, so it may have been created. Check, then send it again or mark it as sent.',
      }
    default:
      return { ...none, state: 'discarded', discardedFrom: i % 2 ? 'needs_fix' : 'unconfirmed', attempts: 1 }
  }
}

/** Seeding writes past the store: if the store keeps anything beside the rows, it must still see every one. */
function checkCounts(path: string, size: number): void {
  const store = openOutboxStore({ path, flagAfterMs: FLAG_AFTER_MS })
  try {
    const seen = store.counts(Date.now())
    const expected = historyCounts(size)
    const wrong = Object.entries(expected).filter(([state, n]) => seen[state as OutboxState] !== n)
    if (wrong.length > 0) {
      throw new Error(
        `The seeded history does not count as written (expected ${JSON.stringify(expected)}, the store sees ${JSON.stringify(seen)}): ` +
          'the store now keeps state beside the rows, so seed through it.',
      )
    }
  } finally {
    store.close()
  }
}
