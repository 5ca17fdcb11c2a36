import {
  createdContactSchema,
  type ContactFieldErrors,
  type ContactRequest,
  type CreatedContact,
} from '../../shared/contact.ts'
import { parseJson } from '../../shared/json.ts'
import type { ConnectionProfile } from '../../shared/settings.ts'
import { classifyNetworkError } from './network-errors.ts'
import { parseRetryAfter } from './retry-after.ts'
import { parseServerErrors } from './server-errors.ts'

export const DEFAULT_TIMEOUT_MS = 30_000
/** A created contact is a few KB; anything past this is not the API we know. */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024

export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

export interface ClientOptions {
  fetch: FetchFunction
  timeoutMs?: number
  maxResponseBytes?: number
  now?: () => number
}

export interface CreateContactCall {
  profile: ConnectionProfile
  apiKey: string
  body: ContactRequest
  /** Sent as `Idempotency-Key`; the same for every attempt of one contact. */
  idempotencyKey?: string
  signal?: AbortSignal
}

/** Every way a "Create contact" call can end, as a value. */
export type CreateContactOutcome =
  | { kind: 'created'; contact: CreatedContact }
  | { kind: 'invalid'; status: number; errors: ContactFieldErrors }
  | { kind: 'unauthorized' }
  | { kind: 'forbidden' }
  | { kind: 'rate_limited'; retryAfterMs: number | undefined }
  /** The server says it did not process the request (503, 408, 425…): safe to send again. */
  | { kind: 'server_error'; status: number; retryAfterMs: number | undefined }
  /** A 5xx after the body was sent (500, 502, 504…): the server may have saved it before failing. */
  | { kind: 'failed_after_send'; status: number; retryAfterMs: number | undefined }
  /** A success other than 200/201 (202, 204…): something was accepted, but no contact came back. */
  | { kind: 'no_contact'; status: number }
  /** 409: an earlier attempt of this contact, or one like it, may exist (see #interpret). */
  | { kind: 'conflict' }
  /** The Base URL answered with a redirect; it is never followed, so nothing reached the API. */
  | { kind: 'redirected' }
  | { kind: 'untrusted_certificate' }
  | { kind: 'network'; description: string; mayHaveReachedServer: boolean }
  | { kind: 'timeout'; mayHaveReachedServer: true }
  | { kind: 'unexpected'; status: number | undefined; description: string; mayHaveReachedServer: boolean }

export function contactsUrl(profile: ConnectionProfile): string {
  return `${profile.baseUrl}/${profile.organizationId}/contacts`
}

export function basicAuthorization(apiKeyId: string, apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKeyId}:${apiKey}`, 'utf8').toString('base64')}`
}

/** The Cloverhound "Create contact" endpoint. Holds no state; safe to share. */
export class CloverhoundClient {
  readonly #fetch: FetchFunction
  readonly #timeoutMs: number
  readonly #maxResponseBytes: number
  readonly #now: () => number

  constructor(options: ClientOptions) {
    this.#fetch = options.fetch
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
    this.#now = options.now ?? Date.now
  }

