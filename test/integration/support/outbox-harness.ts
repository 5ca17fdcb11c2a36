/**
 * The real core (SQLite outbox in a temp folder, sync worker, command handlers) against the
 * sandbox API over real HTTP, with the waits and look-ups the outbox tests share.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import type { Result } from '../../../src/shared/app-error.ts'
import type { EventName } from '../../../src/shared/bridge-contract.ts'
import type { ContactDraft } from '../../../src/shared/contact.ts'
import type { OutboxState } from '../../../src/shared/outbox.ts'
import type { OutboxItem, SyncStatus } from '../../../src/shared/outbox-schemas.ts'
import { createAppCore, type AppCore, type CoreOptions } from '../../../src/main/core/app-core.ts'
import { silentLogger } from '../../../src/main/core/logger.ts'
import type { StoredItem } from '../../../src/main/core/outbox/outbox-store-types.ts'
import { MemorySecretStore, type SecretStore } from '../../../src/main/core/secret-store.ts'
import { startSandbox, type Sandbox } from '../../../tools/sandbox/sandbox-server.ts'

export interface Harness {
  core: AppCore
  dataDir: string
  secrets: SecretStore
  events: Array<{ event: EventName; payload: unknown }>
  statuses(): SyncStatus[]
}

/** Small backoff so retries happen within a test; the production constants are tested in unit tests. */
export const FAST_BACKOFF = { baseMs: 100, capMs: 400 }

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cloverhound-outbox-'))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

export async function openHarness(
  options: Partial<CoreOptions> & { dataDir?: string; secrets?: SecretStore } = {},
): Promise<Harness> {
  const dataDir = options.dataDir ?? (await tempDataDir())
  const secrets = options.secrets ?? new MemorySecretStore()
  const events: Harness['events'] = []
  const core = await createAppCore({
    fetch: (input, init) => fetch(input, init),
    logger: silentLogger,
    requestTimeoutMs: 5_000,
    backoff: FAST_BACKOFF,
    ...options,
    dataDir,
    secrets,
    emit: (event, payload) => events.push({ event, payload }),
  })
  const statuses = () =>
    events.filter((entry) => entry.event === 'syncStatusChanged').map((entry) => entry.payload as SyncStatus)
  return { core, dataDir, secrets, events, statuses }
}

/**
 * Harnesses closed (and their folders removed) after each test. `connected` opens one already
 * connected to the sandbox; `track` adopts one opened some other way.
 */
/** One sandbox for a test file, reset before each test; `set` receives it once it is up. */
export function useSharedSandbox(set: (sandbox: Sandbox) => void): void {
  let sandbox: Sandbox | undefined
  beforeAll(async () => {
    sandbox = await startSandbox()
    set(sandbox)
  })
  afterAll(async () => {
    await sandbox?.close()
  })
  beforeEach(() => {
    sandbox?.reset()
  })
}

export function useHarnesses(sandbox: () => Sandbox) {
  const open: Harness[] = []
  afterEach(async () => {
    for (const harness of open.splice(0)) {
      await harness.core.close()
      await removeDir(harness.dataDir)
    }
  })
  const track = (harness: Harness): Harness => {
    open.push(harness)
    return harness
  }
  const connected = async (options: Parameters<typeof openHarness>[0] = {}): Promise<Harness> => {
    const harness = track(await openHarness(options))
    await connect(harness, sandbox())
    return harness
  }
  return { connected, track }
}

/** Saves the sandbox's connection (with its key unless `apiKey` says otherwise). */
export async function connect(
  harness: Harness,
  sandbox: Sandbox,
  overrides: { apiKey?: string; organizationId?: number; baseUrl?: string; deduplicatesRetries?: boolean } = {},
): Promise<void> {
  const saved = await harness.core.handlers.saveSettings({
    ...(overrides.deduplicatesRetries === undefined ? {} : { deduplicatesRetries: overrides.deduplicatesRetries }),
    baseUrl: overrides.baseUrl ?? sandbox.url,
    organizationId: overrides.organizationId ?? sandbox.organizationId,
    apiKeyId: sandbox.apiKeyId,
    ...('apiKey' in overrides
      ? overrides.apiKey === undefined
        ? {}
        : { apiKey: overrides.apiKey }
      : { apiKey: sandbox.apiKey }),
  })
  expect(saved, JSON.stringify(saved)).toMatchObject({ ok: true })
}

let counter = 0
export function draft(overrides: Partial<ContactDraft> = {}): ContactDraft {
  counter += 1
  return {
    fullName: `Ada Lovelace ${counter}`,
    email: `ada${counter}@example.com`,
    description: 'Analytical Engine',
    phones: [{ number: '+14155550132' }],
    ...overrides,
  }
}

export function value<T>(result: Result<T>): T {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true })
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

export async function save(harness: Harness, overrides: Partial<ContactDraft> = {}): Promise<OutboxItem> {
  return value(await harness.core.handlers.saveContact(draft(overrides)))
}

/** The item as the store has it, key and all. */
export function stored(harness: Harness, id: string): StoredItem {
  const item = harness.core.outbox.get(id, Date.now())
  if (!item) throw new Error(`no item ${id}`)
  return item
}

/**
 * Polls (small real delays) until `check` returns something truthy. `what` names the wait; as a
 * function it is asked at the timeout, so the error tells the state things ended in.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what: string | (() => string) = 'condition',
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const result = await check()
    if (result) return result as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${typeof what === 'string' ? what : what()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export async function untilState(
  harness: Harness,
  id: string,
  state: OutboxState,
  timeoutMs = 10_000,
): Promise<StoredItem> {
  return eventually(
    () => {
      const item = stored(harness, id)
      return item.state === state ? item : undefined
    },
    timeoutMs,
    () => `item to be ${state} (it is ${stored(harness, id).state})`,
  )
}

export async function untilQueue(
  harness: Harness,
  state: SyncStatus['state'],
  timeoutMs = 10_000,
): Promise<SyncStatus> {
  return eventually(
    () => {
      const status = harness.core.worker.status()
      return status.state === state ? status : undefined
    },
    timeoutMs,
    () => {
      const last = harness.core.worker.status()
      return `queue to be ${state} (it is ${last.state}: ${JSON.stringify(last.reason)})`
    },
  )
}

/** Waits a little and proves nothing reached the sandbox meanwhile. */
export async function expectQuiet(sandbox: Sandbox, ms = 400): Promise<void> {
  const before = sandbox.requests.length
  await new Promise((resolve) => setTimeout(resolve, ms))
  expect(sandbox.requests.length).toBe(before)
}

export function requestsFor(sandbox: Sandbox, idempotencyKey: string) {
  return sandbox.requests.filter((request) => request.headers['idempotency-key'] === idempotencyKey)
}
