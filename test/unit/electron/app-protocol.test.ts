import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/core/content-security-policy.ts'
import { requestProtocol, state } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const { APP_SCHEME_PRIVILEGES, handleAppProtocol, registerAppScheme, resolveBundlePath, serveAppRequest } =
  await import('../../../src/main/app-protocol.ts')

let base: string
let rootDir: string

beforeAll(async () => {
  // base/out/renderer is the bundle; base/secret.js and base/out/secret.js sit just outside it.
  base = await mkdtemp(join(tmpdir(), 'app-protocol-'))
  rootDir = join(base, 'out', 'renderer')
  await mkdir(join(rootDir, 'assets'), { recursive: true })
  await writeFile(join(rootDir, 'index.html'), '<!doctype html><title>Cloverhound Contacts</title>')
  await writeFile(join(rootDir, 'assets', 'index-abc.js'), 'console.log(1)')
  await writeFile(join(rootDir, 'assets', 'index-abc.css'), 'body{}')
  await writeFile(join(rootDir, 'assets', 'logo.svg'), '<svg/>')
  await writeFile(join(rootDir, 'assets', 'font.woff2'), 'wOF2')
  await writeFile(join(rootDir, 'assets', 'notes.txt'), 'not a type the build emits')
  await writeFile(join(rootDir, '.env'), 'API_KEY=x')
  await writeFile(join(base, 'secret.js'), 'secret outside the bundle')
  await writeFile(join(base, 'out', 'secret.js'), 'secret next to the bundle')
  await symlink(join(base, 'secret.js'), join(rootDir, 'assets', 'link.js'))
  handleAppProtocol(rootDir, 'app://bundle/index.html')
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

/** Through the fake's protocol, which hands the handler a plain Request as Electron does. */
function serve(url: string, method = 'GET'): Promise<Response> {
  return requestProtocol('app', { url, method, headers: { Accept: '*/*' }, referrer: '' })
}

function expectSecurityHeaders(response: Response) {
  expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
}

/** URLs refused from their text alone, before the disk is touched. */
const refusedByUrl: Array<[string, string]> = [
  ['a parent segment', 'app://bundle/../secret.js'],
  ['a parent segment after a folder', 'app://bundle/assets/../../secret.js'],
  ['percent-encoded dots', 'app://bundle/%2e%2e/secret.js'],
  ['upper-case encoded dots', 'app://bundle/%2E%2E/%2E%2E/secret.js'],
  ['mixed dots', 'app://bundle/.%2e/secret.js'],
  ['an encoded slash', 'app://bundle/assets%2f..%2f..%2fsecret.js'],
  ['a backslash', 'app://bundle/..\\secret.js'],
  ['an encoded backslash', 'app://bundle/..%5csecret.js'],
  ['a current-folder segment', 'app://bundle/./index.html'],
  ['an empty segment (absolute path)', 'app://bundle//etc/passwd'],
  ['an encoded absolute path', 'app://bundle/%2Fetc%2Fpasswd'],
  ['a drive letter', 'app://bundle/C:/Windows/win.ini'],
  ['an encoded drive letter', 'app://bundle/C%3A%5CWindows%5Cwin.ini'],
  ['a NUL byte', 'app://bundle/index.html%00.js'],
  ['a broken escape', 'app://bundle/%E0%A4%A.js'],
  ['a hidden file', 'app://bundle/.env'],
  ['another host', 'app://evil/index.html'],
  ['a host that only starts like ours', 'app://bundle.evil/index.html'],
  ['a port', 'app://bundle:8080/index.html'],
  ['credentials', 'app://user:pass@bundle/index.html'],
  ['another scheme', 'file:///etc/passwd'],
  ['the bare origin', 'app://bundle/'],
  ['an unparsable URL', 'app://'],
]

/** URLs that name a path inside the bundle, refused once the handler looks at it. */
const refusedOnDisk: Array<[string, string]> = [
  ['a folder', 'app://bundle/assets'],
  ['a missing file', 'app://bundle/assets/missing.js'],
  ['a type the build never emits', 'app://bundle/assets/notes.txt'],
  ['a symlink that leads out of the bundle', 'app://bundle/assets/link.js'],
]

describe('registerAppScheme', () => {
  it('registers app: as standard and secure with code cache, and nothing more', () => {
    registerAppScheme()
    expect(state.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, codeCache: true } },
    ])
    for (const privilege of ['bypassCSP', 'corsEnabled', 'supportFetchAPI', 'allowServiceWorkers', 'stream']) {
      expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty(privilege)
    }
  })
})

