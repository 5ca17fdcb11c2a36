import type { QueueEffect } from './record-decision.ts'
import type { QueueCondition } from './sync-status.ts'

/**
 * The queue-level state of one connection profile (DESIGN.md "The outbox"): why nothing is being
 * sent right now, if anything stops it. Kept apart from the worker's scheduling so each reads simply.
 */
export class QueueState {
  /** No usable connection (no profile, no key, keychain unavailable): the words say which. */
  blocked: string | undefined
  /** 401/403 for this profile: cleared only when the credentials change. */
  authPause: string | undefined
  /** The server asked everyone to wait until then. */
  waitUntil: number | undefined
  offline = false
  /**
   * Offline, the next probe waits until then: a backoff for the whole queue, so a long outage
   * costs one request every few minutes however many contacts are waiting.
   */
  probeAt: number | undefined
  /** Probes that found no way through since the last answer; the exponent of the probe backoff. */
  unreachableCount = 0
  /** Set on coming back online: what waited out its backoff while offline goes now. */
  forceAll = false
  #lastHint: boolean | undefined

  /** Only a change in the platform's hint counts: a steady hint does not override what requests showed. */
  applyPlatformHint(online: boolean): void {
    if (online === this.#lastHint) return
    this.#lastHint = online
    this.setOffline(!online)
  }

  setOffline(offline: boolean): void {
    if (this.offline && !offline) this.forceAll = true
    if (!offline) {
      this.probeAt = undefined
      this.unreachableCount = 0
    }
    this.offline = offline
  }

  /** Whether a send may start now: offline, only once the probe backoff is over. */
  mayProbe(now: number): boolean {
    return !this.offline || this.probeAt === undefined || now >= this.probeAt
  }

  /** Whether the server's wait still holds; forgets it once it is over. */
  isWaiting(now: number): boolean {
    if (this.waitUntil !== undefined && now >= this.waitUntil) this.waitUntil = undefined
    return this.waitUntil !== undefined
  }

  /**
   * `current` is false when the reply came for credentials that have been replaced since;
   * `probeDelay` gives the wait before the next probe after `unreachableCount` failures.
   */
  apply(effect: QueueEffect, current: boolean, now: number, probeDelay: (failures: number) => number): void {
    if (effect.reached === false) {
      this.setOffline(true)
      this.probeAt = now + probeDelay(this.unreachableCount)
      this.unreachableCount += 1
    }
    if (effect.reached === true) this.setOffline(false)
    if (effect.waitUntil !== undefined) this.waitUntil = Math.max(this.waitUntil ?? 0, effect.waitUntil)
    if (effect.pauseMessage !== undefined && current) this.authPause = effect.pauseMessage
  }

  condition(now: number): QueueCondition {
    if (this.blocked !== undefined) return { state: 'not_configured', message: this.blocked }
    if (this.authPause !== undefined) return { state: 'paused_auth', message: this.authPause }
    if (this.waitUntil !== undefined && now < this.waitUntil) return { state: 'waiting', until: this.waitUntil }
    return this.offline ? { state: 'offline' } : { state: 'running' }
  }
}
