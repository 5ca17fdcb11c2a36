// Saving, paging and the status line at each history size, through the command handlers the
// renderer calls (parsed by the same dispatch the IPC adapter and the web preview use).
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { AppCore } from '../src/main/core/app-core.ts'
import { dispatchCommand } from '../src/main/core/command-dispatch.ts'
import type { OutboxFilter } from '../src/shared/outbox.ts'
import type { OutboxPage } from '../src/shared/outbox-schemas.ts'
import type { BenchContext } from './bench-context.ts'
import {
  NOWHERE,
  saveConnection,
  startBenchCore,
  startBenchCoreHere,
  yieldToEventLoop,
  type BenchCore,
} from './bench-core.ts'
import { realisticContact, realisticDraft } from './realistic-contacts.ts'
import { monitorEventLoop, type LoopDelay } from './event-loop.ts'
import { format, row } from './report.ts'
import { summarize, timeMs, timeMsAsync, type Summary } from './stats.ts'

const ENQUEUE_SAMPLES = 300
/** A CSV import's worth of saves, each its own bridge call, on the largest history. */
const ENQUEUE_BURST = 10_000
/** The renderer's PAGE_SIZE (src/renderer/src/stores/outbox.ts). */
const PAGE_LIMIT = 100
/** The smaller page, for comparison. */
const SMALL_PAGE_LIMIT = 50
const PAGE_ROUNDS = 20
const PAGES_PER_SCROLL = 10
const STATUS_SAMPLES = 50
const SETTINGS_SAMPLES = 5

interface SizeResult {
  rawInsert: Summary
  storeEnqueue: Summary
  saveContact: Summary
  firstPage: Summary
  nextPages: Summary
  smallPages: Summary
  /** The main thread while the pages were read. */
  pagingLoop: LoopDelay
  status: Summary
  saveSettings: Summary
}

export async function benchOutbox(ctx: BenchContext): Promise<void> {
  const raw = rawInsert(ctx.work)
  const bySize: Record<number, SizeResult> = {}
  let burst: { size: number; perSave: Summary; loop: LoopDelay } | undefined
  const largest = Math.max(...ctx.config.history)
  try {
    for (const size of ctx.config.history) {
      const dataDir = ctx.folders.folder(size)
      // A save's own cost against a raw insert: the core in this thread, where its store can be called too.
      const here = await startBenchCoreHere({ dataDir })
      let saving: Awaited<ReturnType<typeof measureSaving>>
      try {
        // A connection without a key: saves wait for it, as they do for a new user (nothing is sent meanwhile).
        await saveConnection(here, NOWHERE)
        saving = await measureSaving(here, raw.insert)
      } finally {
        await here.close()
      }
      // The rest as the app runs: the core on its own thread, this one (main's) only forwarding.
      const core = await startBenchCore({ dataDir })
      try {
        bySize[size] = {
          ...saving,
          ...(await measurePaging(core)),
          status: await sampleAsync(STATUS_SAMPLES, () =>
            expectOk(dispatchCommand(core.handlers, 'getSyncStatus', undefined)),
          ),
          saveSettings: await sampleAsync(SETTINGS_SAMPLES, () => saveConnection(core, NOWHERE)),
        }
        if (size === largest) burst = { size, ...(await enqueueBurst(core)) }
      } finally {
        await core.close()
        ctx.discard(dataDir)
      }
    }
  } finally {
    raw.close()
  }
  ctx.results.outbox = { enqueueSamples: ENQUEUE_SAMPLES, pageLimit: PAGE_LIMIT, bySize, burst }
  addRows(ctx, bySize)
  if (burst) {
    ctx.rows.push(
      row(
        `${format.count(ENQUEUE_BURST)} saves (saveContact) in a row, ${format.size(burst.size)} items, per save p50 / p99 / max`,
        // The max beside the loop's max below: when they agree, the loop's worst wait was one save's own SQLite call.
        format.p50p99max(burst.perSave),
        { baseline: `one save at a time: ${format.p50p99(bySize[burst.size]!.saveContact)}` },
      ),
      row('  main-thread event-loop delay during them, p99 / max', `${burst.loop.p99} / ${burst.loop.max} ms`, {
        aim: 'p99 ≤ 16 ms, max ≤ 50 ms',
      }),
    )
  }
}

