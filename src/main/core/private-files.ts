import { chmodSync, mkdirSync, statSync } from 'node:fs'

/**
 * Owner-only modes for the app's data on POSIX: the folder 0700, each file 0600 (contacts and the
 * connection settings are nobody else's business on a shared machine). On Windows the profile folder's
 * ACL already limits it to the user, and chmod could only toggle the read-only flag, so nothing is changed.
 * Synchronous on purpose: a few metadata calls, used by the synchronous outbox open and the settings writer alike.
 */
export const PRIVATE_FOLDER_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

const isPosix = (): boolean => process.platform !== 'win32'

/** Creates the folder (and missing parents) as 0700, and takes group and other access off one that existed. */
export function ensurePrivateFolder(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE })
  restrictToOwner(dir)
}

/**
 * Takes group and other access off an existing file or folder (one written by an older version, say).
 * The owner's own bits stay as they are, so a file the user made read-only stays read-only. Missing is fine.
 */
export function restrictToOwner(path: string): void {
  if (!isPosix()) return
  let mode: number
  try {
    mode = statSync(path).mode & 0o777
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700)
}
