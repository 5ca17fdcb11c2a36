/**
 * The outbox file itself: pragmas in force, files that must be refused and left byte for byte as they
 * were, SQLite failures as typed errors, rows whose JSON no longer reads, and hostile content.
 */
import { readdirSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/main/core/outbox/migrations.ts'
import { BUSY_TIMEOUT_MS, openOutboxDatabase } from '../../src/main/core/outbox/open-outbox-database.ts'
import { OutboxStorageError, operationFailure } from '../../src/main/core/outbox/outbox-errors.ts'
import { OutboxUnavailableError, openOutboxStore } from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import {
  T0,
  TARGET,
  corruptLeaves,
  freshStore,
  itemIn,
  newItem,
  openStore,
  sha256,
  tempFolder,
} from './support/outbox-store-fixtures.ts'

function expectRefused(path: string, problem: string): void {
  const hash = sha256(path)
  const size = statSync(path).size
  let caught: unknown
  try {
    openOutboxStore({ path, flagAfterMs: 1 }).close()
  } catch (error) {
    caught = error
  }
  expect(caught).toBeInstanceOf(OutboxUnavailableError)
  const error = caught as OutboxUnavailableError
  expect(error.problem).toBe(problem)
  expect(error.message).toContain(path)
  expect(error.message).toContain('left untouched')
  expect(sha256(path)).toBe(hash)
  expect(statSync(path).size).toBe(size)
  // Nothing moved, renamed or left beside it; only the app's own note of an earlier clean close may go.
  const ownNote = (file: string): boolean => file === 'outbox.sqlite-clean-close'
  expect(readdirSync(dirname(path)).filter((file) => !ownNote(file))).toEqual(['outbox.sqlite'])
}

/** A closed outbox file with some history in it. */
function filledFile(count = 300): string {
  const { store, path } = freshStore()
  for (let i = 0; i < count; i++)
    itemIn(store, i % 3 === 0 ? 'sent' : 'queued', T0 + i, `Person ${i} ${'x'.repeat(200)}`)
  store.close()
  return path
}

describe('opening', () => {
  it('creates the folder and puts WAL, synchronous=FULL, foreign keys and a busy timeout in force', () => {
    const path = join(tempFolder(), 'not', 'yet', 'there', 'outbox.sqlite')
    const db = openOutboxDatabase(path)
    try {
      expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
      expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 })
      expect(db.prepare('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 })
      expect(db.prepare('PRAGMA busy_timeout').get()).toEqual({ timeout: BUSY_TIMEOUT_MS })
      expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION })
    } finally {
      db.close()
    }
  })

  it('copies its WAL back into the file in small checkpoints, so no one commit on main copies much', () => {
    const { store, path } = freshStore()
    try {
      const pageSize = 4096
      let largest = 0
      // Each save dirties pages of the items, their indexes and the search terms; thousands of pages in all.
      for (let i = 0; i < 600; i++) {
        store.enqueue(newItem(`Person ${i} ${'x'.repeat(300)} ${i * 7919}`), T0 + i)
        largest = Math.max(largest, statSync(`${path}-wal`).size)
      }
      // The WAL starts again from its beginning once checkpointed: it never holds much more than 250 pages.
      // SQLite's default (1,000 pages) lets it grow to about 4 MB before a single commit copies it all back.
      expect(largest).toBeGreaterThan(100 * pageSize)
      expect(largest).toBeLessThan(400 * pageSize)
    } finally {
      store.close()
    }
  })

  it('lists its migrations as consecutive versions from 1', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
  })

  it('reopens an up-to-date file without applying any migration again', () => {
    const { store, path } = freshStore()
    const item = itemIn(store, 'queued')
    store.close()
    expect(openStore(path).get(item.id, T0)?.state).toBe('queued')
    const db = new DatabaseSync(path)
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION })
    db.close()
  })

  it('brings a schema-1 file up to date, keeping the words its last errors were stored in', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    const old = new DatabaseSync(path)
    old.exec(MIGRATIONS[0]!.sql)
    old.exec('PRAGMA user_version = 1')
    const insert = old.prepare(`INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url,
        target_organization_id, state, draft_json, request_json, attempts, next_attempt_at, last_error, created_at, updated_at)
      VALUES (?, ?, 'default', ?, ?, ?, ?, ?, 1, NULL, ?, ?, ?)`)
    const words = 'The app stopped while this contact was being sent, so it may already have reached Cloverhound.'
    const rows = [
      ['00000000-0000-4000-8000-000000000001', 'unconfirmed', words],
      ['00000000-0000-4000-8000-000000000002', 'queued', null],
    ] as const
    for (const [id, state, lastError] of rows) {
      const draft = JSON.stringify(newItem().draft)
      const request = JSON.stringify(newItem().request)
      insert.run(id, `key-${id}`, TARGET.baseUrl, TARGET.organizationId, state, draft, request, lastError, T0, T0)
    }
    old.close()

    const store = openStore(path)
    expect(store.get(rows[0][0], T0)).toMatchObject({
      state: 'unconfirmed',
      lastError: { code: 'legacy', params: { text: words } },
    })
    expect(store.get(rows[1][0], T0)).toMatchObject({ state: 'queued', lastError: null })
    store.close()
    const db = new DatabaseSync(path)
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION })
    db.close()
  })

  it('shows a last error it cannot read as code and facts as the text it is, rather than losing it', () => {
    const { store, path } = freshStore()
    const item = itemIn(store, 'unconfirmed')
    const raw = new DatabaseSync(path)
    raw.prepare('UPDATE outbox_items SET last_error = ? WHERE id = ?').run('{"code":"from_a_newer_app"}', item.id)
    raw.close()
    expect(store.get(item.id, T0)?.lastError).toEqual({
      code: 'legacy',
      params: { text: '{"code":"from_a_newer_app"}' },
    })
  })

  it('treats an empty file as a new outbox', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    writeFileSync(path, '')
    expect(openStore(path).counts(T0).queued).toBe(0)
  })
})

