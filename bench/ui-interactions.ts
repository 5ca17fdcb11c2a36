// With 100k items in the Outbox (the real renderer in Chromium over the web preview): switching
// filters, and typing a contact into the form while the Outbox's rows are loaded. What the user
// feels is the main thread: dropped frames and long tasks.
import type { Page } from '@playwright/test'
import { FILTER_LISTS, filterButton, type FilterLabel } from './app-in-chromium.ts'
import type { BenchContext } from './bench-context.ts'
import { LONG_TASK_AIM_MS, recordMarks, summarizeMarks, type MarksSummary } from './page-marks.ts'
import { format, row } from './report.ts'
import { round } from './stats.ts'

/** From the All filter the scroll ended on, through every other and back. */
const FILTER_ROUND: readonly FilterLabel[] = ['Sent', 'Needs you', 'Discarded', 'Waiting to send', 'All']
const TYPED = { 'Full name': 'Ada Lovelace Byron', Email: 'ada.lovelace@example.com' }
/** A quick typist: ~12 keys a second. */
const KEY_DELAY_MS = 80

export interface InteractionResults {
  filterSwitch: MarksSummary & { switches: number }
  typing: MarksSummary & { keys: number }
}

/** Runs on a page already on the Outbox at `items` items; ends on the form. */
export async function benchInteractions(ctx: BenchContext, page: Page, items: number): Promise<void> {
  const filterSwitch = await switchFilters(page)
  const typing = await typeContact(page)
  ctx.results.interactions = { items, filterSwitch, typing } satisfies InteractionResults & { items: number }
  const text = (s: MarksSummary) => `${s.longTasks}, longest ${round(s.longestTaskMs, 0)} ms`
  const detail = (s: MarksSummary) =>
    `${s.overAim} over ${LONG_TASK_AIM_MS} ms; dropped frames ${format.count(s.droppedFrames)} of ${format.count(s.frames)}`
  ctx.rows.push(
    row(
      `filter switch in the Outbox (${format.size(items)} items, ${filterSwitch.switches} switches): long tasks`,
      text(filterSwitch),
      { baseline: detail(filterSwitch), aim: `none > ${LONG_TASK_AIM_MS} ms` },
    ),
    row(`typing in the form (${format.size(items)} items loaded, ${typing.keys} keys): long tasks`, text(typing), {
      baseline: detail(typing),
      aim: `none > ${LONG_TASK_AIM_MS} ms`,
    }),
  )
}

async function switchFilters(page: Page): Promise<InteractionResults['filterSwitch']> {
  const marks = await recordMarks(page)
  for (const filter of FILTER_ROUND) {
    await filterButton(page, filter).click()
    // Its list, or the words an empty filter shows instead.
    await page
      .getByRole('list', { name: FILTER_LISTS[filter], exact: true })
      .or(page.locator('.outbox__placeholder'))
      .waitFor()
  }
  return { ...summarizeMarks(await marks.stop()), switches: FILTER_ROUND.length }
}

async function typeContact(page: Page): Promise<InteractionResults['typing']> {
  await page.getByRole('button', { name: /^New contact/ }).click()
  await page.getByRole('heading', { name: 'New contact' }).waitFor()
  const marks = await recordMarks(page)
  let keys = 0
  for (const [label, text] of Object.entries(TYPED)) {
    await page.getByLabel(label, { exact: true }).pressSequentially(text, { delay: KEY_DELAY_MS })
    keys += text.length
  }
  return { ...summarizeMarks(await marks.stop()), keys }
}
