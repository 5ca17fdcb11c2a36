/**
 * The core in Electron's utility process, both ends: core-process-host.ts forks it from main and
 * core-process.ts serves it, joined by the fake utilityProcess (cloned, asynchronous messages, a
 * MessageEvent on the child's side, a port that starts with its first listener). The core itself is
 * real: SQLite file, worker, and main's net.fetch (the fake over real HTTP) to the sandbox.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { OUTBOX_FILE_NAME } from '../../../src/main/core/app-core.ts'
import { CORE_SERVICE_NAME } from '../../../src/main/core/app-id.ts'
import { CORE_GONE, type ConnectCoreOptions } from '../../../src/main/core/host/connect-core.ts'
import { closedCleanly } from '../../../src/main/core/outbox/clean-close.ts'
import { MemorySecretStore } from '../../../src/main/core/secret-store.ts'
import type { Result } from '../../../src/shared/app-error.ts'
import { startSandbox, type Sandbox } from '../../../tools/sandbox/sandbox-server.ts'
import { electron, state, type FakeUtilityProcess } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)
// The child imports the utility process's own module, as Electron's specs do.
vi.mock('electron/utility', async () => (await import('./fake-electron.ts')).electron)

const { startCoreProcess } = await import('../../../src/main/core-process-host.ts')

let sandbox: Sandbox
beforeAll(async () => (sandbox = await startSandbox()))
afterAll(() => sandbox.close())

const folders: string[] = []
afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
  state.utilityProcesses.length = 0
})

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** Main forks; the child's module then runs with that child's parentPort, as Electron loads it. */
async function start(overrides: Partial<ConnectCoreOptions> = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'cloverhound-core-process-'))
  folders.push(dataDir)
  const events: string[] = []
  const starting = startCoreProcess('/app/out/main', {
    core: { dataDir },
    secrets: new MemorySecretStore(),
    fetch: (input, init) => electron.net.fetch(input, init),
    emit: (name) => events.push(name),
    logger: { info() {}, warn() {}, error() {} },
    ...overrides,
  })
  const child = state.utilityProcesses.at(-1) as FakeUtilityProcess
  Object.assign(process, { parentPort: child.parentPort })
  vi.resetModules()
  await import('../../../src/main/core-process.ts')
  return { core: await starting, child, dataDir, events }
}

describe('the core in a utility process', () => {
  it('is forked from out/main under a name of its own', async () => {
    const { core, child } = await start()
    expect(child.modulePath).toBe(join('/app/out/main', 'core-process.js'))
    expect(child.options).toEqual({ serviceName: CORE_SERVICE_NAME })
    await core.close()
  })

  it('sends through main’s net.fetch, once, with the key main holds, and passes events to main', async () => {
    electron.net.fetch.mockClear()
    const { core, events } = await start()
    value(
      await core.handlers.saveSettings({
        baseUrl: sandbox.url,
        organizationId: sandbox.organizationId,
        apiKeyId: sandbox.apiKeyId,
        apiKey: sandbox.apiKey,
      }),
    )
    const item = value(
      await core.handlers.saveContact({ fullName: 'Ada Utility', email: '', description: '', phones: [] }),
    )
    await vi.waitFor(
      async () => {
        const sent = value(await core.handlers.listOutbox({ filter: 'sent', limit: 10 })).items
        expect(sent.map((entry) => entry.id)).toContain(item.id)
      },
      { timeout: 10_000, interval: 50 },
    )
    expect(sandbox.contacts.filter((contact) => contact.full_name === 'Ada Utility')).toHaveLength(1)
    expect(electron.net.fetch).toHaveBeenCalledWith(
      `${sandbox.url}/${sandbox.organizationId}/contacts`,
      expect.objectContaining({ method: 'POST' }),
    )
    expect(events).toContain('outboxChanged')
    await core.close()
  })

  it('close waits for the child to close the outbox, then ends the child', async () => {
    const { core, child, dataDir } = await start()
    await core.close()
    expect(closedCleanly(join(dataDir, OUTBOX_FILE_NAME))).toBe(true)
    expect(child.pid).toBeUndefined()
  })

  it('a child that crashes: waiting and later commands answer in words, and main hears it once', async () => {
    const gone: string[] = []
    const { core, child } = await start({ onGone: (detail) => gone.push(detail) })
    const waiting = core.handlers.getSyncStatus(undefined)
    child.crash(134)
    expect(await waiting).toEqual({ ok: false, error: { code: 'internal', message: CORE_GONE } })
    expect(await core.handlers.listOutbox({ filter: 'all', limit: 5 })).toMatchObject({ ok: false })
    expect(gone).toEqual(['exit code 134'])
  })

  it('a child that dies before it is ready fails the start, and says nothing else', async () => {
    const gone: string[] = []
    const starting = startCoreProcess('/app/out/main', {
      core: { dataDir: '/nowhere' },
      secrets: new MemorySecretStore(),
      fetch: (input, init) => electron.net.fetch(input, init),
      emit: () => {},
      logger: { info() {}, warn() {}, error() {} },
      onGone: (detail) => gone.push(detail),
    })
    ;(state.utilityProcesses.at(-1) as FakeUtilityProcess).crash(1)
    await expect(starting).rejects.toThrow('The core ended before it started (exit code 1).')
    expect(gone).toEqual([])
  })
})
