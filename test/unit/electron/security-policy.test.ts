import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { HeadersReceivedResponse, OnHeadersReceivedListenerDetails, WebContents } from 'electron'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { resolveAppPage, type AppPage } from '../../../src/main/core/app-page.ts'
import {
  CONTENT_SECURITY_POLICY,
  devServerContentSecurityPolicy,
} from '../../../src/main/core/content-security-policy.ts'

type Listener = (...args: unknown[]) => void
type HeadersListener = (
  details: OnHeadersReceivedListenerDetails,
  callback: (response: HeadersReceivedResponse) => void,
) => void

const fake = vi.hoisted(() => {
  const state = {
    appListeners: new Map<string, Listener>(),
    sessionListeners: new Map<string, Listener>(),
    requestHandler: undefined as undefined | Listener,
    checkHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    deviceHandler: undefined as undefined | ((...args: unknown[]) => boolean),
    displayMediaHandler: undefined as undefined | Listener,
    headersFilter: undefined as undefined | { urls: string[] },
    headersListener: undefined as undefined | Listener,
  }
  const app = { on: (event: string, listener: Listener) => state.appListeners.set(event, listener) }
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: Listener) => (state.requestHandler = handler),
      setPermissionCheckHandler: (handler: (...args: unknown[]) => boolean) => (state.checkHandler = handler),
      setDevicePermissionHandler: (handler: (...args: unknown[]) => boolean) => (state.deviceHandler = handler),
      setDisplayMediaRequestHandler: (handler: Listener) => (state.displayMediaHandler = handler),
      on: (event: string, listener: Listener) => state.sessionListeners.set(event, listener),
      webRequest: {
        onHeadersReceived: (filter: { urls: string[] }, listener: Listener) => {
          state.headersFilter = filter
          state.headersListener = listener
        },
      },
    },
  }
  const parentWindow = { id: 1 }
  const BrowserWindow = { fromWebContents: vi.fn((): unknown => parentWindow) }
  const dialog = { showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })) }
  const shell = { openExternal: vi.fn(async (_url: string) => {}) }
  return { state, app, session, BrowserWindow, dialog, shell, parentWindow }
})
vi.mock('electron', () => ({
  app: fake.app,
  session: fake.session,
  BrowserWindow: fake.BrowserWindow,
  dialog: fake.dialog,
  shell: fake.shell,
}))

const { applySecurityPolicy, offerToOpenInBrowser } = await import('../../../src/main/security-policy.ts')

const builtPage = resolveAppPage({ isPackaged: true, devServerUrl: undefined })
const devPage = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173' })
const appUrl = 'app://bundle/index.html'

function fakeLogger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() }
}

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
    /** Fires an event the way Electron 45 does (a details object first); returns whether it was prevented. */
    fire(event: string, details: Record<string, unknown>, ...args: unknown[]): boolean {
      const listener = listeners.get(event)
      if (!listener) throw new Error(`nothing listens to ${event}`)
      const preventDefault = vi.fn()
      listener({ ...details, preventDefault }, ...args)
      return preventDefault.mock.calls.length > 0
    },
  }
}

function createdContents(page: AppPage, logger = fakeLogger()) {
  applySecurityPolicy(page, { logger })
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
  vi.clearAllMocks()
  fake.state.appListeners.clear()
  fake.state.sessionListeners.clear()
  fake.state.requestHandler = undefined
  fake.state.checkHandler = undefined
  fake.state.deviceHandler = undefined
  fake.state.displayMediaHandler = undefined
  fake.state.headersFilter = undefined
  fake.state.headersListener = undefined
  fake.dialog.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false })
  fake.shell.openExternal.mockResolvedValue(undefined)
  fake.BrowserWindow.fromWebContents.mockReturnValue(fake.parentWindow)
})

