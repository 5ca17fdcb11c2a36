import { fail, type Result } from '../../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent } from '../../../shared/bridge-contract.ts'
import { commandNames, type CommandName } from '../../../shared/bridge-names.ts'
import { errorName, type Logger } from '../logger.ts'
import type { SecretStore } from '../secret-store.ts'
import { carryError, reviveError, type FromCore, type HostedCoreOptions, type MainLine } from './core-messages.ts'

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
  secrets: SecretStore
  emit: EmitEvent
  logger: Logger
  /** Called once if the core's thread or process ends without being asked to. */
  onGone?: (detail: string) => void
  /** How long close() waits for the core's own close before ending it (its worker's grace is inside it). */
  closeLimitMs?: number
}

export const CORE_GONE =
  'The part of the app that keeps the outbox stopped unexpectedly. Everything saved is kept: quit and open the app again.'
const DEFAULT_CLOSE_LIMIT_MS = 15_000

/**
 * Main's side of the line: starts the core with its options, answers its questions for keys from
 * main's secret store, passes its events and log lines on, and turns each command into a request.
 */
export function connectCore(line: MainLine, options: ConnectCoreOptions): Promise<HostedCore> {
  const { logger, secrets } = options
  const waiting = new Map<number, { resolve: (result: Result<unknown>) => void; reject: (error: Error) => void }>()
  let nextId = 1
  let gone: string | undefined
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
  const command = (name: CommandName, input: unknown) =>
    request((id) => line.post({ kind: 'command', id, name, input }))
  const handlers = Object.fromEntries(
    commandNames.map((name) => [name, (input: unknown) => command(name, input)]),
  ) as unknown as CommandHandlers

  const answerSecret = async (message: Extract<FromCore, { kind: 'secret' }>) => {
    const { id, request: asked } = message
    try {
      const value =
        asked.op === 'get'
          ? await secrets.get(asked.account)
          : asked.op === 'set'
            ? await secrets.set(asked.account, asked.secret)
            : await secrets.delete(asked.account)
      line.post({ kind: 'secret-answer', id, ...(typeof value === 'string' ? { value } : {}) })
    } catch (error) {
      line.post({ kind: 'secret-answer', id, error: carryError(error) })
    }
  }

  line.listen((message) => {
    switch (message.kind) {
      case 'ready':
        return started(core)
      case 'start-failed':
        return startFailed(reviveError(message.error))
      case 'event':
        return options.emit(message.name as never, message.payload as never)
      case 'secret':
        return void answerSecret(message)
      case 'log':
        return logger[message.level](message.message, message.details)
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
    for (const pending of waiting.values()) pending.resolve(fail('internal', CORE_GONE))
    waiting.clear()
    startFailed(new Error(`The core ended before it started (${detail}).`))
    if (!closing) {
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
