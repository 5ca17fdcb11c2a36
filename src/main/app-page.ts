import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the renderer comes from: electron-vite's dev server while developing, the built
 * `index.html` file once built. Every "is this our own page?" check in main asks this one place.
 */
export type AppPage = { kind: 'dev-server'; url: string; origin: string } | { kind: 'file'; path: string }

export interface AppPageOptions {
  /** `app.isPackaged`: a packaged app never follows the dev-server variable. */
  isPackaged: boolean
  /** `process.env.ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined
  /** Absolute path of the built renderer's index.html. */
  indexHtmlPath: string
}

export function resolveAppPage(options: AppPageOptions): AppPage {
  const devServer = options.isPackaged ? undefined : parseHttpUrl(options.devServerUrl)
  if (devServer) return { kind: 'dev-server', url: devServer.href, origin: devServer.origin }
  return { kind: 'file', path: resolve(options.indexHtmlPath) }
}

/** True when `url` is the app's own page: any path on the dev server, or exactly the built index.html. */
export function isAppPageUrl(page: AppPage, url: string): boolean {
  if (page.kind === 'dev-server') return parseHttpUrl(url)?.origin === page.origin
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'file:') return false
  let path: string
  try {
    // Compare paths, not URL text: percent-encoding and query/hash differ between equal pages.
    path = resolve(fileURLToPath(parsed))
  } catch {
    return false // a file URL with a host (a network share) is never ours
  }
  // Windows paths are case-insensitive and Chromium upper-cases the drive letter.
  return process.platform === 'win32' ? path.toLowerCase() === page.path.toLowerCase() : path === page.path
}

/** Patterns for `session.webRequest` filters that match the app's own page. */
export function appPageUrlPatterns(page: AppPage): string[] {
  return page.kind === 'dev-server' ? [`${page.origin}/*`] : ['file:///*']
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
