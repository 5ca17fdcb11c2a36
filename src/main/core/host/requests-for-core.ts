import type { FetchFunction } from '../cloverhound-client.ts'
import { errorName, type Logger } from '../logger.ts'
import { carryError, type FromCore, type LineRequest, type MainLine } from './core-messages.ts'
import { KEY_REFUSED, type KeyVault } from './key-vault.ts'

/** More than the client ever reads of an answer (it stops at 1 MiB): main stops there whatever comes. */
const MAX_FORWARDED_BYTES = 4 * 1024 * 1024

/**
 * Main's side of the core's requests: sends each with the key put back by the vault, through main's
 * fetch (Electron's net.fetch: the system proxy and certificates), and streams the answer to the core.
 * The core cancels what it no longer reads; main then stops reading too.
 */
export class RequestsForCore {
  readonly #line: Pick<MainLine, 'post'>
  readonly #fetch: FetchFunction
  readonly #vault: KeyVault
  readonly #logger: Logger
  readonly #running = new Map<number, AbortController>()

  constructor(options: { line: Pick<MainLine, 'post'>; fetch: FetchFunction; vault: KeyVault; logger: Logger }) {
    this.#line = options.line
    this.#fetch = options.fetch
    this.#vault = options.vault
    this.#logger = options.logger
  }

  start({ id, request }: Extract<FromCore, { kind: 'fetch' }>): void {
    const controller = new AbortController()
    this.#running.set(id, controller)
    void this.#send(id, request, controller.signal).finally(() => this.#running.delete(id))
  }

  cancel(id: number): void {
    this.#running.get(id)?.abort()
  }

  /** The core is gone: nothing it asked for is read on. */
  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort()
  }

  async #send(id: number, request: LineRequest, signal: AbortSignal) {
    let response: Response
    try {
      const headers = this.#vault.authorize(request.url, request.headers)
      response = await this.#fetch(request.url, {
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        redirect: request.redirect,
        credentials: request.credentials,
        signal,
      })
    } catch (error) {
      if (error instanceof Error && error.message === KEY_REFUSED) {
        this.#logger.error('A request from the core was refused its API key', { host: new URL(request.url).host })
      }
      if (!signal.aborted) this.#line.post({ kind: 'fetch-failed', id, error: carryError(error) })
      return
    }
    const { status, statusText } = response
    this.#line.post({ kind: 'fetch-head', id, status, statusText, headers: [...response.headers.entries()] })
    if (!response.body) return this.#line.post({ kind: 'fetch-body', id, end: true })
    const reader = response.body.getReader()
    let forwarded = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (signal.aborted) return void (await reader.cancel().catch(() => {}))
        forwarded += value.byteLength
        this.#line.post({ kind: 'fetch-body', id, chunk: value })
        if (forwarded > MAX_FORWARDED_BYTES) {
          await reader.cancel().catch(() => {})
          return this.#line.post({ kind: 'fetch-body', id, error: carryError(new Error('The answer was too large.')) })
        }
      }
      this.#line.post({ kind: 'fetch-body', id, end: true })
    } catch (error) {
      if (signal.aborted) return
      this.#logger.info('An answer to the core was cut off', { error: errorName(error) })
      this.#line.post({ kind: 'fetch-body', id, error: carryError(error) })
    }
  }
}
