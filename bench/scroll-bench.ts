// A fast scroll down the Outbox at 100k items in Chromium (the real renderer over the web preview):
// how often the end of the viewport shows "Loading more…" (the list outran its pages), how many
// frames were dropped, and the long tasks the page ran; then filter switches and typing (ui-interactions.ts).
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Page } from '@playwright/test'
import type { BenchContext } from './bench-context.ts'
import { eventRelay, NOWHERE, saveConnection, startBenchCore } from './bench-core.ts'
import { openOutbox, serveApp } from './app-in-chromium.ts'
import { DeadlineError, withDeadline } from './deadline.ts'
import { RESULTS_DIR, format, row } from './report.ts'
import { round } from './stats.ts'
import { benchInteractions } from './ui-interactions.ts'

/** OutboxView's ROW_HEIGHT (px). */
const ROW_HEIGHT = 76
const ROWS_PER_FRAME = 20
const ROWS_TO_SCROLL = 10_000
const FRAME_MS = 1000 / 60
const LONG_TASK_AIM_MS = 50
const SCROLL_TIMEOUT_MS = 180_000

/** What the page recorded, frame by frame, while it was scrolled. */
interface ScrollMarks {
  frameTimes: number[]
  /** Frames in which the "Loading more…" row was inside the visible part of the list. */
  loadingFrames: number
  longTasks: { start: number; duration: number }[]
  scrolledPx: number
}

export async function benchScroll(ctx: BenchContext): Promise<void> {
  const items = ctx.config.scrollItems
  const dataDir = ctx.folders.folder(items)
  const relay = eventRelay()
  const core = await startBenchCore({ dataDir, relay })
  const app = await serveApp(core, relay, ctx.config.rendererDir)
  let page: Page | undefined
  try {
    await saveConnection(core, NOWHERE)
    // All: every item, so the list is as long as the history.
    page = await openOutbox(await ctx.browser(), app.server.url, 'All')
    app.calls.reset()
    const marks = await scrollFast(page, items)
    const listCalls = app.calls.calls.listOutbox ?? 0
    report(ctx, items, marks, listCalls)
    await benchInteractions(ctx, page, items)
  } finally {
    await page?.context().close()
    await app.server.close()
    await core.close()
    ctx.discard(dataDir)
  }
}

/**
 * A wheel scroll at ROWS_PER_FRAME rows per 60 Hz frame, for ROWS_TO_SCROLL rows (or to the end of the
 * history), synthesized by Chromium itself as mouse-wheel input paced by its own frames, so the
 * speed does not depend on how fast this process can send events.
 */
async function scrollFast(page: Page, items: number): Promise<ScrollMarks> {
  const list = page.locator('.vlist')
  const box = await list.boundingBox()
  if (!box) throw new Error('The Outbox list is not on screen')
  const rows = Math.min(ROWS_TO_SCROLL, items - Math.ceil(box.height / ROW_HEIGHT))
  const cdp = await page.context().newCDPSession(page)
  // BENCH_PROFILE=1: a CPU profile of the page during the scroll, to see what its long tasks are.
  const profiling = Boolean(process.env.BENCH_PROFILE)
  if (profiling) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.start')
  }
  await page.evaluate(startRecording)
  const gesture = cdp.send('Input.synthesizeScrollGesture', {
    x: Math.round(box.x + box.width / 2),
    y: Math.round(box.y + box.height / 2),
    yDistance: -rows * ROW_HEIGHT,
    speed: ROWS_PER_FRAME * ROW_HEIGHT * 60,
    gestureSourceType: 'mouse',
    preventFling: true,
  })
  try {
    await withDeadline(`Scrolling ${rows} rows down the Outbox`, gesture, SCROLL_TIMEOUT_MS)
  } catch (error) {
    const seen = await page.evaluate(() => (window as unknown as { __scroll: ScrollMarks }).__scroll.scrolledPx)
    throw new DeadlineError(`${(error as Error).message}; the list had scrolled ${round(seen / ROW_HEIGHT)} rows`, {
      cause: error,
    })
  }
  if (profiling) {
    const { profile } = await cdp.send('Profiler.stop')
    mkdirSync(RESULTS_DIR, { recursive: true })
    const file = join(RESULTS_DIR, `scroll-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`)
    writeFileSync(file, JSON.stringify(profile))
    console.info(`Scroll profile written to bench/results/${basename(file)}`)
  }
  await cdp.detach()
  return page.evaluate(stopRecording)
}

