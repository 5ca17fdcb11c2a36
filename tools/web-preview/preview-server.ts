import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { commandNames, eventNames, type CommandHandlers, type EventName } from '../../src/shared/bridge-contract.ts'
import { dispatchCommand } from '../../src/main/core/command-dispatch.ts'
import { CONTENT_SECURITY_POLICY } from '../../src/main/core/content-security-policy.ts'
import { isRecord, parseJson } from '../../src/shared/json.ts'

const BRIDGE_SCRIPT = fileURLToPath(new URL('./browser-bridge.js', import.meta.url))
const MAX_BODY_BYTES = 256 * 1024
/** Import CSV carries a whole file (≤ 10 MB, as base64) or up to 10,000 drafts in one call. */
const LARGE_BODY_BYTES = 32 * 1024 * 1024
const LARGE_INPUT_COMMANDS: ReadonlySet<string> = new Set(['parseCsvFile', 'importContacts', 'saveCsvRows'])
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export interface PreviewServerOptions {
  rendererDir: string
  handlers: CommandHandlers
  port?: number
}

export interface PreviewServer {
  /** Open this to use the app; the token travels in the fragment, never to a log. */
  url: string
  broadcast<E extends EventName>(event: E, payload: unknown): void
  close(): Promise<void>
}

/**
 * Serves the built renderer and the real command handlers on 127.0.0.1 so the whole app runs
 * in a browser (dev and tests only). Calls need the per-run token in a custom header, which
 * also forces a CORS preflight that this server never grants, and a loopback Host header
 * (against DNS rebinding).
 */
export async function startPreviewServer(options: PreviewServerOptions): Promise<PreviewServer> {
  const token = randomBytes(24).toString('base64url')
  const streams = new Set<ServerResponse>()
  let allowedHosts: Set<string> = new Set()

  const server = createServer((request, response) => {
    handle(request, response).catch(() => send(response, 500, 'text/plain', 'Preview server error'))
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHosts.has(request.headers.host ?? '')) return send(response, 421, 'text/plain', 'Wrong host')
    const url = new URL(request.url ?? '/', 'http://preview.invalid')

    if (url.pathname.startsWith('/__preview/api/')) {
      if (request.method !== 'POST') return send(response, 405, 'text/plain', 'Use POST')
      if (!tokenMatches(request.headers['x-preview-token'])) return send(response, 403, 'text/plain', 'Bad token')
      const name = decodeURIComponent(url.pathname.slice('/__preview/api/'.length))
      const body = await readJson(request, LARGE_INPUT_COMMANDS.has(name) ? LARGE_BODY_BYTES : MAX_BODY_BYTES)
      const input = isRecord(body) ? body.input : Symbol('malformed')
      const result = await dispatchCommand(options.handlers, name, input)
      return send(response, 200, TYPES['.json']!, JSON.stringify(result))
    }
    if (url.pathname === '/__preview/events') {
      if (!tokenMatches(url.searchParams.get('token') ?? undefined))
        return send(response, 403, 'text/plain', 'Bad token')
      response.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' })
      response.write(': connected\n\n')
      streams.add(response)
      request.on('close', () => streams.delete(response))
      return
    }
    if (url.pathname === '/__preview/bridge.js') {
      return send(response, 200, TYPES['.js']!, await readFile(BRIDGE_SCRIPT, 'utf8'))
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain', 'Use GET')
    return serveStatic(url.pathname, response)
  }

  async function serveStatic(pathname: string, response: ServerResponse): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '')
    const file = normalize(join(options.rendererDir, relative))
    if (!file.startsWith(options.rendererDir + sep)) return send(response, 404, 'text/plain', 'Not found')
    let content: Buffer
    try {
      content = await readFile(file)
    } catch {
      return send(response, 404, 'text/plain', 'Not found')
    }
    if (relative === 'index.html') {
      const tag =
        `<script src="/__preview/bridge.js" data-commands='${JSON.stringify(commandNames)}'` +
        ` data-events='${JSON.stringify(eventNames)}'></script>`
      content = Buffer.from(content.toString('utf8').replace('<head>', `<head>\n    ${tag}`))
    }
    send(response, 200, TYPES[extname(file)] ?? 'application/octet-stream', content)
  }

  function tokenMatches(candidate: string | string[] | undefined): boolean {
    if (typeof candidate !== 'string') return false
    const a = Buffer.from(candidate)
    const b = Buffer.from(token)
    return a.length === b.length && timingSafeEqual(a, b)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`])

  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    broadcast(event, payload) {
      for (const stream of streams) stream.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`)
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (response.headersSent) return void response.end()
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  })
  response.end(body)
}

async function readJson(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > maxBytes) return undefined
    chunks.push(chunk as Buffer)
  }
  return parseJson(Buffer.concat(chunks).toString('utf8'))
}
