import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { PRIVATE_FILE_MODE } from '../private-files.ts'

/**
 * The note the app leaves beside the outbox file when it closes it cleanly: the file's identity, size and
 * times at that moment. A file that still matches its note has been written since its last full check
 * only through SQLite's own transactions, in sessions that ended cleanly and met no damage, so the next
 * open can skip SQLite's page check (`quick_check` reads every page: seconds at a million items).
 * A crash (SQLite's WAL is still there), damage met while open, a copy or restore over the file, or any
 * write by another program leaves no match, and the file gets the full check again.
 */
const NOTE_SUFFIX = '-clean-close'
/**
 * File systems stamp times from a coarse clock (a 4–10 ms tick on Linux, 15.6 ms on Windows): a write in
 * the same tick as the note could leave the times unchanged. The note is written only once the file's
 * last change is older than this, so any later write gives it a later time (git's "racy clean" rule).
 */
const TIME_GRANULARITY_MS = 50

interface CleanCloseNote {
  dev: string
  ino: string
  size: string
  mtimeNs: string
  ctimeNs: string
}

/** True when the file is as the app left it at its last clean close. */
export function closedCleanly(path: string): boolean {
  try {
    if (existsSync(`${path}-wal`)) return false
    const note = JSON.parse(readFileSync(notePath(path), 'utf8')) as unknown
    const now = describe(path)
    return (
      typeof note === 'object' &&
      note !== null &&
      (Object.keys(now) as (keyof CleanCloseNote)[]).every((key) => (note as CleanCloseNote)[key] === now[key])
    )
  } catch {
    // No note, an unreadable one or no file: the full check decides.
    return false
  }
}

/** Removed before the file is opened for writing, so a session that does not end cleanly leaves none. */
export function forgetCleanClose(path: string): void {
  try {
    rmSync(notePath(path), { force: true })
  } catch {
    // A note left behind still cannot match: a crash leaves the WAL, and a checkpoint changes the file's times.
  }
}

/** After the last connection closed the file (SQLite then folds the WAL into it and removes it). */
export function recordCleanClose(path: string): void {
  try {
    if (existsSync(`${path}-wal`)) return
    const quietFrom = Math.ceil(Number(statSync(path, { bigint: true }).ctimeNs) / 1e6) + TIME_GRANULARITY_MS
    // Blocking on purpose, and only at close: TIME_GRANULARITY_MS at most.
    while (Date.now() < quietFrom) pause(quietFrom - Date.now())
    writeFileSync(notePath(path), JSON.stringify(describe(path)), { mode: PRIVATE_FILE_MODE })
  } catch {
    // Without a note the next open runs the full check: slower, never less safe.
  }
}

/** Sleeps where the thread may block; where it may not (Chromium forbids it on some), returns at once. */
function pause(ms: number): void {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
  } catch {
    // The caller's loop then waits on the clock itself.
  }
}

function notePath(path: string): string {
  return `${path}${NOTE_SUFFIX}`
}

function describe(path: string): CleanCloseNote {
  const stat = statSync(path, { bigint: true })
  return {
    dev: String(stat.dev),
    ino: String(stat.ino),
    size: String(stat.size),
    mtimeNs: String(stat.mtimeNs),
    ctimeNs: String(stat.ctimeNs),
  }
}