describe('the app: handler', () => {
  it('is installed for the app scheme, once (Electron refuses a second handler)', () => {
    expect([...state.protocolHandlers.keys()]).toEqual(['app'])
    expect(() => handleAppProtocol(rootDir)).toThrow('Failed to register protocol: app')
  })

  it("is typed from Electron's protocol.handle: it takes the plain Request Electron builds", () => {
    // A field Electron's Request does not carry (initiatorOrigin was one) fails to compile here.
    expectTypeOf<Parameters<typeof serveAppRequest>[1]>().toEqualTypeOf<Request>()
  })

  it('serves index.html as HTML with the CSP and nosniff headers', async () => {
    const response = await serve('app://bundle/index.html')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expectSecurityHeaders(response)
    await expect(response.text()).resolves.toContain('<title>Cloverhound Contacts</title>')
  })

  it.each([
    ['assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['assets/index-abc.css', 'text/css; charset=utf-8'],
    ['assets/logo.svg', 'image/svg+xml'],
    ['assets/font.woff2', 'font/woff2'],
  ])('serves %s as %s', async (path, type) => {
    const response = await serve(`app://bundle/${path}?v=1#x`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
    expectSecurityHeaders(response)
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = await serve('app://bundle/index.html', 'HEAD')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    await expect(response.text()).resolves.toBe('')
  })

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses %s with 405 and the security headers', async (method) => {
    const response = await serve('app://bundle/index.html', method)
    expect(response.status).toBe(405)
    expectSecurityHeaders(response)
  })

  it('serves what Electron passes whatever the request says of its initiator, which never reaches it', async () => {
    const request = { url: 'app://bundle/index.html', method: 'GET', headers: { Origin: 'null' } }
    const response = await requestProtocol('app', { ...request, initiatorOrigin: 'https://evil.example' })
    expect(response.status).toBe(200)
  })

  it('serves the load-error page from memory, with the CSP and a Reload link to the app page', async () => {
    const response = await serve('app://bundle/load-error.html')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expectSecurityHeaders(response)
    const html = await response.text()
    expect(html).toContain('<a href="app://bundle/index.html">Reload</a>')
    // Plain HTML: nothing the CSP would block, and nothing that could reach the bridge.
    expect(html).not.toMatch(/<script|<style|\son\w+=|<form/i)
  })

  it('points the load-error page at the dev server in development, escaped', async () => {
    const request = new Request('app://bundle/load-error.html')
    const html = await (await serveAppRequest(rootDir, request, 'http://localhost:5173/?a="b"&c')).text()
    expect(html).toContain('<a href="http://localhost:5173/?a=&quot;b&quot;&amp;c">Reload</a>')
  })

  /** Reach the handler only in another form: the URL parser drops `.` segments, and Request refuses credentials. */
  const reshapedByRequest = new Set(['a current-folder segment', 'credentials'])

  it('gets `.` segments already resolved, as Chromium and the URL parser resolve them', async () => {
    expect((await serve('app://bundle/./index.html')).status).toBe(200)
  })

  it('never gets a URL with credentials: Electron cannot build its Request, so the load fails', async () => {
    await expect(serve('app://user:pass@bundle/index.html')).rejects.toThrow('net::ERR_UNEXPECTED')
  })

  it.each([...refusedByUrl.filter(([label]) => !reshapedByRequest.has(label)), ...refusedOnDisk])(
    'refuses %s with 404 and the security headers',
    async (_label, url) => {
      const response = await serve(url)
      expect(response.status).toBe(404)
      expectSecurityHeaders(response)
      const body = await response.text()
      expect(body).not.toContain('secret')
      expect(body).not.toContain(base)
    },
  )
})

describe('resolveBundlePath', () => {
  it('maps a bundle URL to the file inside the folder', () => {
    expect(resolveBundlePath('/srv/out/renderer', 'app://bundle/assets/a%20b.js')).toBe(
      join('/srv/out/renderer', 'assets', 'a b.js'),
    )
  })

  it.each(refusedByUrl)('returns nothing for %s', (_label, url) => {
    expect(resolveBundlePath('/srv/out/renderer', url)).toBeUndefined()
  })
})
