/**
 * The worker's scheduling with a controllable clock, timers and client (the store is the real
 * SQLite one in a temp folder): one timer for the earliest due item, none while nothing can be
 * sent, a slow tick while the keychain is unavailable, one probe at a time while offline, and
 * stop() with a request that ignores its abort.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CreateContactCall, CreateContactOutcome } from '../../src/main/core/cloverhound-client.ts'
import type { Connection } from '../../src/main/core/credentials.ts'
import type { OutboxStore } from '../../src/main/core/outbox/outbox-store-types.ts'
import { KEYCHAIN_RETRY_MS } from '../../src/main/core/outbox/queue-state.ts'
import { openOutboxStore } from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import { SyncWorker, type SyncWorkerOptions } from '../../src/main/core/outbox/sync-worker.ts'
import type { WorkerTimers } from '../../src/main/core/outbox/worker-timers.ts'
import { KeychainUnavailableError } from '../../src/main/core/secret-store.ts'
import { validateContactDraft, type ContactDraft } from '../../src/shared/contact.ts'

const profile = { baseUrl: 'https://api.example.test', organizationId: 7, apiKeyId: 'key-id' }
const connection: Connection = {
  profile,
  apiKey: 'secret',
  boundTo: { origin: 'https://api.example.test', apiKeyId: 'key-id' },
}
const created: CreateContactOutcome = { kind: 'created', contact: { id: 1, organization_id: 7, full_name: 'A' } }

let dir: string
let store: OutboxStore
let clock: number
let timers: FakeTimers
let workers: SyncWorker[]

class FakeTimers implements WorkerTimers {
  pending = new Map<number, { callback: () => void; at: number }>()
  created = 0
  #next = 1
  setTimeout(callback: () => void, ms: number): unknown {
    this.created += 1
    const id = this.#next++
    this.pending.set(id, { callback, at: clock + ms })
    return id
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }
  /** Moves the clock to the earliest timer and runs it. */
  fireNext(): number {
    const [id, timer] = [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? []
    if (id === undefined || !timer) throw new Error('no timer pending')
    this.pending.delete(id)
    clock = Math.max(clock, timer.at)
    timer.callback()
    return timer.at
  }
}

/** A client whose replies the test scripts; records how many calls overlap. */
function scriptedClient(replies: Array<CreateContactOutcome | (() => Promise<CreateContactOutcome>)>) {
  const calls: CreateContactCall[] = []
  let inFlight = 0
  const state = { most: 0, calls, fallback: created as CreateContactOutcome }
  const client = {
    async createContact(call: CreateContactCall): Promise<CreateContactOutcome> {
      calls.push(call)
      inFlight += 1
      state.most = Math.max(state.most, inFlight)
      try {
        const reply = replies.shift() ?? state.fallback
        return typeof reply === 'function' ? await reply() : reply
      } finally {
        inFlight -= 1
      }
    },
  }
  return { client, state }
}

function worker(options: Partial<SyncWorkerOptions> & Pick<SyncWorkerOptions, 'client'>): SyncWorker {
  const created = new SyncWorker({
    store,
    credentials: { connection: async () => connection, profile: async () => profile },
    now: () => clock,
    timers,
    random: () => 0.5,
    ...options,
  })
  workers.push(created)
  return created
}

function enqueue(fullName = 'Ada Lovelace'): string {
  const draft: ContactDraft = { fullName, email: '', description: '', phones: [] }
  const checked = validateContactDraft(draft)
  if (!checked.ok) throw new Error('bad draft')
  const target = { baseUrl: profile.baseUrl, organizationId: profile.organizationId }
  return store.enqueue({ draft, request: checked.request, target, profileId: 'default' }, clock).id
}

/** Commits in the outbox's WAL since it last started over: frames that give the database's size end a commit. */
function walCommits(path: string): number {
  const wal = readFileSync(`${path}-wal`)
  if (wal.length < 32) return 0
  const pageSize = wal.readUInt32BE(8)
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)]
  let commits = 0
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
    if (wal.readUInt32BE(at + 8) !== salt1 || wal.readUInt32BE(at + 12) !== salt2) break
    if (wal.readUInt32BE(at + 4) !== 0) commits += 1
  }
  return commits
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve))
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sync-worker-unit-'))
  store = openOutboxStore({ path: join(dir, 'outbox.sqlite'), flagAfterMs: 7 * 86_400_000 })
  clock = Date.UTC(2030, 0, 1, 12, 0, 0)
  timers = new FakeTimers()
  workers = []
})
afterEach(async () => {
  for (const created of workers) await created.stop()
  store.close()
  await rm(dir, { recursive: true, force: true })
})

