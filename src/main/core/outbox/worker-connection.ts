import { itemError } from '../../../shared/item-error.ts'
import type { OutboxTarget } from '../../../shared/outbox.ts'
import { queueReason, type QueueReason } from '../../../shared/queue-reason.ts'
import { apiKeyBinding, sameApiKeyBinding, type ConnectionProfile } from '../../../shared/settings.ts'
import type { Connection } from '../credentials.ts'
import { KeychainUnavailableError } from '../secret-store.ts'
import type { SendDecision } from './decide-outcome.ts'

/**
 * What the worker needs from Credentials: each profile alone, and with its key. A source without the profile
 * list has one profile, the default one.
 */
export interface WorkerCredentials {
  connection(profileId: string): Promise<Connection | undefined>
  profile(profileId: string): Promise<ConnectionProfile | undefined>
  profileIds?(): Promise<string[]>
  activeProfileId?(): Promise<string>
}

/**
 * The connection, or why there is none; `transient` when the same read may succeed later with no
 * one acting (a keychain still locked or not yet running), so trying again by itself is worth it.
 */
export type ResolvedConnection =
  | { connection: Connection; blocked?: undefined; transient?: undefined }
  | { connection?: undefined; blocked: QueueReason; transient: boolean }

/** The connection to send with, or why there is none, as a reason the renderer puts in words. */
export async function resolveConnection(
  credentials: WorkerCredentials,
  profileId: string,
): Promise<ResolvedConnection> {
  try {
    const connection = await credentials.connection(profileId)
    if (connection) return { connection }
    const profile = await credentials.profile(profileId)
    return {
      blocked: profile
        ? queueReason('no_api_key', { host: new URL(profile.baseUrl).host })
        : queueReason('no_connection', {}),
      transient: false,
    }
  } catch (error) {
    return {
      // The keychain's own words (how to fix it) are the Settings page's to tell: the status only points there.
      blocked:
        error instanceof KeychainUnavailableError
          ? queueReason('keychain_unavailable', {})
          : queueReason('settings_unreadable', {}),
      transient: error instanceof KeychainUnavailableError,
    }
  }
}

/** What one request is sent with: the item's own server and organization, and a key entered for that server. */
export interface RequestCredentials {
  profile: ConnectionProfile
  apiKey: string
}

/**
 * The last check before an `Authorization` header is made: the key goes only to the server (origin) and
 * with the key ID it was entered for, whatever the item or the settings say now.
 */
export function requestCredentials(target: OutboxTarget, connection: Connection): RequestCredentials | undefined {
  const profile = { ...target, apiKeyId: connection.profile.apiKeyId }
  return sameApiKeyBinding(apiKeyBinding(profile), connection.boundTo)
    ? { profile, apiKey: connection.apiKey }
    : undefined
}

/** An item whose server has no key of its own stays queued, and the queue stops until the key is entered. */
export function noKeyForServer(target: OutboxTarget): SendDecision {
  const host = new URL(target.baseUrl).host
  return {
    kind: 'pause_auth',
    lastError: itemError('no_key_for_server', { host }),
    queueReason: queueReason('no_key_for_server', { host }),
  }
}

/** Where an item goes: only these two decide it, so a new API key does not strand anything. */
export function targetOf(profile: ConnectionProfile): OutboxTarget {
  return { baseUrl: profile.baseUrl, organizationId: profile.organizationId }
}

export function sameTarget(a: OutboxTarget, b: OutboxTarget): boolean {
  return a.baseUrl === b.baseUrl && a.organizationId === b.organizationId
}
