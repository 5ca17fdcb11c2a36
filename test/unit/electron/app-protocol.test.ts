import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/core/content-security-policy.ts'

type Handler = (request: { url: string; method: string; initiatorOrigin?: string }) => Promise<Response>

const fake = vi.hoisted(() => {
  const handlers = new Map<string, unknown>()
  const protocol = {
    registerSchemesAsPrivileged: vi.fn(),
    handle: vi.fn((scheme: string, handler: unknown) => handlers.set(scheme, handler)),
  }
  return { protocol, handlers }
})
vi.mock('electron', () => ({ protocol: fake.protocol }))

const { APP_SCHEME_PRIVILEGES, handleAppProtocol, registerAppScheme, resolveBundlePath } =
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
  handleAppProtocol(rootDir)
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

function serve(url: string, method = 'GET', initiatorOrigin?: string): Promise<Response> {
  const handler = fake.handlers.get('app') as Handler | undefined
  if (!handler) throw new Error('no app: handler')
  return handler(initiatorOrigin === undefined ? { url, method } : { url, method, initiatorOrigin })
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
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'app', privileges: { standard: true, secure: true, codeCache: true } },
    ])
    for (const privilege of ['bypassCSP', 'corsEnabled', 'supportFetchAPI', 'allowServiceWorkers', 'stream']) {
      expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty(privilege)
    }
  })
})

describe('the app: handler', () => {
  it('is installed for the app scheme', () => {
    // Captured by the fake's handler map: vitest clears mock calls before each test.
    expect([...fake.handlers.keys()]).toEqual(['app'])
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

  it('serves its own page and the browser, but not a page of another origin', async () => {
    expect((await serve('app://bundle/index.html', 'GET', 'app://bundle')).status).toBe(200)
    expect((await serve('app://bundle/index.html', 'GET', 'https://evil.example')).status).toBe(404)
    expect((await serve('app://bundle/assets/index-abc.js', 'GET', 'null')).status).toBe(404)
    expect((await serve('app://bundle/assets/index-abc.js', 'GET', 'http://localhost:5173')).status).toBe(404)
  })

  it.each([...refusedByUrl, ...refusedOnDisk])('refuses %s with 404 and the security headers', async (_label, url) => {
    const response = await serve(url)
    expect(response.status).toBe(404)
    expectSecurityHeaders(response)
    const body = await response.text()
    expect(body).not.toContain('secret')
    expect(body).not.toContain(base)
  })
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