  async createContact(call: CreateContactCall): Promise<CreateContactOutcome> {
    const timeout = AbortSignal.timeout(this.#timeoutMs)
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      Authorization: basicAuthorization(call.profile.apiKeyId, call.apiKey),
    }
    if (call.idempotencyKey) headers['Idempotency-Key'] = call.idempotencyKey

    let response: Response
    try {
      response = await this.#fetch(contactsUrl(call.profile), {
        method: 'POST',
        headers,
        body: JSON.stringify(call.body),
        signal,
        // A redirected POST may be replayed elsewhere, Authorization and all: never follow one. 'error' is the
        // mode Node's fetch and Electron's net.fetch treat alike (net.fetch rejects 'manual': electron/electron#43715).
        redirect: 'error',
        // The key is the only credential: net.fetch would otherwise send (and store) the session's cookies.
        credentials: 'omit',
      })
    } catch (error) {
      if (timeout.aborted) return { kind: 'timeout', mayHaveReachedServer: true }
      const failure = classifyNetworkError(error)
      if (failure.cause === 'redirect') return { kind: 'redirected' }
      if (failure.cause === 'certificate') return { kind: 'untrusted_certificate' }
      return { kind: 'network', description: failure.description, mayHaveReachedServer: failure.mayHaveReachedServer }
    }

    // The status decides first: a 5xx is a 5xx whatever its body, even a large HTML outage page.
    const byStatus = this.#fromStatus(response)
    if (byStatus) {
      await response.body?.cancel().catch(() => {})
      return byStatus
    }
    let text: string
    try {
      text = await readCapped(response, this.#maxResponseBytes)
    } catch (error) {
      if (timeout.aborted) return { kind: 'timeout', mayHaveReachedServer: true }
      const tooLarge = error instanceof ResponseTooLargeError
      return {
        kind: 'unexpected',
        status: response.status,
        description: tooLarge ? 'the server’s reply was too large to be a contact' : 'the server’s reply was cut off',
        // Only a success can have created it; a 400/422 refused it, whatever came after.
        mayHaveReachedServer: isCreated(response.status),
      }
    }
    return this.#fromBody(response.status, text)
  }

  /** The outcome the status alone tells; undefined for the statuses whose body says what happened. */
  #fromStatus(response: Response): CreateContactOutcome | undefined {
    const { status } = response
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#now())
    switch (true) {
      case isCreated(status) || status === 422 || status === 400:
        return undefined
      case status === 401:
        return { kind: 'unauthorized' }
      case status === 403:
        return { kind: 'forbidden' }
      case status === 429:
        return { kind: 'rate_limited', retryAfterMs }
      // A conflict on create means an earlier attempt with this Idempotency-Key is still being handled (the
      // IETF idempotency-key draft's 409) or the server holds a contact like it: either way it may exist.
      case status === 409:
        return { kind: 'conflict' }
      case NOT_PROCESSED.has(status):
        return { kind: 'server_error', status, retryAfterMs }
      case status >= 500 && status <= 599:
        return { kind: 'failed_after_send', status, retryAfterMs }
      case status >= 200 && status <= 299:
        return { kind: 'no_contact', status }
      // The API answers a create with 201, so a redirect means the Base URL is not the API (a login page,
      // http → https); both fetches reject a redirect with a Location, this catches those without one.
      case status >= 300 && status <= 399:
        return { kind: 'redirected' }
      default:
        return {
          kind: 'unexpected',
          status,
          description:
            status === 404
              ? 'the server has no such organization or address; check the Base URL and Organization ID'
              : `the server answered with status ${status}`,
          mayHaveReachedServer: false,
        }
    }
  }

  #fromBody(status: number, text: string): CreateContactOutcome {
    if (!isCreated(status)) return { kind: 'invalid', status, errors: parseServerErrors(parseJson(text), text) }
    const parsed = createdContactSchema.safeParse(parseJson(text))
    return parsed.success
      ? { kind: 'created', contact: parsed.data }
      : {
          kind: 'unexpected',
          status,
          description: 'the server said the contact was created but its reply was not a contact',
          mayHaveReachedServer: true,
        }
  }
}

/**
 * Statuses by which the server says it did not process the request, so sending it again cannot make a
 * second contact: unavailable (503), request timeout (408), too early (425), and refusals of the request
 * itself (501, 505) or by a captive portal in front of it (511). Every other 5xx may follow a commit.
 */
const NOT_PROCESSED = new Set([408, 425, 501, 503, 505, 511])

function isCreated(status: number): boolean {
  return status === 201 || status === 200
}

class ResponseTooLargeError extends Error {}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw new ResponseTooLargeError()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw new ResponseTooLargeError()
    }
    chunks.push(value)
  }
  return new TextDecoder().decode(Buffer.concat(chunks))
}