describe('applySecurityPolicy: every web contents', () => {
  it('denies every new window, whatever the URL', () => {
    const web = createdContents(builtPage)
    for (const url of ['https://example.com/', 'http://example.com/', appUrl, 'javascript:alert(1)', 'about:blank']) {
      expect(web.open(url)).toEqual({ action: 'deny' })
    }
  })

  it.each([
    ['another origin', 'https://evil.example/'],
    ['a local file', pathToFileURL(join('/', 'etc', 'passwd')).href],
    ['a file:// copy of the app page', pathToFileURL(join('/', 'opt', 'out', 'renderer', 'index.html')).href],
    ['another page of the bundle', 'app://bundle/other.html'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a data: URL', 'data:text/html,<h1>hi</h1>'],
  ])('prevents navigation to %s', (_label, url) => {
    const web = createdContents(builtPage)
    expect(web.fire('will-navigate', { url })).toBe(true)
    expect(web.fire('will-redirect', { url })).toBe(true)
    expect(web.fire('will-frame-navigate', { url, isMainFrame: false })).toBe(true)
  })

  it('allows navigation within the app page (reload, hash routes)', () => {
    const web = createdContents(builtPage)
    expect(web.fire('will-navigate', { url: appUrl })).toBe(false)
    expect(web.fire('will-navigate', { url: `${appUrl}#/outbox` })).toBe(false)
    expect(web.fire('will-redirect', { url: appUrl })).toBe(false)
  })

  it('leaves main-frame navigation to will-navigate, and checks sub-frames', () => {
    const web = createdContents(builtPage)
    expect(web.fire('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: true })).toBe(false)
    expect(web.fire('will-frame-navigate', { url: appUrl, isMainFrame: false })).toBe(false)
  })

  it('in development allows the dev server origin and nothing else', () => {
    const web = createdContents(devPage)
    expect(web.fire('will-navigate', { url: 'http://localhost:5173/settings' })).toBe(false)
    expect(web.fire('will-navigate', { url: 'http://localhost:5174/' })).toBe(true)
    expect(web.fire('will-redirect', { url: 'https://localhost:5173/' })).toBe(true)
    expect(web.fire('will-navigate', { url: appUrl })).toBe(true)
  })

  it('prevents attaching a webview', () => {
    const web = createdContents(builtPage)
    expect(web.fire('will-attach-webview', {}, {}, { src: 'https://evil.example/' })).toBe(true)
  })
})

describe('links that ask for a new window', () => {
  it('asks the user about an https link, then opens it in their browser', async () => {
    const web = createdContents(builtPage)
    web.open('https://docs.example.com/help?topic=contacts')
    await vi.waitFor(() => expect(fake.shell.openExternal).toHaveBeenCalledTimes(1))
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://docs.example.com/help?topic=contacts')
    const [parent, options] = fake.dialog.showMessageBox.mock.calls[0] as [unknown, Record<string, unknown>]
    expect(parent).toBe(fake.parentWindow)
    expect(options).toMatchObject({
      message: 'Open docs.example.com in your browser?',
      buttons: ['Open', 'Cancel'],
      cancelId: 1,
    })
  })

  it('opens nothing when the user cancels', async () => {
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false })
    await expect(offerToOpenInBrowser(fakeContents().contents, 'https://example.com/', fakeLogger())).resolves.toBe(
      false,
    )
    expect(fake.shell.openExternal).not.toHaveBeenCalled()
  })

  it('asks without a parent when the contents has no window', async () => {
    fake.BrowserWindow.fromWebContents.mockReturnValueOnce(null)
    await offerToOpenInBrowser(fakeContents().contents, 'https://example.com/', fakeLogger())
    expect(fake.dialog.showMessageBox.mock.calls[0]).toHaveLength(1)
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://example.com/')
  })

  it('shows an international host as punycode, so a look-alike cannot pass for the real one', async () => {
    await offerToOpenInBrowser(fakeContents().contents, 'https://аpple.com/', fakeLogger())
    const options = fake.dialog.showMessageBox.mock.calls[0]?.[1] as { message: string }
    expect(options.message).toBe('Open xn--pple-43d.com in your browser?')
  })

  it.each([
    ['http', 'http://example.com/'],
    ['file', 'file:///etc/passwd'],
    ['javascript', 'javascript:alert(document.cookie)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['mailto', 'mailto:ada@example.com'],
    ['ms-msdt', 'ms-msdt:/id PCWDiagnostic'],
    ['smb', 'smb://attacker.example/share'],
    ['app', 'app://bundle/index.html'],
    ['https', 'https://user:secret@example.com/'],
    ['none', 'not a url at all'],
  ])('refuses a %s link without asking and logs its scheme only', async (scheme, url) => {
    const logger = fakeLogger()
    await expect(offerToOpenInBrowser(fakeContents().contents, url, logger)).resolves.toBe(false)
    expect(fake.dialog.showMessageBox).not.toHaveBeenCalled()
    expect(fake.shell.openExternal).not.toHaveBeenCalled()
    expect(logger.warn).toHaveBeenCalledExactlyOnceWith(expect.any(String), { scheme })
  })

  it('asks one question at a time per window: a page cannot pile up dialogs', async () => {
    let answer: (value: { response: number; checkboxChecked: boolean }) => void = () => {}
    fake.dialog.showMessageBox.mockImplementationOnce(() => new Promise((resolve) => (answer = resolve)))
    const { contents } = fakeContents()
    const logger = fakeLogger()
    const first = offerToOpenInBrowser(contents, 'https://one.example/', logger)
    await expect(offerToOpenInBrowser(contents, 'https://two.example/', logger)).resolves.toBe(false)
    answer({ response: 0, checkboxChecked: false })
    await expect(first).resolves.toBe(true)
    expect(fake.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://one.example/')
    await expect(offerToOpenInBrowser(contents, 'https://three.example/', logger)).resolves.toBe(true)
  })

  it('logs a browser that fails to open by error name only', async () => {
    fake.shell.openExternal.mockRejectedValueOnce(new Error('no handler for https://example.com/?token=1'))
    const logger = fakeLogger()
    await expect(offerToOpenInBrowser(fakeContents().contents, 'https://example.com/', logger)).resolves.toBe(false)
    expect(logger.error).toHaveBeenCalledExactlyOnceWith(expect.any(String), { error: 'Error' })
  })
})

describe('applySecurityPolicy: the session', () => {
  it('denies every permission request but a clipboard write from the app’s own page', () => {
    applySecurityPolicy(builtPage)
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid']) {
      const callback = vi.fn()
      fake.state.requestHandler?.({}, permission, callback, { requestingUrl: appUrl })
      expect(callback).toHaveBeenCalledWith(false)
    }
    const own = vi.fn()
    fake.state.requestHandler?.({}, 'clipboard-sanitized-write', own, { requestingUrl: appUrl })
    expect(own).toHaveBeenCalledWith(true)
    const foreign = vi.fn()
    fake.state.requestHandler?.({}, 'clipboard-sanitized-write', foreign, { requestingUrl: 'https://example.com/' })
    expect(foreign).toHaveBeenCalledWith(false)
    const unknown = vi.fn()
    fake.state.requestHandler?.({}, 'clipboard-sanitized-write', unknown, {})
    expect(unknown).toHaveBeenCalledWith(false)
  })

  it('answers every permission check with false but a clipboard write from the app’s own page', () => {
    applySecurityPolicy(builtPage)
    expect(fake.state.checkHandler?.({}, 'media', appUrl, { requestingUrl: appUrl })).toBe(false)
    expect(fake.state.checkHandler?.(null, 'notifications', 'http://localhost:5173', {})).toBe(false)
    expect(fake.state.checkHandler?.({}, 'clipboard-read', 'app://bundle', { requestingUrl: appUrl })).toBe(false)
    expect(fake.state.checkHandler?.({}, 'clipboard-sanitized-write', 'app://bundle', { requestingUrl: appUrl })).toBe(
      true,
    )
    expect(
      fake.state.checkHandler?.({}, 'clipboard-sanitized-write', 'https://example.com', {
        requestingUrl: 'https://example.com/',
      }),
    ).toBe(false)
  })

  it('grants no device and no screen capture', () => {
    applySecurityPolicy(builtPage)
    expect(fake.state.deviceHandler?.({ deviceType: 'usb', origin: 'app://bundle', device: {} })).toBe(false)
    const callback = vi.fn()
    fake.state.displayMediaHandler?.({ frame: null, securityOrigin: 'app://bundle' }, callback)
    expect(callback).toHaveBeenCalledExactlyOnceWith(null)
  })

  it('cancels every download', () => {
    applySecurityPolicy(builtPage)
    const preventDefault = vi.fn()
    fake.state.sessionListeners.get('will-download')?.({ preventDefault }, {}, {})
    expect(preventDefault).toHaveBeenCalled()
  })

  it('adds the dev server’s CSP header to its page, keeping the other headers', () => {
    applySecurityPolicy(devPage)
    expect(fake.state.headersFilter).toEqual({ urls: ['http://localhost:5173/*'] })
    const response = headersFor('http://localhost:5173/', { 'Content-Type': ['text/html'] })
    expect(response?.responseHeaders).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [devServerContentSecurityPolicy(CONTENT_SECURITY_POLICY)],
    })
  })

  it('relaxes only what Vite’s dev server needs: inline styles and the HMR socket on localhost', () => {
    const dev = devServerContentSecurityPolicy(CONTENT_SECURITY_POLICY)
    expect(dev).toContain("style-src 'self' 'unsafe-inline'")
    expect(dev).toContain("connect-src 'self' ws://localhost:* http://localhost:*")
    expect(dev).toContain("script-src 'self';")
    expect(dev).not.toContain('unsafe-eval')
    expect(dev.split('; ').length).toBe(CONTENT_SECURITY_POLICY.split('; ').length)
  })

  it('leaves responses from anywhere else untouched', () => {
    applySecurityPolicy(devPage)
    expect(headersFor('https://cloud-staging.cloverhound.com/1/contacts', { a: ['b'] })).toEqual({})
  })

  it('leaves the built bundle to the app:// handler, which sends the CSP itself', () => {
    applySecurityPolicy(builtPage)
    expect(fake.state.headersListener).toBeUndefined()
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
