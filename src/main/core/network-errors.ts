/**
 * Whether a failed fetch can have delivered the request. Refusals and name lookups fail before
 * a byte is sent; a reset or an empty reply may come after the server read the body.
 * Codes cover Node's fetch (undici, `cause.code`) and Chromium's `net.fetch` (`net::ERR_…`).
 */
const NOT_SENT = [
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_CONNECTION_REFUSED',
  'ERR_NAME_NOT_RESOLVED',
  'ERR_INTERNET_DISCONNECTED',
  'ERR_ADDRESS_UNREACHABLE',
  'ERR_NETWORK_CHANGED',
  'ERR_PROXY_CONNECTION_FAILED',
  'ERR_CERT_',
  'ERR_SSL_',
  'CERT_',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]

export interface NetworkFailure {
  /** False only when the request certainly never reached the server. */
  mayHaveReachedServer: boolean
  /** Short, secret-free words for the user, e.g. "the connection was refused". */
  description: string
}

export function classifyNetworkError(error: unknown): NetworkFailure {
  const text = describeChain(error)
  const notSent = NOT_SENT.some((code) => text.includes(code))
  return { mayHaveReachedServer: !notSent, description: describe(text) }
}

function describeChain(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current === 'object') {
      const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
      if (typeof code === 'string') parts.push(code)
      if (typeof message === 'string') parts.push(message)
      current = cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return parts.join(' ')
}

function describe(text: string): string {
  if (/ECONNREFUSED|ERR_CONNECTION_REFUSED/.test(text)) return 'the server refused the connection'
  if (/ENOTFOUND|EAI_AGAIN|ERR_NAME_NOT_RESOLVED/.test(text)) return 'the server’s name could not be found'
  if (/ERR_INTERNET_DISCONNECTED|ENETDOWN|ENETUNREACH/.test(text)) return 'this computer is offline'
  if (/CERT|SSL/.test(text)) return 'the server’s certificate is not trusted'
  if (/ECONNRESET|ERR_CONNECTION_RESET|socket|other side closed|ERR_EMPTY_RESPONSE/i.test(text))
    return 'the connection was cut before the server answered'
  return 'the server could not be reached'
}
