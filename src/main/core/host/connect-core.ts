import { fail, type Result } from '../../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent } from '../../../shared/bridge-contract.ts'
import { commandNames, type CommandName } from '../../../shared/bridge-names.ts'
import type { SettingsInput } from '../../../shared/settings.ts'
import type { FetchFunction } from '../cloverhound-client.ts'
import { accountDigest } from '../credentials.ts'
import { errorName, type Logger } from '../logger.ts'
import type { SecretStore } from '../secret-store.ts'
import { carryError, reviveError, type FromCore, type HostedCoreOptions, type MainLine } from './core-messages.ts'
import { KeyVault } from './key-vault.ts'
import { RequestsForCore } from './requests-for-core.ts'

/** The core as main holds it when it runs elsewhere: the same commands, and a close that waits for its writes. */
export interface HostedCore {
  handlers: CommandHandlers
  /** Asks the core to stop its worker and close the outbox, waits for that (or its end, or the time limit), then ends it. */
  close(): Promise<void>
  /** The system is ending the session: the core closes the outbox on the spot; nothing is awaited. */
  closeNow(): void
}

export interface ConnectCoreOptions {
  core: HostedCoreOptions
  /** Main's keychain: the core gets handles, never keys. */
  secrets: SecretStore
  /** How main sends the core's requests (Electron's net.fetch in the app). */
  fetch: FetchFunction
  emit: EmitEvent
  logger: Logger
  /** Called once if the core's thread or process ends without being asked to, once it had started. */
  onGone?: (detail: string) => void
  /** How long close() waits for the core's own close before ending it (its worker's grace is inside it). */
  closeLimitMs?: number
}

export const CORE_GONE =
  'The part of the app that keeps the outbox stopped unexpectedly. Everything saved is kept: quit and open the app again.'
const DEFAULT_CLOSE_LIMIT_MS = 15_000

/**
 * Main's side of the line: starts the core with its options, answers its questions for keys with
 * handles (KeyVault), sends its requests with the keys put back, passes its events and log lines on,
 * and turns each command into a request. So the API key never leaves main, wherever the core runs.
 */
export function connectCore(line: MainLine, options: ConnectCoreOptions): Promise<HostedCore> {
  const { logger, secrets } = options
  const vault = new KeyVault()
  const requests = new RequestsForCore({ line, fetch: options.fetch, vault, logger })
  const waiting = new Map<number, { resolve: (result: Result<unknown>) => void; reject: (error: Error) => void }>()
  let nextId = 1
  let gone: string | undefined
  let ready = false
  let closing: Promise<void> | undefined
  let started!: (core: HostedCore) => void
  let startFailed!: (error: Error) => void
  const startup = new Promise<HostedCore>((resolve, reject) => ((started = resolve), (startFailed = reject)))

  const request = (post: (id: number) => void): Promise<Result<unknown>> => {
    if (gone) return Promise.resolve(fail('internal', CORE_GONE))
    const id = nextId++
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject })
      post(id)
    })
  }
  const command = async (name: CommandName, input: unknown): Promise<Result<unknown>> => {
    // The contract has parsed the input (the bridge, then again in the core); only Settings carries a key.
    const sent = name === 'saveSettings' ? vault.hideTypedKey(input as SettingsInput) : input
    const result = await request((id) => line.post({ kind: 'command', id, name, input: sent }))
    // The report carries recent errors' text, which a server's answer may have filled: only main knows the keys.
    return name === 'getDiagnostics' && result.ok ? scrubbed(result, vault) : result
  }
  const handlers = Object.fromEntries(
    commandNames.map((name) => [name, (input: unknown) => command(name, input)]),
  ) as unknown as CommandHandlers

  const answerSecret = async (message: Extract<FromCore, { kind: 'secret' }>) => {
    const { id, request: asked } = message
    try {
      let value: string | undefined
      if (asked.op === 'get') {
        const key = await secrets.get(asked.account)
        value = key === undefined ? undefined : vault.hide(key, accountDigest(asked.account))
      } else if (asked.op === 'set') {
        await secrets.set(asked.account, keyToStore(vault, asked.account, asked.secret))
      } else {
        await secrets.delete(asked.account)
      }
      line.post({ kind: 'secret-answer', id, ...(value === undefined ? {} : { value }) })
    } catch (error) {
      line.post({ kind: 'secret-answer', id, error: carryError(error) })
    }
  }

  line.listen((message) => {
    switch (message.kind) {
      case 'ready':
        ready = true
        return started(core)
      case 'start-failed':
        return startFailed(reviveError(message.error))
      case 'event':
        return options.emit(message.name as never, message.payload as never)
      case 'secret':
        return void answerSecret(message)
      case 'log':
        return logger[message.level](message.message, message.details)
      case 'fetch':
        return requests.start(message)
      case 'fetch-cancel':
        return requests.cancel(message.id)
      case 'result':
      case 'closed': {
        const pending = waiting.get(message.id)
        waiting.delete(message.id)
        if (!pending) return
        if (message.kind === 'closed') return pending.resolve({ ok: true, value: undefined })
        // A handler that threw throws here too, so each transport answers it as it answers any throw.
        if (message.error) return pending.reject(reviveError(message.error))
        return pending.resolve(message.result ?? fail('internal', CORE_GONE))
      }
    }
  })

  line.onGone((detail) => {
    gone = detail
    requests.cancelAll()
    for (const pending of waiting.values()) pending.resolve(fail('internal', CORE_GONE))
    waiting.clear()
    // Before it was ready, the start fails with these words instead (and the app says it could not start).
    startFailed(new Error(`The core ended before it started (${detail}).`))
    if (ready && !closing) {
      logger.error('The core stopped unexpectedly', { detail })
      options.onGone?.(detail)
    }
  })

  const close = (): Promise<void> => {
    closing ??= (async () => {
      const limit = options.closeLimitMs ?? DEFAULT_CLOSE_LIMIT_MS
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeUp = new Promise<'time-up'>((resolve) => (timer = setTimeout(resolve, limit, 'time-up')))
      const answer = await Promise.race([request((id) => line.post({ kind: 'close', id })), timeUp])
      clearTimeout(timer)
      if (answer === 'time-up') logger.warn('The core did not close in time; ending it', { limitMs: limit })
      line.end()
    })().catch((error: unknown) => {
      logger.error('Closing the core failed', { error: errorName(error) })
      line.end()
    })
    return closing
  }
  const closeNow = (): void => {
    closing ??= Promise.resolve()
    if (!gone) line.post({ kind: 'close-now' })
  }

  const core: HostedCore = { handlers, close, closeNow }
  line.post({
    kind: 'start',
    options: { ...options.core, ...(secrets.storage ? { secretStorage: secrets.storage } : {}) },
  })
  return startup
}

/**
 * The key a `set` from the core stores: only a key main holds, and only under the account for the server
 * it was entered for (a key from before binding may move to any, which is how it gets its binding).
 */
function keyToStore(vault: KeyVault, account: string, handle: string): string {
  const held = vault.held(handle)
  if (!held) throw new Error('The core asked to store a key main did not give it.')
  if (held.digest !== undefined && held.digest !== accountDigest(account)) {
    throw new Error('The core asked to store a key under another server’s account.')
  }
  return held.key
}

/** Every string in the result with main's keys scrubbed out. */
function scrubbed<T>(value: T, vault: KeyVault): T {
  if (typeof value === 'string') return vault.scrub(value) as T
  if (Array.isArray(value)) return value.map((entry: unknown) => scrubbed(entry, vault)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, scrubbed(entry, vault)])) as T
  }
  return value
}
