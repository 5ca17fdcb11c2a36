/**
 * Where the renderer comes from: electron-vite's dev server while developing, the built bundle
 * served on `app://bundle` (see src/main/app-protocol.ts) once built. Every "is this our own page?" check in
 * main asks this one place.
 */
export type AppPage = { kind: 'dev-server' | 'bundle'; url: string; origin: string }

/** The custom scheme and host the built renderer is served from; never file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'bundle'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_INDEX_PATH = '/index.html'
export const APP_INDEX_URL = `${APP_ORIGIN}${APP_INDEX_PATH}`

export interface AppPageOptions {
  /** `app.isPackaged`: a packaged app never follows the dev-server variable. */
  isPackaged: boolean
  /** `process.env.ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined
}

export function resolveAppPage(options: AppPageOptions): AppPage {
  const devServer = options.isPackaged ? undefined : parseHttpUrl(options.devServerUrl)
  if (devServer) return { kind: 'dev-server', url: devServer.href, origin: devServer.origin }
  return { kind: 'bundle', url: APP_INDEX_URL, origin: APP_ORIGIN }
}

/** True when `url` is the app's own page: any path on the dev server, or exactly app://bundle/index.html. */
export function isAppPageUrl(page: AppPage, url: string): boolean {
  if (page.kind === 'dev-server') return parseHttpUrl(url)?.origin === page.origin
  return isBundleIndexUrl(url)
}

/** Patterns for `session.webRequest` filters that match the app's own page. */
export function appPageUrlPatterns(page: AppPage): string[] {
  return [`${page.origin}/*`]
}

function isBundleIndexUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  // Node gives non-special schemes an opaque "null" origin, so compare the parts; a query or hash
  // (router state) is still the same page.
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.host === APP_HOST &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === APP_INDEX_PATH
  )
}

function parseHttpUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}
