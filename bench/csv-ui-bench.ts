// Import CSV in Chromium (the real renderer over the web preview, a core with a sandbox connection):
// from choosing a 10,000-row file to the checked preview, then "Import N contacts" until the outbox
// holds them, with the long tasks the page ran meanwhile; against a 100-row file and the idle page.
import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import type { Page } from '@playwright/test'
import { CSV_IMPORT_LIMITS } from '../src/shared/csv-import.ts'
import type { BenchContext } from './bench-context.ts'
import { eventRelay, saveConnection, startBenchCore, type EventRelay } from './bench-core.ts'
import { serveApp } from './app-in-chromium.ts'
import { spreadsheet } from './csv-bench.ts'
import { waitUntil } from './deadline.ts'
import { recordMarks, summarizeMarks, type MarksSummary } from './page-marks.ts'
import { RESULTS_DIR, format, row } from './report.ts'
import { distinctDraft } from './realistic-contacts.ts'
import { round } from './stats.ts'
import { startSandboxProcess } from './sandbox-process.ts'

const ROWS = CSV_IMPORT_LIMITS.rows
const SMALL_ROWS = 100
const IDLE_MS = 2_000
const LONG_TASK_LIMIT_MS = 100
const STEP_TIMEOUT_MS = 180_000

interface ImportRun {
  rows: number
  /** Page time from the file input's change event to the counts line covering every row. */
  previewMs: number
  /** Page time from the click on "Import N contacts" to the line saying they were added. */
  importMs: number
  /** The import's long tasks over 50 ms: when (ms after the click) and how long. */
  importTasks: { at: number; ms: number }[]
  imported: number
  counts: string
  preview: MarksSummary & { over100: number }
  /** The preview's long tasks over 50 ms: when (ms after the file was chosen) and how long. */
  previewTasks: { at: number; ms: number }[]
  import: MarksSummary & { over100: number }
}

export async function benchCsvUi(ctx: BenchContext): Promise<void> {
  // In its own process, as the real API would be; no latency: the flush is not what is measured here.
  const sandbox = await startSandboxProcess()
  const dataDir = ctx.folders.folder(0)
  const relay = eventRelay()
  const core = await startBenchCore({ dataDir, relay })
  const app = await serveApp(core, relay, ctx.config.rendererDir)
  let page: Page | undefined
  try {
    await saveConnection(core, {
      baseUrl: sandbox.url,
      organizationId: sandbox.organizationId,
      apiKeyId: sandbox.apiKeyId,
      apiKey: sandbox.apiKey,
    })
    // An empty outbox shows no list, so the page is opened here rather than with openOutbox.
    const context = await (await ctx.browser()).newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })
    page = await context.newPage()
    page.setDefaultTimeout(60_000)
    await page.goto(app.server.url)
    await page.getByRole('heading', { name: 'New contact' }).waitFor()
    const idle = await idleMarks(page)
    const small = await importFile(page, relay, SMALL_ROWS, 0)
    // The small file's contacts are sent before the big one starts, so their flush does not overlap it.
    await outboxHolds(relay, small.imported, true)
    const large = await importFile(page, relay, ROWS, small.imported)
    ctx.results.csvUi = { idle, small, large }
    addRows(ctx, idle, small, large)
  } finally {
    await page?.context().close()
    await app.server.close()
    await core.close()
    await sandbox.close()
    ctx.discard(dataDir)
  }
}

async function idleMarks(page: Page): Promise<MarksSummary> {
  const marks = await recordMarks(page)
  await page.waitForTimeout(IDLE_MS)
  return summarizeMarks(await marks.stop())
}

const withOver100 = (summary: MarksSummary, tasks: { duration: number }[]) => ({
  ...summary,
  over100: tasks.filter((task) => task.duration > LONG_TASK_LIMIT_MS).length,
})

