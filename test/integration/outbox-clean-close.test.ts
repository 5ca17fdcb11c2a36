/**
 * The full page check at open is skipped only for a file exactly as the app left it at a clean close.
 * Real SQLite files, real file times; what would let a damaged file through is done to them for real.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { closedCleanly, recordCleanClose } from '../../src/main/core/outbox/clean-close.ts'
import { OutboxStorageError, OutboxUnavailableError } from '../../src/main/core/outbox/outbox-errors.ts'
import { openOutboxStore, openReadOnlyOutboxStore } from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import { T0, corruptLeaves, damagedOutboxAt, newItem, openStore, tempFolder } from './support/outbox-store-fixtures.ts'

function closedOutbox(count = 200): string {
  const path = join(tempFolder(), 'data', 'outbox.sqlite')
  const store = openOutboxStore({ path, flagAfterMs: 1 })
  for (let i = 0; i < count; i++) store.enqueue(newItem(`Person ${i} ${'x'.repeat(300)}`), T0)
  store.close()
  return path
}

function refusal(path: string): OutboxUnavailableError {
  try {
    openOutboxStore({ path, flagAfterMs: 1 }).close()
  } catch (error) {
    if (error instanceof OutboxUnavailableError) return error
    throw error
  }
  throw new Error('The file was opened for writing')
}

describe('the clean-close note', () => {
  it('is left by a clean close and matches the file until it is opened for writing again', () => {
    const path = closedOutbox(3)
    expect(closedCleanly(path)).toBe(true)
    const store = openStore(path)
    store.enqueue(newItem('Grace Hopper'), T0)
    // Open (and so if the app crashed now): no note, and SQLite's WAL is there.
    expect(existsSync(`${path}-clean-close`)).toBe(false)
    expect(closedCleanly(path)).toBe(false)
    store.close()
    expect(closedCleanly(path)).toBe(true)
  })

  it('is written only once the file’s last change is older than a tick of a coarse file-system clock', () => {
    // Where times come from a 4–16 ms tick, a write in the same tick as the note would not change them.
    const path = closedOutbox(3)
    const changed = statSync(path, { bigint: true }).ctimeNs
    const noted = statSync(`${path}-clean-close`, { bigint: true }).mtimeNs
    // 50 ms by the wall clock; the file system's own clock may lag it by one of its ticks.
    expect(Number(noted - changed) / 1e6).toBeGreaterThanOrEqual(30)
  })

  it('is still written, as late, where the thread may not block (as Chromium forbids on some threads)', () => {
    const cannotBlock = vi.spyOn(Atomics, 'wait').mockImplementation(() => {
      throw new TypeError('Atomics.wait cannot be called in this context')
    })
    try {
      const path = closedOutbox(3)
      expect(cannotBlock).toHaveBeenCalled()
      const changed = statSync(path, { bigint: true }).ctimeNs
      const noted = statSync(`${path}-clean-close`, { bigint: true }).mtimeNs
      expect(Number(noted - changed) / 1e6).toBeGreaterThanOrEqual(30)
      expect(closedCleanly(path)).toBe(true)
    } finally {
      cannotBlock.mockRestore()
    }
  })

  it('is not left by a read-only store', () => {
    const path = closedOutbox(3)
    const store = openStore(path)
    store.enqueue(newItem('Grace Hopper'), T0)
    // The writer is still open, as after a crash; the export view opens the same file read-only.
    const readOnly = openReadOnlyOutboxStore({ path, flagAfterMs: 1 })
    readOnly.close()
    expect(closedCleanly(path)).toBe(false)
  })

  it('stops matching once another program writes the file, even the same bytes back at once', () => {
    const path = closedOutbox(3)
    const header = Buffer.alloc(100)
    const fd = openSync(path, 'r+')
    readSync(fd, header, 0, 100, 0)
    writeSync(fd, header, 0, 100, 0)
    closeSync(fd)
    expect(closedCleanly(path)).toBe(false)
  })

  it('stops matching when the modification time is put back after a write (the change time cannot be)', () => {
    const path = closedOutbox(3)
    // A whole second, which utimes can set again exactly (JavaScript's numbers cannot carry every nanosecond).
    const second = Math.floor(Date.now() / 1000) - 60
    utimesSync(path, second, second)
    recordCleanClose(path)
    expect(closedCleanly(path)).toBe(true)
    const before = statSync(path, { bigint: true })
    const fd = openSync(path, 'r+')
    writeSync(fd, Buffer.from([0]), 0, 1, 99)
    closeSync(fd)
    utimesSync(path, second, second)
    const after = statSync(path, { bigint: true })
    expect([after.mtimeNs, after.size, after.ino]).toEqual([before.mtimeNs, before.size, before.ino])
    expect(closedCleanly(path)).toBe(false)
  })

  it('stops matching when the file is replaced by a copy with the same size and times', () => {
    const path = closedOutbox(3)
    const before = statSync(path)
    copyFileSync(path, `${path}.copy`)
    utimesSync(`${path}.copy`, before.atime, before.mtime)
    renameSync(`${path}.copy`, path)
    expect(closedCleanly(path)).toBe(false)
  })
})

describe('a damaged file', () => {
  it('damaged right after a clean close is still refused at the next open', () => {
    const path = join(tempFolder(), 'data', 'outbox.sqlite')
    damagedOutboxAt(path, 200)
    expect(refusal(path).problem).toBe('damaged')
  })

  it('damaged at rest with no trace in its times is found on reading, and the next start refuses it', () => {
    const path = closedOutbox(200)
    // A failing disk changes bytes and nothing else: the note still matches, so the open skips the page check.
    corruptLeaves(path, 'middle')
    recordCleanClose(path)
    expect(closedCleanly(path)).toBe(true)
    const store = openOutboxStore({ path, flagAfterMs: 1 })
    let failure: unknown
    try {
      store.page({ filter: 'all', limit: 500 }, T0)
    } catch (error) {
      failure = error
    }
    expect(failure).toBeInstanceOf(OutboxStorageError)
    expect((failure as OutboxStorageError).problem).toBe('damaged')
    expect((failure as Error).message).toContain('restart the app to check it')
    store.close()
    expect(closedCleanly(path)).toBe(false)
    expect(refusal(path).problem).toBe('damaged')
  })

  it('damaged at rest and met by the export’s readout, which reads on past it, still leaves no note', () => {
    const path = closedOutbox(200)
    corruptLeaves(path, 'middle')
    recordCleanClose(path)
    const store = openOutboxStore({ path, flagAfterMs: 1 })
    const readout = store.readAll(T0)
    expect(readout.complete).toBe(false)
    expect(readout.items.length).toBeGreaterThan(0)
    store.close()
    expect(closedCleanly(path)).toBe(false)
  })
})
