import type { DatabaseSync } from 'node:sqlite'

/**
 * The outbox schema as an ordered list of steps. Step N brings a file from `user_version` N-1 to N in
 * one transaction, so a crash mid-way leaves the previous version intact. A step, once released, is
 * never edited: later changes are new steps. The SQL is frozen text on purpose (state names are not
 * built from the shared list), so that a change elsewhere cannot rewrite history.
 */
export interface Migration {
  version: number
  sql: string
}

export const OUTBOX_TABLE = 'outbox_items'
export const ATTEMPTS_TABLE = 'outbox_attempts'
export const COUNTS_TABLE = 'outbox_counts'

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE outbox_items (
        -- AUTOINCREMENT: a number is never reused, even after history is pruned, so paging cursors stay valid.
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        idempotency_key TEXT NOT NULL UNIQUE,
        profile_id TEXT NOT NULL,
        target_base_url TEXT NOT NULL,
        target_organization_id INTEGER NOT NULL CHECK (target_organization_id > 0),
        state TEXT NOT NULL
          CHECK (state IN ('queued', 'sending', 'sent', 'needs_fix', 'unconfirmed', 'discarded')),
        discarded_from TEXT
          CHECK (discarded_from IN ('queued', 'sending', 'sent', 'needs_fix', 'unconfirmed', 'discarded')),
        draft_json TEXT NOT NULL,
        request_json TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at INTEGER,
        last_error TEXT,
        field_errors_json TEXT,
        contact_json TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      -- The sender's question: what is due for this target, earliest first (seq is implied last).
      CREATE INDEX outbox_items_due
        ON outbox_items (state, target_base_url, target_organization_id, next_attempt_at);
      -- Paging one state newest first, and counting per state.
      CREATE INDEX outbox_items_by_state ON outbox_items (state, seq);
      -- Counting what has waited too long (overdue).
      CREATE INDEX outbox_items_by_age ON outbox_items (state, created_at);
    `,
  },
  {
    version: 2,
    // last_error holds a code and its facts as JSON from here on; the words older versions stored
    // are kept under the `legacy` code, so the user still reads them.
    sql: `
      UPDATE outbox_items
        SET last_error = json_object('code', 'legacy', 'params', json_object('text', last_error))
        WHERE last_error IS NOT NULL;
    `,
  },
  {
    version: 3,
    // Each attempt of an item with how it ended, written in the transaction that moves the item. `n`
    // keeps counting across edits (the item's own count starts again). Deleting an item (pruning)
    // deletes its attempts. No CHECK on outcome_code: the codes are the app's, read through a schema.
    sql: `
      CREATE TABLE outbox_attempts (
        item_id TEXT NOT NULL REFERENCES outbox_items (id) ON DELETE CASCADE,
        n INTEGER NOT NULL CHECK (n > 0),
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        outcome_code TEXT,
        error_json TEXT,
        PRIMARY KEY (item_id, n)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    // How many items are in each state, kept by triggers in the transaction that moves an item, so
    // the status line never counts the table (a scan of 1M rows is ~70 ms). Backfilled from the rows.
    // A state's row appears with its first item; a missing row reads as 0. History pruning looks up
    // (state, updated_at) instead of reading every history row's updated_at.
    sql: `
      CREATE TABLE outbox_counts (
        state TEXT PRIMARY KEY,
        n INTEGER NOT NULL CHECK (n >= 0)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO outbox_counts (state, n) SELECT state, count(*) FROM outbox_items GROUP BY state;
      CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox_items BEGIN
        INSERT INTO outbox_counts (state, n) VALUES (NEW.state, 1)
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox_items BEGIN
        UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;
      END;
      CREATE TRIGGER outbox_counts_move AFTER UPDATE OF state ON outbox_items WHEN OLD.state IS NOT NEW.state BEGIN
        UPDATE outbox_counts SET n = n - 1 WHERE state = OLD.state;
        INSERT INTO outbox_counts (state, n) VALUES (NEW.state, 1)
          ON CONFLICT (state) DO UPDATE SET n = n + 1;
      END;
      CREATE INDEX outbox_items_by_update ON outbox_items (state, updated_at);
    `,
  },
]

/** The newest schema this build knows; a file above it is from a newer app and is refused. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0)

export function readSchemaVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get()
  const value = row?.user_version
  return typeof value === 'number' ? value : 0
}

/** Brings the file up to SCHEMA_VERSION. Re-reads the version inside each transaction: another process may have won. */
export function applyMigrations(db: DatabaseSync): void {
  for (const migration of MIGRATIONS) {
    db.exec('BEGIN IMMEDIATE')
    try {
      if (readSchemaVersion(db) < migration.version) {
        db.exec(migration.sql)
        // Inside the transaction: the version moves with the schema or not at all.
        db.exec(`PRAGMA user_version = ${Math.trunc(migration.version)}`)
      }
      db.exec('COMMIT')
    } catch (error) {
      rollbackQuietly(db)
      throw error
    }
  }
}

/** After a failed statement SQLite may already have rolled back; the original error is the one to report. */
export function rollbackQuietly(db: DatabaseSync): void {
  try {
    db.exec('ROLLBACK')
  } catch {
    // No transaction was open any more.
  }
}
