import { fail } from '../../../shared/app-error.ts'
import { createAppCore, type AppCore } from '../app-core.ts'
import { dispatchCommand } from '../command-dispatch.ts'
import { errorName, type Logger } from '../logger.ts'
import type { SecretStore } from '../secret-store.ts'
import {
  carryError,
  reviveError,
  type CoreLine,
  type FromCore,
  type LogDetails,
  type LogLevel,
  type SecretRequest,
  type ToCore,
} from './core-messages.ts'
import { LineFetch } from './line-fetch.ts'

/** What the core's own thread or process brings: the platform's online hint, where it has one. */
export interface CorePlatform {
  isOnline?: () => boolean
}

const STARTING = 'The app is still starting. Try again in a moment.'

/**
 * The core's side of the line: waits for `start`, runs createAppCore with a secret store, a fetch and
 * a logger that go through main, answers each command through the contract's door, and sends events
 * as they happen.
 */
export function serveCore(line: CoreLine<ToCore, FromCore>, platform: CorePlatform): void {
  let core: AppCore | undefined
  const secrets = new PendingSecrets(line)
  // Main sends every request: it alone holds the keys.
  const requests = new LineFetch(line)
  const log = (level: LogLevel) => (message: string, details?: LogDetails) =>
    line.post({ kind: 'log', level, message, ...(details ? { details } : {}) })
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') }

  line.listen((message) => {
    switch (message.kind) {
      case 'start': {
        const { secretStorage, ...options } = message.options
        createAppCore({
          ...options,
          secrets: secrets.store(secretStorage),
          fetch: requests.fetch,
          isOnline: platform.isOnline,
          logger,
          emit: (name, payload) => line.post({ kind: 'event', name, payload }),
        }).then(
          (started) => {
            core = started
            line.post({ kind: 'ready' })
          },
          (error: unknown) => line.post({ kind: 'start-failed', error: carryError(error) }),
        )
        return
      }
      case 'command': {
        const { id } = message
        if (!core) return line.post({ kind: 'result', id, result: fail('internal', STARTING) })
        dispatchCommand(core.handlers, message.name, message.input).then(
          (result) => line.post({ kind: 'result', id, result }),
          (error: unknown) => {
            logger.error('A command failed in the core', { command: message.name, error: errorName(error) })
            line.post({ kind: 'result', id, error: carryError(error) })
          },
        )
        return
      }
      case 'secret-answer':
        return secrets.settle(message)
      case 'fetch-head':
      case 'fetch-body':
      case 'fetch-failed':
        return requests.settle(message)
      case 'close': {
        const { id } = message
        const closing = core?.close() ?? Promise.resolve()
        closing
          .catch((error: unknown) => logger.error('Closing the core failed', { error: errorName(error) }))
          .finally(() => line.post({ kind: 'closed', id }))
        return
      }
      case 'close-now':
        // Nothing is awaited: a request in flight stays `sending`, and the next start makes it unconfirmed.
        if (core) {
          void core.worker.stop()
          core.outbox.close()
        }
        return
    }
  })
}

/** A SecretStore whose every call is a question to main, which holds the keychain. */
class PendingSecrets {
  readonly #line: CoreLine<ToCore, FromCore>
  readonly #waiting = new Map<
    number,
    { resolve: (value: string | undefined) => void; reject: (error: Error) => void }
  >()
  #nextId = 1

  constructor(line: CoreLine<ToCore, FromCore>) {
    this.#line = line
  }

  store(storage: SecretStore['storage']): SecretStore {
    const ask = (request: SecretRequest) => this.#ask(request)
    return {
      ...(storage ? { storage } : {}),
      get: (account) => ask({ op: 'get', account }),
      set: async (account, secret) => void (await ask({ op: 'set', account, secret })),
      delete: async (account) => void (await ask({ op: 'delete', account })),
    }
  }

  settle(answer: Extract<ToCore, { kind: 'secret-answer' }>): void {
    const waiting = this.#waiting.get(answer.id)
    if (!waiting) return
    this.#waiting.delete(answer.id)
    if (answer.error) waiting.reject(reviveError(answer.error))
    else waiting.resolve(answer.value)
  }

  #ask(request: SecretRequest): Promise<string | undefined> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject })
      this.#line.post({ kind: 'secret', id, request })
    })
  }
}
