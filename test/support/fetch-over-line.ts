/**
 * The core's fetch as it is when the core runs outside main: LineFetch at one end of a real
 * MessageChannel (structured clone, every message a turn later), main's RequestsForCore with `mainFetch`
 * and a KeyVault at the other. A test's client holds real keys; here each key is swapped for the handle
 * main would have given the core for that server, so main must put it back for the request to pass.
 */
import { MessageChannel } from 'node:worker_threads'
import { basicAuthorization, type FetchFunction } from '../../src/main/core/cloverhound-client.ts'
import { bindingDigest } from '../../src/main/core/credentials.ts'
import type { FromCore, ToCore } from '../../src/main/core/host/core-messages.ts'
import { KeyVault } from '../../src/main/core/host/key-vault.ts'
import { LineFetch } from '../../src/main/core/host/line-fetch.ts'
import { RequestsForCore } from '../../src/main/core/host/requests-for-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'

export function fetchOverLine(mainFetch: FetchFunction): { fetch: FetchFunction; vault: KeyVault } {
  const { port1: coreEnd, port2: mainEnd } = new MessageChannel()
  coreEnd.unref()
  mainEnd.unref()
  const vault = new KeyVault()
  const lineFetch = new LineFetch({ post: (message: FromCore) => coreEnd.postMessage(message) })
  const requests = new RequestsForCore({
    line: { post: (message: ToCore) => mainEnd.postMessage(message) },
    fetch: mainFetch,
    vault,
    logger: silentLogger,
  })
  coreEnd.on('message', (message: ToCore) => {
    if (message.kind === 'fetch-head' || message.kind === 'fetch-body' || message.kind === 'fetch-failed') {
      lineFetch.settle(message)
    }
  })
  mainEnd.on('message', (message: FromCore) => {
    if (message.kind === 'fetch') requests.start(message)
    if (message.kind === 'fetch-cancel') requests.cancel(message.id)
  })
  const fetch: FetchFunction = (url, init) => lineFetch.fetch(url, withHandle(vault, url, init))
  return { fetch, vault }
}

/** The init with its Basic key replaced by the handle for this server and key ID, as the core holds it. */
function withHandle(vault: KeyVault, url: string, init: RequestInit): RequestInit {
  const headers = new Headers(init.headers)
  const basic = /^Basic (.+)$/.exec(headers.get('authorization') ?? '')
  if (!basic) return init
  const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const [apiKeyId, key] = [decoded.slice(0, colon), decoded.slice(colon + 1)]
  const handle = vault.hide(key, bindingDigest({ origin: new URL(url).origin, apiKeyId }))
  headers.set('authorization', basicAuthorization(apiKeyId, handle))
  return { ...init, headers: Object.fromEntries(headers.entries()) }
}
