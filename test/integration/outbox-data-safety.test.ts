/**
 * What the outbox leaves on disk: owner-only files, no text of pruned contacts, F_FULLFSYNC on macOS,
 * a damaged file found at open and then only read (never written) so its contacts can be exported,
 * and unusable paths told in words.
 */
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openOutboxDatabase } from '../../src/main/core/outbox/open-outbox-database.ts'
import { OutboxStorageError, fileSystemProblem } from '../../src/main/core/outbox/outbox-errors.ts'
import {
  OutboxUnavailableError,
  openOutboxStore,
  openReadOnlyOutboxStore,
} from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import {
  T0,
  damagedOutboxAt,
  freshStore,
  itemIn,
  newItem,
  openStore,
  sha256,
  tempFolder,
} from './support/outbox-store-fixtures.ts'

const posix = process.platform !== 'win32'
const modeOf = (path: string): number => statSync(path).mode & 0o777

/** Every byte SQLite keeps for this outbox: the file, its WAL and its shared-memory index. */
function bytesOnDisk(path: string): Buffer {
  const files = [path, `${path}-wal`, `${path}-shm`].filter((file) => {
    try {
      return statSync(file).isFile()
    } catch {
      return false
    }
  })
  return Buffer.concat(files.map((file) => readFileSync(file)))
}

function openFailure(run: () => unknown): OutboxUnavailableError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(OutboxUnavailableError)
    return error as OutboxUnavailableError
  }
  throw new Error('expected the outbox to be refused')
}

describe.runIf(posix)('file modes on POSIX', () => {
  it('makes the folder 0700 and the outbox, its WAL and its shared memory 0600', () => {
    const { store, path } = freshStore()
    store.enqueue(newItem(), T0)
    expect(modeOf(join(path, '..'))).toBe(0o700)
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, modeOf(file)]).toEqual([file, 0o600])
  })

  it('takes group and other access off a folder and files an older version left open', () => {
    const { store, path } = freshStore()
    store.enqueue(newItem(), T0)
    store.close()
    const dir = join(path, '..')
    chmodSync(dir, 0o755)
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      try {
        chmodSync(file, 0o644)
      } catch {
        // SQLite removes the WAL and shared memory when the last connection closes.
      }
    }
    openStore(path).enqueue(newItem('Grace Hopper'), T0)
    expect(modeOf(dir)).toBe(0o700)
    for (const file of readdirSync(dir)) expect([file, modeOf(join(dir, file))]).toEqual([file, 0o600])
  })
})

describe('discarded and sent contacts leave no text behind', () => {
  it('pruning zeroes their rows and compacts the file and its WAL, while the store stays open', () => {
    const { store, path } = freshStore()
    const marker = 'Zebulon Quirkworth-Falconbridge'
    itemIn(store, 'discarded', T0, marker)
    itemIn(store, 'sent', T0, `${marker} Junior`)
    const kept = itemIn(store, 'queued', T0, 'Ada Lovelace')
    // The control: before pruning, the text is on disk (in the WAL or the file).
    expect(bytesOnDisk(path).includes(marker)).toBe(true)

    expect(store.pruneHistory(T0 + 60_000)).toBe(2)

    expect(bytesOnDisk(path).includes(marker)).toBe(false)
    expect(bytesOnDisk(path).includes(Buffer.from(marker, 'utf16le'))).toBe(false)
    expect(statSync(`${path}-wal`).size).toBe(0)
    expect(store.get(kept.id, T0)?.draft.fullName).toBe('Ada Lovelace')
  })

  it('turns secure_delete on', () => {
    const db = openOutboxDatabase(join(tempFolder(), 'outbox.sqlite'))
    try {
      expect(db.prepare('PRAGMA secure_delete').get()).toEqual({ secure_delete: 1 })
    } finally {
      db.close()
    }
  })
})

describe('power-loss safety on macOS', () => {
  it.each([
    ['darwin', 1],
    ['linux', 0],
    ['win32', 0],
  ] as const)('on %s asks for F_FULLFSYNC: %i', (platform, expected) => {
    const db = openOutboxDatabase(join(tempFolder(), 'outbox.sqlite'), { platform })
    try {
      expect(db.prepare('PRAGMA fullfsync').get()).toEqual({ fullfsync: expected })
      expect(db.prepare('PRAGMA synchronous').get()).toEqual({ synchronous: 2 })
    } finally {
      db.close()
    }
  })
})

