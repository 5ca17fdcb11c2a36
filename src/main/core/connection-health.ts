import type { ConnectionHealth as HealthView } from '../../shared/settings.ts'
import type { CreateContactOutcome } from './cloverhound-client.ts'

interface ProfileHealth {
  lastSuccessAt: number | undefined
  refused: HealthView['refused']
  generation: number
}

/**
 * What the server last said about each profile's connection, from every answer it gives: the sender's
 * and Test connection's. A 201, or the spec's 422 (which only comes after the key and the organization
 * passed), means it works; a 401 or 403 says which of the two it refused. Kept in memory per profile, so
 * switching profiles back and forth keeps what each was told; `reset` when a profile's settings change,
 * so an answer about its old ones is never shown for the new.
 */
export class ConnectionHealth {
  readonly #now: () => number
  readonly #profiles = new Map<string, ProfileHealth>()

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  view(profileId: string): HealthView {
    const health = this.#profiles.get(profileId)
    return {
      lastSuccessAt: health?.lastSuccessAt === undefined ? null : new Date(health.lastSuccessAt).toISOString(),
      refused: health?.refused ?? null,
    }
  }

  /** The profile's settings changed: nothing the server said so far is about them. */
  reset(profileId: string): void {
    this.#profiles.set(profileId, { lastSuccessAt: undefined, refused: null, generation: this.stamp(profileId) + 1 })
  }

  /** Taken before a request: its answer counts only if the profile's settings are still the ones it was sent with. */
  stamp(profileId: string): number {
    return this.#profiles.get(profileId)?.generation ?? 0
  }

  /** Notes what an answer says about the connection; other answers (5xx, network) say nothing about it. */
  record(profileId: string, outcome: CreateContactOutcome, stamp: number): void {
    if (stamp !== this.stamp(profileId)) return
    const health = this.#profiles.get(profileId) ?? { lastSuccessAt: undefined, refused: null, generation: stamp }
    if (outcome.kind === 'created' || (outcome.kind === 'invalid' && outcome.status === 422)) {
      health.lastSuccessAt = this.#now()
      health.refused = null
    } else if (outcome.kind === 'unauthorized') health.refused = 'key'
    else if (outcome.kind === 'forbidden') health.refused = 'organization'
    this.#profiles.set(profileId, health)
  }
}
