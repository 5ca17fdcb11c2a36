/**
 * The sync worker through the real core: SQLite outbox in a temp folder, real HTTP to the sandbox,
 * one test per fault showing the item's resulting state. Small real delays; no fake clock.
 */
import { describe, expect, it } from 'vitest'
import type { Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import {
  connect,
  eventually,
  expectQuiet,
  openHarness,
  requestsFor,
  save,
  stored,
  untilQueue,
  untilState,
  useHarnesses,
  useSharedSandbox,
  value,
} from './support/outbox-harness.ts'

let sandbox: Sandbox
const { connected, track } = useHarnesses(() => sandbox)

useSharedSandbox((started) => (sandbox = started))

describe('created', () => {
  it('sends a saved contact and keeps the server’s contact on the item', async () => {
    const harness = await connected()
    const item = await save(harness)
    expect(item.state).toBe('queued')
    const sent = await untilState(harness, item.id, 'sent')
    expect(sandbox.contacts).toHaveLength(1)
    expect(sent.contact).toMatchObject({ id: sandbox.contacts[0]!.id, full_name: item.draft.fullName })
    expect(sent.attempts).toBe(1)
    expect(requestsFor(sandbox, sent.idempotencyKey)).toHaveLength(1)
    expect(harness.events.some((e) => e.event === 'outboxChanged')).toBe(true)
    // The status goes out once at the end of the turn that moved the item (one per burst, not per item).
    const status = await eventually(() => harness.statuses().find((s) => s.counts.sent === 1), 5_000, 'a status')
    expect(status).toMatchObject({ state: 'running', toSend: 0, needsYou: 0, counts: { sent: 1 } })
    expect(harness.statuses().at(-1)).toEqual(status)
  })

  it('with latency, the item is sending meanwhile and sent after', async () => {
    sandbox.faults.set({ latencyMs: 400 })
    const harness = await connected()
    const item = await save(harness)
    await untilState(harness, item.id, 'sending')
    expect(harness.core.worker.status()).toMatchObject({ toSend: 1, counts: { sending: 1 } })
    await untilState(harness, item.id, 'sent')
  })
})

describe('transient server errors', () => {
  // 500, 502 and 504 may follow a commit: no-silent-duplicates.test.ts holds them for the user.
  it.each([503, 408, 425])(
    '%i (not processed) → queued with a later next attempt, then sent when the fault clears',
    async (status) => {
      sandbox.faults.set({ nextStatuses: [{ status }] })
      // A fixed 1.5 s backoff keeps the queued moment long enough to observe on a loaded machine.
      const harness = await connected({ random: () => 1, backoff: { baseMs: 750, capMs: 1_500 } })
      const before = Date.now()
      const item = await save(harness)
      const queued = await eventually(() => {
        const current = stored(harness, item.id)
        return current.attempts === 1 && current.state === 'queued' ? current : undefined
      })
      expect(Date.parse(queued.nextAttemptAt!)).toBeGreaterThanOrEqual(before)
      expect(queued.lastError).toEqual({ code: 'server_error', params: { status } })
      const sent = await untilState(harness, item.id, 'sent')
      expect(sent.attempts).toBe(2)
      expect(sandbox.contacts).toHaveLength(1)
    },
  )

  it('uses the same Idempotency-Key on every attempt of one item, and another for another item', async () => {
    sandbox.faults.set({ nextStatuses: [{ status: 503 }, { status: 408 }] })
    const harness = await connected({ maxInFlight: 1 })
    const first = await save(harness)
    const sent = await untilState(harness, first.id, 'sent')
    const second = stored(harness, (await save(harness)).id)
    await untilState(harness, second.id, 'sent')
    const attempts = requestsFor(sandbox, sent.idempotencyKey)
    expect(attempts).toHaveLength(3)
    expect(attempts.map((r) => r.status)).toEqual([503, 408, 201])
    expect(second.idempotencyKey).not.toBe(sent.idempotencyKey)
    expect(requestsFor(sandbox, second.idempotencyKey)).toHaveLength(1)
  })
})

describe('rate limits', () => {
  it('429 with Retry-After in seconds → the queue waits until then, then sends', async () => {
    sandbox.faults.set({ nextStatuses: [{ status: 429, retryAfter: '1' }] })
    const harness = await connected()
    const before = Date.now()
    const item = await save(harness)
    const status = await untilQueue(harness, 'waiting')
    const until = Date.parse(status.until!)
    expect(until).toBeGreaterThanOrEqual(before + 1_000)
    expect(status.reason).toBeNull()
    expect(Date.parse(stored(harness, item.id).nextAttemptAt!)).toBeGreaterThanOrEqual(until)
    // Nothing else goes meanwhile, even a new contact.
    await save(harness)
    expect(sandbox.requests).toHaveLength(1)
    const sent = await untilState(harness, item.id, 'sent')
    expect(Date.parse(sent.updatedAt)).toBeGreaterThanOrEqual(until)
    await untilQueue(harness, 'running')
    await eventually(() => sandbox.contacts.length === 2)
  })

  it('429 with Retry-After as an HTTP date → waiting until that date', async () => {
    const date = new Date(Math.ceil((Date.now() + 2_000) / 1_000) * 1_000)
    sandbox.faults.set({ nextStatuses: [{ status: 429, retryAfter: date.toUTCString() }] })
    const harness = await connected()
    const item = await save(harness)
    const status = await untilQueue(harness, 'waiting')
    expect(Math.abs(Date.parse(status.until!) - date.getTime())).toBeLessThan(1_000)
    const sent = await untilState(harness, item.id, 'sent')
    expect(Date.parse(sent.updatedAt)).toBeGreaterThanOrEqual(date.getTime() - 1_000)
  })

  it('503 with Retry-After → waiting', async () => {
    sandbox.faults.set({ nextStatuses: [{ status: 503, retryAfter: '1' }] })
    const harness = await connected()
    const item = await save(harness)
    await untilQueue(harness, 'waiting')
    await untilState(harness, item.id, 'sent')
  })
})

describe('credentials refused', () => {
  it('401 → paused_auth; nothing more is sent until the credentials are saved, then all are sent', async () => {
    const harness = track(await openHarness())
    await connect(harness, sandbox, { apiKey: 'not-the-key' })
    const first = await save(harness)
    const status = await untilQueue(harness, 'paused_auth')
    expect(status.reason).toEqual({ code: 'key_refused', params: {} })
    expect(stored(harness, first.id)).toMatchObject({ state: 'queued', lastError: { code: 'unauthorized' } })
    const second = await save(harness)
    await expectQuiet(sandbox)
    expect(sandbox.requests).toHaveLength(1)
    await connect(harness, sandbox)
    await untilState(harness, first.id, 'sent')
    await untilState(harness, second.id, 'sent')
    expect(sandbox.contacts).toHaveLength(2)
    expect(harness.core.worker.status().state).toBe('running')
  })

  it('403 → paused_auth for the organization; saving settings again resumes', async () => {
    sandbox.faults.set({ nextStatuses: [{ status: 403 }] })
    const harness = await connected()
    const item = await save(harness)
    const status = await untilQueue(harness, 'paused_auth')
    expect(status.reason).toEqual({ code: 'organization_refused', params: { organizationId: sandbox.organizationId } })
    expect(stored(harness, item.id).state).toBe('queued')
    await expectQuiet(sandbox)
    await connect(harness, sandbox)
    await untilState(harness, item.id, 'sent')
  })

  it('items saved for another organization are held (and said so) until edited for the current one', async () => {
    const harness = await connected()
    await connect(harness, sandbox, { organizationId: sandbox.organizationId + 1 })
    const item = await save(harness)
    await untilQueue(harness, 'paused_auth')
    await connect(harness, sandbox)
    await eventually(() => harness.core.worker.status().held === 1)
    await expectQuiet(sandbox, 300)
    expect(stored(harness, item.id).state).toBe('queued')
    value(await harness.core.handlers.updateOutboxItem({ id: item.id, draft: item.draft }))
    const sent = await untilState(harness, item.id, 'sent')
    expect(sent.target).toEqual({ baseUrl: sandbox.url, organizationId: sandbox.organizationId })
  })
})

describe('refused contacts', () => {
  it('422 → needs_fix with the server’s field errors; an edit sends it', async () => {
    sandbox.faults.set({
      nextStatuses: [
        {
          status: 422,
          body: JSON.stringify({
            email: ['has already been taken'],
            'contact_phones_attributes[0].number': ['is not allowed'],
          }),
        },
      ],
    })
    const harness = await connected()
    const item = await save(harness)
    const fix = await untilState(harness, item.id, 'needs_fix')
    expect(fix.fieldErrors).toMatchObject({ email: ['Has already been taken'], phones: [['Is not allowed']] })
    expect(fix.lastError).toEqual({ code: 'rejected', params: { messages: [] } })
    await expectQuiet(sandbox, 200)
    const edited = value(
      await harness.core.handlers.updateOutboxItem({
        id: item.id,
        draft: { ...item.draft, email: 'other@example.com' },
      }),
    )
    expect(edited).toMatchObject({ state: 'queued', fieldErrors: null })
    const sent = await untilState(harness, item.id, 'sent')
    expect(sent.contact?.email).toBe('other@example.com')
    expect(sandbox.contacts).toHaveLength(1)
  })

  it('a 404 (wrong base URL) → needs_fix with words', async () => {
    const harness = track(await openHarness())
    await connect(harness, sandbox, { baseUrl: `${sandbox.url}/nothing-here` })
    const item = await save(harness)
    const fix = await untilState(harness, item.id, 'needs_fix')
    expect(fix.lastError).toMatchObject({ code: 'unexpected_reply', params: { mayExist: false } })
    expect(fix.lastError?.params).toMatchObject({ reason: expect.stringMatching(/Base URL/) })
  })
})

describe('may have reached the server', () => {
  it('dropped after the request was read → unconfirmed; Send again sends it with the same key', async () => {
    sandbox.faults.set({ dropAfterRead: 1 })
    const harness = await connected()
    const item = await save(harness)
    const unconfirmed = await untilState(harness, item.id, 'unconfirmed')
    expect(unconfirmed.lastError).toMatchObject({ code: 'connection_lost' })
    // This sandbox drops before creating; whatever a server did, the item stays unconfirmed until the user decides.
    expect(sandbox.contacts).toHaveLength(0)
    await expectQuiet(sandbox, 300)
    value(await harness.core.handlers.sendAgain({ id: item.id }))
    await untilState(harness, item.id, 'sent')
    expect(requestsFor(sandbox, unconfirmed.idempotencyKey)).toHaveLength(2)
    expect(sandbox.contacts).toHaveLength(1)
  })

  it('a server closing connections on arrival cannot be told from a reset → unconfirmed', async () => {
    sandbox.faults.set({ down: true })
    const harness = await connected()
    const item = await save(harness)
    await untilState(harness, item.id, 'unconfirmed')
  })

  it('hang → timeout → unconfirmed; Mark as sent settles it', async () => {
    sandbox.faults.set({ hang: true })
    const harness = await connected({ requestTimeoutMs: 300 })
    const item = await save(harness)
    const unconfirmed = await untilState(harness, item.id, 'unconfirmed')
    expect(unconfirmed.lastError).toEqual({ code: 'timeout', params: { host: new URL(sandbox.url).host } })
    const marked = value(await harness.core.handlers.markAsSent({ id: item.id }))
    expect(marked).toMatchObject({ state: 'sent', contact: null })
  })

  it('Mark as sent undone: the item is unconfirmed again and Send again creates it', async () => {
    sandbox.faults.set({ dropAfterRead: 1 })
    const harness = await connected()
    const item = await save(harness)
    await untilState(harness, item.id, 'unconfirmed')
    value(await harness.core.handlers.markAsSent({ id: item.id }))
    const undone = value(await harness.core.handlers.undoMarkAsSent({ id: item.id }))
    expect(undone).toMatchObject({ state: 'unconfirmed', contact: null })
    // A second undo finds nothing to undo, and says so.
    const again = await harness.core.handlers.undoMarkAsSent({ id: item.id })
    expect(again).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    value(await harness.core.handlers.sendAgain({ id: item.id }))
    const sent = await untilState(harness, item.id, 'sent')
    expect(sent.contact?.full_name).toBe(item.draft.fullName.trim())
  })
})
