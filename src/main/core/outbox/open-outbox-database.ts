import { closeSync, mkdirSync, openSync, readSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { OUTBOX_TABLE, SCHEMA_VERSION, applyMigrations, readSchemaVersion } from './migrations.ts'
import { openFailure, outboxUnavailable } from './outbox-errors.ts'

const SQLITE_MAGIC = 'SQLite format 3\u0000'
const HEADER_BYTES = 100
const USER_VERSION_OFFSET = 60
/** Long enough to outlast another connection's commit (a checkpoint included), short enough not to hang the UI. */
export const BUSY_TIMEOUT_MS = 5_000
/** KiB: room for the indexes of ~100,000 items, so counts and pages after the first come from memory. */
const CACHE_SIZE_KIB = 32_768

/**
 * Opens (or creates) the outbox file and brings its schema up to date. Everything that could find the
 * file unusable runs before anything that writes: a damaged, foreign or newer file is refused with an
 * OutboxUnavailableError and left byte for byte as it was. No scan of the items happens here.
 */
export function openOutboxDatabase(path: string): DatabaseSync {
  try {
    mkdirSync(dirname(path), { recursive: true })
  } catch (error) {
    throw outboxUnavailable('io', path, error)
  }
  checkHeader(path)

  let db: DatabaseSync
  try {
    db = new DatabaseSync(path)
  } catch (error) {
    throw openFailure(error, path)
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // The first read: SQLite checks the header and that the file is as long as it says here.
    const version = readSchemaVersion(db)
    if (version > SCHEMA_VERSION) throw outboxUnavailable('newer_version', path)
    if (version < 0 || (version === 0 && hasSchemaObjects(db))) throw outboxUnavailable('not_an_outbox', path)
    if (version > 0 && !hasOutboxTable(db)) throw outboxUnavailable('damaged', path)

    // Where a file system cannot do WAL, SQLite keeps its rollback journal: still durable with synchronous=FULL.
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = FULL')
    db.exec('PRAGMA foreign_keys = ON')
    db.exec(`PRAGMA cache_size = -${CACHE_SIZE_KIB}`)
    applyMigrations(db)
    return db
  } catch (error) {
    db.close()
    throw openFailure(error, path)
  }
}

/**
 * Reads the fixed 100-byte header before SQLite opens the file, so that a file that is not SQLite,
 * or one marked by a newer app, is refused without SQLite touching it (no journal, no WAL, no rewrite).
 * An empty file is a new database (SQLite creates it that way, and a fresh WAL may hold its first pages).
 */
function checkHeader(path: string): void {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw outboxUnavailable((error as NodeJS.ErrnoException).code === 'EACCES' ? 'read_only' : 'io', path, error)
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES)
    const length = readSync(fd, header, 0, HEADER_BYTES, 0)
    if (length === 0) return
    if (length < HEADER_BYTES || header.toString('latin1', 0, SQLITE_MAGIC.length) !== SQLITE_MAGIC) {
      throw outboxUnavailable('damaged', path)
    }
    // In WAL mode the newest header may still be in the WAL; SQLite's own read below catches that case.
    if (header.readInt32BE(USER_VERSION_OFFSET) > SCHEMA_VERSION) throw outboxUnavailable('newer_version', path)
  } finally {
    closeSync(fd)
  }
}

function hasSchemaObjects(db: DatabaseSync): boolean {
  return db.prepare('SELECT 1 AS found FROM sqlite_schema LIMIT 1').get() !== undefined
}

function hasOutboxTable(db: DatabaseSync): boolean {
  const row = db.prepare("SELECT 1 AS found FROM sqlite_schema WHERE type = 'table' AND name = ?").get(OUTBOX_TABLE)
  return row !== undefined
}
