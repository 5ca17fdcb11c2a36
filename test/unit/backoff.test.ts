import { describe, expect, it } from 'vitest'
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay, retryDelay } from '../../src/main/core/outbox/backoff.ts'

const top = (): number => 0.999_999_999
const zero = (): number => 0
const half = (): number => 0.5

describe('backoffDelay (exponential, full jitter)', () => {
  it('doubles the ceiling with every attempt, starting at the base', () => {
    expect(backoffDelay(0, top)).toBe(BACKOFF_BASE_MS - 1)
    expect(backoffDelay(1, top)).toBe(2 * BACKOFF_BASE_MS - 1)
    expect(backoffDelay(3, top)).toBe(8 * BACKOFF_BASE_MS - 1)
  })

  it('never goes past the cap, however many attempts', () => {
    for (const attempt of [8, 20, 1_000, Number.MAX_SAFE_INTEGER, Infinity]) {
      const delay = backoffDelay(attempt, top)
      expect(delay).toBeLessThan(BACKOFF_CAP_MS)
      expect(delay).toBeGreaterThan(BACKOFF_CAP_MS - 10)
    }
  })

  it('spreads the delay uniformly over [0, ceiling): full jitter, not equal jitter', () => {
    expect(backoffDelay(4, zero)).toBe(0)
    expect(backoffDelay(4, half)).toBe(8 * BACKOFF_BASE_MS)
  })

  it('stays in range with a real random source', () => {
    for (let attempt = 0; attempt < 40; attempt++) {
      const delay = backoffDelay(attempt, Math.random)
      expect(delay).toBeGreaterThanOrEqual(0)
      expect(delay).toBeLessThan(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt))
      expect(Number.isInteger(delay)).toBe(true)
    }
  })

  it('treats a negative or fractional attempt as the first, and clamps a random source out of range', () => {
    expect(backoffDelay(-3, top)).toBe(BACKOFF_BASE_MS - 1)
    expect(backoffDelay(0.7, top)).toBe(BACKOFF_BASE_MS - 1)
    expect(backoffDelay(2, () => 7)).toBe(4 * BACKOFF_BASE_MS)
    expect(backoffDelay(2, () => -1)).toBe(0)
  })

  it('takes its base and cap as options', () => {
    expect(backoffDelay(10, top, { baseMs: 10, capMs: 100 })).toBe(99)
    expect(backoffDelay(1, half, { baseMs: 10, capMs: 100 })).toBe(10)
  })
})

describe('retryDelay (backoff and Retry-After)', () => {
  it('uses the backoff when the server gave no Retry-After', () => {
    expect(retryDelay(2, undefined, half)).toBe(backoffDelay(2, half))
  })

  it('waits at least as long as Retry-After asks', () => {
    expect(retryDelay(0, 60_000, top)).toBe(60_000)
  })

  it('keeps the longer backoff when Retry-After asks for less', () => {
    expect(retryDelay(6, 1_000, top)).toBe(backoffDelay(6, top))
    expect(retryDelay(6, 0, top)).toBe(backoffDelay(6, top))
  })
})
