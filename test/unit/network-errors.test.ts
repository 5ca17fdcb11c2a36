/**
 * Failed fetches as Node's fetch (undici: TypeError "fetch failed" with the code on its cause) and
 * Electron's net.fetch (an Error whose whole message is Chromium's `net::ERR_…` name) report them.
 */
import { describe, expect, it } from 'vitest'
import { classifyNetworkError } from '../../src/main/core/network-errors.ts'

const undici = (code: string, message = `connect ${code} 203.0.113.7:443`): Error =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) })
const chromium = (name: string): Error => new Error(`net::ERR_${name}`)

describe('classifyNetworkError', () => {
  it.each([
    'NAME_NOT_RESOLVED',
    'NAME_RESOLUTION_FAILED',
    'CONNECTION_REFUSED',
    'CONNECTION_TIMED_OUT',
    'ADDRESS_UNREACHABLE',
    'INTERNET_DISCONNECTED',
    'TUNNEL_CONNECTION_FAILED',
    'PROXY_CONNECTION_FAILED',
    'SSL_PROTOCOL_ERROR',
    'CERT_AUTHORITY_INVALID',
    'CERT_DATE_INVALID',
    'HTTP2_SERVER_REFUSED_STREAM',
  ])('net::ERR_%s fails before anything is sent', (name) => {
    expect(classifyNetworkError(chromium(name)).mayHaveReachedServer).toBe(false)
  })

  it.each([
    'CONNECTION_RESET',
    'CONNECTION_CLOSED',
    'CONNECTION_ABORTED',
    'EMPTY_RESPONSE',
    'NETWORK_CHANGED',
    'TIMED_OUT',
    'INCOMPLETE_CHUNKED_ENCODING',
    'HTTP2_PROTOCOL_ERROR',
    'FAILED',
  ])('net::ERR_%s may follow a sent body', (name) => {
    expect(classifyNetworkError(chromium(name)).mayHaveReachedServer).toBe(true)
  })

  it('matches whole names only: a longer or unknown name, or a name inside other words, may have been sent', () => {
    for (const error of [
      chromium('CONNECTION_REFUSED_SOMEHOW'),
      chromium('CERT_SOMETHING_NEW'),
      new Error('proxy said net::ERR_CONNECTION_REFUSED earlier'),
      new Error('ECONNREFUSED was logged by someone else'),
      new TypeError('fetch failed', { cause: new Error('socket hang up after CERT_ check') }),
    ]) {
      expect(classifyNetworkError(error), String(error.message)).toMatchObject({
        mayHaveReachedServer: true,
        cause: 'unknown',
      })
    }
  })

  it.each([
    ['ECONNREFUSED', false, 'refused', 'the server refused the connection'],
    ['ENOTFOUND', false, 'name_not_found', 'the server’s name could not be found'],
    ['EAI_AGAIN', false, 'name_not_found', 'the server’s name could not be found'],
    ['ENETDOWN', false, 'offline', 'this computer is offline'],
    ['UND_ERR_CONNECT_TIMEOUT', false, 'unreachable', 'the server could not be reached'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false, 'certificate', 'the server’s certificate is not trusted'],
    ['ERR_SSL_WRONG_VERSION_NUMBER', false, 'tls', 'a secure connection could not be set up'],
    ['ECONNRESET', true, 'cut_off', 'the connection was cut before the server answered'],
    ['UND_ERR_SOCKET', true, 'cut_off', 'the connection was cut before the server answered'],
  ] as const)('Node’s %s: reached %s, %s', (code, reached, cause, description) => {
    expect(classifyNetworkError(undici(code))).toEqual({ mayHaveReachedServer: reached, cause, description })
  })

  it('the same failure reads the same from both stacks', () => {
    expect(classifyNetworkError(chromium('CONNECTION_REFUSED'))).toEqual(classifyNetworkError(undici('ECONNREFUSED')))
    expect(classifyNetworkError(chromium('NAME_NOT_RESOLVED'))).toEqual(classifyNetworkError(undici('ENOTFOUND')))
    expect(classifyNetworkError(chromium('CERT_AUTHORITY_INVALID'))).toEqual(
      classifyNetworkError(undici('SELF_SIGNED_CERT_IN_CHAIN')),
    )
  })

  it('a redirect refused under redirect: "error" is its own cause, from either stack, and was not sent on', () => {
    const fromUndici = new TypeError('fetch failed', { cause: new Error('unexpected redirect') })
    const fromElectron = new Error("Attempted to redirect, but redirect policy was 'error'")
    for (const error of [fromUndici, fromElectron]) {
      expect(classifyNetworkError(error)).toMatchObject({ cause: 'redirect', mayHaveReachedServer: false })
    }
  })

  it('an error that is not an object, or a code that is a prototype key, is unknown', () => {
    expect(classifyNetworkError('boom')).toMatchObject({ cause: 'unknown', mayHaveReachedServer: true })
    expect(classifyNetworkError(undici('constructor'))).toMatchObject({ cause: 'unknown' })
  })
})
