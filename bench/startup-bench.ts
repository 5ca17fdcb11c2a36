// Start-up of the renderer, as users meet it (the core's own start-up: core-startup-bench.ts): the JavaScript and CSS that index.html loads before the first paint
// (gzip -9) against the 150 KB aim, lazy chunks apart; then cold loads of the web preview in
// Chromium to an interactive form, against a static page served the same way.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, posix, relative, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Browser } from '@playwright/test'
import { startPreviewServer } from '../tools/web-preview/preview-server.ts'
import type { BenchContext } from './bench-context.ts'
import { eventRelay, startBenchCore } from './bench-core.ts'
import { round, summarize, type Summary } from './stats.ts'

const AIM_JS_KB = 150
const WARM_UPS = 2

export async function benchStartup(ctx: BenchContext): Promise<void> {
  const bundle = measureBundle(ctx)
  await measureStartup(ctx, bundle)
}

interface Asset {
  file: string
  bytes: number
  gzip: number
}

interface BundleReport {
  startupJs: Asset[]
  startupCss: Asset[]
  lazy: Asset[]
}

/** Sorts the built files into what the first paint waits for and what loads later. */
function measureBundle(ctx: BenchContext): BundleReport {
  const { rendererDir } = ctx.config
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8')
  const attr = (tag: string, name: string): string | undefined =>
    new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1]
  const scripts: string[] = []
  const styles: string[] = []
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const src = attr(tag, 'src')
    const rel = attr(tag, 'rel')?.toLowerCase()
    const href = attr(tag, 'href')
    if (tag.toLowerCase().startsWith('<script') && src && attr(tag, 'type') === 'module') scripts.push(src)
    else if (rel === 'modulepreload' && href) scripts.push(href)
    else if (rel === 'stylesheet' && href) styles.push(href)
  }

  // The entry and everything it imports statically: the browser runs none of it until all of it is in.
  const startup = new Set<string>()
  const visit = (path: string): void => {
    if (startup.has(path) || !existsSync(path)) return
    startup.add(path)
    for (const specifier of staticImports(readFileSync(path, 'utf8'))) {
      if (specifier.startsWith('.')) visit(resolve(dirname(path), specifier))
    }
  }
  for (const src of scripts) visit(resolve(rendererDir, src.replace(/^\//, '')))

  const asset = (path: string): Asset => {
    const content = readFileSync(path)
    return { file: posix.normalize(relative(rendererDir, path)), bytes: content.length, gzip: gzipSize(content) }
  }
  const startupCss = styles.map((href) => asset(resolve(rendererDir, href.replace(/^\//, ''))))
  const startupJs = [...startup].map(asset)
  const known = new Set([...startupJs, ...startupCss].map((a) => a.file))
  const lazy = listFiles(rendererDir)
    .filter((path) => /\.(m?js|css)$/.test(path))
    .map(asset)
    .filter((a) => !known.has(a.file))

  const sum = (assets: Asset[], key: 'bytes' | 'gzip'): number => assets.reduce((total, a) => total + a[key], 0)
  const jsGzip = sum(startupJs, 'gzip')
  ctx.results.bundle = {
    aimJsGzipBytes: AIM_JS_KB * 1024,
    startupJs,
    startupCss,
    lazy,
    startupJsGzip: jsGzip,
    startupCssGzip: sum(startupCss, 'gzip'),
    lazyGzip: sum(lazy, 'gzip'),
  }
  const kb = (bytes: number): string => `${round(bytes / 1024, 1)} KB`
  const names = (assets: Asset[]): string => assets.map((a) => a.file.replace(/^assets\//, '')).join(', ')
  ctx.rows.push(
    {
      measure: 'start-up JS (gzip)',
      value: kb(jsGzip),
      baseline: `${kb(sum(startupJs, 'bytes'))} raw: ${names(startupJs)}`,
      ratio: `${round((jsGzip / (AIM_JS_KB * 1024)) * 100, 1)} % of aim`,
      aim: `≤ ${AIM_JS_KB} KB`,
    },
    {
      measure: 'start-up CSS (gzip)',
      value: kb(sum(startupCss, 'gzip')),
      baseline: `${kb(sum(startupCss, 'bytes'))} raw: ${names(startupCss)}`,
      ratio: '—',
      aim: '—',
    },
    {
      measure: 'lazy chunks (gzip)',
      value: kb(sum(lazy, 'gzip')),
      baseline: `${kb(sum(lazy, 'bytes'))} raw: ${names(lazy) || 'none'}`,
      ratio: '—',
      aim: 'after first paint',
    },
  )
  return { startupJs, startupCss, lazy }
}

/** The specifiers of static `import … from "x"`, `import "x"` and `export … from "x"`; not `import("x")`. */
function staticImports(code: string): string[] {
  const found: string[] = []
  for (const match of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g)) {
    found.push(match[1]!)
  }
  return found
}

function gzipSize(content: Buffer): number {
  return gzipSync(content, { level: 9 }).length
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  )
}

/** What the page reports: milliseconds since navigation start (null when it never happened). */
interface LoadMarks {
  /** The "Full name" input visible and editable, and a bridge call answered. */
  ready: number | null
  inputReady: number | null
  bridgeAnswered: number | null
  fcp: number | null
  /** The phone country list filled in (the phone module is in); the static page has none. */
  phoneReady: number | null
  /** Fetches of the build's lazy chunks. */
  lazyFetches: { name: string; startTime: number; responseEnd: number }[]
}

/** Cold loads (a new browser context each) of the web preview and of a static page, interleaved. */
async function measureStartup(ctx: BenchContext, report: BundleReport): Promise<void> {
  const work = mkdtempSync(join(ctx.work, 'renderer-startup-'))
  const floorDir = join(work, 'floor')
  writeFloorPage(floorDir)
  const relay = eventRelay()
  const core = await startBenchCore({ dataDir: join(work, 'data'), relay })
  const app = await startPreviewServer({ rendererDir: ctx.config.rendererDir, handlers: core.handlers })
  const floor = await startPreviewServer({ rendererDir: floorDir, handlers: core.handlers })
  for (const server of [app, floor]) relay.attach((event, payload) => server.broadcast(event, payload))
  const browser = await ctx.browser()
  const lazyNames = report.lazy.map((a) => a.file.split('/').pop()!)
  try {
    const appLoads: LoadMarks[] = []
    const floorLoads: LoadMarks[] = []
    for (let i = 0; i < WARM_UPS + ctx.config.startupSamples; i++) {
      const appMarks = await coldLoad(browser, app.url, lazyNames, true)
      const floorMarks = await coldLoad(browser, floor.url, lazyNames, false)
      if (i >= WARM_UPS) {
        appLoads.push(appMarks)
        floorLoads.push(floorMarks)
      }
    }
    summarizeLoads(ctx, appLoads, floorLoads)
  } finally {
    await Promise.all([app.close(), floor.close()])
    await core.close()
    rmSync(work, { recursive: true, force: true })
  }
}

function summarizeLoads(ctx: BenchContext, appLoads: LoadMarks[], floorLoads: LoadMarks[]): void {
  const stat = (loads: LoadMarks[], key: 'ready' | 'fcp' | 'phoneReady'): Summary =>
    summarize(loads.map((l) => l[key]).filter((v): v is number => v !== null))
  const appReady = stat(appLoads, 'ready')
  const floorReady = stat(floorLoads, 'ready')
  const appFcp = stat(appLoads, 'fcp')
  const floorFcp = stat(floorLoads, 'fcp')
  const phoneReady = stat(appLoads, 'phoneReady')
  const lazyAfterFcp = appLoads.filter(
    (l) => l.fcp !== null && l.lazyFetches.length > 0 && l.lazyFetches.every((f) => f.startTime >= l.fcp!),
  ).length
  const phoneAfterFcp = appLoads.filter((l) => l.fcp !== null && l.phoneReady !== null && l.phoneReady > l.fcp).length
  const ms = (value: number): string => `${round(value, 1)} ms`
  ctx.results.rendererStartup = {
    samples: appLoads.length,
    warmUps: WARM_UPS,
    app: { ready: appReady, fcp: appFcp, phoneReady, loads: appLoads },
    floor: { ready: floorReady, fcp: floorFcp, loads: floorLoads },
    ratioReadyP50: appReady.p50 / floorReady.p50,
    lazyChunksRequestedAfterFcp: lazyAfterFcp,
    phoneReadyAfterFcp: phoneAfterFcp,
  }
  ctx.rows.push(
    {
      measure: 'interactive form, cold (p50)',
      value: ms(appReady.p50),
      baseline: `${ms(floorReady.p50)} static page, same server`,
      ratio: `${round(appReady.p50 / floorReady.p50, 2)}×`,
      aim: '≤ 1.5×',
    },
    {
      measure: 'first contentful paint (p50)',
      value: ms(appFcp.p50),
      baseline: `${ms(floorFcp.p50)} static page`,
      ratio: `${round(appFcp.p50 / floorFcp.p50, 2)}×`,
      aim: '—',
    },
    {
      measure: 'phone rules ready (p50)',
      value: ms(phoneReady.p50),
      baseline: `${ms(appFcp.p50)} first paint`,
      ratio: `${phoneAfterFcp}/${appLoads.length} after it`,
      aim: 'after first paint',
    },
    {
      measure: 'lazy chunks fetched after FCP',
      value: appLoads.some((l) => l.lazyFetches.length > 0)
        ? `${lazyAfterFcp}/${appLoads.length} loads`
        : 'none fetched',
      baseline: '—',
      ratio: '—',
      aim: 'all',
    },
  )
}

async function coldLoad(
  browser: Browser,
  url: string,
  lazyNames: string[],
  waitForPhones: boolean,
): Promise<LoadMarks> {
  const context = await browser.newContext()
  try {
    await context.addInitScript(recordStartup, lazyNames)
    const page = await context.newPage()
    await page.goto(url, { waitUntil: 'commit' })
    await page.waitForFunction(() => (window as unknown as { __startup: LoadMarks }).__startup.ready !== null, null, {
      timeout: 30_000,
    })
    if (waitForPhones) {
      await page.waitForFunction(() => (window as unknown as { __startup: LoadMarks }).__startup.phoneReady !== null)
    }
    return await page.evaluate(() => {
      const marks = (window as unknown as { __startup: LoadMarks }).__startup
      marks.fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null
      return marks
    })
  } finally {
    await context.close()
  }
}

/**
 * Runs in the page before its own scripts: notes when the form becomes usable, watching the DOM
 * (a mutation observer fires right after each change) and the bridge's fetches.
 */
function recordStartup(lazyNames: string[]): void {
  const marks: LoadMarks = {
    ready: null,
    inputReady: null,
    bridgeAnswered: null,
    fcp: null,
    phoneReady: null,
    lazyFetches: [],
  }
  ;(window as unknown as { __startup: LoadMarks }).__startup = marks
  const control = (text: string): HTMLInputElement | HTMLSelectElement | null => {
    for (const label of document.querySelectorAll('label')) {
      if (label.textContent?.trim() === text && label.control) return label.control as HTMLInputElement
    }
    return null
  }
  const check = (): void => {
    const now = performance.now()
    const input = control('Full name')
    if (marks.inputReady === null && input instanceof HTMLInputElement) {
      const shown = input.getClientRects().length > 0 && getComputedStyle(input).visibility !== 'hidden'
      if (shown && !input.disabled && !input.readOnly) marks.inputReady = now
    }
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    if (marks.bridgeAnswered === null && resources.some((r) => r.name.includes('/__preview/api/'))) {
      marks.bridgeAnswered = now
    }
    if (marks.ready === null && marks.inputReady !== null && marks.bridgeAnswered !== null) marks.ready = now
    const country = control('Phone country')
    if (marks.phoneReady === null && country instanceof HTMLSelectElement && country.options.length > 1) {
      marks.phoneReady = now
    }
    marks.lazyFetches = resources
      .filter((r) => lazyNames.some((name) => r.name.endsWith(`/${name}`)))
      .map((r) => ({ name: r.name.split('/').pop()!, startTime: r.startTime, responseEnd: r.responseEnd }))
  }
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true })
  new PerformanceObserver(check).observe({ type: 'resource', buffered: true })
}

/** The floor: the preview server's cheapest page with the same shape (a heading, a Full name field, one bridge call). */
function writeFloorPage(dir: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Start-up floor</title>
    <script type="module" src="./floor.js"></script>
  </head>
  <body>
    <h1>New contact</h1>
    <p id="status">Checking the connection…</p>
    <label for="full-name">Full name</label>
    <input id="full-name" type="text" />
  </body>
</html>
`,
  )
  writeFileSync(
    join(dir, 'floor.js'),
    `const result = await window.api.getSettings()
document.getElementById('status').textContent = result.ok ? 'Connected' : 'Not set up'
`,
  )
}
