/**
 * Shared by the outbox store tests: real SQLite files in throwaway folders, items in any state
 * reached only through the store's own transitions.
 */
import { createHash } from 'node:crypto'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach } from 'vitest'
import type { ContactDraft, ContactRequest } from '../../../src/shared/contact.ts'
import { itemError } from '../../../src/shared/item-error.ts'
import type { OutboxState, OutboxTarget } from '../../../src/shared/outbox.ts'
import type { NewOutboxItem, OutboxStore, StoredItem } from '../../../src/main/core/outbox/outbox-store-types.ts'
import { openOutboxStore } from '../../../src/main/core/outbox/sqlite-outbox-store.ts'

export const DAY_MS = 86_400_000
/** A fixed "now": tests never depend on the wall clock. */
export const T0 = Date.UTC(2025, 0, 15, 9, 30)
export const TARGET: OutboxTarget = { baseUrl: 'https://api.example.test', organizationId: 42 }

const folders: string[] = []
const stores: OutboxStore[] = []

afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

export function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cloverhound-outbox-'))
  folders.push(folder)
  return folder
}

/** Opens a store that is closed again after the test (closing twice is harmless). */
export function openStore(path: string, flagAfterMs = 7 * DAY_MS): OutboxStore {
  const store = openOutboxStore({ path, flagAfterMs })
  stores.push(store)
  return store
}

export function freshStore(flagAfterMs?: number): { store: OutboxStore; path: string } {
  const path = join(tempFolder(), 'data', 'outbox.sqlite')
  return { store: openStore(path, flagAfterMs), path }
}

export function draftFor(name: string): ContactDraft {
  return {
    fullName: name,
    email: 'ada@example.com',
    description: 'Met at the fair',
    phones: [{ number: '415 555 0132' }],
    country: 'US',
  }
}

export function requestFor(name: string): ContactRequest {
  return {
    full_name: name,
    email: 'ada@example.com',
    description: 'Met at the fair',
    contact_phones_attributes: [{ number: '+14155550132' }],
  }
}

export function newItem(name = 'Ada Lovelace', target: OutboxTarget = TARGET): NewOutboxItem {
  return { draft: draftFor(name), request: requestFor(name), target, profileId: 'default' }
}

/** Last errors as the worker records them. */
export const OFFLINE = itemError('network_unreachable', {
  host: 'api.example.test',
  reason: 'this computer is offline',
})
export const REJECTED = itemError('rejected', { messages: ['Check the highlighted fields.'] })
export const TIMED_OUT = itemError('timeout', { host: 'api.example.test' })

export const CREATED = {
  id: 9001,
  organization_id: 42,
  full_name: 'Ada Lovelace',
  email: 'ada@example.com',
  description: 'Met at the fair',
  contact_phones: [{ id: 1, contact_id: 9001, organization_id: 42, number: '+14155550132', phone_type: null }],
}

/** Brings a new item into `state` through the same transitions the app uses. */
export function itemIn(store: OutboxStore, state: OutboxState, now = T0, name?: string): StoredItem {
  const item = store.enqueue(newItem(name), now)
  const sending = (): StoredItem => must(store.markSending(item.id, now + 1))
  switch (state) {
    case 'queued':
      return item
    case 'sending':
      return sending()
    case 'sent':
      sending()
      return must(store.markSent(item.id, CREATED, now + 2))
    case 'needs_fix':
      sending()
      return must(store.markNeedsFix(item.id, { lastError: REJECTED, fieldErrors: null }, now + 2))
    case 'unconfirmed':
      sending()
      return must(store.markUnconfirmed(item.id, TIMED_OUT, now + 2))
    case 'discarded':
      return must(store.discard(item.id, now + 1))
  }
}

export function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('The store refused a transition the test expected to work.')
  return value
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/**
 * Overwrites leaf pages of the items table with garbage, as a failing disk might: all of them, or
 * only the middle one (the rows on both sides still read).
 */
export function corruptLeaves(path: string, which: 'all' | 'middle' = 'all'): void {
  const db = new DatabaseSync(path, { readOnly: true })
  const leaves = db
    .prepare("SELECT pageno FROM dbstat WHERE name = 'outbox_items' AND pagetype = 'leaf' ORDER BY pageno")
    .all()
    .map((row) => Number(row.pageno))
  const pageSize = Number(db.prepare('PRAGMA page_size').get()?.page_size)
  db.close()
  // The read-only look made an empty WAL and shared memory; the file is left as the app would find it.
  rmSync(`${path}-wal`, { force: true })
  rmSync(`${path}-shm`, { force: true })
  const pages =
    which === 'all' ? leaves : leaves.slice(Math.floor(leaves.length / 2), Math.floor(leaves.length / 2) + 1)
  const fd = openSync(path, 'r+')
  for (const page of pages) writeSync(fd, Buffer.alloc(pageSize, 0xab), 0, pageSize, (page - 1) * pageSize)
  closeSync(fd)
}

/** A closed outbox at `path` with `count` queued contacts (long names, so they span many pages) and one damaged page. */
export function damagedOutboxAt(path: string, count: number): string[] {
  const store = openOutboxStore({ path, flagAfterMs: 7 * DAY_MS })
  const names = Array.from({ length: count }, (_, i) => `Person ${i} ${'x'.repeat(300)}`)
  for (const name of names) store.enqueue(newItem(name), T0)
  store.close()
  corruptLeaves(path, 'middle')
  return names
}
