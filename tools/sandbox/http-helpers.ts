import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { parseJson } from '../../src/shared/json.ts'
import type { CannedResponse } from './faults.ts'

/** Reads the whole body but keeps at most `maxBytes`, so an oversize request still gets its 413. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<{ text: string; tooLarge: boolean }> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength
    if (size <= maxBytes) chunks.push(chunk)
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > maxBytes }
}

/** Names come lower-cased from Node; repeated headers are joined as HTTP allows. */
export function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return headers
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', headers)
}

export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status).end()
}

export function sendCanned(res: ServerResponse, canned: CannedResponse): void {
  const body = canned.body ?? JSON.stringify({ error: STATUS_CODES[canned.status] ?? `Status ${canned.status}` })
  const type = parseJson(body) === undefined ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8'
  const headers = { ...canned.headers }
  if (canned.retryAfter !== undefined) headers['Retry-After'] = canned.retryAfter
  // HTTP forbids a body on these; Node would drop it but keep a Content-Length that clients then refuse.
  if (canned.status === 204 || canned.status === 304) return void res.writeHead(canned.status, headers).end()
  send(res, canned.status, body, type, headers)
}

function send(res: ServerResponse, status: number, body: string, type: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...headers })
  res.end(body)
}
