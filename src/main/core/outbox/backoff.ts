/** The first retry waits up to this long; each further failure doubles the ceiling. */
export const BACKOFF_BASE_MS = 2_000
/** The ceiling never grows past this: an app offline for a week still tries every few minutes. */
export const BACKOFF_CAP_MS = 5 * 60_000
/** 2^30 × base is far past any cap; stops the exponent from overflowing to Infinity. */
const MAX_EXPONENT = 30

export interface BackoffOptions {
  baseMs?: number
  capMs?: number
}

/**
 * Exponential backoff with full jitter: `random(0, min(cap, base·2^attempt))`. Full jitter
 * spreads many clients (and many items) evenly, so they do not retry in lockstep.
 * `attempt` counts from 0 (the first retry); `random` returns [0, 1) and is injected for tests.
 */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? BACKOFF_BASE_MS
  const cap = options.capMs ?? BACKOFF_CAP_MS
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), MAX_EXPONENT)
  const ceiling = Math.min(cap, base * 2 ** exponent)
  const unit = Math.min(Math.max(random(), 0), 1)
  return Math.floor(unit * ceiling)
}

/**
 * How long to wait before the next attempt: the backoff, or the server's `Retry-After` when it
 * asks for longer. A Retry-After shorter than the backoff is not a reason to come back sooner.
 */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number,
  options: BackoffOptions = {},
): number {
  const backoff = backoffDelay(attempt, random, options)
  return retryAfterMs === undefined ? backoff : Math.max(backoff, retryAfterMs)
}
