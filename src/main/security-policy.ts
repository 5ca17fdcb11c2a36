import { app, session, type Event, type WebContents } from 'electron'
import { appPageUrlPatterns, isAppPageUrl, type AppPage } from './app-page.ts'
import { CONTENT_SECURITY_POLICY } from './content-security-policy.ts'

/**
 * App-wide hardening, applied once when the app is ready and before any window exists: no new
 * windows, no navigation or redirect away from the app's own page, no webviews, no permissions,
 * and the CSP as a response header as well as the page's meta tag.
 */
export function applySecurityPolicy(page: AppPage): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, page))

  const defaultSession = session.defaultSession
  // The app needs no camera, notifications, geolocation or any other permission.
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  defaultSession.setPermissionCheckHandler(() => false)

  // Chromium gives file:// responses no headers, so in a built app the meta tag enforces the CSP;
  // on the dev server (and any http page) the header does too, before any of the page is parsed.
  defaultSession.webRequest.onHeadersReceived({ urls: appPageUrlPatterns(page) }, (details, callback) => {
    if (!isAppPageUrl(page, details.url)) return callback({})
    // Added, never replacing: with two policies the browser enforces both, so this can only tighten.
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}

export function hardenWebContents(contents: WebContents, page: AppPage): void {
  // Links meant for a browser have no place in this app; a page that tries to open one gets nothing.
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  const stayOnAppPage = (event: Event, url: string) => {
    if (!isAppPageUrl(page, url)) event.preventDefault()
  }
  contents.on('will-navigate', stayOnAppPage)
  contents.on('will-redirect', stayOnAppPage)
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
