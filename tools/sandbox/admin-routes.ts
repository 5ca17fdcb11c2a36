/**
 * `/__sandbox/…`: lets a test in another process read the log and switch faults at run time.
 * No auth, so it answers only loopback clients that name this machine in `Host` (a web page
 * elsewhere that rebinds its DNS to 127.0.0.1 still sends its own host name).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { isRecord, parseJson } from '../../src/shared/json.ts'
import { parseFaultPatch, type Faults } from './faults.ts'
import { readBody, sendEmpty, sendJson } from './http-helpers.ts'

export const ADMIN_PREFIX = '/__sandbox/'

export interface AdminContext {
  port: number
  requests: readonly unknown[]
  contacts: readonly unknown[]
  faults: Faults
  reset: () => void
  maxBodyBytes: number
  /** Whether a repeated Idempotency-Key gets its first contact back. */
  idempotency: { honoured: boolean }
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  context: AdminContext,
): Promise<void> {
  const { port, requests, contacts, faults, reset, maxBodyBytes, idempotency } = context
  const host = req.headers.host ?? ''
  if (!isLoopback(req.socket.remoteAddress) || (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)) {
    return sendJson(res, 403, { error: 'The sandbox admin routes answer only on this machine' })
  }
  switch (`${req.method} ${pathname}`) {
    case 'GET /__sandbox/requests':
      return sendJson(res, 200, requests)
    case 'GET /__sandbox/contacts':
      return sendJson(res, 200, contacts)
    case 'POST /__sandbox/reset':
      reset()
      return sendEmpty(res, 204)
    case 'GET /__sandbox/faults':
      return sendJson(res, 200, faults.current)
    case 'POST /__sandbox/faults': {
      const body = await readBody(req, maxBodyBytes)
      try {
        return sendJson(res, 200, faults.set(parseFaultPatch(parseJson(body.text))))
      } catch (error) {
        return sendJson(res, 400, { error: error instanceof Error ? error.message : 'invalid faults' })
      }
    }
    case 'GET /__sandbox/idempotency':
      return sendJson(res, 200, { honoured: idempotency.honoured })
    case 'POST /__sandbox/idempotency': {
      const body = await readBody(req, maxBodyBytes)
      const input = parseJson(body.text)
      if (!isRecord(input) || typeof input.honoured !== 'boolean' || Object.keys(input).length !== 1) {
        return sendJson(res, 400, { error: 'send { "honoured": true } or { "honoured": false }' })
      }
      idempotency.honoured = input.honoured
      return sendJson(res, 200, { honoured: idempotency.honoured })
    }
    case 'DELETE /__sandbox/faults':
      faults.clear()
      return sendEmpty(res, 204)
    default:
      return sendJson(res, 404, { error: 'Not Found' })
  }
}

function isLoopback(address: string | undefined): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address ?? '')
}
