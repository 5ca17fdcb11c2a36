import { promises as fs } from 'node:fs'
import { extname, resolve, sep } from 'node:path'
import { protocol, type Privileges } from 'electron'
import { APP_HOST, APP_INDEX_URL, APP_SCHEME } from './core/app-page.ts'
import { CONTENT_SECURITY_POLICY } from './core/content-security-policy.ts'
import { isLoadErrorPageUrl, loadErrorPageHtml } from './core/load-error-page.ts'

/**
 * The least the built renderer needs from `app:`:
 * - `standard`: a real origin (`app://bundle`) and relative URLs (`./assets/…`) that resolve;
 * - `secure`: a secure context like https, so nothing on it counts as mixed or insecure content;
 * - `codeCache`: V8 caches the compiled bundle between starts (needs `standard`).
 * Left off on purpose: `bypassCSP` (the CSP must apply), `corsEnabled` (it would let other origins
 * read the bundle), `supportFetchAPI` (the page never fetches; module scripts load without it, and
 * all network goes through main), `allowServiceWorkers`, `stream`.
 */
export const APP_SCHEME_PRIVILEGES: Readonly<Privileges> = { standard: true, secure: true, codeCache: true }

/** Must run before the app is ready: Chromium fixes scheme privileges at start-up. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }])
}

/**
 * Serves `app://bundle/…` from the built renderer folder (out/renderer) on the default session. An
 * in-process handler rather than file:// keeps every other local file out of the page's reach.
 * `reloadUrl` is where the load-error page's Reload leads: the app page, built or dev server.
 */
export function handleAppProtocol(rootDir: string, reloadUrl: string = APP_INDEX_URL): void {
  const handler: AppProtocolHandler = (request) => serveAppRequest(rootDir, request, reloadUrl)
  protocol.handle(APP_SCHEME, handler)
}

/**
 * Typed from Electron's own signature: the handler gets a plain fetch `Request` that Electron
 * builds from the URL, method, headers and referrer, so a field it does not carry fails to compile.
 */
export type AppProtocolHandler = Parameters<typeof protocol.handle>[1]
export type AppRequest = Parameters<AppProtocolHandler>[0]

/** Only types the build emits; anything else is refused rather than sniffed. */
const HTML_TYPE = 'text/html; charset=utf-8'
const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': HTML_TYPE,
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
}

/** On every response, errors included, so no answer of ours is ever without a policy. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
}

export async function serveAppRequest(
  rootDir: string,
  request: AppRequest,
  reloadUrl: string = APP_INDEX_URL,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed')
  // No "who is asking" check: Electron's Request carries no initiator, and the bundle holds nothing
  // secret; what keeps other pages out of the app is navigation (security-policy.ts) and the IPC sender check.
  if (isLoadErrorPageUrl(request.url)) {
    return new Response(request.method === 'HEAD' ? null : loadErrorPageHtml(reloadUrl), {
      status: 200,
      headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': HTML_TYPE },
    })
  }
  const filePath = resolveBundlePath(rootDir, request.url)
  const contentType = filePath === undefined ? undefined : MIME_TYPES[extname(filePath).toLowerCase()]
  if (filePath === undefined || contentType === undefined) return notFound()
  try {
    // A symlink inside the folder may not lead out of it either.
    const [realRoot, realFile] = await Promise.all([fs.realpath(rootDir), fs.realpath(filePath)])
    if (!realFile.startsWith(realRoot + sep)) return notFound()
    const body = await fs.readFile(realFile)
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': contentType },
    })
  } catch {
    return notFound() // missing, a folder, or unreadable: all the same to the page
  }
}

/**
 * The file a bundle URL names, or undefined for anything that is not plainly a file inside
 * `rootDir`: another scheme or host, `..` or `.` segments (raw or percent-encoded), backslashes,
 * encoded slashes, empty segments (`//etc`), drive letters, hidden files, control characters.
 */
export function resolveBundlePath(rootDir: string, requestUrl: string): string | undefined {
  // Checked before parsing too: URL parsing would quietly resolve `..` and hide the attempt.
  const rawPath = requestUrl.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/[?#].*$/s, '')
  if (/\\|%5c|%2f|%00/i.test(rawPath) || /(^|\/)(\.|%2e){1,2}(\/|$)/i.test(rawPath)) return undefined
  let url: URL
  try {
    url = new URL(requestUrl)
  } catch {
    return undefined
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username || url.password) return undefined
  const names: string[] = []
  for (const segment of url.pathname.split('/').slice(1)) {
    let name: string
    try {
      name = decodeURIComponent(segment)
    } catch {
      return undefined
    }
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    if (name === '' || name.startsWith('.') || /[\\/:\u0000-\u001f\u007f]/.test(name)) return undefined
    names.push(name)
  }
  if (names.length === 0) return undefined
  const root = resolve(rootDir)
  const filePath = resolve(root, ...names)
  return filePath.startsWith(root + sep) ? filePath : undefined
}

function notFound(): Response {
  return textResponse(404, 'Not found')
}

function textResponse(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  })
}
