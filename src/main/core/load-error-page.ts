import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './app-page.ts'

/**
 * The page a window falls back to when the app page would not load or its renderer died twice:
 * plain HTML served by the app: handler from memory (so a damaged bundle cannot take it down too),
 * under the same CSP, with no script and no bridge — only a link back to the app page.
 */
export const LOAD_ERROR_PATH = '/load-error.html'
export const LOAD_ERROR_URL = `${APP_ORIGIN}${LOAD_ERROR_PATH}`

export function isLoadErrorPageUrl(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST && url.pathname === LOAD_ERROR_PATH
}

/** `reloadUrl` is the app page (app://bundle/index.html, or the dev server): main's value, never the page's. */
export function loadErrorPageHtml(reloadUrl: string): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="color-scheme" content="light dark">',
    '<title>Cloverhound Contacts</title>',
    '</head>',
    '<body>',
    '<main>',
    '<h1>The window could not be shown</h1>',
    '<p>Cloverhound Contacts could not load its window. Contacts you saved are safe in the outbox ' +
      'and keep being sent in the background.</p>',
    `<p><a href="${escapeAttribute(reloadUrl)}">Reload</a></p>`,
    '<p>If this keeps happening, quit the app and open it again.</p>',
    '</main>',
    '</body>',
    '</html>',
  ].join('\n')
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
