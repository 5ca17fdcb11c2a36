/**
 * What start-up can leave until its first frame is on screen (the phone metadata, the queue's status,
 * the outbox file's access): main.ts turns the wait on before it mounts. Mounted without main.ts (the
 * unit tests), nothing waits.
 */
let firstPaint: Promise<void> | null = null

/** From now on, work passed to afterFirstPaint waits for the first contentful paint. */
export function deferUntilFirstPaint(): void {
  firstPaint ??= new Promise<void>((resolve) => {
    if (document.visibilityState !== 'visible') {
      // A window shown once its first frame is ready (Electron's ready-to-show) has painted when it turns visible.
      const shown = (): void => {
        if (document.visibilityState !== 'visible') return
        document.removeEventListener('visibilitychange', shown)
        resolve()
      }
      document.addEventListener('visibilitychange', shown)
    } else if (PerformanceObserver.supportedEntryTypes?.includes('paint')) {
      new PerformanceObserver((entries, observer) => {
        if (entries.getEntriesByName('first-contentful-paint').length === 0) return
        observer.disconnect()
        resolve()
      }).observe({ type: 'paint', buffered: true })
    } else {
      // Without paint timing, a timer set in a frame runs after that frame.
      requestAnimationFrame(() => setTimeout(resolve, 0))
    }
    // Whatever happens to paints and frames, the work must not wait long.
    setTimeout(resolve, 1_000)
  })
}

/** Runs `task` once the first frame is on screen, or at once when start-up defers nothing. */
export function afterFirstPaint(task: () => void): void {
  if (firstPaint) void firstPaint.then(task)
  else task()
}
