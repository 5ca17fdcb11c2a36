// The app's core as the benches run it: the real createAppCore on a thread of its own (as the app
// runs it in a utility process), its command handlers (what the renderer calls), its events, and a
// preview server when a renderer is to be attached.
import { createAppCore, type AppCore } from '../src/main/core/app-core.ts'
import type { HostedCore } from '../src/main/core/host/connect-core.ts'
import { startCoreThread } from '../src/main/core/host/core-thread.ts'
import { silentLogger } from '../src/main/core/logger.ts'
import { MemorySecretStore, type SecretStore } from '../src/main/core/secret-store.ts'
import { commandNames, type CommandHandlers, type EventName, type EventPayload } from '../src/shared/bridge-contract.ts'
import type { SyncStatus } from '../src/shared/outbox-schemas.ts'
import type { SettingsInput } from '../src/shared/settings.ts'
import { realisticDraft } from './realistic-contacts.ts'

/** Nothing listens there: saves made against it wait, as they do before an API key is entered. */
export const NOWHERE = { baseUrl: 'http://127.0.0.1:9', organizationId: 4242, apiKeyId: 'bench-key-id' }
/** Saves are set-up here: hand the loop back this often, so timers and sockets are served between them. */
const SAVES_PER_TURN = 20

export interface Connection {
  baseUrl: string
  organizationId: number
  apiKeyId: string
  apiKey?: string
}

/** Where the core's events go: to a renderer (the preview server) if one is attached, and the last status kept. */
export interface EventRelay {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void
  attach(broadcast: (event: EventName, payload: unknown) => void): void
  /** The last `syncStatusChanged` the core published. */
  readonly lastStatus: SyncStatus | undefined
  /** How many times each event went out since the last reset. */
  readonly counts: Partial<Record<EventName, number>>
  reset(): void
}

export function eventRelay(): EventRelay {
  const targets: ((event: EventName, payload: unknown) => void)[] = []
  let lastStatus: SyncStatus | undefined
  let counts: Partial<Record<EventName, number>> = {}
  return {
    emit(event, payload) {
      counts[event] = (counts[event] ?? 0) + 1
      if (event === 'syncStatusChanged') lastStatus = payload as SyncStatus
      for (const target of targets) target(event, payload)
    },
    attach: (broadcast) => void targets.push(broadcast),
    get lastStatus() {
      return lastStatus
    },
    get counts() {
      return counts
    },
    reset: () => void (counts = {}),
  }
}

export interface BenchCoreOptions {
  dataDir: string
  relay?: EventRelay
  secrets?: SecretStore
  maxInFlight?: number
}

/** What every bench needs of a core, wherever it runs. */
export type BenchCore = Pick<HostedCore, 'handlers' | 'close'>

/** The core on its own thread, as the app runs it: this thread only forwards, as Electron's main does. */
export function startBenchCore(options: BenchCoreOptions): Promise<HostedCore> {
  return startCoreThread({
    core: { dataDir: options.dataDir, maxInFlight: options.maxInFlight },
    secrets: options.secrets ?? new MemorySecretStore(),
    fetch: (input, init) => fetch(input, init),
    emit: options.relay?.emit ?? (() => {}),
    logger: silentLogger,
  })
}

/** The core in this thread, for what measures the core's own cost (a save against a raw insert, start-up). */
export function startBenchCoreHere(options: BenchCoreOptions): Promise<AppCore> {
  return createAppCore({
    dataDir: options.dataDir,
    secrets: options.secrets ?? new MemorySecretStore(),
    fetch: (input, init) => fetch(input, init),
    emit: options.relay?.emit ?? (() => {}),
    logger: silentLogger,
    maxInFlight: options.maxInFlight,
  })
}

/** Saves the connection as the Settings form does (without a key, items wait for it). */
export async function saveConnection(core: BenchCore, connection: Connection): Promise<void> {
  const input: SettingsInput = { ...connection }
  const saved = await core.handlers.saveSettings(input)
  if (!saved.ok) throw new Error(`saveSettings failed: ${saved.error.message}`)
}

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** `count` contacts through saveContact, as the form sends them, yielding to the event loop between batches. */
export async function saveContacts(core: BenchCore, count: number, from = 0): Promise<void> {
  for (let i = 0; i < count; i++) {
    const saved = await core.handlers.saveContact(realisticDraft(from + i))
    if (!saved.ok) throw new Error(`saveContact failed on contact ${from + i}: ${saved.error.message}`)
    if (i % SAVES_PER_TURN === SAVES_PER_TURN - 1) await yieldToEventLoop()
  }
}

/** The handlers with a tally of calls per command, and when the last one came (to tell when a renderer is idle). */
export interface CountedHandlers {
  handlers: CommandHandlers
  readonly calls: Partial<Record<keyof CommandHandlers, number>>
  readonly lastCallAt: number
  reset(): void
}

export function countCalls(handlers: CommandHandlers): CountedHandlers {
  let calls: Partial<Record<keyof CommandHandlers, number>> = {}
  let lastCallAt = performance.now()
  const counted = Object.fromEntries(
    commandNames.map((name) => [
      name,
      (input: unknown) => {
        calls[name] = (calls[name] ?? 0) + 1
        lastCallAt = performance.now()
        return (handlers[name] as (input: unknown) => Promise<unknown>)(input)
      },
    ]),
  ) as CommandHandlers
  return {
    handlers: counted,
    get calls() {
      return calls
    },
    get lastCallAt() {
      return lastCallAt
    },
    reset() {
      calls = {}
      lastCallAt = performance.now()
    },
  }
}
