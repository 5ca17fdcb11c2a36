/**
 * What a failed fetch says about the request: whether it can have reached the server, and why it failed.
 * Node's fetch (undici) names the cause in `cause.code`; Electron's `net.fetch` (Chromium) rejects with
 * an Error whose message is the `net::ERR_…` name. Both are matched by exact name, never by substring.
 */

/** Why a request failed, as far as the network stack tells. */
export type NetworkCause =
  | 'refused'
  | 'name_not_found'
  | 'offline'
  | 'unreachable'
  | 'proxy'
  | 'certificate'
  | 'tls'
  | 'blocked'
  /** The Base URL answered with a redirect, which the client never follows (see cloverhound-client.ts). */
  | 'redirect'
  | 'cut_off'
  | 'unknown'

interface Classification {
  cause: NetworkCause
  /** True when the stack stopped before a byte of the request left this computer. */
  notSent: boolean
}

const before = (cause: NetworkCause): Classification => ({ cause, notSent: true })
const after = (cause: NetworkCause): Classification => ({ cause, notSent: false })

/**
 * Chromium's errors (net/base/net_error_list.h) that can end a POST. The ones that fail while
 * resolving, connecting, going through a proxy or in the TLS handshake come before the request is
 * written; the rest can come after the server read the body. An error not listed may have followed it.
 */
const CHROMIUM_ERRORS: Record<string, Classification> = {
  NAME_NOT_RESOLVED: before('name_not_found'),
  NAME_RESOLUTION_FAILED: before('name_not_found'),
  HOST_RESOLVER_QUEUE_TOO_LARGE: before('name_not_found'),
  ICANN_NAME_COLLISION: before('name_not_found'),
  DNS_MALFORMED_RESPONSE: before('name_not_found'),
  DNS_SERVER_REQUIRES_TCP: before('name_not_found'),
  DNS_SERVER_FAILED: before('name_not_found'),
  DNS_TIMED_OUT: before('name_not_found'),
  DNS_CACHE_MISS: before('name_not_found'),
  DNS_SEARCH_EMPTY: before('name_not_found'),
  DNS_SORT_ERROR: before('name_not_found'),
  CONNECTION_REFUSED: before('refused'),
  CONNECTION_TIMED_OUT: before('unreachable'),
  CONNECTION_FAILED: before('unreachable'),
  ADDRESS_INVALID: before('unreachable'),
  ADDRESS_UNREACHABLE: before('unreachable'),
  INTERNET_DISCONNECTED: before('offline'),
  NETWORK_ACCESS_DENIED: before('blocked'),
  BLOCKED_BY_CLIENT: before('blocked'),
  BLOCKED_BY_ADMINISTRATOR: before('blocked'),
  CLEARTEXT_NOT_PERMITTED: before('blocked'),
  UNSAFE_PORT: before('blocked'),
  TUNNEL_CONNECTION_FAILED: before('proxy'),
  PROXY_CONNECTION_FAILED: before('proxy'),
  PROXY_AUTH_UNSUPPORTED: before('proxy'),
  PROXY_AUTH_REQUESTED: before('proxy'),
  PROXY_CERTIFICATE_INVALID: before('proxy'),
  MANDATORY_PROXY_CONFIGURATION_FAILED: before('proxy'),
  SOCKS_CONNECTION_FAILED: before('proxy'),
  SOCKS_CONNECTION_HOST_UNREACHABLE: before('proxy'),
  NO_SUPPORTED_PROXIES: before('proxy'),
  PAC_SCRIPT_FAILED: before('proxy'),
  SSL_PROTOCOL_ERROR: before('tls'),
  SSL_VERSION_OR_CIPHER_MISMATCH: before('tls'),
  SSL_CLIENT_AUTH_CERT_NEEDED: before('tls'),
  BAD_SSL_CLIENT_AUTH_CERT: before('tls'),
  SSL_HANDSHAKE_NOT_COMPLETED: before('tls'),
  SSL_BAD_PEER_PUBLIC_KEY: before('tls'),
  SSL_DECRYPT_ERROR_ALERT: before('tls'),
  SSL_UNRECOGNIZED_NAME_ALERT: before('tls'),
  SSL_SERVER_CERT_BAD_FORMAT: before('tls'),
  SSL_OBSOLETE_CIPHER: before('tls'),
  SSL_KEY_USAGE_INCOMPATIBLE: before('tls'),
  TLS13_DOWNGRADE_DETECTED: before('tls'),
  ECH_NOT_NEGOTIATED: before('tls'),
  ALPN_NEGOTIATION_FAILED: before('tls'),
  QUIC_HANDSHAKE_FAILED: before('tls'),
  SSL_PINNED_KEY_NOT_IN_CERT_CHAIN: before('certificate'),
  ECH_FALLBACK_CERTIFICATE_INVALID: before('certificate'),
  CERT_COMMON_NAME_INVALID: before('certificate'),
  CERT_DATE_INVALID: before('certificate'),
  CERT_AUTHORITY_INVALID: before('certificate'),
  CERT_CONTAINS_ERRORS: before('certificate'),
  CERT_NO_REVOCATION_MECHANISM: before('certificate'),
  CERT_UNABLE_TO_CHECK_REVOCATION: before('certificate'),
  CERT_REVOKED: before('certificate'),
  CERT_INVALID: before('certificate'),
  CERT_WEAK_SIGNATURE_ALGORITHM: before('certificate'),
  CERT_NON_UNIQUE_NAME: before('certificate'),
  CERT_WEAK_KEY: before('certificate'),
  CERT_NAME_CONSTRAINT_VIOLATION: before('certificate'),
  CERT_VALIDITY_TOO_LONG: before('certificate'),
  CERTIFICATE_TRANSPARENCY_REQUIRED: before('certificate'),
  CERT_SYMANTEC_LEGACY: before('certificate'),
  CERT_KNOWN_INTERCEPTION_BLOCKED: before('certificate'),
  QUIC_CERT_ROOT_NOT_KNOWN: before('certificate'),
  // The server said it did not process the request (RFC 9113 §8.7): safe to send again.
  HTTP2_SERVER_REFUSED_STREAM: before('cut_off'),
  QUIC_GOAWAY_REQUEST_CAN_BE_RETRIED: before('cut_off'),
  // These can come after the server read the request (a reset while it was saving, say).
  CONNECTION_CLOSED: after('cut_off'),
  CONNECTION_RESET: after('cut_off'),
  CONNECTION_ABORTED: after('cut_off'),
  EMPTY_RESPONSE: after('cut_off'),
  NETWORK_CHANGED: after('cut_off'),
  NETWORK_IO_SUSPENDED: after('cut_off'),
  TIMED_OUT: after('cut_off'),
  SOCKET_NOT_CONNECTED: after('cut_off'),
  INVALID_RESPONSE: after('cut_off'),
  INVALID_HTTP_RESPONSE: after('cut_off'),
  INVALID_CHUNKED_ENCODING: after('cut_off'),
  INCOMPLETE_CHUNKED_ENCODING: after('cut_off'),
  CONTENT_LENGTH_MISMATCH: after('cut_off'),
  RESPONSE_HEADERS_TRUNCATED: after('cut_off'),
  HTTP2_PROTOCOL_ERROR: after('cut_off'),
  HTTP2_PING_FAILED: after('cut_off'),
  HTTP2_STREAM_CLOSED: after('cut_off'),
  QUIC_PROTOCOL_ERROR: after('cut_off'),
}

