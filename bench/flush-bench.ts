// Draining the outbox against the sandbox at 20 ms latency, as a user's queue drains when the key
// arrives: with no renderer, with the Outbox view open in Chromium (subscribed to change events),
// on a history of 100k and 1M items, one at a time, and against plain POSTs with no outbox at all.
import type { BenchContext } from './bench-context.ts'
import { eventRelay, saveConnection, saveContacts, startBenchCore, yieldToEventLoop } from './bench-core.ts'
import { openOutbox, serveApp } from './app-in-chromium.ts'
import { waitUntil } from './deadline.ts'
import { monitorEventLoop, type LoopDelay } from './event-loop.ts'
import { historyCounts } from './history-seed.ts'
import { realisticContact } from './realistic-contacts.ts'
import { format, row } from './report.ts'
import { round } from './stats.ts'
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.ts'

const FLUSH_ITEMS = 2_000
const SEQUENTIAL_ITEMS = 300
const LATENCY_MS = 20
const IN_FLIGHT = 4
/** The slowest flush worth waiting for (items/s); below it the bench stops and says where the queue was. */
const SLOWEST_RATE = 4
/** The view is done with a flush when it has made no bridge call for this long. */
const VIEW_IDLE_MS = 500

export interface FlushResult {
  items: number
  inFlight: number
  history: number
  view: boolean
  seconds: number
  perSecond: number
  loop: LoopDelay
  /** Bridge calls the renderer made from the start of the flush until it went idle. */
  viewCalls: Record<string, number>
  /** Events the core sent out during the flush. */
  events: Record<string, number>
}

interface FlushCase {
  items: number
  inFlight: number
  history: number
  view: boolean
}

export async function benchFlush(ctx: BenchContext): Promise<void> {
  const plain = await plainPosts(FLUSH_ITEMS, IN_FLIGHT)
  const alone = await flush(ctx, { items: FLUSH_ITEMS, inFlight: IN_FLIGHT, history: 0, view: false })
  const viewed = await flush(ctx, { items: FLUSH_ITEMS, inFlight: IN_FLIGHT, history: 0, view: true })
  const sequential = await flush(ctx, { items: SEQUENTIAL_ITEMS, inFlight: 1, history: 0, view: false })
  const withHistory: FlushResult[] = []
  for (const history of ctx.config.flushHistory) {
    withHistory.push(await flush(ctx, { items: FLUSH_ITEMS, inFlight: IN_FLIGHT, history, view: false }))
  }
  const bound = IN_FLIGHT / (LATENCY_MS / 1000)
  ctx.results.flush = {
    latencyMs: LATENCY_MS,
    inFlight: IN_FLIGHT,
    bound,
    plain,
    alone,
    viewed,
    sequential,
    withHistory,
  }

  const perItem = (n: number | undefined) => round((n ?? 0) / FLUSH_ITEMS, 2)
  const loopText = (loop: LoopDelay) => `${loop.p99} / ${loop.max} ms`
  ctx.rows.push(
    row(`flush ${FLUSH_ITEMS} items, empty history`, format.perSecond(alone.perSecond), {
      baseline: `plain POSTs, same concurrency, no outbox: ${format.perSecond(plain.perSecond)}`,
      ratio: format.percent(alone.perSecond, plain.perSecond),
      aim: '≥ 90 % of plain',
    }),
    row('the same flush', format.perSecond(alone.perSecond), {
      baseline: `bound: ${IN_FLIGHT} in flight ÷ ${LATENCY_MS} ms = ${bound}/s`,
      ratio: format.percent(alone.perSecond, bound),
      aim: '≥ 85 % of the bound',
    }),
    row('the same flush', format.perSecond(alone.perSecond), {
      baseline: `one request at a time: ${format.perSecond(sequential.perSecond)}`,
      ratio: format.times(alone.perSecond, sequential.perSecond),
    }),
    row('the same flush, Outbox view open in Chromium', format.perSecond(viewed.perSecond), {
      baseline: `no renderer: ${format.perSecond(alone.perSecond)}`,
      ratio: format.percent(viewed.perSecond, alone.perSecond),
    }),
    row('  view’s bridge calls during the flush', format.count(callTotal(viewed.viewCalls)), {
      baseline: callList(viewed.viewCalls),
      aim: 'one read per burst of changes',
    }),
    row('  view’s item reads per outboxChanged event', String(readsPerEvent(viewed)), {
      baseline: `${format.count(itemReads(viewed.viewCalls))} reads for ${format.count(viewed.events.outboxChanged ?? 0)} events, ${format.count(FLUSH_ITEMS)} items`,
      aim: '≤ 1 (batched: one call per burst)',
    }),
    row('  view’s getOutboxItem calls per flushed item', String(perItem(viewed.viewCalls.getOutboxItem)), {
      baseline: `${format.count(viewed.viewCalls.getOutboxItem ?? 0)} calls for ${format.count(FLUSH_ITEMS)} items`,
      aim: '0 (getOutboxItems instead)',
    }),
    row('  view’s listOutbox calls per flushed item', String(perItem(viewed.viewCalls.listOutbox)), {
      baseline: `${format.count(viewed.viewCalls.listOutbox ?? 0)} calls for ${format.count(FLUSH_ITEMS)} items`,
    }),
    row('  outboxChanged events per flushed item', String(perItem(viewed.events.outboxChanged)), {
      baseline: `${format.count(viewed.events.outboxChanged ?? 0)} events`,
      aim: 'one per burst',
    }),
    row('main-thread event-loop delay during the flush, p99 / max', loopText(alone.loop), {
      baseline: '—',
      aim: 'p99 ≤ 16 ms, max ≤ 50 ms',
    }),
    row('  the same, Outbox view open', loopText(viewed.loop), {
      baseline: `no renderer: ${loopText(alone.loop)}`,
      ratio: format.times(viewed.loop.p99, alone.loop.p99),
      aim: 'p99 ≤ 16 ms, max ≤ 50 ms',
    }),
  )
  for (const result of withHistory) {
    ctx.rows.push(
      row(
        `flush ${FLUSH_ITEMS} items, ${format.size(result.history)} items of history`,
        format.perSecond(result.perSecond),
        {
          baseline: `empty history: ${format.perSecond(alone.perSecond)}`,
          ratio: format.percent(result.perSecond, alone.perSecond),
          aim: '≥ 95 %',
        },
      ),
      row(`  event-loop delay, ${format.size(result.history)} history, p99 / max`, loopText(result.loop), {
        baseline: `empty history: ${loopText(alone.loop)}`,
        ratio: format.times(result.loop.p99, alone.loop.p99),
        aim: 'p99 ≤ 16 ms, max ≤ 50 ms',
      }),
    )
  }
}

