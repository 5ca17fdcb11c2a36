// `npm run bench`: the outbox's performance against baselines measured in the same run.
// A benchmark, not a test: it prints a table and writes JSON under bench/results/; it fails nothing.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { createAppCore } from '../src/main/core/app-core.ts'
import { silentLogger } from '../src/main/core/logger.ts'
import { MemorySecretStore } from '../src/main/core/secret-store.ts'
import { openOutboxStore } from '../src/main/core/outbox/sqlite-outbox-store.ts'
import type { NewOutboxItem } from '../src/main/core/outbox/outbox-store-types.ts'
import { startSandboxProcess } from './sandbox-process.ts'
import { report, type BenchRow } from './report.ts'
import { round, summarize, timeMs } from './stats.ts'

const ENQUEUE_SAMPLES = 2_000
const FLUSH_ITEMS = 2_000
const SEQUENTIAL_ITEMS = 300
const LATENCY_MS = 20
const IN_FLIGHT = 4
const LARGE_OUTBOX = 100_000
const FLAG_AFTER_MS = 7 * 24 * 60 * 60 * 1000

const work = mkdtempSync(join(tmpdir(), 'cloverhound-bench-'))
const sample: NewOutboxItem = {
  draft: {
    fullName: 'Ada Lovelace',
    email: 'ada@example.com',
    description: 'Met at the analytical engine demo',
    phones: [{ number: '+14155550132' }],
  },
  request: {
    full_name: 'Ada Lovelace',
    email: 'ada@example.com',
    description: 'Met at the analytical engine demo',
    contact_phones_attributes: [{ number: '+14155550132' }],
  },
  target: { baseUrl: 'http://127.0.0.1:9', organizationId: 4242 },
  profileId: 'default',
}

const rows: BenchRow[] = []
const results: Record<string, unknown> = {}

try {
  benchEnqueue()
  benchLargeOutbox()
  await benchFlush()
} finally {
  rmSync(work, { recursive: true, force: true })
}

report('outbox', rows, results)

/** Durable enqueue against a raw node:sqlite insert with the same durability (WAL, synchronous=FULL). */
function benchEnqueue(): void {
  const raw = new DatabaseSync(join(work, 'raw.sqlite'))
  raw.exec('PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL')
  raw.exec('CREATE TABLE items (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER)')
  const insert = raw.prepare('INSERT INTO items (id, body, created_at) VALUES (?, ?, ?)')
  const body = JSON.stringify({ draft: sample.draft, request: sample.request })
  const store = openOutboxStore({ path: join(work, 'enqueue.sqlite'), flagAfterMs: FLAG_AFTER_MS })

  // Interleaved so both see the same disk and the same background noise.
  const rawSamples: number[] = []
  const storeSamples: number[] = []
  for (let i = 0; i < ENQUEUE_SAMPLES; i++) {
    rawSamples.push(timeMs(() => insert.run(crypto.randomUUID(), body, Date.now())))
    storeSamples.push(timeMs(() => store.enqueue(sample, Date.now())))
  }
  raw.close()
  store.close()
  const rawStats = summarize(rawSamples)
  const storeStats = summarize(storeSamples)
  results.enqueue = { raw: rawStats, store: storeStats, ratioP50: storeStats.p50 / rawStats.p50 }
  rows.push(
    {
      measure: 'enqueue p50 (ms)',
      value: String(round(storeStats.p50)),
      baseline: `${round(rawStats.p50)} raw insert`,
      ratio: `${round(storeStats.p50 / rawStats.p50, 2)}×`,
      aim: '≤ 1.5×',
    },
    {
      measure: 'enqueue p99 (ms)',
      value: String(round(storeStats.p99)),
      baseline: `${round(rawStats.p99)} raw insert`,
      ratio: `${round(storeStats.p99 / rawStats.p99, 2)}×`,
      aim: '—',
    },
  )
}

/** Opening the store and reading a page of the list with 100,000 items in it. */
function benchLargeOutbox(): void {
  const path = join(work, 'large.sqlite')
  const seeded = openOutboxStore({ path, flagAfterMs: FLAG_AFTER_MS })
  seeded.enqueue(sample, Date.now())
  seeded.close()
  seedCopies(path, LARGE_OUTBOX - 1)

  const opens: number[] = []
  const pages: number[] = []
  const firstPages: number[] = []
  for (let round = 0; round < 5; round++) {
    let store: ReturnType<typeof openOutboxStore> | undefined
    opens.push(timeMs(() => (store = openOutboxStore({ path, flagAfterMs: FLAG_AFTER_MS }))))
    firstPages.push(timeMs(() => store!.page({ filter: 'all', limit: 50 }, Date.now())))
    for (const filter of ['all', 'waiting', 'sent'] as const) {
      let before: number | undefined
      for (let page = 0; page < 10; page++) {
        pages.push(
          timeMs(() => {
            before = store!.page({ filter, limit: 50, before }, Date.now()).nextBefore ?? undefined
          }),
        )
      }
    }
    store!.close()
  }
  const open = summarize(opens)
  const page = summarize(pages)
  const first = summarize(firstPages)
  results.largeOutbox = { items: LARGE_OUTBOX, open, page, firstPageAfterOpen: first }
  rows.push(
    {
      measure: 'open at 100k items (ms, p50)',
      value: String(round(open.p50)),
      baseline: '—',
      ratio: '—',
      aim: '≤ 200 ms',
    },
    {
      measure: 'page of 50 at 100k (ms, p50)',
      value: String(round(page.p50)),
      baseline: '—',
      ratio: '—',
      aim: '≤ 10 ms',
    },
    { measure: 'page of 50 at 100k (ms, p99)', value: String(round(page.p99)), baseline: '—', ratio: '—', aim: '—' },
    {
      measure: 'first page after open (ms, p50)',
      value: String(round(first.p50)),
      baseline: '—',
      ratio: '—',
      aim: '—',
    },
  )
}

