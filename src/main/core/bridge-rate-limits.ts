import type { CommandName } from '../../shared/bridge-names.ts'

/** A token bucket's shape: `burst` calls at once, refilled at `perSecond`. */
export interface RateLimit {
  burst: number
  perSecond: number
}

/**
 * Per command and window. Far above what the app does — a user saving contacts as fast as they can
 * paste, the outbox list paging and refreshing thousands of rows while the worker drains — and low
 * enough that a page stuck in a loop (or a hostile one) cannot keep main or the keychain busy.
 */
const LIST_READS: RateLimit = { burst: 5_000, perSecond: 2_500 }
const KEYCHAIN_AND_REPORTS: RateLimit = { burst: 20, perSecond: 2 }
export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 200, perSecond: 50 }

export const BRIDGE_RATE_LIMITS: Readonly<Partial<Record<CommandName, RateLimit>>> = {
  getSettings: LIST_READS,
  listOutbox: LIST_READS,
  getOutboxItem: LIST_READS,
  getOutboxItems: LIST_READS,
  getSyncStatus: LIST_READS,
  // Asked while the user types (debounced), like the list's reads.
  findDuplicates: LIST_READS,
  findDuplicatesOfMany: LIST_READS,
  saveSettings: KEYCHAIN_AND_REPORTS,
  removeApiKey: KEYCHAIN_AND_REPORTS,
  getDiagnostics: KEYCHAIN_AND_REPORTS,
  reportConnectivity: KEYCHAIN_AND_REPORTS,
  // Each reads the keychain (the new view says whether a key is stored); a held-down shortcut must not hammer it.
  switchProfile: KEYCHAIN_AND_REPORTS,
  manageProfile: KEYCHAIN_AND_REPORTS,
}

export function rateLimitOf(name: CommandName): RateLimit {
  return BRIDGE_RATE_LIMITS[name] ?? DEFAULT_RATE_LIMIT
}

/** A classic token bucket on an injected clock (ms); `take` answers how long to wait when empty. */
export class TokenBucket {
  #tokens: number
  #updatedAt: number
  readonly #limit: RateLimit

  constructor(limit: RateLimit, now: number) {
    this.#limit = limit
    this.#tokens = limit.burst
    this.#updatedAt = now
  }

  /** Takes one token: 0 when there was one, otherwise the ms until there will be. */
  take(now: number): number {
    const elapsed = Math.max(0, now - this.#updatedAt)
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + (elapsed * this.#limit.perSecond) / 1000)
    this.#updatedAt = now
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return 0
    }
    return Math.ceil(((1 - this.#tokens) * 1000) / this.#limit.perSecond)
  }
}
