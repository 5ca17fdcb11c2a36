/**
 * The fault matrix: every way a server can fail around a "Create contact", times the connection's
 * "Server deduplicates retries (Idempotency-Key)" off and on, through the real sync worker and outbox
 * against the sandbox over real HTTP. The sandbox is the harsh server (it ignores the key) unless the
 * setting is on, when it honours it as an organization that turned the setting on vouches its API does.
 * The promise: no contact is created twice unless the user pressed Send again; a contact the server
 * saved is `sent` or `unconfirmed`, never sent again silently; with the key honoured, answers lost
 * after sending are retried and end `sent` exactly once.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FetchFunction } from '../../src/main/core/cloverhound-client.ts'
import type { OutboxState } from '../../src/shared/outbox.ts'
import type { FaultPatch } from '../../tools/sandbox/faults.ts'
import type { Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import {
  connect,
  eventually,
  expectQuiet,
  openHarness,
  requestsFor,
  save,
  stored,
  untilState,
  useHarnesses,
  useSharedSandbox,
  value,
} from './support/outbox-harness.ts'
import { fakeNetFetch } from '../support/fake-net-fetch.ts'

let sandbox: Sandbox
const { track } = useHarnesses(() => sandbox)
useSharedSandbox((started) => (sandbox = started))

/** How long a request may hang before the client gives up (the "commit, then never answer" fault). */
const REQUEST_TIMEOUT_MS = 500

interface Fault {
  name: string
  faults: FaultPatch
  /** Whether the server saved the contact on the first attempt. */
  commits: boolean
  /** What the item ends as with the setting off, and on. */
  ends: { off: OutboxState; on: OutboxState }
  /** Lifts a fault that would otherwise hold for every request. */
  liftAfterFirst?: FaultPatch
}

const AMBIGUOUS = { off: 'unconfirmed', on: 'sent' } as const
const SETTLED_BY_USER = { off: 'unconfirmed', on: 'unconfirmed' } as const
const RETRIED = { off: 'sent', on: 'sent' } as const
const outagePage = `<html>${'<p>We are having trouble.</p>'.repeat(60_000)}</html>`

const FAULTS: Fault[] = [
  { name: 'commit, then 500', faults: { afterCommit: [{ status: 500 }] }, commits: true, ends: AMBIGUOUS },
  { name: 'commit, then 502', faults: { afterCommit: [{ status: 502 }] }, commits: true, ends: AMBIGUOUS },
  { name: 'commit, then 504', faults: { afterCommit: [{ status: 504 }] }, commits: true, ends: AMBIGUOUS },
  {
    name: 'commit, then 500 with an outage page too large to read',
    faults: { afterCommit: [{ status: 500, body: outagePage }] },
    commits: true,
    ends: AMBIGUOUS,
  },
  {
    name: 'commit, then drop the connection',
    faults: { afterCommit: [{ drop: true }] },
    commits: true,
    ends: AMBIGUOUS,
  },
  { name: 'commit, then never answer', faults: { afterCommit: [{ hang: true }] }, commits: true, ends: AMBIGUOUS },
  { name: 'commit, then 202', faults: { afterCommit: [{ status: 202 }] }, commits: true, ends: SETTLED_BY_USER },
  { name: 'commit, then 204', faults: { afterCommit: [{ status: 204 }] }, commits: true, ends: SETTLED_BY_USER },
  { name: 'read, then drop without saving', faults: { dropAfterRead: 1 }, commits: false, ends: AMBIGUOUS },
  {
    name: 'close connections on arrival',
    faults: { down: true },
    commits: false,
    ends: AMBIGUOUS,
    liftAfterFirst: { down: false },
  },
  { name: '409 conflict', faults: { nextStatuses: [{ status: 409 }] }, commits: false, ends: SETTLED_BY_USER },
  { name: '503 (not processed)', faults: { nextStatuses: [{ status: 503 }] }, commits: false, ends: RETRIED },
  { name: '429 (slow down)', faults: { nextStatuses: [{ status: 429 }] }, commits: false, ends: RETRIED },
]

/** The app sends with Electron's net.fetch; Node's fetch is what the rest of the suite uses. */
const STACKS = {
  'Node’s fetch': (): FetchFunction => (input, init) => fetch(input, init),
  'Electron’s net.fetch (fake)': (): FetchFunction => fakeNetFetch().fetch,
}

