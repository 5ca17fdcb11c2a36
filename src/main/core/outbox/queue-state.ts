import type { QueueReason } from '../../../shared/queue-reason.ts'
import type { QueueEffect } from './record-decision.ts'
import type { QueueCondition } from './sync-status.ts'
import type { ResolvedConnection } from './worker-connection.ts'

/**
 * While the keychain is unavailable, how often the worker reads the credentials again by itself
 * (Signal Desktop's job manager ticks the same way): slow, since each read may ask the OS keychain.
 */
export const KEYCHAIN_RETRY_MS = 60_000

/**
 * The queue-level state of one connection profile (docs/architecture.md "The outbox"): why nothing is being
 * sent right now, if anything stops it, and when to look again. Every rule about it lives here;
 * the worker reports what happened and asks what follows.
 */
export class QueueState {
  /** No usable connection (no profile, no key, keychain unavailable): the reason says which. */
  #blocked: { reason: QueueReason; transient: boolean } | undefined
  /** 401/403 for this profile: cleared only when the credentials change. */
  #authPause: QueueReason | undefined
  /** The server asked everyone to wait until then. */
  #waitUntil: number | undefined
  /** The platform (or the renderer) says there is no network at all. */
  #offline = false
  /** The network is there but the API could not be reached (refused, DNS, TLS): a request found out. */
  #unreachable = false
  /**
   * Offline or unreachable, the next probe waits until then: a backoff for the whole queue, so a
   * long outage costs one request every few minutes however many contacts are waiting.
   */
  #probeAt: number | undefined
  /** Probes that found no way through since the last answer; the exponent of the probe backoff. */
  #unreachableCount = 0
  /** Set on coming back online or by "Send now" for all: what waited out its backoff goes now. */
  #forceAll = false
  #lastHint: boolean | undefined

  /** The connection was read: none blocks the queue until the next read finds one. */
  connectionResolved(resolved: ResolvedConnection): void {
    this.#blocked =
      resolved.connection === undefined ? { reason: resolved.blocked, transient: resolved.transient } : undefined
  }

  /** New credentials deserve a try: a refusal of the old ones no longer holds. */
  credentialsChanged(): void {
    this.#authPause = undefined
  }

  /**
   * The settings now point at another server or organization: what the old one showed (unreachable,
   * asked to wait) no longer holds, so the next request finds out afresh. No network stays no network.
   */
  targetChanged(): void {
    if (this.#unreachable) this.#forceAll = true
    this.#unreachable = false
    this.#waitUntil = undefined
    this.#probeAt = undefined
    this.#unreachableCount = 0
  }

  /**
   * The user asked for one more try now (`all`: every queued item); the reply decides the state
   * after it. Offline, it goes as the probe: one request finds out whether the way is open again.
   */
  sendNowRequested(all: boolean): void {
    if (all) this.#forceAll = true
    this.#waitUntil = undefined
    this.#probeAt = undefined
  }

  /** Whether every queued item should go now regardless of its backoff; asking answers it once. */
  takeForceAll(): boolean {
    const force = this.#forceAll
    this.#forceAll = false
    return force
  }

  /** Only a change in the platform's hint counts: a steady hint does not override what requests showed. */
  applyPlatformHint(online: boolean): void {
    if (online === this.#lastHint) return
    this.#lastHint = online
    this.connectivityReported(online)
  }

  /**
   * The renderer's (or the platform's) word on connectivity, until an answered request corrects it.
   * Coming back online ends an unreachable spell too: most often the network was the cause.
   */
  connectivityReported(online: boolean): void {
    if (online) this.#wayOpen()
    else this.#offline = true
  }

  /** Whether a send may start now: not paused, not told to wait, and offline or unreachable only once the probe backoff is over. */
  maySend(now: number): boolean {
    return this.#blocked === undefined && this.#authPause === undefined && !this.#isWaiting(now) && this.#mayProbe(now)
  }

  /** How many requests may be in flight at once: while offline or unreachable, one probes for the way back; the rest wait. */
  concurrency(maxInFlight: number): number {
    return this.#down() ? 1 : maxInFlight
  }

  /**
   * When the worker should look again by itself, given the earliest due item, or undefined for
   * never: only a kick (new credentials, Settings saved, a new contact) can change the answer then.
   */
  wakeAt(now: number, nextDue: number | undefined): number | undefined {
    // Only an unavailable keychain can heal unseen; a missing profile or key needs the user, so no tick.
    if (this.#blocked !== undefined) return this.#blocked.transient ? now + KEYCHAIN_RETRY_MS : undefined
    if (this.#authPause !== undefined) return undefined
    let at = nextDue
    // The server's wait ends (and the status changes) even with nothing queued.
    if (this.#waitUntil !== undefined) at = Math.max(at ?? this.#waitUntil, this.#waitUntil)
    if (this.#down() && this.#probeAt !== undefined && at !== undefined) at = Math.max(at, this.#probeAt)
    return at
  }

  /**
   * `current` is false when the reply came for credentials that have been replaced since;
   * `probeDelay` gives the wait before the next probe after `unreachableCount` failures.
   */
  apply(effect: QueueEffect, current: boolean, now: number, probeDelay: (failures: number) => number): void {
    if (effect.reached === false) {
      this.#unreachable = true
      this.#probeAt = now + probeDelay(this.#unreachableCount)
      this.#unreachableCount += 1
    }
    if (effect.reached === true) this.#wayOpen()
    if (effect.waitUntil !== undefined) this.#waitUntil = Math.max(this.#waitUntil ?? 0, effect.waitUntil)
    if (effect.pauseReason !== undefined && current) this.#authPause = effect.pauseReason
  }

  condition(now: number): QueueCondition {
    if (this.#blocked !== undefined) return { state: 'not_configured', reason: this.#blocked.reason }
    if (this.#authPause !== undefined) return { state: 'paused_auth', reason: this.#authPause }
    if (this.#waitUntil !== undefined && now < this.#waitUntil) return { state: 'waiting', until: this.#waitUntil }
    // No network explains an unreachable server, so it is what the user is told.
    if (this.#offline) return { state: 'offline' }
    return this.#unreachable ? { state: 'unreachable' } : { state: 'running' }
  }

  /** The platform says online, or the server answered: the probe backoff is over, the backlog goes once. */
  #wayOpen(): void {
    if (this.#down()) this.#forceAll = true
    this.#offline = false
    this.#unreachable = false
    this.#probeAt = undefined
    this.#unreachableCount = 0
  }

  #down(): boolean {
    return this.#offline || this.#unreachable
  }

  /** Whether the server's wait still holds; forgets it once it is over. */
  #isWaiting(now: number): boolean {
    if (this.#waitUntil !== undefined && now >= this.#waitUntil) this.#waitUntil = undefined
    return this.#waitUntil !== undefined
  }

  #mayProbe(now: number): boolean {
    return !this.#down() || this.#probeAt === undefined || now >= this.#probeAt
  }
}
