// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type * as FirstPaint from '../../../src/renderer/src/first-paint.ts'

/** A fresh copy of the module each time: whether start-up defers is the module's own state. */
const freshModule = async (): Promise<typeof FirstPaint> => {
  vi.resetModules()
  return import('../../../src/renderer/src/first-paint.ts')
}

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('afterFirstPaint', () => {
  it('runs work at once when start-up defers nothing (a view mounted without main.ts)', async () => {
    const { afterFirstPaint } = await freshModule()
    const task = vi.fn()
    afterFirstPaint(task)
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('once start-up defers, waits for the frame after the mount, then runs each task once', async () => {
    const { afterFirstPaint, deferUntilFirstPaint } = await freshModule()
    deferUntilFirstPaint()
    deferUntilFirstPaint()
    const task = vi.fn()
    afterFirstPaint(task)
    await Promise.resolve()
    expect(task).not.toHaveBeenCalled()
    await vi.waitFor(() => expect(task).toHaveBeenCalledTimes(1))
    // Later work, the frame long painted, waits only for a microtask.
    const later = vi.fn()
    afterFirstPaint(later)
    await Promise.resolve()
    expect(later).toHaveBeenCalledTimes(1)
    expect(task).toHaveBeenCalledTimes(1)
  })

  /** Start-up in a window Electron has not shown yet; `show` turns it visible, as `window.show()` does. */
  async function deferInHiddenWindow(): Promise<{ task: ReturnType<typeof vi.fn>; show(): void }> {
    let state: DocumentVisibilityState = 'hidden'
    vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => state)
    vi.useFakeTimers()
    const { afterFirstPaint, deferUntilFirstPaint } = await freshModule()
    deferUntilFirstPaint()
    const task = vi.fn()
    afterFirstPaint(task)
    return {
      task,
      show: () => {
        state = 'visible'
        document.dispatchEvent(new Event('visibilitychange'))
      },
    }
  }

  it('in a window not shown yet, waits until it is shown (Electron shows it once its first frame is ready)', async () => {
    const { task, show } = await deferInHiddenWindow()
    await vi.advanceTimersByTimeAsync(500)
    // A visibility event while the window is still hidden is not the window being shown.
    document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(0)
    expect(task).not.toHaveBeenCalled()
    show()
    await vi.advanceTimersByTimeAsync(0)
    expect(task).toHaveBeenCalledTimes(1)
  })

  it('never waits more than a second, whatever happens to paints and frames', async () => {
    const { task } = await deferInHiddenWindow()
    await vi.advanceTimersByTimeAsync(999)
    expect(task).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(task).toHaveBeenCalledTimes(1)
  })
})