/** Node's codes (`error.code`, or undici's `cause.code`) that mean the same as the table above. */
const NODE_ERRORS: Record<string, Classification> = {
  ECONNREFUSED: before('refused'),
  ENOTFOUND: before('name_not_found'),
  EAI_AGAIN: before('name_not_found'),
  ENETUNREACH: before('unreachable'),
  EHOSTUNREACH: before('unreachable'),
  ENETDOWN: before('offline'),
  UND_ERR_CONNECT_TIMEOUT: before('unreachable'),
  DEPTH_ZERO_SELF_SIGNED_CERT: before('certificate'),
  SELF_SIGNED_CERT_IN_CHAIN: before('certificate'),
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: before('certificate'),
  UNABLE_TO_GET_ISSUER_CERT: before('certificate'),
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: before('certificate'),
  CERT_HAS_EXPIRED: before('certificate'),
  CERT_NOT_YET_VALID: before('certificate'),
  CERT_UNTRUSTED: before('certificate'),
  CERT_REVOKED: before('certificate'),
  CERT_REJECTED: before('certificate'),
  CERT_SIGNATURE_FAILURE: before('certificate'),
  ERR_TLS_CERT_ALTNAME_INVALID: before('certificate'),
  ECONNRESET: after('cut_off'),
  EPIPE: after('cut_off'),
  ETIMEDOUT: after('cut_off'),
  UND_ERR_SOCKET: after('cut_off'),
  UND_ERR_CLOSED: after('cut_off'),
}

/** What each stack says when a request with `redirect: 'error'` meets a redirect (undici; Electron's ClientRequest). */
const REDIRECT_MESSAGES = new Set(['unexpected redirect', "Attempted to redirect, but redirect policy was 'error'"])

const CHROMIUM_ERROR = /^net::ERR_([A-Z0-9_]+)$/

const DESCRIPTIONS: Record<NetworkCause, string> = {
  refused: 'the server refused the connection',
  name_not_found: 'the server’s name could not be found',
  offline: 'this computer is offline',
  unreachable: 'the server could not be reached',
  proxy: 'the proxy could not be used',
  certificate: 'the server’s certificate is not trusted',
  tls: 'a secure connection could not be set up',
  blocked: 'the connection was blocked on this computer',
  redirect: 'the Base URL redirects elsewhere',
  cut_off: 'the connection was cut before the server answered',
  unknown: 'the server could not be reached',
}

export interface NetworkFailure {
  /** False only when the request certainly never reached the server. */
  mayHaveReachedServer: boolean
  cause: NetworkCause
  /** Short, secret-free words for the user, e.g. "the server refused the connection". */
  description: string
}

export function classifyNetworkError(error: unknown): NetworkFailure {
  const { cause, notSent } = classify(error)
  return { mayHaveReachedServer: !notSent, cause, description: DESCRIPTIONS[cause] }
}

function classify(error: unknown): Classification {
  let current: unknown = error
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof message === 'string' && REDIRECT_MESSAGES.has(message)) return before('redirect')
    const chromium = typeof message === 'string' ? CHROMIUM_ERROR.exec(message)?.[1] : undefined
    const known = (chromium !== undefined && CHROMIUM_ERRORS[chromium]) || (typeof code === 'string' && nodeError(code))
    if (known) return known
    current = cause
  }
  return after('unknown')
}

function nodeError(code: string): Classification | undefined {
  if (Object.hasOwn(NODE_ERRORS, code)) return NODE_ERRORS[code]
  // OpenSSL's handshake failures reach Node as ERR_SSL_<reason>, one code per reason.
  return code.startsWith('ERR_SSL_') ? before('tls') : undefined
}