function damagedOutbox(count: number): { path: string; names: string[] } {
  const path = join(tempFolder(), 'data', 'outbox.sqlite')
  return { path, names: damagedOutboxAt(path, count) }
}

describe('a damaged outbox', () => {
  it('is found at open by SQLite’s page check, and refused without a byte changed', () => {
    const { path } = damagedOutbox(200)
    const hash = sha256(path)
    const beside = readdirSync(join(path, '..'))
    const error = openFailure(() => openOutboxStore({ path, flagAfterMs: 1 }))
    expect(error.problem).toBe('damaged')
    expect(sha256(path)).toBe(hash)
    expect(readdirSync(join(path, '..'))).toEqual(beside)
  })

  it('opens read-only: everything readable comes out, every change is refused in words, nothing is written', () => {
    const { path, names } = damagedOutbox(200)
    const hash = sha256(path)
    const store = openReadOnlyOutboxStore({ path, flagAfterMs: 1 })
    try {
      expect(store.readOnly).toBe(true)
      const readout = store.readAll(T0)
      expect(readout.complete).toBe(false)
      const read = readout.items.map((item) => item.draft.fullName)
      // Only the rows on the damaged page are missing: both ends of the table still read.
      expect(read.length).toBeGreaterThan(names.length / 2)
      expect(read.length).toBeLessThan(names.length)
      expect(read[0]).toBe(names[0])
      expect(read.at(-1)).toBe(names.at(-1))
      expect(read).toEqual(names.filter((name) => read.includes(name)))

      const refusal = (() => {
        try {
          store.enqueue(newItem('New'), T0)
        } catch (error) {
          return error
        }
        return undefined
      })()
      expect(refusal).toBeInstanceOf(OutboxStorageError)
      expect((refusal as Error).message).toContain('read-only')
      expect((refusal as Error).message).toContain('Export contacts (CSV)')
      expect(store.pruneHistory(T0 + 365 * 86_400_000)).toBe(0)
    } finally {
      store.close()
    }
    expect(sha256(path)).toBe(hash)
  })

  it('reads out everything from a file that is whole, and says it is complete', () => {
    const { store } = freshStore()
    for (const name of ['Ada', 'Grace', 'Edsger']) store.enqueue(newItem(name), T0)
    expect(store.readAll(T0)).toMatchObject({
      complete: true,
      items: [{ draft: { fullName: 'Ada' } }, { draft: { fullName: 'Grace' } }, { draft: { fullName: 'Edsger' } }],
    })
  })
})

describe('an unusable place is told in words', () => {
  it('a folder where the outbox file belongs', () => {
    const path = join(tempFolder(), 'outbox.sqlite')
    mkdirSync(path)
    const error = openFailure(() => openOutboxStore({ path, flagAfterMs: 1 }))
    expect(error.problem).toBe('wrong_kind')
    expect(error.message).toContain('a folder where the file belongs')
    expect(error.message).not.toMatch(/EISDIR|\bio\b/)
  })

  it('a file where the data folder belongs', () => {
    const blocker = join(tempFolder(), 'data')
    writeFileSync(blocker, 'not a folder')
    const error = openFailure(() => openOutboxStore({ path: join(blocker, 'outbox.sqlite'), flagAfterMs: 1 }))
    expect(error.problem).toBe('wrong_kind')
    expect(error.message).not.toMatch(/ENOTDIR|EEXIST/)
    expect(readFileSync(blocker, 'utf8')).toBe('not a folder')
  })

  it.each([
    ['EACCES', 'read_only'],
    ['EROFS', 'read_only'],
    ['ENOSPC', 'disk_full'],
    ['EISDIR', 'wrong_kind'],
    ['EIO', 'io'],
  ])('maps %s to %s (read-only and full disks cannot be made here as root)', (code, problem) => {
    expect(fileSystemProblem(Object.assign(new Error(code), { code }))).toBe(problem)
  })
})