async function importFile(page: Page, relay: EventRelay, rows: number, before: number): Promise<ImportRun> {
  await page.getByRole('button', { name: /^Outbox/ }).click()
  await page.getByRole('button', { name: 'Import CSV' }).click()
  await page.getByRole('heading', { name: 'Import CSV' }).waitFor()
  const chooseAgain = page.getByRole('button', { name: 'Choose another file' })
  await (
    (await chooseAgain.isVisible()) ? chooseAgain : page.getByRole('button', { name: 'Choose a CSV file…' })
  ).click()
  await page.evaluate(watchPreview, rows)
  const profiling = Boolean(process.env.BENCH_PROFILE) && rows === ROWS
  let profile = profiling ? await startProfile(page) : undefined
  // The File is made in the page before recording, as the browser hands a chosen file over: setInputFiles
  // would build it inside the measured stretch (a ~0.7 s task of Playwright's own at 10,000 rows).
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(spreadsheet(rows, distinctDraft))
  await page.evaluate(stageFile, { name: `contacts-${rows}.csv`, text })
  let marks = await recordMarks(page)
  await page.evaluate(chooseStagedFile)
  const counts = await waitUntil(
    `The preview of ${rows} rows to be checked`,
    () => page.evaluate(() => (window as unknown as { __csv: { counts: string | null } }).__csv.counts),
    (seen) => seen !== null,
    { timeoutMs: STEP_TIMEOUT_MS, intervalMs: 100 },
  )
  const previewMarks = await marks.stop()
  await profile?.stop('preview')
  const ready = Number(counts!.split(' ready')[0]!.replace(/,/g, ''))
  profile = profiling ? await startProfile(page) : undefined
  marks = await recordMarks(page)
  await page.getByRole('button', { name: `Import ${format.count(ready)} contact${ready === 1 ? '' : 's'}` }).click()
  await waitUntil(
    `The import of ${ready} contacts`,
    () => page.evaluate(() => (window as unknown as { __csv: { doneAt: number | null } }).__csv.doneAt),
    (doneAt) => doneAt !== null,
    { timeoutMs: STEP_TIMEOUT_MS, intervalMs: 100 },
  )
  await outboxHolds(relay, before + ready, false)
  const importMarks = await marks.stop()
  await profile?.stop('import')
  const times = await page.evaluate(
    () =>
      (window as unknown as { __csv: { changedAt: number; checkedAt: number; clickedAt: number; doneAt: number } })
        .__csv,
  )
  return {
    rows,
    previewMs: round(times.checkedAt - times.changedAt, 1),
    importMs: round(times.doneAt - times.clickedAt, 1),
    imported: ready,
    counts: counts!,
    preview: withOver100(summarizeMarks(previewMarks), previewMarks.longTasks),
    previewTasks: previewMarks.longTasks.map((t) => ({
      at: round(t.start - times.changedAt, 0),
      ms: round(t.duration, 0),
    })),
    import: withOver100(summarizeMarks(importMarks), importMarks.longTasks),
    importTasks: importMarks.longTasks.map((t) => ({
      at: round(t.start - times.clickedAt, 0),
      ms: round(t.duration, 0),
    })),
  }
}

/** BENCH_PROFILE=1: a CPU profile of the page over one stretch, to see what its long tasks are. */
async function startProfile(page: Page): Promise<{ stop(stretch: string): Promise<void> }> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.start')
  return {
    async stop(stretch) {
      const { profile } = await cdp.send('Profiler.stop')
      await cdp.detach()
      mkdirSync(RESULTS_DIR, { recursive: true })
      const stamp = new Date().toISOString().replace(/[:.]/g, '-')
      const file = join(RESULTS_DIR, `csv-ui-${stretch}-${stamp}.cpuprofile`)
      writeFileSync(file, JSON.stringify(profile))
      console.info(`CSV ${stretch} profile written to bench/results/${basename(file)}`)
    },
  }
}

/** The core's own status says the outbox holds `total` items (or, with `sent`, that all were sent). */
async function outboxHolds(relay: EventRelay, total: number, sent: boolean): Promise<void> {
  await waitUntil(
    sent ? `${total} contacts to be sent` : `The outbox to hold ${total} contacts`,
    () => relay.lastStatus?.counts,
    (counts) =>
      counts !== undefined &&
      (sent ? (counts.sent ?? 0) >= total : Object.values(counts).reduce((sum, n) => sum + n, 0) >= total),
    { timeoutMs: STEP_TIMEOUT_MS, intervalMs: 50 },
  )
}

