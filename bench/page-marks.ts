// What the page itself records while the bench drives it: every animation frame's time and every
// long task Chromium reports (PerformanceObserver 'longtask': a task over 50 ms on the main thread).
import type { Page } from '@playwright/test'

export const FRAME_MS = 1000 / 60
export const LONG_TASK_AIM_MS = 50

export interface PageMarks {
  frameTimes: number[]
  longTasks: { start: number; duration: number }[]
}

export interface MarksSummary {
  frames: number
  droppedFrames: number
  medianFrameMs: number
  longTasks: number
  longestTaskMs: number
  overAim: number
}

/** Starts recording in the page; the returned stop() ends it and hands the marks back. */
export async function recordMarks(page: Page): Promise<{ stop(): Promise<PageMarks> }> {
  await page.evaluate(() => {
    const marks = { frameTimes: [] as number[], longTasks: [] as { start: number; duration: number }[] }
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) marks.longTasks.push({ start: entry.startTime, duration: entry.duration })
    })
    observer.observe({ type: 'longtask' })
    const state = { marks, running: true, observer }
    ;(window as unknown as { __marks: typeof state }).__marks = state
    const frame = (time: number): void => {
      if (!state.running) return
      marks.frameTimes.push(time)
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  })
  return {
    stop: () =>
      page.evaluate(async () => {
        const state = (
          window as unknown as { __marks: { marks: PageMarks; running: boolean; observer: PerformanceObserver } }
        ).__marks
        // Two frames more, so a long task that ended the interaction is reported before the observer goes.
        await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))
        for (const entry of state.observer.takeRecords())
          state.marks.longTasks.push({ start: entry.startTime, duration: entry.duration })
        state.running = false
        state.observer.disconnect()
        return state.marks
      }),
  }
}

export function summarizeMarks(marks: PageMarks): MarksSummary {
  const gaps = marks.frameTimes.slice(1).map((t, i) => t - marks.frameTimes[i]!)
  const sorted = [...gaps].sort((a, b) => a - b)
  return {
    frames: marks.frameTimes.length,
    droppedFrames: gaps.filter((gap) => gap > 1.5 * FRAME_MS).length,
    medianFrameMs: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN,
    longTasks: marks.longTasks.length,
    longestTaskMs: Math.max(0, ...marks.longTasks.map((t) => t.duration)),
    overAim: marks.longTasks.filter((t) => t.duration > LONG_TASK_AIM_MS).length,
  }
}
