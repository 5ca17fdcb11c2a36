import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { APP_INDEX_URL, appPageUrlPatterns, isAppPageUrl, resolveAppPage } from '../../src/main/core/app-page.ts'

const builtFileUrl = pathToFileURL(join('/', 'opt', 'Cloverhound Contacts', 'out', 'renderer', 'index.html')).href

describe('resolveAppPage', () => {
  it('uses the dev server while developing', () => {
    const page = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173' })
    expect(page).toEqual({ kind: 'dev-server', url: 'http://localhost:5173/', origin: 'http://localhost:5173' })
    expect(appPageUrlPatterns(page)).toEqual(['http://localhost:5173/*'])
  })

  it('serves the built bundle from app://bundle, never from a file', () => {
    const page = resolveAppPage({ isPackaged: true, devServerUrl: undefined })
    expect(page).toEqual({ kind: 'bundle', url: 'app://bundle/index.html', origin: 'app://bundle' })
    expect(APP_INDEX_URL).toBe('app://bundle/index.html')
    expect(appPageUrlPatterns(page)).toEqual(['app://bundle/*'])
  })

  it('ignores the dev server variable in a packaged app', () => {
    const page = resolveAppPage({ isPackaged: true, devServerUrl: 'https://evil.example/' })
    expect(page.kind).toBe('bundle')
  })

  it.each(['', 'not a url', 'file:///tmp/x.html', 'javascript:alert(1)', 'app://bundle/index.html'])(
    'falls back to the built bundle for a dev server value of %j',
    (devServerUrl) => {
      expect(resolveAppPage({ isPackaged: false, devServerUrl }).kind).toBe('bundle')
    },
  )
})

describe('isAppPageUrl', () => {
  const built = resolveAppPage({ isPackaged: true, devServerUrl: undefined })
  const dev = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/' })

  it.each([APP_INDEX_URL, `${APP_INDEX_URL}#/settings`, `${APP_INDEX_URL}?tab=outbox`])(
    'accepts the built page %s',
    (url) => {
      expect(isAppPageUrl(built, url)).toBe(true)
    },
  )

  it.each([
    'app://bundle/',
    'app://bundle/other.html',
    'app://bundle/assets/index.js',
    'app://bundle/index.html/',
    'app://bundle:8080/index.html',
    'app://user:pass@bundle/index.html',
    'app://evil/index.html',
    'app://bundle.evil/index.html',
    'apps://bundle/index.html',
    'https://bundle/index.html',
    builtFileUrl,
    'file:///index.html',
    'http://localhost:5173/',
    'https://evil.example/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
    'not a url',
  ])('refuses %j for the built page', (url) => {
    expect(isAppPageUrl(built, url)).toBe(false)
  })

  it.each(['http://localhost:5173/', 'http://localhost:5173/src/main.ts?t=1'])(
    'accepts %s on the dev server',
    (url) => {
      expect(isAppPageUrl(dev, url)).toBe(true)
    },
  )

  it.each([
    'http://localhost:5174/',
    'https://localhost:5173/',
    'http://127.0.0.1:5173/',
    'http://localhost:5173.evil.example/',
    APP_INDEX_URL,
    builtFileUrl,
  ])('refuses %s on the dev server', (url) => {
    expect(isAppPageUrl(dev, url)).toBe(false)
  })
})