/** Runs in the page: notes every frame's time and whether "Loading more…" is in view, and every long task. */
function startRecording(): void {
  const scroller = document.querySelector<HTMLElement>('.vlist')!
  const marks = {
    frameTimes: [] as number[],
    loadingFrames: 0,
    longTasks: [] as { start: number; duration: number }[],
    scrolledPx: 0,
  }
  const state = { marks, running: true, observer: null as PerformanceObserver | null, startTop: scroller.scrollTop }
  ;(window as unknown as { __scroll: ScrollMarks; __scrollState: typeof state }).__scroll = marks
  ;(window as unknown as { __scrollState: typeof state }).__scrollState = state
  state.observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) marks.longTasks.push({ start: entry.startTime, duration: entry.duration })
  })
  state.observer.observe({ type: 'longtask' })
  const frame = (time: number): void => {
    if (!state.running) return
    marks.frameTimes.push(time)
    marks.scrolledPx = scroller.scrollTop - state.startTop
    const view = scroller.getBoundingClientRect()
    for (const more of scroller.querySelectorAll('.outbox__more')) {
      const box = more.getBoundingClientRect()
      if (box.bottom > view.top && box.top < view.bottom && /Loading more/.test(more.textContent ?? '')) {
        marks.loadingFrames++
        break
      }
    }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
}

function stopRecording(): ScrollMarks {
  const state = (
    window as unknown as { __scrollState: { running: boolean; observer: PerformanceObserver; marks: ScrollMarks } }
  ).__scrollState
  state.running = false
  state.observer.disconnect()
  return state.marks
}

function report(ctx: BenchContext, items: number, marks: ScrollMarks, listCalls: number): void {
  const frames = marks.frameTimes.length
  const gaps = marks.frameTimes.slice(1).map((t, i) => t - marks.frameTimes[i]!)
  const dropped = gaps.filter((gap) => gap > 1.5 * FRAME_MS).length
  const sortedGaps = [...gaps].sort((a, b) => a - b)
  const medianGap = sortedGaps[Math.floor(sortedGaps.length / 2)] ?? Number.NaN
  const rowsScrolled = marks.scrolledPx / ROW_HEIGHT
  const longest = Math.max(0, ...marks.longTasks.map((t) => t.duration))
  const overAim = marks.longTasks.filter((t) => t.duration > LONG_TASK_AIM_MS).length
  ctx.results.scroll = {
    items,
    rowsPerWheel: ROWS_PER_FRAME,
    frames,
    rowsScrolled: round(rowsScrolled),
    rowsPerFrame: round(rowsScrolled / frames, 2),
    medianFrameMs: round(medianGap, 2),
    loadingFrames: marks.loadingFrames,
    droppedFrames: dropped,
    longTasks: marks.longTasks,
    pagesLoaded: listCalls,
  }
  const share = (n: number) => `${format.count(n)} of ${format.count(frames)} frames (${format.percent(n, frames)})`
  const scrollText = `${format.size(items)} items, wheel at ${ROWS_PER_FRAME} rows/frame`
  ctx.rows.push(
    row(`fast scroll in the Outbox (${scrollText}): “Loading more…” in view`, share(marks.loadingFrames), {
      baseline: `${format.count(listCalls)} pages loaded for ${format.count(Math.round(rowsScrolled))} rows`,
      aim: 'never (prefetch ahead)',
    }),
    row(
      '  rows scrolled per frame (the list stops at its end until the next page)',
      String(round(rowsScrolled / frames, 1)),
      {
        baseline: `${ROWS_PER_FRAME} rows/frame asked for`,
        ratio: format.percent(rowsScrolled / frames, ROWS_PER_FRAME),
        aim: `${ROWS_PER_FRAME} (never held up)`,
      },
    ),
    row('  dropped frames (gap > 1.5 frames)', share(dropped), {
      baseline: `median frame ${round(medianGap, 1)} ms`,
    }),
    row('  long tasks (PerformanceObserver)', `${marks.longTasks.length}, longest ${round(longest, 0)} ms`, {
      baseline: `${overAim} over ${LONG_TASK_AIM_MS} ms`,
      aim: `none > ${LONG_TASK_AIM_MS} ms`,
    }),
  )
}
