/**
 * The core on its own thread, as main runs it: commands and events over the line, keys answered by
 * main's real keychain, close that waits for the outbox's writes, and a core that dies or cannot
 * start. Real worker thread, real SQLite file, real HTTP to the strict sandbox.
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { OUTBOX_FILE_NAME } from '../../src/main/core/app-core.ts'
import { APP_ID } from '../../src/main/core/app-id.ts'
import { apiKeyAccount } from '../../src/main/core/credentials.ts'
import { CORE_GONE, connectCore, type HostedCore } from '../../src/main/core/host/connect-core.ts'
import type { FromCore, MainLine, ToCore } from '../../src/main/core/host/core-messages.ts'
import { startCoreThread } from '../../src/main/core/host/core-thread.ts'
import { KeytarSecretStore } from '../../src/main/core/keytar-secret-store.ts'
import { closedCleanly } from '../../src/main/core/outbox/clean-close.ts'
import { OutboxStorageError } from '../../src/main/core/outbox/outbox-errors.ts'
import { MemorySecretStore, type SecretStore } from '../../src/main/core/secret-store.ts'
import type { Logger } from '../../src/main/core/logger.ts'
import type { EventName } from '../../src/shared/bridge-names.ts'
import { apiKeyBinding } from '../../src/shared/settings.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { draft, eventually, removeDir, tempDataDir, value } from './support/outbox-harness.ts'

const privateKeyring = process.env.CLOVERHOUND_TEST_KEYRING === 'private' && process.platform === 'linux'

let sandbox: Sandbox
beforeAll(async () => (sandbox = await startSandbox()))
beforeEach(() => sandbox.reset())
afterAll(() => sandbox.close())

interface Started {
  core: HostedCore
  dataDir: string
  events: Array<{ name: EventName; payload: unknown }>
  logs: string[]
}

async function startInThread(secrets: SecretStore, dataDir?: string): Promise<Started> {
  const folder = dataDir ?? (await tempDataDir())
  const events: Started['events'] = []
  const logs: string[] = []
  const logger: Logger = {
    info: (message) => logs.push(message),
    warn: (message) => logs.push(message),
    error: (message) => logs.push(message),
  }
  const core = await startCoreThread({
    core: { dataDir: folder, requestTimeoutMs: 5_000, backoff: { baseMs: 100, capMs: 400 } },
    secrets,
    fetch: (input, init) => fetch(input, init),
    emit: (name, payload) => events.push({ name, payload }),
    logger,
  })
  return { core, dataDir: folder, events, logs }
}

/** The sandbox's connection, saved through the core as Settings saves it. */
async function connectToSandbox(core: HostedCore) {
  return value(
    await core.handlers.saveSettings({
      baseUrl: sandbox.url,
      organizationId: sandbox.organizationId,
      apiKeyId: sandbox.apiKeyId,
      apiKey: sandbox.apiKey,
    }),
  )
}

/** A line over a worker running the core's entry that keeps every message, both ways, as text. */
function recordedLine(worker: Worker, seen: string[]): MainLine {
  const text = (message: unknown) =>
    JSON.stringify(message, (_, value: unknown) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
    )
  return {
    post: (message: ToCore) => {
      seen.push(text(message))
      worker.postMessage(message)
    },
    listen: (listener: (message: FromCore) => void) =>
      void worker.on('message', (message: FromCore) => {
        seen.push(text(message))
        listener(message)
      }),
    onGone: (listener) => void worker.once('exit', (code) => listener(`exit code ${code}`)),
    end: () => void worker.terminate(),
  }
}

const coreEntry = new URL('../../src/main/core/host/core-thread-entry.ts', import.meta.url)

