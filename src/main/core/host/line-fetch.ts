import type { FetchFunction } from '../cloverhound-client.ts'
import { reviveError, type CoreLine, type FromCore, type LineRequest, type ToCore } from './core-messages.ts'

/** Statuses whose Response has no body (the fetch standard's null body statuses). */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

interface Pending {
  resolve(response: Response): void
  reject(error: unknown): void
  body?: ReadableStreamDefaultController<Uint8Array>
}

/**
 * The core's fetch when it runs outside main: each request goes to main, which sends it (with the
 * key, which only main holds) and streams the answer back. It behaves as fetch does where the client
 * depends on it: an abort rejects at once with the signal's reason, also while the body is read; a
 * body cut off errors the stream after what arrived; a cancelled body stops main's read.
 */
export class LineFetch {
  readonly #line: Pick<CoreLine<ToCore, FromCore>, 'post'>
  readonly #pending = new Map<number, Pending>()
  #nextId = 1

  constructor(line: Pick<CoreLine<ToCore, FromCore>, 'post'>) {
    this.#line = line
  }

  readonly fetch: FetchFunction = (url, init) => {
    const signal = init.signal ?? undefined
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      return Promise.reject(new TypeError('Only a text body can be sent from the core.'))
    }
    const id = this.#nextId++
    const request: LineRequest = {
      url,
      method: init.method ?? 'GET',
      headers: [...new Headers(init.headers).entries()],
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
      redirect: init.redirect ?? 'follow',
      credentials: init.credentials ?? 'same-origin',
    }
    return new Promise<Response>((resolve, reject) => {
      const pending: Pending = { resolve, reject }
      this.#pending.set(id, pending)
      signal?.addEventListener('abort', () => this.#abandon(id, signal.reason), { once: true })
      this.#line.post({ kind: 'fetch', id, request })
    })
  }

  /** Main's answers; anything for a request already finished or abandoned is dropped. */
  settle(message: Extract<ToCore, { kind: 'fetch-head' | 'fetch-body' | 'fetch-failed' }>): void {
    const pending = this.#pending.get(message.id)
    if (!pending) return
    switch (message.kind) {
      case 'fetch-failed':
        this.#pending.delete(message.id)
        return pending.reject(reviveError(message.error))
      case 'fetch-head':
        return this.#respond(message, pending)
      case 'fetch-body':
        if (message.chunk) pending.body?.enqueue(message.chunk)
        if (message.error) pending.body?.error(reviveError(message.error))
        else if (message.end) pending.body?.close()
        if (message.end || message.error) this.#pending.delete(message.id)
        return
    }
  }

  #respond(head: Extract<ToCore, { kind: 'fetch-head' }>, pending: Pending): void {
    const { id, status, statusText, headers } = head
    const noBody = NULL_BODY.has(status)
    const body = noBody
      ? null
      : new ReadableStream<Uint8Array>({
          start: (controller) => void (pending.body = controller),
          // The client read enough (or none): main stops reading too.
          cancel: () => this.#abandon(id, undefined),
        })
    try {
      pending.resolve(new Response(body, { status, statusText, headers }))
    } catch {
      // A status fetch cannot represent (Response takes 200–599): as a network failure, never a crash.
      this.#abandon(id, new TypeError(`The server answered with a status that cannot be read (${status}).`))
      return
    }
    // Main still says "end" for it; nothing waits for that.
    if (noBody) this.#pending.delete(id)
  }

  /** Stops a request: rejects (or errors its body) with `reason` if given, and tells main to stop. */
  #abandon(id: number, reason: unknown): void {
    const pending = this.#pending.get(id)
    if (!pending) return
    this.#pending.delete(id)
    if (reason !== undefined) {
      pending.reject(reason)
      try {
        pending.body?.error(reason)
      } catch {
        // Already closed or cancelled.
      }
    }
    this.#line.post({ kind: 'fetch-cancel', id })
  }
}
