import { DEFAULT_PROFILE_ID } from '../../../shared/profiles.ts'
import type { OutboxTarget } from '../../../shared/outbox.ts'
import type { Connection } from '../credentials.ts'
import { QueueState } from './queue-state.ts'
import { targetOf, type WorkerCredentials } from './worker-connection.ts'

/**
 * One connection profile's share of the sender: its own queue state (so a refused key or organization pauses
 * only this profile), its connection once read, and where it last sent.
 */
export interface Lane {
  readonly profileId: string
  readonly queue: QueueState
  connection: Connection | undefined
  /** Where the profile's settings point now, key or not: its items for elsewhere are held. */
  target: OutboxTarget | undefined
  /** Where the last connection sent to: a change of server or organization starts the queue's view afresh. */
  lastTarget: OutboxTarget | undefined
}

/** The lanes of the profiles that exist now, in the user's order; which one is active. */
export class Lanes {
  readonly #lanes = new Map<string, Lane>()
  #activeId = DEFAULT_PROFILE_ID

  constructor() {
    this.#add(DEFAULT_PROFILE_ID)
  }

  get activeId(): string {
    return this.#activeId
  }

  get active(): Lane {
    return this.#lanes.get(this.#activeId) ?? this.#add(this.#activeId)
  }

  all(): Lane[] {
    return [...this.#lanes.values()]
  }

  get(profileId: string): Lane | undefined {
    return this.#lanes.get(profileId)
  }

  /** Follows the profile list: a new profile gets a fresh lane, a deleted one's goes. */
  async refresh(credentials: WorkerCredentials): Promise<void> {
    const ids = (await credentials.profileIds?.()) ?? [DEFAULT_PROFILE_ID]
    this.#activeId = (await credentials.activeProfileId?.()) ?? ids[0] ?? DEFAULT_PROFILE_ID
    for (const id of [...this.#lanes.keys()]) if (!ids.includes(id)) this.#lanes.delete(id)
    for (const id of ids) if (!this.#lanes.has(id)) this.#add(id)
    for (const lane of this.#lanes.values()) {
      // An unreadable settings file leaves the target unknown; reading the connection then says why.
      const profile = await credentials.profile(lane.profileId).catch(() => undefined)
      lane.target = profile && targetOf(profile)
    }
  }

  /** The lane's target now: from its connection once read, else from its settings alone. */
  static targetOf(lane: Lane): OutboxTarget | undefined {
    return lane.connection ? targetOf(lane.connection.profile) : lane.target
  }

  #add(profileId: string): Lane {
    const lane: Lane = {
      profileId,
      queue: new QueueState(),
      connection: undefined,
      target: undefined,
      lastTarget: undefined,
    }
    this.#lanes.set(profileId, lane)
    return lane
  }
}
