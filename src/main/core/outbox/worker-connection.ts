import type { OutboxTarget } from '../../../shared/outbox.ts'
import type { ConnectionProfile } from '../../../shared/settings.ts'
import { keychainMessage, type Connection } from '../credentials.ts'
import { KeychainUnavailableError } from '../secret-store.ts'

/** What the worker needs from Credentials: the profile alone, and the profile with its key. */
export interface WorkerCredentials {
  connection(): Promise<Connection | undefined>
  profile(): Promise<ConnectionProfile | undefined>
}

/**
 * The connection, or why there is none; `transient` when the same read may succeed later with no
 * one acting (a keychain still locked or not yet running), so trying again by itself is worth it.
 */
export type ResolvedConnection =
  | { connection: Connection; blocked?: undefined; transient?: undefined }
  | { connection?: undefined; blocked: string; transient: boolean }

/** The connection to send with, or why there is none, in words for the status line. */
export async function resolveConnection(credentials: WorkerCredentials): Promise<ResolvedConnection> {
  try {
    const connection = await credentials.connection()
    if (connection) return { connection }
    const profile = await credentials.profile()
    return {
      blocked: profile
        ? 'Waiting for the API key: add it in Settings.'
        : 'Not connected yet: add the connection in Settings.',
      transient: false,
    }
  } catch (error) {
    return {
      blocked:
        error instanceof KeychainUnavailableError
          ? keychainMessage(error)
          : 'The app could not read its connection settings or the keychain. Open Settings and save them again.',
      transient: error instanceof KeychainUnavailableError,
    }
  }
}

/** Where an item goes: only these two decide it, so a new API key does not strand anything. */
export function targetOf(profile: ConnectionProfile): OutboxTarget {
  return { baseUrl: profile.baseUrl, organizationId: profile.organizationId }
}

export function sameTarget(a: OutboxTarget, b: OutboxTarget): boolean {
  return a.baseUrl === b.baseUrl && a.organizationId === b.organizationId
}
