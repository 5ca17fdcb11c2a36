import { describe, expect, it } from 'vitest'
import { nextBatchSize, sliceClock } from '../../src/main/core/time-slices.ts'

describe('nextBatchSize', () => {
  it('sizes the next batch to the budget from what the last one cost per item', () => {
    expect(nextBatchSize({ items: 25, ms: 10 }, 1_000, 8)).toBe(20)
    expect(nextBatchSize({ items: 100, ms: 4 }, 1_000, 8)).toBe(200)
  })

  it('keeps to at least one item and at most the maximum', () => {
    expect(nextBatchSize({ items: 1, ms: 500 }, 1_000, 8)).toBe(1)
    expect(nextBatchSize({ items: 25, ms: 0.01 }, 1_000, 8)).toBe(1_000)
    expect(nextBatchSize({ items: 25, ms: 0 }, 1_000, 8)).toBe(1_000)
  })
})

describe('sliceClock', () => {
  it('says the budget is spent once that long has passed, and starts again on restart', async () => {
    const clock = sliceClock(50)
    expect(clock.spent()).toBe(false)
    await new Promise((resolve) => setTimeout(resolve, 60))
    expect(clock.spent()).toBe(true)
    clock.restart()
    expect(clock.spent()).toBe(false)
  })
})
