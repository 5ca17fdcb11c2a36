/**
 * A stand-in for Electron's `net.fetch`, built over Node's fetch, that behaves as Electron's own source
 * does where our client depends on it (lib/browser/api/net-fetch.ts, lib/common/api/net-client-request.ts):
 * - the init goes through `new Request`, and `credentials` left as the default ('same-origin') becomes
 *   'include' because the main process sends no Origin: the session's cookies would go along;
 * - a redirect (3xx with a Location) is never returned: `redirect: 'error'` rejects with "Attempted to
 *   redirect, but redirect policy was 'error'", `'manual'` with "Redirect was cancelled" (nothing listens
 *   for the request's redirect event; electron/electron#43715);
 * - network failures reject with `new Error('net::ERR_…')`, Chromium's name as the whole message and
 *   no `code` or `cause`, also when they happen while the body is read;
 * - an abort rejects with the signal's reason.
 */
import type { net } from 'electron'

export type NetFetch = typeof net.fetch

export interface NetFetchCall {
  url: string
  method: string
  /** As Electron hands it to Chromium: 'include' unless the caller chose otherwise. */
  credentials: Request['credentials']
  redirect: Request['redirect']
}

export interface FakeNetFetch {
  fetch: NetFetch
  /** Every call, oldest first. */
  calls: NetFetchCall[]
}

/** Statuses Chromium treats as a redirect when a Location comes with them (HttpResponseHeaders::IsRedirect). */
const REDIRECTS = new Set([300, 301, 302, 303, 307, 308])
/** Null-body statuses, as net-fetch.ts lists them. */
const NULL_BODY = new Set([101, 204, 205, 304])

/**
 * Node's error codes as Chromium's socket layer names the same failure (net/base/net_errors_posix.cc maps
 * errno the same way); certificate codes as Chromium's verifier reports them.
 */
const CHROMIUM_NAME: Record<string, string> = {
  ECONNREFUSED: 'CONNECTION_REFUSED',
  ENOTFOUND: 'NAME_NOT_RESOLVED',
  EAI_AGAIN: 'NAME_RESOLUTION_FAILED',
  ECONNRESET: 'CONNECTION_RESET',
  EPIPE: 'CONNECTION_RESET',
  ENETUNREACH: 'ADDRESS_UNREACHABLE',
  EHOSTUNREACH: 'ADDRESS_UNREACHABLE',
  ENETDOWN: 'INTERNET_DISCONNECTED',
  ETIMEDOUT: 'TIMED_OUT',
  UND_ERR_CONNECT_TIMEOUT: 'CONNECTION_TIMED_OUT',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'CERT_AUTHORITY_INVALID',
  SELF_SIGNED_CERT_IN_CHAIN: 'CERT_AUTHORITY_INVALID',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'CERT_AUTHORITY_INVALID',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'CERT_AUTHORITY_INVALID',
  CERT_HAS_EXPIRED: 'CERT_DATE_INVALID',
  ERR_TLS_CERT_ALTNAME_INVALID: 'CERT_COMMON_NAME_INVALID',
}

export function fakeNetFetch(nodeFetch: typeof fetch = globalThis.fetch): FakeNetFetch {
  const calls: NetFetchCall[] = []
  const fetchLikeElectron = async (input: string | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init)
    const credentials = request.credentials === 'same-origin' ? 'include' : request.credentials
    calls.push({ url: request.url, method: request.method, credentials, redirect: request.redirect })
    const { signal } = request
    let response: Response
    try {
      response = await nodeFetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: init?.body ?? null,
        signal,
        // Chromium sees every redirect first and asks Electron what to do.
        redirect: 'manual',
      })
    } catch (error) {
      throw signal.aborted ? signal.reason : chromiumError(error, 'EMPTY_RESPONSE')
    }
    if (REDIRECTS.has(response.status) && response.headers.has('location')) {
      await response.body?.cancel()
      if (request.redirect === 'error') throw new Error("Attempted to redirect, but redirect policy was 'error'")
      if (request.redirect === 'manual') throw new Error('Redirect was cancelled')
      throw new Error('fakeNetFetch does not follow redirects: the client never asks it to')
    }
    const body = NULL_BODY.has(response.status) ? null : translatedBody(response.body, signal)
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  }
  return { fetch: fetchLikeElectron as NetFetch, calls }
}

/** The body, with a failure while reading it turned into the error Electron destroys its stream with. */
function translatedBody(body: ReadableStream<Uint8Array> | null, signal: AbortSignal): ReadableStream<Uint8Array> {
  const reader = body?.getReader()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!reader) return controller.close()
      try {
        const { done, value } = await reader.read()
        if (done) controller.close()
        else controller.enqueue(value)
      } catch (error) {
        controller.error(signal.aborted ? signal.reason : chromiumError(error, 'CONNECTION_CLOSED'))
      }
    },
    cancel: (reason) => reader?.cancel(reason),
  })
}

/** `net::ERR_<name>` for a Node failure; `closed` names a peer that hung up (undici's UND_ERR_SOCKET). */
function chromiumError(error: unknown, closed: string): Error {
  const code = nodeCode(error)
  const name =
    code === 'UND_ERR_SOCKET' ? closed : code && Object.hasOwn(CHROMIUM_NAME, code) ? CHROMIUM_NAME[code] : 'FAILED'
  return new Error(`net::ERR_${name}`)
}

function nodeCode(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown }
    if (typeof code === 'string') return code
    current = cause
  }
  return undefined
}