/** Runs in the page: the file a user would pick, ready to hand to the input. */
function stageFile({ name, text }: { name: string; text: string }): void {
  ;(window as unknown as { __file: File }).__file = new File([text], name, { type: 'text/csv' })
}

/** Runs in the page: what choosing a file in the dialog does, the staged file set on "CSV file" and its change event. */
function chooseStagedFile(): void {
  const transfer = new DataTransfer()
  transfer.items.add((window as unknown as { __file: File }).__file)
  const input = document.querySelector<HTMLInputElement>('input[type=file]')!
  input.files = transfer.files
  input.dispatchEvent(new Event('change', { bubbles: true }))
}

/**
 * Runs in the page: notes when the file input changes, the frame at which the counts line covers all
 * `rows`, the click on the Import button, and the frame at which the "added to the outbox" line shows.
 */
function watchPreview(rows: number): void {
  const marks = {
    changedAt: 0,
    checkedAt: 0,
    clickedAt: 0,
    doneAt: null as number | null,
    counts: null as string | null,
  }
  ;(window as unknown as { __csv: typeof marks }).__csv = marks
  const input = document.querySelector<HTMLInputElement>('input[type=file]')!
  input.addEventListener('change', () => (marks.changedAt = performance.now()), { capture: true, once: true })
  document.addEventListener(
    'click',
    (event) => {
      if (/^Import [\d,]+ contacts?$/.test((event.target as HTMLElement).textContent?.trim() ?? ''))
        marks.clickedAt = performance.now()
    },
    { capture: true },
  )
  const frame = (time: number): void => {
    const text = document.querySelector('.import__counts')?.textContent?.trim() ?? ''
    const numbers = [...text.matchAll(/([\d,]+) (?:ready|needs? fixing|possible duplicates?)/g)].map((m) =>
      Number(m[1]!.replace(/,/g, '')),
    )
    if (marks.counts === null && numbers.length === 3 && numbers.reduce((a, b) => a + b, 0) === rows) {
      marks.checkedAt = time
      marks.counts = text
    }
    if (marks.clickedAt > 0 && /added to the outbox/.test(document.querySelector('.import__done')?.textContent ?? '')) {
      marks.doneAt = time
      return
    }
    requestAnimationFrame(frame)
  }
  requestAnimationFrame(frame)
}

function addRows(ctx: BenchContext, idle: MarksSummary, small: ImportRun, large: ImportRun): void {
  const tasks = (m: MarksSummary & { over100: number }) =>
    `${m.longTasks}, longest ${round(m.longestTaskMs, 0)} ms, ${m.over100} over ${LONG_TASK_LIMIT_MS} ms`
  const idleText = `idle page ${IDLE_MS / 1000} s: ${idle.longTasks} long tasks, longest ${round(idle.longestTaskMs, 0)} ms`
  ctx.rows.push(
    row(
      `CSV import in Chromium: choose ${format.count(ROWS)}-row file → all rows checked`,
      format.ms(large.previewMs, 0),
      {
        baseline: `${format.count(SMALL_ROWS)}-row file: ${format.ms(small.previewMs, 0)}`,
        ratio: format.times(large.previewMs, small.previewMs),
        aim: '≤ 10 s with import',
      },
    ),
    row(`  preview long tasks (${large.counts})`, tasks(large.preview), {
      baseline: `${format.count(SMALL_ROWS)} rows: ${tasks(small.preview)}; ${idleText}`,
      aim: `none > ${LONG_TASK_LIMIT_MS} ms`,
    }),
    row(`  “Import ${format.count(large.imported)} contacts” → in the outbox`, format.ms(large.importMs, 0), {
      baseline: `${format.count(small.imported)} contacts: ${format.ms(small.importMs, 0)}`,
      ratio: format.times(large.importMs, small.importMs),
    }),
    row('  import long tasks', tasks(large.import), {
      baseline: `${format.count(small.imported)} contacts: ${tasks(small.import)}`,
      aim: `none > ${LONG_TASK_LIMIT_MS} ms`,
    }),
    row('  file chosen → checked, then imported (total)', format.ms(large.previewMs + large.importMs, 0), {
      aim: '≤ 10 s',
    }),
  )
}
