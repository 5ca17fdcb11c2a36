import { app, BrowserWindow, dialog, session, shell, type MessageBoxOptions, type WebContents } from 'electron'
import { appPageUrlPatterns, isAppPageUrl, type AppPage } from './core/app-page.ts'
import { CONTENT_SECURITY_POLICY, devServerContentSecurityPolicy } from './core/content-security-policy.ts'
import { parseExternalUrl, schemeOf } from './core/external-link.ts'
import { errorName, silentLogger, type Logger } from './core/logger.ts'

export interface SecurityPolicyOptions {
  logger?: Logger
}

/**
 * App-wide hardening, applied once when the app is ready and before any window exists: no new
 * windows, no navigation or redirect away from the app's own page, no webviews, no permissions,
 * no devices, no screen capture, no downloads, and the CSP as a response header.
 */
export function applySecurityPolicy(page: AppPage, options: SecurityPolicyOptions = {}): void {
  const logger = options.logger ?? silentLogger
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, page, logger))

  const defaultSession = session.defaultSession
  // The app needs no camera, notifications, geolocation or any other permission — only to put text
  // on the clipboard (Copy diagnostics), and only for its own page.
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isGrantable(page, permission, details.requestingUrl)),
  )
  defaultSession.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isGrantable(page, permission, details.requestingUrl),
  )
  // HID, serial and USB devices: none is ever granted, not even one a user picked earlier.
  defaultSession.setDevicePermissionHandler(() => false)
  // Screen capture (getDisplayMedia) is refused without a picker.
  defaultSession.setDisplayMediaRequestHandler((_request, callback) => callback(null))
  // Nothing in the app downloads; a page that starts a download gets nothing.
  defaultSession.on('will-download', (event) => event.preventDefault())

  // The built bundle gets its CSP header from the app:// handler (app-protocol.ts); the dev server
  // gets it here, before any of the page is parsed.
  if (page.kind !== 'dev-server') return
  defaultSession.webRequest.onHeadersReceived({ urls: appPageUrlPatterns(page) }, (details, callback) => {
    if (!isAppPageUrl(page, details.url)) return callback({})
    // Added, never replacing: with two policies the browser enforces both, so this can only tighten.
    // The dev server's relaxed policy: a strict header would block the styles the dev page's meta allows.
    const policy = devServerContentSecurityPolicy(CONTENT_SECURITY_POLICY)
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } })
  })
}

/** Writing (never reading) the clipboard, asked by the app's own page: the whole list of what is granted. */
const GRANTABLE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

function isGrantable(page: AppPage, permission: string, requestingUrl: string | undefined): boolean {
  return GRANTABLE_PERMISSIONS.has(permission) && requestingUrl !== undefined && isAppPageUrl(page, requestingUrl)
}

export function hardenWebContents(contents: WebContents, page: AppPage, logger: Logger = silentLogger): void {
  // No window ever opens inside the app; an https link may open in the user's browser once they agree.
  contents.setWindowOpenHandler(({ url }) => {
    void offerToOpenInBrowser(contents, url, logger)
    return { action: 'deny' }
  })
  const stayOnAppPage = (details: { url: string; preventDefault(): void }) => {
    if (!isAppPageUrl(page, details.url)) details.preventDefault()
  }
  contents.on('will-navigate', stayOnAppPage)
  contents.on('will-redirect', stayOnAppPage)
  // The page has no frames (the CSP's frame-src is 'none'); should one appear, it cannot leave the app either.
  contents.on('will-frame-navigate', (details) => {
    if (!details.isMainFrame) stayOnAppPage(details)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/** Web contents with an "open in browser?" question on screen: a page cannot pile them up. */
const asking = new WeakSet<WebContents>()

/**
 * Opens an https link in the user's browser after asking them. Anything else (http, file:,
 * javascript:, custom schemes, URLs with credentials) is refused and logged by scheme only: the
 * rest of a URL can hold personal data. Resolves to whether the link was opened.
 */
export async function offerToOpenInBrowser(owner: WebContents, rawUrl: string, logger: Logger): Promise<boolean> {
  const url = parseExternalUrl(rawUrl)
  if (!url) {
    logger.warn('Refused to open a link outside the app', { scheme: schemeOf(rawUrl) })
    return false
  }
  if (asking.has(owner)) {
    logger.warn('Refused a link while another one is waiting for an answer', { scheme: 'https' })
    return false
  }
  asking.add(owner)
  try {
    const options: MessageBoxOptions = {
      type: 'question',
      title: 'Open link',
      // url.host is punycode for international names, so a look-alike host shows as what it is.
      message: `Open ${url.host} in your browser?`,
      detail: url.href,
      buttons: ['Open', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    }
    const parent = BrowserWindow.fromWebContents(owner)
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options)
    if (response !== 0) return false
    await shell.openExternal(url.href)
    return true
  } catch (error) {
    logger.error('Could not open a link in the browser', { error: errorName(error) })
    return false
  } finally {
    asking.delete(owner)
  }
}
