/**
 * The sync worker's life around the sends: offline and back, configuration, bounded concurrency,
 * restart on the same data folder, and stop() with requests in flight. Real core, real HTTP.
 */
import { describe, expect, it } from 'vitest'
import { DEFAULT_FLAG_AFTER_MS } from '../../src/main/core/app-core.ts'
import { openOutboxStore } from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import { validateContactDraft } from '../../src/shared/contact.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import {
  connect,
  draft,
  expectQuiet,
  openHarness,
  removeDir,
  save,
  stored,
  tempDataDir,
  untilQueue,
  untilState,
  useHarnesses,
  useSharedSandbox,
  value,
} from './support/outbox-harness.ts'

let sandbox: Sandbox
const { connected, track } = useHarnesses(() => sandbox)

useSharedSandbox((started) => (sandbox = started))

describe('offline and unreachable', () => {
  it('API unreachable (refused) → unreachable, not offline; coming online sends it exactly once', async () => {
    const gone = await startSandbox()
    const { port, apiKeyId, apiKey, organizationId } = gone
    await gone.close()
    const harness = track(await openHarness())
    await connect(harness, gone)
    const item = await save(harness)
    const status = await untilQueue(harness, 'unreachable')
    expect(status).toMatchObject({ host: `127.0.0.1:${port}`, toSend: 1, sendable: 1 })
    expect(stored(harness, item.id)).toMatchObject({
      state: 'queued',
      lastError: { code: 'network_unreachable', params: { reason: expect.stringMatching(/refused/) } },
    })

    const back = await startSandbox({ port, apiKeyId, apiKey, organizationId })
    try {
      value(await harness.core.handlers.reportConnectivity({ online: true }))
      const sent = await untilState(harness, item.id, 'sent')
      expect(back.contacts).toHaveLength(1)
      expect(back.requests.filter((r) => r.headers['idempotency-key'] === sent.idempotencyKey)).toHaveLength(1)
      expect(harness.core.worker.status().state).toBe('running')
    } finally {
      await back.close()
    }
  })

  it('the renderer’s offline hint shows at once; a request that gets an answer corrects it', async () => {
    const harness = await connected()
    // The worker reads the saved connection in the background; "not connected yet" would outrank offline.
    await untilQueue(harness, 'running')
    const status = value(await harness.core.handlers.reportConnectivity({ online: false }))
    expect(status.state).toBe('offline')
    const item = await save(harness)
    await untilState(harness, item.id, 'sent')
    expect(harness.core.worker.status().state).toBe('running')
  })
})

describe('configuration', () => {
  it('without a key, contacts are kept and wait; adding the key sends them', async () => {
    const harness = track(await openHarness())
    await connect(harness, sandbox, { apiKey: undefined })
    const item = await save(harness)
    const status = await untilQueue(harness, 'not_configured')
    expect(status.reason).toMatchObject({ code: 'no_api_key' })
    await expectQuiet(sandbox, 200)
    await connect(harness, sandbox)
    await untilState(harness, item.id, 'sent')
  })
})

describe('bounded concurrency', () => {
  it('never has more than 4 requests in flight, and sends every item once', async () => {
    sandbox.faults.set({ latencyMs: 150 })
    let inFlight = 0
    let most = 0
    const harness = await connected({
      fetch: async (input, init) => {
        inFlight += 1
        most = Math.max(most, inFlight)
        try {
          return await fetch(input, init)
        } finally {
          inFlight -= 1
        }
      },
    })
    const items = await Promise.all(Array.from({ length: 14 }, () => save(harness)))
    for (const item of items) await untilState(harness, item.id, 'sent')
    expect(most).toBe(4)
    expect(sandbox.contacts).toHaveLength(14)
    expect(new Set(sandbox.requests.map((r) => r.headers['idempotency-key'])).size).toBe(14)
  })
})

describe('restart and stop', () => {
  it('a restart on the same folder keeps everything; a row left sending becomes unconfirmed', async () => {
    const dataDir = await tempDataDir()
    const first = await openHarness({ dataDir })
    await connect(first, sandbox)
    const sent = await save(first)
    await untilState(first, sent.id, 'sent')
    sandbox.faults.set({ nextStatuses: [{ status: 422, body: '{"full_name":["is reserved"]}' }] })
    const fix = await save(first)
    await untilState(first, fix.id, 'needs_fix')
    const listBefore = value(await first.core.handlers.listOutbox({ filter: 'all', limit: 50 }))
    await first.core.close()

    // A crash mid-send, as the store sees it: a row left `sending`.
    const store = openOutboxStore({ path: `${dataDir}/outbox.sqlite`, flagAfterMs: DEFAULT_FLAG_AFTER_MS })
    const request = validateContactDraft(draft())
    if (!request.ok) throw new Error('bad draft')
    const target = { baseUrl: sandbox.url, organizationId: sandbox.organizationId }
    const crashed = store.enqueue(
      { draft: draft(), request: request.request, target, profileId: 'default' },
      Date.now(),
    )
    store.markSending(crashed.id, Date.now())
    store.close()

    const second = track(await openHarness({ dataDir, secrets: first.secrets }))
    const listAfter = value(await second.core.handlers.listOutbox({ filter: 'all', limit: 50 }))
    expect(listAfter.items.filter((i) => i.id !== crashed.id)).toEqual(listBefore.items)
    expect(stored(second, crashed.id)).toMatchObject({
      state: 'unconfirmed',
      lastError: { code: 'interrupted', params: {} },
    })
    await expectQuiet(sandbox, 300)
    expect(sandbox.contacts).toHaveLength(1)
  })

  it('stop() while a send is in flight leaves no row sending (aborted → unconfirmed)', async () => {
    sandbox.faults.set({ latencyMs: 3_000 })
    const harness = await connected({ stopGraceMs: 200 })
    const items = await Promise.all([save(harness), save(harness)])
    for (const item of items) await untilState(harness, item.id, 'sending')
    const started = Date.now()
    await harness.core.close()
    expect(Date.now() - started).toBeLessThan(2_000)
    const store = openOutboxStore({ path: `${harness.dataDir}/outbox.sqlite`, flagAfterMs: DEFAULT_FLAG_AFTER_MS })
    try {
      expect(store.counts(Date.now())).toMatchObject({ sending: 0, unconfirmed: 2 })
      expect(store.get(items[0]!.id, Date.now())?.lastError).toEqual({ code: 'interrupted', params: {} })
    } finally {
      store.close()
      await removeDir(harness.dataDir)
    }
  })

  it('stop() lets a send that finishes within the grace period end as sent', async () => {
    sandbox.faults.set({ latencyMs: 300 })
    const harness = await connected({ stopGraceMs: 5_000 })
    const item = await save(harness)
    await untilState(harness, item.id, 'sending')
    await harness.core.close()
    const store = openOutboxStore({ path: `${harness.dataDir}/outbox.sqlite`, flagAfterMs: DEFAULT_FLAG_AFTER_MS })
    try {
      expect(store.get(item.id, Date.now())?.state).toBe('sent')
    } finally {
      store.close()
      await removeDir(harness.dataDir)
    }
  })
})
