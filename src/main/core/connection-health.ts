import type { ConnectionHealth as HealthView } from '../../shared/settings.ts'
import type { CloverhoundClient, CreateContactOutcome } from './cloverhound-client.ts'

type CreateContactClient = Pick<CloverhoundClient, 'createContact'>

/**
 * What the server last said about the connection itself, from every answer it gives: the sender's
 * and Test connection's. A 201, or the spec's 422 (which only comes after the key and the organization
 * passed), means it works; a 401 or 403 says which of the two it refused. Kept in memory for the
 * settings in force; `reset` when they change, so an answer about the old ones is never shown for the new.
 */
export class ConnectionHealth {
  readonly #now: () => number
  #lastSuccessAt: number | undefined
  #refused: HealthView['refused'] = null
  #generation = 0

  constructor(now: () => number = Date.now) {
    this.#now = now
  }

  view(): HealthView {
    return {
      lastSuccessAt: this.#lastSuccessAt === undefined ? null : new Date(this.#lastSuccessAt).toISOString(),
      refused: this.#refused,
    }
  }

  /** The settings changed: nothing the server said so far is about them. */
  reset(): void {
    this.#generation += 1
    this.#lastSuccessAt = undefined
    this.#refused = null
  }

  /** Taken before a request: its answer counts only if the settings are still the ones it was sent with. */
  stamp(): number {
    return this.#generation
  }

  /** Notes what an answer says about the connection; other answers (5xx, network) say nothing about it. */
  record(outcome: CreateContactOutcome, stamp: number): void {
    if (stamp !== this.#generation) return
    if (outcome.kind === 'created' || (outcome.kind === 'invalid' && outcome.status === 422)) {
      this.#lastSuccessAt = this.#now()
      this.#refused = null
    } else if (outcome.kind === 'unauthorized') this.#refused = 'key'
    else if (outcome.kind === 'forbidden') this.#refused = 'organization'
  }

  /** The client as the sender uses it, with every answer noted here on the way back. */
  watch(client: CreateContactClient): CreateContactClient {
    return {
      createContact: async (call) => {
        const stamp = this.stamp()
        const outcome = await client.createContact(call)
        this.record(outcome, stamp)
        return outcome
      },
    }
  }
}