const MATRIX = Object.keys(STACKS).flatMap((stack) =>
  FAULTS.flatMap((fault) => [
    { ...fault, stack, dedupe: false },
    { ...fault, stack, dedupe: true },
  ]),
)

async function connectedHarness(dedupe: boolean, stack = 'Node’s fetch') {
  const makeFetch = STACKS[stack as keyof typeof STACKS]
  const harness = track(await openHarness({ requestTimeoutMs: REQUEST_TIMEOUT_MS, fetch: makeFetch() }))
  await connect(harness, sandbox, { deduplicatesRetries: dedupe })
  return harness
}

describe('no silent duplicates: every fault × Server deduplicates retries off and on', () => {
  it.each(MATRIX)('$stack: $name, deduplicating: $dedupe', async (row) => {
    const { faults, commits, ends, liftAfterFirst, dedupe } = row
    sandbox.honoursIdempotencyKey = dedupe
    sandbox.faults.set(faults)
    const harness = await connectedHarness(dedupe, row.stack)
    const item = await save(harness)
    if (liftAfterFirst) {
      await eventually(() => sandbox.requests.length >= 1)
      sandbox.faults.set(liftAfterFirst)
    }
    const expected = dedupe ? ends.on : ends.off
    const settled = await untilState(harness, item.id, expected)
    // Settled means settled: nothing more goes out on its own.
    await eventually(() => harness.core.worker.inFlight === 0)
    await expectQuiet(sandbox, 300)

    const attempts = requestsFor(sandbox, settled.idempotencyKey)
    const created = sandbox.contacts.filter((contact) => contact.full_name === item.draft.fullName)
    // Never twice, whatever the fault and the setting, without the user.
    expect(created.length).toBeLessThanOrEqual(1)
    if (commits) expect(created).toHaveLength(1)
    if (created.length === 1) expect(['sent', 'unconfirmed']).toContain(settled.state)
    if (settled.state === 'sent') {
      expect(created).toHaveLength(1)
      expect(settled.contact?.id).toBe(created[0]!.id)
    }
    if (settled.state === 'unconfirmed') {
      // Held for the user after its one attempt: never sent again silently.
      expect(attempts).toHaveLength(1)
      expect(stored(harness, item.id).attempts).toBe(1)
    }
    if (dedupe && expected === 'sent' && commits) {
      // Retried with the same key, and the server's first contact came back.
      expect(attempts.length).toBeGreaterThanOrEqual(2)
      for (const request of attempts) expect([created[0]!.id, undefined]).toContain(request.contactId)
    }
  })

  it('a duplicate is made only when the user presses Send again on a contact the server already saved', async () => {
    sandbox.faults.set({ afterCommit: [{ status: 502 }] })
    const harness = await connectedHarness(false)
    const item = await save(harness)
    const unconfirmed = await untilState(harness, item.id, 'unconfirmed')
    expect(unconfirmed.lastError).toEqual({
      code: 'failed_after_send',
      params: { host: new URL(sandbox.url).host, status: 502 },
    })
    expect(sandbox.contacts).toHaveLength(1)
    value(await harness.core.handlers.sendAgain({ id: item.id }))
    await untilState(harness, item.id, 'sent')
    // The user accepted the risk the words named; this server ignores the key, so it made a second one.
    expect(sandbox.contacts.map((contact) => contact.full_name)).toEqual([item.draft.fullName, item.draft.fullName])
  })

  it('the setting is saved with the connection, and off again for a new server unless ticked', async () => {
    const harness = await connectedHarness(true)
    expect(value(await harness.core.handlers.getSettings(undefined))).toMatchObject({
      profile: { deduplicatesRetries: true },
    })
    const file = JSON.parse(await readFile(join(harness.dataDir, 'settings.json'), 'utf8')) as {
      profiles: Array<{ connection: unknown }>
    }
    expect(file.profiles[0]?.connection).toMatchObject({ baseUrl: sandbox.url, deduplicatesRetries: true })
    await connect(harness, sandbox)
    expect(value(await harness.core.handlers.getSettings(undefined))).toMatchObject({
      profile: { deduplicatesRetries: true },
    })
    await connect(harness, sandbox, { baseUrl: `http://localhost:${sandbox.port}` })
    expect(value(await harness.core.handlers.getSettings(undefined))).toMatchObject({
      profile: { deduplicatesRetries: false },
    })
  })
})