/** Saves one after another as a CSV import sends them, each its own call (a turn of the event loop). */
async function enqueueBurst(core: BenchCore): Promise<{ perSave: Summary; loop: LoopDelay }> {
  const samples: number[] = []
  const loop = monitorEventLoop()
  for (let i = 0; i < ENQUEUE_BURST; i++) {
    const draft = realisticDraft(ENQUEUE_SAMPLES + i)
    samples.push(await timeMsAsync(() => expectOk(dispatchCommand(core.handlers, 'saveContact', draft))))
    await yieldToEventLoop()
  }
  return { perSave: summarize(samples), loop: loop.stop() }
}

/** The floor: one durable INSERT and commit of the same JSON, same journal and durability, no app around it. */
function rawInsert(work: string): { insert: (body: string) => void; close(): void } {
  const db = new DatabaseSync(join(work, 'raw-insert.sqlite'))
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL')
  db.exec(
    'CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, created_at INTEGER)',
  )
  const statement = db.prepare('INSERT INTO items (id, body, created_at) VALUES (?, ?, ?)')
  return { insert: (body) => void statement.run(crypto.randomUUID(), body, Date.now()), close: () => db.close() }
}

/** Raw insert, the store's enqueue and the saveContact command, interleaved so all three see the same disk and noise. */
async function measureSaving(
  core: AppCore,
  insert: (body: string) => void,
): Promise<Pick<SizeResult, 'rawInsert' | 'storeEnqueue' | 'saveContact'>> {
  const raw: number[] = []
  const store: number[] = []
  const command: number[] = []
  const target = { baseUrl: NOWHERE.baseUrl, organizationId: NOWHERE.organizationId }
  for (let i = 0; i < ENQUEUE_SAMPLES; i++) {
    const contact = realisticContact(i)
    const body = JSON.stringify(contact)
    const draft = realisticDraft(i)
    const steps = [
      async () => raw.push(timeMs(() => insert(body))),
      async () =>
        store.push(timeMs(() => core.outbox.enqueue({ ...contact, target, profileId: 'default' }, Date.now()))),
      async () => command.push(await timeMsAsync(() => expectOk(core.handlers.saveContact(draft)))),
    ]
    // Each goes first in turn: the first write after a pause pays for waking the disk and caches.
    for (let k = 0; k < steps.length; k++) {
      await steps[(i + k) % steps.length]!()
      // A person saves a contact every few seconds: what a save kicks off runs before the next one.
      await yieldToEventLoop()
    }
  }
  return { rawInsert: summarize(raw), storeEnqueue: summarize(store), saveContact: summarize(command) }
}

/** The list as the Outbox view reads it: pages of 100 on Waiting to send (where it opens), then on All, scrolling down. */
async function measurePaging(
  core: BenchCore,
): Promise<Pick<SizeResult, 'firstPage' | 'nextPages' | 'smallPages' | 'pagingLoop'>> {
  const first: number[] = []
  const next: number[] = []
  const small: number[] = []
  const page = async (filter: OutboxFilter, limit: number, before: number | undefined): Promise<OutboxPage> =>
    expectOk(
      dispatchCommand(core.handlers, 'listOutbox', { filter, limit, ...(before ? { before } : {}) }),
    ) as Promise<OutboxPage>
  const loop = monitorEventLoop()
  for (let round = 0; round < PAGE_ROUNDS; round++) {
    for (const limit of [PAGE_LIMIT, SMALL_PAGE_LIMIT]) {
      for (const filter of ['to_send', 'all'] as const) {
        let before: number | undefined
        for (let n = 0; n < PAGES_PER_SCROLL; n++) {
          let result: OutboxPage | undefined
          const ms = await timeMsAsync(async () => (result = await page(filter, limit, before)))
          if (limit === SMALL_PAGE_LIMIT) small.push(ms)
          else if (n === 0 && filter === 'to_send') first.push(ms)
          else next.push(ms)
          before = result?.nextBefore ?? undefined
          if (before === undefined) break
          // The view asks for the next page after a frame or so, not in the same turn.
          await yieldToEventLoop()
        }
      }
    }
  }
  return {
    firstPage: summarize(first),
    nextPages: summarize(next),
    smallPages: summarize(small),
    pagingLoop: loop.stop(),
  }
}