/** Copies the first row `count` times in one transaction (a fast seed; the store's own enqueue is measured above). */
function seedCopies(path: string, count: number): void {
  const db = new DatabaseSync(path)
  const columns = (db.prepare('PRAGMA table_info(outbox_items)').all() as { name: string }[])
    .map((c) => c.name)
    .filter((name) => !['seq', 'id', 'idempotency_key', 'state', 'created_at'].includes(name))
  const uuid = `lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6)))`
  db.exec('BEGIN')
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO outbox_items (id, idempotency_key, state, created_at, ${columns.join(', ')})
     SELECT ${uuid}, ${uuid}, CASE WHEN i % 10 = 0 THEN 'queued' WHEN i % 50 = 1 THEN 'needs_fix' ELSE 'sent' END,
            t.created_at - i, ${columns.map((c) => `t.${c}`).join(', ')}
     FROM n, (SELECT * FROM outbox_items LIMIT 1) AS t`,
  ).run(count)
  db.exec('COMMIT')
  db.close()
}

/** Draining the outbox against the sandbox at 20 ms latency: concurrent against the bound and against one at a time. */
async function benchFlush(): Promise<void> {
  const concurrent = await flush(FLUSH_ITEMS, IN_FLIGHT)
  const sequential = await flush(SEQUENTIAL_ITEMS, 1)
  const network = await plainFetchFloor(FLUSH_ITEMS, IN_FLIGHT)
  const bound = IN_FLIGHT / (LATENCY_MS / 1000)
  results.flush = { latencyMs: LATENCY_MS, inFlight: IN_FLIGHT, bound, concurrent, sequential, plainFetch: network }
  rows.push(
    {
      measure: `flush ${FLUSH_ITEMS} items (items/s)`,
      value: String(round(concurrent.perSecond, 1)),
      baseline: `${bound} bound (${IN_FLIGHT} in flight ÷ ${LATENCY_MS} ms)`,
      ratio: `${round((concurrent.perSecond / bound) * 100, 1)} %`,
      aim: '≥ 80 %',
    },
    {
      measure: 'flush vs plain fetch (items/s)',
      value: String(round(concurrent.perSecond, 1)),
      baseline: `${round(network.perSecond, 1)} plain POSTs, ${IN_FLIGHT} in flight, no outbox`,
      ratio: `${round((concurrent.perSecond / network.perSecond) * 100, 1)} %`,
      aim: '—',
    },
    {
      measure: 'flush vs one at a time',
      value: String(round(concurrent.perSecond, 1)),
      baseline: `${round(sequential.perSecond, 1)} one at a time`,
      ratio: `${round(concurrent.perSecond / sequential.perSecond, 2)}×`,
      aim: '—',
    },
  )
}

/** The same POSTs with nothing around them: what loopback HTTP and the sandbox allow on this machine. */
async function plainFetchFloor(
  items: number,
  inFlight: number,
): Promise<{ items: number; seconds: number; perSecond: number }> {
  const sandbox = await startSandboxProcess()
  await sandbox.setFaults({ latencyMs: LATENCY_MS })
  const url = `${sandbox.url}/${sandbox.organizationId}/contacts`
  const headers = {
    'Content-Type': 'application/json',
    Authorization: `Basic ${Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`).toString('base64')}`,
  }
  const body = JSON.stringify({ full_name: 'Bench Contact', contact_phones_attributes: [{ number: '+14155550132' }] })
  let next = 0
  const start = performance.now()
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next++ < items) await (await fetch(url, { method: 'POST', headers, body })).text()
    }),
  )
  const seconds = (performance.now() - start) / 1000
  await sandbox.close()
  return { items, seconds: round(seconds), perSecond: items / seconds }
}

async function flush(
  items: number,
  maxInFlight: number,
): Promise<{ items: number; seconds: number; perSecond: number }> {
  // In its own process, as the real API would be: its work must not share the app's event loop.
  const sandbox = await startSandboxProcess()
  await sandbox.setFaults({ latencyMs: LATENCY_MS })
  const dataDir = mkdtempSync(join(work, 'flush-'))
  const core = await createAppCore({
    dataDir,
    secrets: new MemorySecretStore(),
    fetch: (input, init) => fetch(input, init),
    emit: () => {},
    logger: silentLogger,
    maxInFlight,
  })
  try {
    // Save without a key: the items wait (not configured) until the key arrives, then all go at once.
    await core.handlers.saveSettings({
      baseUrl: sandbox.url,
      organizationId: sandbox.organizationId,
      apiKeyId: sandbox.apiKeyId,
    })
    const draft = { fullName: 'Bench Contact', email: '', description: '', phones: [{ number: '+14155550132' }] }
    for (let i = 0; i < items; i++) {
      const saved = await core.handlers.saveContact(draft)
      if (!saved.ok) throw new Error(`saveContact failed: ${saved.error.message}`)
    }
    const start = performance.now()
    await core.handlers.saveSettings({
      baseUrl: sandbox.url,
      organizationId: sandbox.organizationId,
      apiKeyId: sandbox.apiKeyId,
      apiKey: sandbox.apiKey,
    })
    while (core.outbox.counts(Date.now()).sent < items) await new Promise((r) => setTimeout(r, 20))
    const seconds = (performance.now() - start) / 1000
    const received = await sandbox.contactCount()
    if (received !== items) throw new Error(`sandbox received ${received} of ${items}`)
    return { items, seconds: round(seconds), perSecond: items / seconds }
  } finally {
    await core.close()
    await sandbox.close()
  }
}
