// The built renderer in Chromium through the web preview, wired to a bench core: what a user sees,
// with every bridge call the page makes counted on the way in.
import { chromium, type Browser, type Page } from '@playwright/test'
import { startPreviewServer, type PreviewServer } from '../tools/web-preview/preview-server.ts'
import { CHROMIUM_ARGS, chromiumExecutable } from '../tools/chromium.ts'
import { countCalls, type BenchCore, type CountedHandlers, type EventRelay } from './bench-core.ts'

/** Long enough for a loaded machine, short enough that a stuck page fails the bench instead of hanging it. */
const UI_TIMEOUT_MS = 60_000
const VIEWPORT = { width: 1280, height: 800 }

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })
}

export interface ServedApp {
  server: PreviewServer
  calls: CountedHandlers
}

/** The preview server in front of `core`, receiving its events through `relay`. */
export async function serveApp(core: BenchCore, relay: EventRelay, rendererDir: string): Promise<ServedApp> {
  const calls = countCalls(core.handlers)
  const server = await startPreviewServer({ rendererDir, handlers: calls.handlers })
  relay.attach((event, payload) => server.broadcast(event, payload))
  return { server, calls }
}

/** The Outbox's filter buttons, with the name of the list each shows (OutboxView's words). */
export const FILTER_LISTS = {
  'Waiting to send': 'Contacts waiting to send',
  'Needs you': 'Contacts that need you',
  Sent: 'Sent contacts',
  Discarded: 'Discarded contacts',
  All: 'All contacts',
} as const
export type FilterLabel = keyof typeof FILTER_LISTS

/** A filter's button: its name is the label, then the count some of them show. */
export const filterButton = (page: Page, filter: FilterLabel) =>
  page.getByRole('button', { name: new RegExp(`^${filter}( [\\d,]+)?$`) })

/** A new page on the app, switched to the Outbox (and to `filter`), with its list on screen. */
export async function openOutbox(
  browser: Browser,
  url: string,
  filter: FilterLabel = 'Waiting to send',
): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  const page = await context.newPage()
  page.setDefaultTimeout(UI_TIMEOUT_MS)
  await page.goto(url)
  await page.getByRole('heading', { name: 'New contact' }).waitFor()
  await page.getByRole('button', { name: /^Outbox/ }).click()
  // The view opens on Waiting to send; another filter is one click away.
  if (filter !== 'Waiting to send') await filterButton(page, filter).click()
  await page.getByRole('list', { name: FILTER_LISTS[filter], exact: true }).waitFor()
  return page
}
