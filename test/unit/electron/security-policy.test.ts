import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { HeadersReceivedResponse, OnHeadersReceivedListenerDetails, WebContents } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveAppPage, type AppPage } from '../../../src/main/app-page.ts'
import { CONTENT_SECURITY_POLICY } from '../../../src/main/content-security-policy.ts'

type Listener = (...args: unknown[]) => void
type HeadersListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void

const fake = vi.hoisted(() => {
  const state = {
    appListeners: new Map<string, Listener>(),
    requestHandler: undefined as undefined | Listener,
    checkHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    headersFilter: undefined as undefined | { urls: string[] },
    headersListener: undefined as undefined | Listener,
  }
  const app = { on: (event: string, listener: Listener) => state.appListeners.set(event, listener) }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: Listener) => (state.requestHandler = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (state.checkHandler = handler),
      webRequest: {
        onHeadersReceived: (filter: { urls: string[] }, listener: Listener) => {
          state.headersFilter = filter
          state.headersListener = listener
        },
      },
    },
  }
  return { state, app, session }
})
vi.mock('electron', () => ({ app: fake.app, session: fake.session }))

const { applySecurityPolicy } = await import('../../../src/main/security-policy.ts')

const indexHtmlPath = join('/', 'opt', 'cloverhound', 'out', 'renderer', 'index.html')
const builtPage = resolveAppPage({ isPackaged: true, devServerUrl: undefined, indexHtmlPath })
const devPage = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173', indexHtmlPath })
const appUrl = pathToFileURL(indexHtmlPath).href

/** A WebContents stand-in that records what the policy attached to it. */
function fakeContents() {
  const listeners = new Map<string, Listener>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const contents = {
    on: (event: string, listener: Listener) => {
      listeners.set(event, listener)
      return contents
    },
    setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => (openHandler = handler),
  }
  return {
    contents: contents as unknown as WebContents,
    open: (url: string) => openHandler?.({ url }),
    /** Fires an event with a preventable event object; returns whether it was prevented. */
    fire(event: string, ...args: unknown[]): boolean {
      const listener = listeners.get(event)
      if (!listener) throw new Error(`nothing listens to ${event}`)
      const preventDefault = vi.fn()
      listener({ preventDefault }, ...args)
      return preventDefault.mock.calls.length > 0
    },
  }
}

function createdContents(page: AppPage) {
  applySecurityPolicy(page)
  const created = fake.state.appListeners.get('web-contents-created')
  if (!created) throw new Error('the policy does not watch new web contents')
  const web = fakeContents()
  created({}, web.contents)
  return web
}

function headersFor(url: string, responseHeaders?: Record<string, string[]>): HeadersReceivedResponse | undefined {
  let response: HeadersReceivedResponse | undefined
  const listener = fake.state.headersListener as HeadersListener | undefined
  if (!listener) throw new Error('no headers listener')
  listener({ url, responseHeaders } as OnHeadersReceivedListenerDetails, (r) => (response = r))
  return response
}

beforeEach(() => {
  fake.state.appListeners.clear()
  fake.state.requestHandler = undefined
  fake.state.checkHandler = undefined
  fake.state.headersListener = undefined
})

describe('applySecurityPolicy: every web contents', () => {
  it('denies every new window', () => {
    const web = createdContents(builtPage)
    expect(web.open('https://evil.example/')).toEqual({ action: 'deny' })
    expect(web.open(appUrl)).toEqual({ action: 'deny' })
  })

  it.each([
    ['another origin', 'https://evil.example/'],
    ['another local file', pathToFileURL(join('/', 'etc', 'passwd')).href],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<h1>hi</h1>'],
  ])('prevents navigation to %s', (_label, url) => {
    const web = createdContents(builtPage)
    expect(web.fire('will-navigate', url)).toBe(true)
    expect(web.fire('will-redirect', url)).toBe(true)
  })

  it('allows navigation within the app page (reload, hash routes)', () => {
    const web = createdContents(builtPage)
    expect(web.fire('will-navigate', appUrl)).toBe(false)
    expect(web.fire('will-navigate', `${appUrl}#/outbox`)).toBe(false)
  })

  it('in development allows the dev server origin and nothing else', () => {
    const web = createdContents(devPage)
    expect(web.fire('will-navigate', 'http://localhost:5173/settings')).toBe(false)
    expect(web.fire('will-navigate', 'http://localhost:5174/')).toBe(true)
    expect(web.fire('will-redirect', 'https://localhost:5173/')).toBe(true)
    expect(web.fire('will-navigate', appUrl)).toBe(true)
  })

  it('prevents attaching a webview', () => {
    const web = createdContents(builtPage)
    expect(web.fire('will-attach-webview', {}, { src: 'https://evil.example/' })).toBe(true)
  })
})

describe('applySecurityPolicy: the session', () => {
  it('denies every permission request', () => {
    applySecurityPolicy(builtPage)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn()
      fake.state.requestHandler?.({}, permission, callback, {})
      expect(callback).toHaveBeenCalledWith(false)
    }
  })

  it('answers every permission check with false', () => {
    applySecurityPolicy(builtPage)
    expect(fake.state.checkHandler?.({}, 'media', 'file://', {})).toBe(false)
    expect(fake.state.checkHandler?.(null, 'notifications', 'http://localhost:5173', {})).toBe(false)
  })

  it('adds the CSP header to the app page, keeping the other headers', () => {
    applySecurityPolicy(devPage)
    expect(fake.state.headersFilter).toEqual({ urls: ['http://localhost:5173/*'] })
    const response = headersFor('http://localhost:5173/', { 'Content-Type': ['text/html'] })
    expect(response?.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
    })
  })

  it('leaves responses from anywhere else untouched', () => {
    applySecurityPolicy(devPage)
    expect(headersFor('https://cloud-staging.cloverhound.com/1/contacts', { a: ['b'] })).toEqual({})
  })
})

describe('CONTENT_SECURITY_POLICY', () => {
  it('allows only the app itself and never inline or eval script', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'")
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'")
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'")
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-(inline|eval)|\*/)
  })

  it("is the renderer's meta tag policy plus the header-only directives", async () => {
    const html = await readFile(new URL('../../../src/renderer/index.html', import.meta.url), 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)
    // Browsers ignore frame-ancestors, report-uri and sandbox in a meta tag: only the header carries them.
    const headerOnly = /^(frame-ancestors|report-uri|sandbox)\b/
    const expected = CONTENT_SECURITY_POLICY.split('; ').filter((directive) => !headerOnly.test(directive))
    expect(meta?.[1]?.split(/;\s*/).filter(Boolean)).toEqual(expected)
  })
})