async function sampleAsync(count: number, run: () => Promise<unknown>): Promise<Summary> {
  const samples: number[] = []
  for (let i = 0; i < count; i++) samples.push(await timeMsAsync(run))
  return summarize(samples)
}

async function expectOk(
  pending: Promise<{ ok: boolean; value?: unknown; error?: { message: string } }>,
): Promise<unknown> {
  const result = await pending
  if (!result.ok) throw new Error(`A command failed during the bench: ${result.error?.message}`)
  return result.value
}

function addRows(ctx: BenchContext, bySize: Record<number, SizeResult>): void {
  const sizes = Object.keys(bySize).map(Number)
  const baseSize = Math.min(...sizes)
  const base = bySize[baseSize]!
  const at = (size: number) => (size === 0 ? 'empty outbox' : `${format.size(size)} items`)
  // Against the same figure on the smallest history: what history costs.
  const vsBase = (size: number, pick: (r: SizeResult) => Summary) =>
    size === baseSize
      ? {}
      : {
          baseline: `${format.p50p99(pick(base))} at ${at(baseSize)}`,
          ratio: format.times(pick(bySize[size]!).p50, pick(base).p50),
        }
  for (const size of sizes) {
    const r = bySize[size]!
    const rawText = `raw insert ${format.p50p99(r.rawInsert)}`
    ctx.rows.push(
      row(`save a contact (saveContact), ${at(size)}, p50 / p99`, format.p50p99(r.saveContact), {
        baseline: rawText,
        ratio: format.times(r.saveContact.p50, r.rawInsert.p50),
        aim: '≤ 1.5×',
      }),
      row(`store enqueue alone, ${at(size)}, p50 / p99`, format.p50p99(r.storeEnqueue), {
        baseline: rawText,
        ratio: format.times(r.storeEnqueue.p50, r.rawInsert.p50),
      }),
      row(`first page of ${PAGE_LIMIT} (Waiting to send), ${at(size)}, p50 / p99`, format.p50p99(r.firstPage), {
        ...vsBase(size, (s) => s.firstPage),
        aim: 'p99 ≤ 10 ms',
      }),
      row(`next pages of ${PAGE_LIMIT} (Waiting to send, All), ${at(size)}, p50 / p99`, format.p50p99(r.nextPages), {
        ...vsBase(size, (s) => s.nextPages),
        aim: 'p99 ≤ 10 ms',
      }),
      row(`pages of ${SMALL_PAGE_LIMIT} (Waiting to send, All), ${at(size)}, p50 / p99`, format.p50p99(r.smallPages), {
        ...vsBase(size, (s) => s.smallPages),
        aim: 'p99 ≤ 10 ms',
      }),
      row(
        `  main-thread event-loop delay while paging, ${at(size)}, p99 / max`,
        `${r.pagingLoop.p99} / ${r.pagingLoop.max} ms`,
        {
          aim: 'p99 ≤ 16 ms, max ≤ 50 ms',
        },
      ),
      row(`status counts (getSyncStatus), ${at(size)}, p50 / p99`, format.p50p99(r.status), {
        ...vsBase(size, (s) => s.status),
        aim: '≤ 2 ms',
      }),
      row(
        `Save settings (prunes history), ${at(size)}, p50 / p99`,
        format.p50p99(r.saveSettings),
        vsBase(size, (s) => s.saveSettings),
      ),
    )
  }
}
