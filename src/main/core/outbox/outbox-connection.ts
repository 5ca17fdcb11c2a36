import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import type { OutboxState, OutboxTarget } from '../../../shared/outbox.ts'
import { ATTEMPTS_TABLE, COUNTS_TABLE, TERMS_TABLE } from './migrations.ts'
import { recordCleanClose } from './clean-close.ts'
import { hasTable } from './open-outbox-database.ts'
import {
  OutboxStorageError,
  operationFailure,
  outboxUnavailable,
  readOnlyOutbox,
  sqliteCodeOf,
} from './outbox-errors.ts'
import {
  ATTEMPT_SQL,
  KEPT_COUNT_SQL,
  OUTBOX_SQL,
  SCANNED_SQL,
  prepareAll,
  type AttemptStatementName,
  type CountStatementName,
  type OutboxStatementName,
} from './outbox-sql.ts'
import { OutboxSearch } from './outbox-search.ts'
import { TERM_SQL, writeTerms, type ItemRow, type TermStatements } from './outbox-terms.ts'
import type { CurrentTarget } from './outbox-store-types.ts'

export type Params = Record<string, SQLInputValue>

/** The open outbox file: its prepared statements and the transactions every read and write runs in. */
export class OutboxConnection {
  readonly path: string
  readonly readOnly: boolean
  flagAfterMs: number
  readonly db: DatabaseSync
  readonly statements: Record<OutboxStatementName, StatementSync>
  /** Null only for a read-only file from before the attempts table (schema 3). */
  readonly attemptStatements: Record<AttemptStatementName, StatementSync> | null
  /** Null only for a read-only file from before the terms table (schema 5): it cannot be searched. */
  readonly search: OutboxSearch | null
  readonly #termStatements: TermStatements | null
  /** Counts kept by triggers (schema 4); a read-only file from before counts by scanning. */
  readonly countStatements: Record<CountStatementName, StatementSync>
  #closed = false
  #damaged = false
  /** Inside together(): each write is a savepoint of the one transaction, committed once at the end. */
  #together = false

  constructor(path: string, db: DatabaseSync, flagAfterMs: number, readOnly: boolean) {
    this.path = path
    this.readOnly = readOnly
    this.db = db
    this.flagAfterMs = flagAfterMs
    try {
      // Prepared once and reused; preparing also proves at open that the schema is what we expect.
      this.statements = prepareAll(db, OUTBOX_SQL)
      this.attemptStatements = readOnly && !hasTable(db, ATTEMPTS_TABLE) ? null : prepareAll(db, ATTEMPT_SQL)
      const searchable = !readOnly || hasTable(db, TERMS_TABLE)
      this.search = searchable ? new OutboxSearch(db) : null
      this.#termStatements = searchable ? prepareAll(db, TERM_SQL) : null
      this.countStatements = prepareAll(db, readOnly && !hasTable(db, COUNTS_TABLE) ? SCANNED_SQL : KEPT_COUNT_SQL)
    } catch (error) {
      db.close()
      // The version said "current" but a table or index is missing or different: not a file we can trust.
      throw sqliteCodeOf(error) === undefined ? error : outboxUnavailable('damaged', path, error)
    }
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.db.close()
    // A file that showed damage while open gets the full check at the next start.
    if (!this.readOnly && !this.#damaged) recordCleanClose(this.path)
  }

  /** For reads that go on past a failure (the export's readout): damage they meet still counts at close(). */
  noteFailure(error: unknown): void {
    this.#failure(error)
  }

  /** An operation's failure in words; damage met on the way is remembered for close(). */
  #failure(error: unknown): unknown {
    const failure = operationFailure(error, this.path)
    if (failure instanceof OutboxStorageError && failure.problem === 'damaged') this.#damaged = true
    return failure
  }

  /** Inside a write: the item's search terms and duplicate keys, as its row now reads (`fresh`: just inserted). */
  index(row: ItemRow, fresh = false): void {
    // A writable store always has the table (migration 5); only a read-only one can lack it, and it never writes.
    if (!this.#termStatements) throw readOnlyOutbox(this.path)
    writeTerms(this.#termStatements, row, fresh)
  }

  attempt(name: AttemptStatementName): StatementSync {
    // A writable store always has the table (migration 3); only a read-only one can lack it, and it never writes.
    if (!this.attemptStatements) throw readOnlyOutbox(this.path)
    return this.attemptStatements[name]
  }

  countInState(state: OutboxState): number {
    return Number(this.countStatements.countState.get({ state })?.n ?? 0)
  }

  count(name: OutboxStatementName, params: Params): number {
    return Number(this.statements[name].get(params)?.n ?? 0)
  }

  together<T>(work: () => T): T {
    if (this.#together) return work()
    return this.write(() => {
      this.#together = true
      try {
        return work()
      } finally {
        this.#together = false
      }
    })
  }

  /** One transaction: BEGIN IMMEDIATE takes the write lock first, so it cannot fail half-way on a busy upgrade. */
  write<T>(work: () => T): T {
    if (this.readOnly) throw readOnlyOutbox(this.path)
    if (this.#together) return this.#savepoint(work)
    try {
      this.statements.begin.run()
    } catch (error) {
      throw this.#failure(error)
    }
    try {
      const result = work()
      this.statements.commit.run()
      return result
    } catch (error) {
      this.#rollback()
      throw this.#failure(error)
    }
  }

  /** A write inside together(): undone alone when it fails, so the others in the transaction still commit. */
  #savepoint<T>(work: () => T): T {
    this.db.exec('SAVEPOINT outbox_write')
    try {
      const result = work()
      this.db.exec('RELEASE outbox_write')
      return result
    } catch (error) {
      try {
        this.db.exec('ROLLBACK TO outbox_write')
        this.db.exec('RELEASE outbox_write')
      } catch {
        // SQLite had already rolled the whole transaction back; the outer write reports it.
      }
      throw this.#failure(error)
    }
  }

  read<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw this.#failure(error)
    }
  }

  #rollback(): void {
    try {
      this.statements.rollback.run()
    } catch {
      // SQLite had already rolled back (it does on some I/O and disk-full errors).
    }
  }
}

export function targetParams(target: OutboxTarget): Params {
  return { baseUrl: target.baseUrl, organizationId: target.organizationId }
}

export function currentParams(current: CurrentTarget): Params {
  return { ...targetParams(current.target), profileId: current.profileId }
}
