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
  | { kind: 'server_error'; status: number; retryAfterMs: number | undefined }
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
        // A redirected POST may be replayed elsewhere, Authorization and all: never follow one.
        redirect: 'manual',
      })
    } catch (error) {
      if (timeout.aborted) return { kind: 'timeout', mayHaveReachedServer: true }
      return { kind: 'network', ...classifyNetworkError(error) }
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
        mayHaveReachedServer: true,
      }
    }
    return this.#interpret(response, text)
  }

  #interpret(response: Response, text: string): CreateContactOutcome {
    const { status } = response
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.#now())
    switch (true) {
      case status === 201 || status === 200: {
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
      case status === 401:
        return { kind: 'unauthorized' }
      case status === 403:
        return { kind: 'forbidden' }
      case status === 429:
        return { kind: 'rate_limited', retryAfterMs }
      case status === 422 || status === 400:
        return { kind: 'invalid', status, errors: parseServerErrors(parseJson(text), text) }
      // 408 and 425 mean "not now", like a 5xx: safe to try again later.
      case (status >= 500 && status <= 599) || status === 408 || status === 425:
        return { kind: 'server_error', status, retryAfterMs }
      case status >= 300 && status <= 399:
        return {
          kind: 'unexpected',
          status,
          description: 'the server redirected the request; check the Base URL',
          // 303 "See Other" is how some servers answer a POST that did create something.
          mayHaveReachedServer: status === 303,
        }
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