const callTotal = (calls: Record<string, number>): number => Object.values(calls).reduce((sum, n) => sum + n, 0)
const callList = (calls: Record<string, number>): string =>
  Object.entries(calls)
    .sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${format.count(n)}`)
    .join(', ') || 'none'
/** Calls that read changed items: the batch command, and the one-item reads it replaced. */
const itemReads = (calls: Record<string, number>): number => (calls.getOutboxItems ?? 0) + (calls.getOutboxItem ?? 0)
const readsPerEvent = (result: FlushResult): number =>
  round(itemReads(result.viewCalls) / Math.max(1, result.events.outboxChanged ?? 0), 2)

async function startSandbox(): Promise<SandboxProcess> {
  // In its own process, as the real API would be: its work must not share the app's event loop.
  const sandbox = await startSandboxProcess()
  await sandbox.setFaults({ latencyMs: LATENCY_MS })
  return sandbox
}

/** The same POSTs with nothing around them: what loopback HTTP and the sandbox allow on this machine. */
async function plainPosts(
  items: number,
  inFlight: number,
): Promise<{ items: number; seconds: number; perSecond: number }> {
  const sandbox = await startSandbox()
  try {
    const url = `${sandbox.url}/${sandbox.organizationId}/contacts`
    const headers = {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`).toString('base64')}`,
    }
    const bodies = Array.from({ length: items }, (_, i) => JSON.stringify(realisticContact(i).request))
    let next = 0
    const start = performance.now()
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < items; i = next++) {
          const response = await fetch(url, {
            method: 'POST',
            headers,
            body: bodies[i],
            signal: AbortSignal.timeout(30_000),
          })
          await response.text()
          if (response.status !== 201) throw new Error(`A plain POST got ${response.status}`)
        }
      }),
    )
    const seconds = (performance.now() - start) / 1000
    return { items, seconds: round(seconds), perSecond: items / seconds }
  } finally {
    await sandbox.close()
  }
}

async function flush(ctx: BenchContext, run: FlushCase): Promise<FlushResult> {
  const sandbox = await startSandbox()
  const dataDir = ctx.folders.folder(run.history)
  const relay = eventRelay()
  const core = await startBenchCore({ dataDir, relay, maxInFlight: run.inFlight })
  const app = await serveApp(core, relay, ctx.config.rendererDir)
  const connection = { baseUrl: sandbox.url, organizationId: sandbox.organizationId, apiKeyId: sandbox.apiKeyId }
  let page: Awaited<ReturnType<typeof openOutbox>> | undefined
  try {
    // Set-up: contacts saved before the key is entered wait, then all go at once when it is.
    await saveConnection(core, connection)
    await saveContacts(core, run.items)
    if (run.view) page = await openOutbox(await ctx.browser(), app.server.url)
    await yieldToEventLoop()

    const sentBefore = historyCounts(run.history).sent ?? 0
    app.calls.reset()
    relay.reset()
    const loop = monitorEventLoop()
    const start = performance.now()
    await saveConnection(core, { ...connection, apiKey: sandbox.apiKey })
    // The core's own status events say when it is done; polling the store here would add work to the loop measured.
    await waitUntil(
      `The flush of ${run.items} items (${JSON.stringify(run)})`,
      () => relay.lastStatus && { state: relay.lastStatus.state, counts: relay.lastStatus.counts },
      (seen) =>
        seen !== undefined &&
        seen.counts.queued === 0 &&
        seen.counts.sending === 0 &&
        seen.counts.sent >= sentBefore + run.items,
      { timeoutMs: Math.max(60_000, (run.items / SLOWEST_RATE) * 1000), intervalMs: 10 },
    )
    const seconds = (performance.now() - start) / 1000
    const delay = loop.stop()
    const events = { ...relay.counts }
    if (run.view) {
      await waitUntil(
        'The Outbox view to stop calling after the flush',
        () => round(performance.now() - app.calls.lastCallAt),
        (idle) => idle >= VIEW_IDLE_MS,
        {
          timeoutMs: 60_000,
          intervalMs: 50,
        },
      )
    }
    const received = await sandbox.contactCount()
    if (received !== run.items) throw new Error(`The sandbox received ${received} of ${run.items} contacts`)
    return {
      ...run,
      seconds: round(seconds),
      perSecond: run.items / seconds,
      loop: delay,
      viewCalls: { ...app.calls.calls },
      events,
    }
  } finally {
    await page?.context().close()
    await app.server.close()
    await core.close()
    await sandbox.close()
    ctx.discard(dataDir)
  }
}
