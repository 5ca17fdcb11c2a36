/** The timer functions the worker uses, injectable so tests can drive time. Handles are opaque. */
export interface WorkerTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** setTimeout's own ceiling (2^31 − 1 ms); a longer delay would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647

export const realTimers: WorkerTimers = {
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, Math.min(Math.max(0, ms), MAX_TIMER_MS))
    // A pending retry is no reason to keep the process alive; the app's lifecycle decides that.
    timer.unref()
    return timer
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>)
  },
}

/** Resolves true when `promise` settles within `ms`, false when the time runs out first. */
export async function waitFor(promise: Promise<unknown>, ms: number, timers: WorkerTimers): Promise<boolean> {
  let handle: unknown
  const timeout = new Promise<false>((resolve) => {
    handle = timers.setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([
      promise.then(
        () => true as const,
        () => true as const,
      ),
      timeout,
    ])
  } finally {
    timers.clearTimeout(handle)
  }
}