describe('files it refuses and leaves untouched', () => {
  it('a file that is not SQLite at all', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    writeFileSync(path, 'These are my notes, not a database.\n'.repeat(200))
    expectRefused(path, 'damaged')
  })

  it('a file shorter than an SQLite header', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    writeFileSync(path, 'SQLite format 3\u0000\u0010\u0000')
    expectRefused(path, 'damaged')
  })

  it('a truncated outbox', () => {
    const path = filledFile()
    truncateSync(path, Math.floor(statSync(path).size / 2))
    expectRefused(path, 'damaged')
  })

  it('an outbox from a newer version of the app', () => {
    const path = filledFile(3)
    const db = new DatabaseSync(path)
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    db.close()
    expectRefused(path, 'newer_version')
  })

  it('an outbox whose newer version is still only in its WAL', () => {
    const path = filledFile(3)
    const newer = new DatabaseSync(path)
    newer.exec(`PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = ${SCHEMA_VERSION + 1}`)
    const hash = sha256(path)
    try {
      expect(() => openOutboxStore({ path, flagAfterMs: 1 })).toThrow(OutboxUnavailableError)
      expect(sha256(path)).toBe(hash)
    } finally {
      newer.close()
    }
  })

  it('an outbox whose schema is missing an index', () => {
    const path = filledFile(3)
    const db = new DatabaseSync(path)
    db.exec('DROP INDEX outbox_items_due')
    db.close()
    expectRefused(path, 'damaged')
  })

  it('an SQLite file of some other program', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    const db = new DatabaseSync(path)
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
    db.close()
    expectRefused(path, 'not_an_outbox')
  })
})

describe('storage failures while running', () => {
  it('turns damage found later into an OutboxStorageError with words, not a crash', () => {
    const path = filledFile()
    // Damaged after the check at open (which would refuse it, see above): the disk fails while running.
    const store = openStore(path)
    corruptLeaves(path)
    const attempt = (): unknown => store.page({ filter: 'all', limit: 50 }, T0)
    expect(attempt).toThrow(OutboxStorageError)
    try {
      attempt()
    } catch (error) {
      expect(error).toMatchObject({ problem: 'damaged', path })
      expect((error as Error).message).toContain(path)
    }
  })

  it('waits for another program holding the file, then fails as busy and writes nothing', () => {
    const { store, path } = freshStore()
    const other = new DatabaseSync(path)
    other.exec('BEGIN IMMEDIATE')
    const started = Date.now()
    try {
      expect(() => store.enqueue(newItem(), T0)).toThrow(expect.objectContaining({ problem: 'busy' }))
      expect(Date.now() - started).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS - 100)
    } finally {
      other.exec('ROLLBACK')
      other.close()
    }
    expect(store.counts(T0).queued).toBe(0)
    expect(store.enqueue(newItem(), T0).state).toBe('queued')
  })

  it.each([
    [13, 'disk_full', 'disk is full'],
    [8, 'read_only', 'read-only'],
    [5, 'busy', 'another program'],
    [10 | (3 << 8), 'io', 'disk error'],
  ])('reports SQLite code %i as %s in words', (errcode, problem, words) => {
    const failure = operationFailure(Object.assign(new Error('sqlite'), { errcode }), '/data/outbox.sqlite')
    expect(failure).toBeInstanceOf(OutboxStorageError)
    expect(failure).toMatchObject({ problem })
    expect((failure as Error).message).toContain(words)
  })

  it('leaves constraint failures and non-SQLite errors as they are (they are bugs, not storage)', () => {
    const constraint = Object.assign(new Error('CHECK constraint failed'), { errcode: 19 | (1 << 8) })
    expect(operationFailure(constraint, 'x')).toBe(constraint)
    const bug = new TypeError('oops')
    expect(operationFailure(bug, 'x')).toBe(bug)
  })
})