describe('SyncWorker scheduling', () => {
  it('after a transient failure, schedules exactly one timer for the backoff, then sends when it fires', async () => {
    const { client, state } = scriptedClient([{ kind: 'server_error', status: 503, retryAfterMs: undefined }])
    const id = enqueue()
    worker({ client }).start()
    await settle()
    expect(store.get(id, clock)).toMatchObject({ state: 'queued', attempts: 1 })
    expect(timers.pending.size).toBe(1)
    // Full jitter with random 0.5 on the first retry: half of the 2 s base.
    const due = clock + 1_000
    expect(store.get(id, clock)?.nextAttemptAt).toBe(new Date(due).toISOString())
    expect(timers.fireNext()).toBe(due)
    await settle()
    expect(store.get(id, clock)?.state).toBe('sent')
    expect(state.calls).toHaveLength(2)
    expect(timers.pending.size).toBe(0)
  })

  it('with nothing queued, sets no timer at all', async () => {
    const { client } = scriptedClient([])
    worker({ client }).start()
    await settle()
    expect(timers.created).toBe(0)
  })

  it('sets no timer while paused for credentials; a credentials kick resumes at once', async () => {
    const { client, state } = scriptedClient([{ kind: 'unauthorized' }])
    const id = enqueue()
    const sync = worker({ client })
    sync.start()
    await settle()
    expect(sync.status()).toMatchObject({ state: 'paused_auth' })
    expect(store.get(id, clock)?.state).toBe('queued')
    expect(timers.pending.size).toBe(0)
    enqueue('Grace Hopper')
    sync.kick('enqueue')
    await settle()
    expect(state.calls).toHaveLength(1)
    sync.kick('credentials')
    await settle()
    expect(state.calls).toHaveLength(3)
    expect(store.counts(clock).sent).toBe(2)
  })

  it('keychain unavailable → not configured, with that reason; a slow tick sends once it is back, with no kick', async () => {
    const { client, state } = scriptedClient([])
    const id = enqueue()
    let keychainUp = false
    let reads = 0
    const sync = worker({
      client,
      credentials: {
        connection: async () => {
          reads += 1
          if (!keychainUp) throw new KeychainUnavailableError('No keychain is available. Unlock it.')
          return connection
        },
        profile: async () => profile,
      },
    })
    sync.start()
    await settle()
    expect(sync.status()).toMatchObject({
      state: 'not_configured',
      reason: { code: 'keychain_unavailable', params: {} },
      toSend: 1,
      sendable: 1,
    })
    expect(state.calls).toHaveLength(0)
    expect(timers.pending.size).toBe(1)
    // Still locked at the tick: one more read, then one more slow tick, never a spin.
    const start = clock
    expect(timers.fireNext()).toBe(start + KEYCHAIN_RETRY_MS)
    await settle()
    expect(reads).toBe(2)
    expect(state.calls).toHaveLength(0)
    expect(timers.pending.size).toBe(1)
    expect(sync.status().state).toBe('not_configured')
    keychainUp = true
    expect(timers.fireNext()).toBe(start + 2 * KEYCHAIN_RETRY_MS)
    await settle()
    expect(store.get(id, clock)?.state).toBe('sent')
    expect(sync.status().state).toBe('running')
    expect(timers.pending.size).toBe(0)
  })

  it('stop() ends the keychain tick', async () => {
    const { client } = scriptedClient([])
    enqueue()
    const sync = worker({
      client,
      credentials: {
        connection: async () => {
          throw new KeychainUnavailableError('No keychain is available. Unlock it.')
        },
        profile: async () => profile,
      },
    })
    sync.start()
    await settle()
    expect(timers.pending.size).toBe(1)
    await sync.stop()
    expect(timers.pending.size).toBe(0)
  })

  it.each([
    ['no connection saved', { connection: async () => undefined, profile: async () => undefined }],
    ['no API key saved', { connection: async () => undefined, profile: async () => profile }],
    [
      'the settings unreadable',
      {
        connection: async () => {
          throw new SyntaxError('Unexpected end of JSON input')
        },
        profile: async () => profile,
      },
    ],
  ])('not configured with %s: no timer, since only the user can fix it', async (_case, credentials) => {
    const { client, state } = scriptedClient([])
    enqueue()
    const sync = worker({ client, credentials })
    sync.start()
    await settle()
    expect(sync.status().state).toBe('not_configured')
    expect(state.calls).toHaveLength(0)
    expect(timers.created).toBe(0)
  })

  it('a 429 with Retry-After holds every send until then, with one timer at that moment', async () => {
    const { client, state } = scriptedClient([{ kind: 'rate_limited', retryAfterMs: 120_000 }])
    const start = clock
    enqueue()
    const sync = worker({ client, maxInFlight: 1 })
    sync.start()
    await settle()
    expect(sync.status()).toMatchObject({ state: 'waiting', until: new Date(start + 120_000).toISOString() })
    expect(sync.status()).toMatchObject({ reason: null, toSend: 1, needsYou: 0 })
    enqueue('Grace Hopper')
    sync.kick('enqueue')
    await settle()
    expect(state.calls).toHaveLength(1)
    expect(timers.pending.size).toBe(1)
    expect(timers.fireNext()).toBe(start + 120_000)
    await settle()
    expect(store.counts(clock).sent).toBe(2)
    expect(sync.status().state).toBe('running')
  })

  it('server unreachable: one probe at a time, on a backoff of its own; when one gets through, the rest go at once', async () => {
    const refused: CreateContactOutcome = { kind: 'network', description: 'refused', mayHaveReachedServer: false }
    const { client, state } = scriptedClient([])
    state.fallback = refused
    for (let i = 0; i < 3; i++) enqueue(`Person ${i}`)
    const sync = worker({ client })
    sync.start()
    await settle()
    expect(sync.status()).toMatchObject({ state: 'unreachable', host: 'api.example.test', toSend: 3, sendable: 3 })
    for (let probe = 0; probe < 3; probe++) {
      const calls = state.calls.length
      state.most = 0
      expect(timers.pending.size).toBe(1)
      timers.fireNext()
      await settle()
      // However many are due, one request per probe.
      expect(state.calls.length).toBe(calls + 1)
      expect(state.most).toBe(1)
    }
    state.fallback = created
    timers.fireNext()
    await settle()
    expect(store.counts(clock).sent).toBe(3)
    expect(sync.status().state).toBe('running')
  })

  it('the platform hint: offline shows at once; coming online sends what backed off meanwhile', async () => {
    let online = false
    const { client, state } = scriptedClient([{ kind: 'network', description: 'down', mayHaveReachedServer: false }])
    const id = enqueue()
    const sync = worker({ client, isOnline: () => online })
    sync.start()
    await settle()
    expect(sync.status().state).toBe('offline')
    expect(state.calls).toHaveLength(1)
    expect(store.get(id, clock)?.state).toBe('queued')
    online = true
    sync.kick('online')
    await settle()
    expect(store.get(id, clock)?.state).toBe('sent')
    expect(sync.status().state).toBe('running')
  })

  it('the platform says offline while requests fail too: told as offline, not as the server, and probed the same way', async () => {
    const refused: CreateContactOutcome = { kind: 'network', description: 'refused', mayHaveReachedServer: false }
    const { client, state } = scriptedClient([])
    state.fallback = refused
    enqueue()
    enqueue('Grace Hopper')
    const sync = worker({ client, isOnline: () => false })
    sync.start()
    await settle()
    expect(sync.status().state).toBe('offline')
    expect(state.calls).toHaveLength(1)
    expect(timers.pending.size).toBe(1)
    timers.fireNext()
    await settle()
    expect(state.calls).toHaveLength(2)
    expect(sync.status().state).toBe('offline')
  })

  it('a new Base URL in Settings ends "server unreachable" at once: the next round tries the new server', async () => {
    const refused: CreateContactOutcome = { kind: 'network', description: 'refused', mayHaveReachedServer: false }
    const { client, state } = scriptedClient([refused])
    const other = { ...profile, baseUrl: 'https://other.example.test' }
    let current: Connection = connection
    const sync = worker({
      client,
      credentials: { connection: async () => current, profile: async () => current.profile },
    })
    enqueue()
    sync.start()
    await settle()
    expect(sync.status().state).toBe('unreachable')
    current = { ...connection, profile: other, boundTo: { origin: other.baseUrl, apiKeyId: 'key-id' } }
    sync.kick('credentials')
    await settle()
    // The queued item is for the old server (held), but the queue no longer blames the new one.
    expect(sync.status()).toMatchObject({ state: 'running', host: 'other.example.test', held: 1, sendable: 0 })
    expect(state.calls).toHaveLength(1)
  })

  it('saving the API key ends "waiting for the API key" and a 401 pause, and sends what waited', async () => {
    const { client, state } = scriptedClient([{ kind: 'unauthorized' }])
    let current: Connection | undefined
    const sync = worker({ client, credentials: { connection: async () => current, profile: async () => profile } })
    const id = enqueue()
    sync.start()
    await settle()
    expect(sync.status()).toMatchObject({
      state: 'not_configured',
      reason: { code: 'no_api_key', params: { host: 'api.example.test' } },
    })
    current = connection
    sync.kick('credentials')
    await settle()
    expect(sync.status()).toMatchObject({ state: 'paused_auth', reason: { code: 'key_refused', params: {} } })
    current = { ...connection, apiKey: 'the-right-one' }
    sync.kick('credentials')
    await settle()
    expect(store.get(id, clock)?.state).toBe('sent')
    expect(sync.status()).toMatchObject({ state: 'running', reason: null, toSend: 0 })
    expect(state.calls).toHaveLength(2)
  })

  it('a steady flush makes one durable commit per item: an outcome and the next item’s `sending` share it', async () => {
    const path = join(dir, 'outbox.sqlite')
    const ids = [enqueue('Ada'), enqueue('Grace'), enqueue('Edsger')]
    // What another connection reads from the file as each request starts.
    const file = new DatabaseSync(path, { readOnly: true })
    const states = (): string[] =>
      file
        .prepare('SELECT state FROM outbox_items ORDER BY seq')
        .all()
        .map((row) => String(row.state))
    const seen: string[][] = []
    // Each answer comes in a task of its own, as a socket's does, with the worker's other turns between.
    const reply = async (): Promise<CreateContactOutcome> => {
      seen.push(states())
      await new Promise((resolve) => setTimeout(resolve, 5))
      return created
    }
    const { client } = scriptedClient([reply, reply, reply])
    const before = walCommits(path)
    worker({ client, maxInFlight: 1 }).start()
    for (let waited = 0; waited < 2_000 && store.get(ids[2]!, clock)?.state !== 'sent'; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await settle()
    file.close()
    expect(ids.map((id) => store.get(id, clock)?.state)).toEqual(['sent', 'sent', 'sent'])
    expect(seen).toEqual([
      ['sending', 'queued', 'queued'],
      ['sent', 'sending', 'queued'],
      ['sent', 'sent', 'sending'],
    ])
    // The first `sending`, then one commit per outcome, carrying the next item's `sending` while one is left.
    expect(walCommits(path) - before).toBe(ids.length + 1)
  })

  it('stop() records a request that ignores its abort as unconfirmed and ignores its late reply', async () => {
    let release: (outcome: CreateContactOutcome) => void = () => {}
    const { client } = scriptedClient([() => new Promise((resolve) => (release = resolve))])
    const id = enqueue()
    const sync = new SyncWorker({
      store,
      client,
      credentials: { connection: async () => connection, profile: async () => profile },
      now: () => clock,
      stopGraceMs: 20,
    })
    sync.start()
    await settle()
    expect(store.get(id, clock)?.state).toBe('sending')
    await sync.stop()
    expect(store.get(id, clock)).toMatchObject({ state: 'unconfirmed', lastError: { code: 'interrupted' } })
    release(created)
    await settle()
    expect(store.get(id, clock)?.state).toBe('unconfirmed')
  })
})
