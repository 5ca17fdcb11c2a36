// Saving, paging and the status line at each history size, through the command handlers the
// renderer calls (parsed by the same dispatch the IPC adapter and the web preview use).
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { AppCore } from '../src/main/core/app-core.ts'
import { dispatchCommand } from '../src/main/core/command-dispatch.ts'
import type { OutboxFilter, OutboxPage } from '../src/shared/outbox.ts'
import type { BenchContext } from './bench-context.ts'
import { NOWHERE, saveConnection, startBenchCore, yieldToEventLoop } from './bench-core.ts'
import { realisticContact, realisticDraft } from './realistic-contacts.ts'
import { format, row } from './report.ts'
import { summarize, timeMs, timeMsAsync, type Summary } from './stats.ts'

const ENQUEUE_SAMPLES = 300
/** The renderer's PAGE_SIZE (src/renderer/src/stores/outbox.ts). */
const PAGE_LIMIT = 100
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
  status: Summary
  saveSettings: Summary
}

export async function benchOutbox(ctx: BenchContext): Promise<void> {
  const raw = rawInsert(ctx.work)
  const bySize: Record<number, SizeResult> = {}
  try {
    for (const size of ctx.config.history) {
      const dataDir = ctx.folders.folder(size)
      const core = await startBenchCore({ dataDir })
      try {
        // A connection without a key: saves wait for it, as they do for a new user (nothing is sent meanwhile).
        await saveConnection(core, NOWHERE)
        bySize[size] = {
          ...(await measureSaving(core, raw.insert)),
          ...(await measurePaging(core)),
          status: await sampleAsync(STATUS_SAMPLES, () =>
            expectOk(dispatchCommand(core.handlers, 'getSyncStatus', undefined)),
          ),
          saveSettings: await sampleAsync(SETTINGS_SAMPLES, () => saveConnection(core, NOWHERE)),
        }
      } finally {
        await core.close()
        ctx.discard(dataDir)
      }
    }
  } finally {
    raw.close()
  }
  ctx.results.outbox = { enqueueSamples: ENQUEUE_SAMPLES, pageLimit: PAGE_LIMIT, bySize }
  addRows(ctx, bySize)
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

/** The list as the Outbox view reads it: pages of 100 on Waiting (where it opens), then on All, scrolling down. */
async function measurePaging(core: AppCore): Promise<Pick<SizeResult, 'firstPage' | 'nextPages'>> {
  const first: number[] = []
  const next: number[] = []
  const page = async (filter: OutboxFilter, before: number | undefined): Promise<OutboxPage> =>
    expectOk(
      dispatchCommand(core.handlers, 'listOutbox', { filter, limit: PAGE_LIMIT, ...(before ? { before } : {}) }),
    ) as Promise<OutboxPage>
  for (let round = 0; round < PAGE_ROUNDS; round++) {
    for (const filter of ['waiting', 'all'] as const) {
      let before: number | undefined
      for (let n = 0; n < PAGES_PER_SCROLL; n++) {
        let result: OutboxPage | undefined
        const ms = await timeMsAsync(async () => (result = await page(filter, before)))
        if (n === 0 && filter === 'waiting') first.push(ms)
        else next.push(ms)
        before = result?.nextBefore ?? undefined
        if (before === undefined) break
      }
    }
  }
  return { firstPage: summarize(first), nextPages: summarize(next) }
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
      row(`first page of ${PAGE_LIMIT} (Waiting), ${at(size)}, p50 / p99`, format.p50p99(r.firstPage), {
        ...vsBase(size, (s) => s.firstPage),
        aim: 'p99 ≤ 10 ms',
      }),
      row(`next pages of ${PAGE_LIMIT} (Waiting, All), ${at(size)}, p50 / p99`, format.p50p99(r.nextPages), {
        ...vsBase(size, (s) => s.nextPages),
        aim: 'p99 ≤ 10 ms',
      }),
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