describe('rows whose JSON no longer reads', () => {
  it('are shown with a message, never crash a read, are never sent and are never deleted', () => {
    const { store, path } = freshStore()
    const brokenDraft = store.enqueue(newItem('Broken draft'), T0)
    const brokenRequest = store.enqueue(newItem('Broken request'), T0)
    const fine = store.enqueue(newItem('Fine'), T0)
    const raw = new DatabaseSync(path)
    raw
      .prepare('UPDATE outbox_items SET draft_json = \'{"fullName": "Kept", "phones": 7\' WHERE id = ?')
      .run(brokenDraft.id)
    raw.prepare("UPDATE outbox_items SET request_json = '[]' WHERE id = ?").run(brokenRequest.id)

    const page = store.page({ filter: 'all', limit: 10 }, T0)
    expect(page.total).toBe(3)
    expect(page.items.find((i) => i.id === brokenDraft.id)).toMatchObject({
      lastError: { code: 'unreadable', params: {} },
    })
    expect(store.get(brokenDraft.id, T0)?.draft).toEqual({ fullName: '', email: '', description: '', phones: [] })

    expect(store.due(TARGET, T0 + 1, 10).map((i) => i.id)).toEqual([fine.id])
    for (const id of [brokenDraft.id, brokenRequest.id]) {
      expect(store.get(id, T0)).toMatchObject({ state: 'needs_fix', lastError: { code: 'unreadable', params: {} } })
    }
    expect(store.counts(T0)).toMatchObject({ queued: 1, needs_fix: 2 })
    const kept = raw.prepare('SELECT draft_json FROM outbox_items WHERE id = ?').get(brokenDraft.id)
    expect(kept?.draft_json).toBe('{"fullName": "Kept", "phones": 7')
    raw.close()
  })

  it('keeps the text that still reads when a draft no longer fits the schema', () => {
    const { store, path } = freshStore()
    const item = store.enqueue(newItem(), T0)
    const raw = new DatabaseSync(path)
    const json = JSON.stringify({ fullName: 'Kept', email: 5, description: 'Also kept', phones: [{ number: '+1' }, 3] })
    raw.prepare('UPDATE outbox_items SET draft_json = ? WHERE id = ?').run(json, item.id)
    raw.close()
    expect(store.get(item.id, T0)?.draft).toEqual({
      fullName: 'Kept',
      email: '',
      description: 'Also kept',
      phones: [{ number: '+1' }, { number: '' }],
    })
  })
})

describe('hostile content', () => {
  it('round-trips 10,000-character text, emoji, lone surrogates and SQL without change', () => {
    const { store, path } = freshStore()
    const long = 'Zoë 🦊 ʕ•ᴥ•ʔ '.repeat(800).slice(0, 10_000)
    const draft = {
      fullName: long,
      email: `\ud83e'); DROP TABLE outbox_items; --`,
      description: '\u202eevil\u202c \u0000 '.repeat(500),
      phones: Array.from({ length: 20 }, (_, i) => ({ number: `☎ ${i} `.repeat(100) })),
    }
    const item = store.enqueue({ ...newItem(), draft }, T0)
    store.close()
    expect(openStore(path).get(item.id, T0)?.draft).toEqual(draft)
  })

  it('stores __proto__ and constructor keys from JSON.parse as plain data without polluting anything', () => {
    const { store } = freshStore()
    const draft = JSON.parse(
      '{"fullName":"Mallory","email":"","description":"","phones":[{"number":"1","__proto__":{"polluted":1}}],' +
        '"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
    )
    const contact = JSON.parse('{"id":1,"organization_id":42,"full_name":"Mallory","__proto__":{"polluted":1}}')
    const item = store.enqueue({ ...newItem(), draft }, T0)
    store.markSending(item.id, T0)
    const sent = store.markSent(item.id, contact, T0)
    const read = store.get(item.id, T0)
    expect(read?.draft).toEqual({ fullName: 'Mallory', email: '', description: '', phones: [{ number: '1' }] })
    expect(Object.getPrototypeOf(read?.draft)).toBe(Object.prototype)
    expect(sent?.contact).toEqual({ id: 1, organization_id: 42, full_name: 'Mallory' })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
  })
})
