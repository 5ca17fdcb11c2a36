import { closeSync, existsSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { ensurePrivateFolder, PRIVATE_FILE_MODE, restrictToOwner } from '../private-files.ts'
import { closedCleanly, forgetCleanClose } from './clean-close.ts'
import { OUTBOX_TABLE, SCHEMA_VERSION, applyMigrations, readSchemaVersion } from './migrations.ts'
import { OutboxStorageError, fileSystemProblem, openFailure, outboxUnavailable } from './outbox-errors.ts'

const SQLITE_MAGIC = 'SQLite format 3\u0000'
const HEADER_BYTES = 100
const USER_VERSION_OFFSET = 60
/** Long enough to outlast another connection's commit (a checkpoint included), short enough not to hang the UI. */
export const BUSY_TIMEOUT_MS = 5_000
/** KiB: room for the indexes of ~100,000 items, so counts and pages after the first come from memory. */
const CACHE_SIZE_KIB = 32_768
/**
 * Pages in the WAL before a commit copies them back into the file. A checkpoint runs inside the commit
 * that crosses it, on main's thread: SQLite's 1,000 made one commit in a few take 20–40 ms during an
 * import; 250 keeps each under a frame's budget for the same total (`npm run bench -- --only csv`).
 */
const WAL_AUTOCHECKPOINT_PAGES = 250
/** SQLite's companions of the database file while it is in WAL mode. */
const COMPANION_SUFFIXES = ['-wal', '-shm', '-journal']

export interface OpenOutboxDatabaseOptions {
  /** For tests; decides whether F_FULLFSYNC is asked for (macOS). */
  platform?: NodeJS.Platform
}

/**
 * Opens (or creates) the outbox file and brings its schema up to date. Everything that could find the
 * file unusable runs before anything that writes, on a read-only connection (which never checkpoints
 * a WAL into the file when it closes): a damaged, foreign or newer file is refused with an
 * OutboxUnavailableError and left byte for byte as it was. SQLite's page check of the whole file runs
 * unless the file is as the app left it at a clean close (clean-close.ts).
 */
export function openOutboxDatabase(path: string, options: OpenOutboxDatabaseOptions = {}): DatabaseSync {
  const checkPages = !closedCleanly(path)
  preparePrivateFile(path)
  checkHeader(path)
  withReadOnlyConnection(path, (db) => checkContents(db, path, checkPages))
  forgetCleanClose(path)

  let db: DatabaseSync
  try {
    db = new DatabaseSync(path)
  } catch (error) {
    throw openFailure(error, path)
  }
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
    // Where a file system cannot do WAL, SQLite keeps its rollback journal: still durable with synchronous=FULL.
    db.exec('PRAGMA journal_mode = WAL')
    db.exec('PRAGMA synchronous = FULL')
    db.exec(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
    // macOS's fsync() leaves data in the drive's cache; only F_FULLFSYNC survives a power cut there.
    if ((options.platform ?? process.platform) === 'darwin') db.exec('PRAGMA fullfsync = ON')
    // Deleted rows are overwritten with zeros, so pruned or discarded contacts leave no text in the file.
    db.exec('PRAGMA secure_delete = ON')
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
 * Opens an outbox file that failed the checks as read-only, for reading out what it still holds.
 * SQLite refuses every write on such a connection, and it never checkpoints a WAL on close.
 */
export function openReadOnlyOutboxDatabase(path: string): DatabaseSync {
  const db = openReadOnlyConnection(path)
  try {
    if (!hasOutboxTable(db)) throw outboxUnavailable('damaged', path)
    return db
  } catch (error) {
    db.close()
    throw openFailure(error, path)
  }
}

/** A read-only connection that waits out another connection's commit like the read-write one does. */
function openReadOnlyConnection(path: string): DatabaseSync {
  let db: DatabaseSync
  try {
    db = new DatabaseSync(path, { readOnly: true })
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  } catch (error) {
    throw openFailure(error, path)
  }
  return db
}

/**
 * The data folder 0700 and the outbox file 0600, created empty before SQLite creates it: SQLite gives
 * its WAL and shared-memory files the database file's own mode, so they are private from the start.
 * Files an older version left with wider modes lose group and other access.
 */
function preparePrivateFile(path: string): void {
  try {
    ensurePrivateFolder(dirname(path))
  } catch (error) {
    throw outboxUnavailable(fileSystemProblem(error), dirname(path), error)
  }
  try {
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE))
    for (const file of [path, ...COMPANION_SUFFIXES.map((suffix) => `${path}${suffix}`)]) restrictToOwner(file)
  } catch (error) {
    throw outboxUnavailable(fileSystemProblem(error), path, error)
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
    throw outboxUnavailable(fileSystemProblem(error), path, error)
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
  } catch (error) {
    if (error instanceof OutboxStorageError) throw error
    throw outboxUnavailable(fileSystemProblem(error), path, error)
  } finally {
    closeSync(fd)
  }
}

/** Version, schema and SQLite's own page check (quick_check: every page and record, not the index contents). */
function checkContents(db: DatabaseSync, path: string, checkPages: boolean): void {
  // The first read: SQLite checks the header and that the file is as long as it says here.
  const version = readSchemaVersion(db)
  if (version > SCHEMA_VERSION) throw outboxUnavailable('newer_version', path)
  if (version < 0 || (version === 0 && hasSchemaObjects(db))) throw outboxUnavailable('not_an_outbox', path)
  if (version > 0 && !hasOutboxTable(db)) throw outboxUnavailable('damaged', path)
  if (!checkPages) return
  // One problem is enough to know; a full list of them would only cost time on a large file.
  const verdict = db.prepare('PRAGMA quick_check(1)').get()?.quick_check
  if (verdict !== 'ok') throw outboxUnavailable('damaged', path)
}

/**
 * Runs the checks on a read-only connection. For a file in WAL mode SQLite makes an empty WAL and a
 * shared-memory index beside it even then; when the file is refused, those two are removed again if
 * this check made them (nobody else had the file open, or they would have existed), so a refused
 * file is left exactly as it was found, with nothing new beside it.
 */
function withReadOnlyConnection(path: string, check: (db: DatabaseSync) => void): void {
  const [wal, shm] = [`${path}-wal`, `${path}-shm`]
  const made = [wal, shm].filter((file) => !existsSync(file))
  const db = openReadOnlyConnection(path)
  try {
    check(db)
  } catch (error) {
    db.close()
    if (made.length === 2 && existsSync(wal) && statSync(wal).size === 0)
      for (const file of made) rmSync(file, { force: true })
    throw openFailure(error, path)
  }
  db.close()
}

function hasSchemaObjects(db: DatabaseSync): boolean {
  return db.prepare('SELECT 1 AS found FROM sqlite_schema LIMIT 1').get() !== undefined
}

function hasOutboxTable(db: DatabaseSync): boolean {
  return hasTable(db, OUTBOX_TABLE)
}

export function hasTable(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 AS found FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined
}
