import { fileProblemOf } from '../file-problems.ts'

/**
 * The outbox's storage failures as typed errors whose `message` a user can act on. Both keep the
 * original SQLite error as `cause` for the log. The path is in the message on purpose: the user
 * may need to find, back up or move the file.
 */
export const outboxStorageProblems = [
  'damaged', // not SQLite, truncated or corrupt
  'newer_version', // written by a newer app version
  'not_an_outbox', // a valid SQLite file that is not ours
  'disk_full',
  'read_only',
  'busy', // locked by another program, e.g. a second copy of the app
  'wrong_kind', // a folder where the file belongs, or a file where its folder belongs
  'io',
  'unknown',
] as const
export type OutboxStorageProblem = (typeof outboxStorageProblems)[number]

/** A change or read failed in the storage layer; everything committed before is still there. */
export class OutboxStorageError extends Error {
  override readonly name: string = 'OutboxStorageError'
  readonly problem: OutboxStorageProblem
  readonly path: string

  constructor(problem: OutboxStorageProblem, path: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.problem = problem
    this.path = path
  }
}

/** The outbox file cannot be opened at all. The file is left exactly as it was found. */
export class OutboxUnavailableError extends OutboxStorageError {
  override readonly name: string = 'OutboxUnavailableError'
}

const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_READONLY = 8
const SQLITE_IOERR = 10
const SQLITE_CORRUPT = 11
const SQLITE_FULL = 13
const SQLITE_CANTOPEN = 14
const SQLITE_CONSTRAINT = 19
const SQLITE_NOTADB = 26
const SQLITE_PERM = 3

/** The primary SQLite result code of an error thrown by node:sqlite, if it is one. */
export function sqliteCodeOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || !('errcode' in error) || typeof error.errcode !== 'number') return undefined
  // Extended codes carry the primary code in their low byte.
  return error.errcode & 0xff
}

function problemOf(code: number): OutboxStorageProblem {
  switch (code) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return 'damaged'
    case SQLITE_FULL:
      return 'disk_full'
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return 'read_only'
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return 'busy'
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      return 'io'
    default:
      return 'unknown'
  }
}

function openMessage(problem: OutboxStorageProblem, path: string): string {
  const kept = `It has been left untouched at ${path} so nothing is lost`
  switch (problem) {
    case 'damaged':
      return `The outbox file could not be read. ${kept}; restore it from a backup, or move it elsewhere and restart the app to begin a new, empty outbox.`
    case 'newer_version':
      return `The outbox file was written by a newer version of Cloverhound Contacts. ${kept}; install that version again to open it.`
    case 'not_an_outbox':
      return `The file where the outbox belongs is not an outbox. ${kept}; move it elsewhere and restart the app to begin a new, empty outbox.`
    case 'disk_full':
      return `The disk is full, so the outbox at ${path} could not be opened. Free some space and restart the app; nothing saved is lost.`
    case 'read_only':
      return `The outbox at ${path} cannot be written: the file or its folder is read-only. Check its permissions and restart the app; nothing saved is lost.`
    case 'busy':
      return `The outbox at ${path} is in use by another program, perhaps a second copy of the app. Close it and restart the app.`
    case 'wrong_kind':
      return `The outbox cannot be kept at ${path}: something of the wrong kind is in its place (a folder where the file belongs, or a file where a folder belongs). Move it elsewhere and restart the app; nothing saved is lost.`
    case 'io':
      return `The outbox at ${path} could not be opened: the disk or its folder could not be used. Check that the drive is available and restart the app; nothing saved is lost.`
    case 'unknown':
      return `The outbox at ${path} could not be opened. ${kept}; restart the app, and if this keeps happening, send its log to support.`
  }
}

function operationMessage(problem: OutboxStorageProblem, path: string): string {
  const safe = 'Everything saved before is kept.'
  switch (problem) {
    case 'disk_full':
      return `The disk is full, so this change could not be saved to the outbox. Free some space and try again. ${safe}`
    case 'read_only':
      return `The outbox at ${path} has become read-only, so this change could not be saved. Check its permissions and try again. ${safe}`
    case 'busy':
      return `The outbox is in use by another program, perhaps a second copy of the app, so this change could not be saved. Close it and try again. ${safe}`
    case 'damaged':
    case 'newer_version':
    case 'not_an_outbox':
      return `Part of the outbox file at ${path} could not be read. The file is left as it is so nothing more is lost; restart the app to check it.`
    case 'wrong_kind':
    case 'io':
      return `The outbox at ${path} could not be written because of a disk error. Try again. ${safe}`
    case 'unknown':
      return `The outbox could not save this change. Try again. ${safe}`
  }
}

/** A file-system error (errno code) around the outbox file, in the same problems as SQLite's. */
export function fileSystemProblem(error: unknown): OutboxStorageProblem {
  return fileProblemOf(error)
}

/**
 * Why a change is refused while the outbox is open read-only (its file failed the check at open).
 * Nothing is written into a damaged file: what is in it stays readable and can be exported.
 */
export function readOnlyOutbox(path: string): OutboxStorageError {
  return new OutboxStorageError(
    'damaged',
    path,
    `The outbox file at ${path} is damaged, so the app opened it read-only and nothing new can be saved into it. Use “Export contacts (CSV)” to keep what it holds, then move the file elsewhere and restart the app to begin a new, empty outbox.`,
  )
}

/** For failures while opening: the file is never deleted, moved or rewritten. */
export function outboxUnavailable(
  problem: OutboxStorageProblem,
  path: string,
  cause?: unknown,
): OutboxUnavailableError {
  return new OutboxUnavailableError(problem, path, openMessage(problem, path), { cause })
}

/** An SQLite error at open, as an OutboxUnavailableError; anything else (a bug) is returned as it is. */
export function openFailure(error: unknown, path: string): unknown {
  if (error instanceof OutboxStorageError) return error
  const code = sqliteCodeOf(error)
  return code === undefined ? error : outboxUnavailable(problemOf(code), path, error)
}

/**
 * An SQLite error during an operation, as an OutboxStorageError. Constraint failures mean the caller
 * passed something the schema refuses (a bug, not a storage condition), so they stay as they are.
 */
export function operationFailure(error: unknown, path: string): unknown {
  if (error instanceof OutboxStorageError) return error
  const code = sqliteCodeOf(error)
  if (code === undefined || code === SQLITE_CONSTRAINT) return error
  const problem = problemOf(code)
  return new OutboxStorageError(problem, path, operationMessage(problem, path), { cause: error })
}

/**
 * Words for a failure of the outbox file, or undefined when the failure is something else.
 * A raw node:sqlite error (which the store should have wrapped) gets general words.
 */
export function outboxStorageWords(error: unknown): string | undefined {
  // The store's words already say what is kept and what to do.
  if (error instanceof OutboxStorageError) return error.message
  if (error instanceof Error && (error as { code?: unknown }).code === 'ERR_SQLITE_ERROR') {
    return 'The app could not read or write its outbox. Check free disk space and permissions, then try again. The outbox file is kept as it is.'
  }
  return undefined
}