describe('the core on its own thread', () => {
  it('never sees the API key: typed, stored and sent, it stays in main', async () => {
    const dataDir = await tempDataDir()
    const seen: string[] = []
    const core = await connectCore(recordedLine(new Worker(coreEntry), seen), {
      core: { dataDir, requestTimeoutMs: 5_000 },
      secrets: new MemorySecretStore(),
      fetch: (input, init) => fetch(input, init),
      emit: () => {},
      logger: { info() {}, warn() {}, error() {} },
    })
    try {
      await connectToSandbox(core)
      // Pasted where it does not belong: contact data may carry it, as the user typed it.
      const item = value(await core.handlers.saveContact(draft({ description: `key ${sandbox.apiKey}` })))
      await eventually(
        async () =>
          value(await core.handlers.listOutbox({ filter: 'sent', limit: 10 })).items.some((e) => e.id === item.id),
        10_000,
        'the contact to be sent',
      )
      // The server got the real key, from main.
      expect(sandbox.requests.at(-1)?.headers.authorization).toBe(
        `Basic ${Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`).toString('base64')}`,
      )
      // What crossed the line, both ways: the key only where the user typed it into a contact.
      const crossed = seen.filter((message) => message.includes(sandbox.apiKey))
      expect(crossed.length).toBeGreaterThan(0)
      expect(crossed.every((message) => message.includes(`key ${sandbox.apiKey}`))).toBe(true)
      expect(seen.some((message) => message.includes('cloverhound-key:'))).toBe(true)
    } finally {
      await core.close()
      await removeDir(dataDir)
    }
  })

  it.skipIf(!privateKeyring)('sends a contact once, with the key main reads from the real keychain', async () => {
    const secrets = new KeytarSecretStore(`${APP_ID}.test.${randomUUID()}`)
    const { core, dataDir, events } = await startInThread(secrets)
    try {
      const saved = await connectToSandbox(core)
      // The key went to main's keychain, and the settings the core answers with never carry it.
      expect(JSON.stringify(saved)).not.toContain(sandbox.apiKey)
      const binding = apiKeyBinding({ baseUrl: sandbox.url, apiKeyId: sandbox.apiKeyId })
      expect(await secrets.get(apiKeyAccount(saved.activeProfileId, binding!))).toBe(sandbox.apiKey)
      const item = value(await core.handlers.saveContact(draft({ fullName: 'Ada Thread' })))
      await eventually(
        async () =>
          value(await core.handlers.listOutbox({ filter: 'sent', limit: 10 })).items.some((e) => e.id === item.id),
        10_000,
        'the contact to be sent',
      )
      expect(sandbox.contacts.filter((contact) => contact.full_name === 'Ada Thread')).toHaveLength(1)
      // Events reach main as they happen, with the contract's payloads.
      expect(events.some((event) => event.name === 'outboxChanged')).toBe(true)
      expect(events.some((event) => event.name === 'settingsChanged')).toBe(true)
      const status = value(await core.handlers.getSyncStatus(undefined))
      expect(status).toMatchObject({ toSend: 0, needsYou: 0 })
    } finally {
      await core.close()
      await removeDir(dataDir)
    }
  })

  it('close waits for the outbox to close on its thread: the next start finds the clean-close note', async () => {
    const { core, dataDir } = await startInThread(new MemorySecretStore())
    await connectToSandbox(core)
    value(await core.handlers.saveContact(draft()))
    await core.close()
    expect(closedCleanly(join(dataDir, OUTBOX_FILE_NAME))).toBe(true)
    // Closed means closed: a command after it gets words, not a hang.
    expect(await core.handlers.getSyncStatus(undefined)).toEqual({
      ok: false,
      error: { code: 'internal', message: CORE_GONE },
    })
    const again = await startInThread(new MemorySecretStore(), dataDir)
    expect(value(await again.core.handlers.listOutbox({ filter: 'all', limit: 10 })).items).toHaveLength(1)
    await again.core.close()
    await removeDir(dataDir)
  })

  it('the core checks every input again: a malformed command is refused in its own words', async () => {
    const { core, dataDir } = await startInThread(new MemorySecretStore())
    try {
      const answer = await (core.handlers.saveContact as (input: unknown) => Promise<unknown>)({ fullName: 42 })
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad_request' } })
    } finally {
      await core.close()
      await removeDir(dataDir)
    }
  })

  it('an outbox that cannot open stops the start with its own words, as the same error class', async () => {
    const dataDir = await tempDataDir()
    // A folder where the file belongs.
    await mkdir(join(dataDir, OUTBOX_FILE_NAME))
    try {
      const failure = await startInThread(new MemorySecretStore(), dataDir).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(OutboxStorageError)
      expect((failure as OutboxStorageError).problem).toBe('wrong_kind')
      expect((failure as Error).message).toContain(OUTBOX_FILE_NAME)
    } finally {
      await removeDir(dataDir)
    }
  })

  it('a core that dies mid-request: what waits and what comes after answer in words, and main hears it once', async () => {
    const dataDir = await tempDataDir()
    const worker = new Worker(coreEntry)
    const gone: string[] = []
    const core = await connectCore(recordedLine(worker, []), {
      core: { dataDir },
      secrets: new MemorySecretStore(),
      fetch: (input, init) => fetch(input, init),
      emit: () => {},
      logger: { info() {}, warn() {}, error() {} },
      onGone: (detail) => gone.push(detail),
    })
    try {
      await connectToSandbox(core)
      value(await core.handlers.saveContact(draft({ fullName: 'Kept Across Death' })))
      const waiting = core.handlers.listOutbox({ filter: 'all', limit: 10 })
      await worker.terminate()
      expect(await waiting).toMatchObject({ ok: false, error: { message: CORE_GONE } })
      expect(await core.handlers.getSyncStatus(undefined)).toMatchObject({ ok: false, error: { message: CORE_GONE } })
      expect(gone).toHaveLength(1)
      // Nothing committed was lost: a new core finds the contact.
      const again = await startInThread(new MemorySecretStore(), dataDir)
      const items = value(await again.core.handlers.listOutbox({ filter: 'all', limit: 10 })).items
      expect(items.map((item) => item.draft.fullName)).toEqual(['Kept Across Death'])
      await again.core.close()
    } finally {
      await removeDir(dataDir)
    }
  })

  it('a core killed while the server has committed and not yet answered: the next start asks the user, and never sends it again', async () => {
    const dataDir = await tempDataDir()
    const secrets = new MemorySecretStore()
    const worker = new Worker(coreEntry)
    const core = await connectCore(recordedLine(worker, []), {
      core: { dataDir, requestTimeoutMs: 30_000 },
      secrets,
      fetch: (input, init) => fetch(input, init),
      emit: () => {},
      logger: { info() {}, warn() {}, error() {} },
    })
    try {
      // The server the spec allows: it creates the contact, then never answers.
      sandbox.faults.set({ afterCommit: [{ hang: true }] })
      await connectToSandbox(core)
      const item = value(await core.handlers.saveContact(draft({ fullName: 'Committed Then Killed' })))
      await eventually(() => sandbox.contacts.length === 1, 10_000, 'the server to commit the contact')
      const key = sandbox.requests[0]?.headers['idempotency-key']
      await worker.terminate()

      const again = await startInThread(secrets, dataDir)
      try {
        const [found] = value(await again.core.handlers.getOutboxItems({ ids: [item.id] })).items
        expect(found?.state).toBe('unconfirmed')
        // Nothing is sent again by itself: the server saw one request, and holds one contact.
        await new Promise((resolve) => setTimeout(resolve, 800))
        expect(key).toBeDefined()
        expect(sandbox.requests.map((r) => r.headers['idempotency-key'])).toEqual([key])
        expect(sandbox.contacts).toHaveLength(1)
      } finally {
        await again.core.close()
      }
    } finally {
      await removeDir(dataDir)
    }
  })
})
