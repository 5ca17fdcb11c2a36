import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { appPageUrlPatterns, isAppPageUrl, resolveAppPage } from '../../../src/main/app-page.ts'

const indexHtmlPath = join('/', 'opt', 'Cloverhound Contacts', 'out', 'renderer', 'index.html')
const appUrl = pathToFileURL(indexHtmlPath).href

describe('resolveAppPage', () => {
  it('uses the dev server while developing', () => {
    const page = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173', indexHtmlPath })
    expect(page).toEqual({ kind: 'dev-server', url: 'http://localhost:5173/', origin: 'http://localhost:5173' })
    expect(appPageUrlPatterns(page)).toEqual(['http://localhost:5173/*'])
  })

  it('ignores the dev server variable in a packaged app', () => {
    const page = resolveAppPage({ isPackaged: true, devServerUrl: 'https://evil.example/', indexHtmlPath })
    expect(page).toEqual({ kind: 'file', path: indexHtmlPath })
  })

  it.each(['', 'not a url', 'file:///tmp/x.html', 'javascript:alert(1)'])(
    'falls back to the built page for a dev server value of %j',
    (devServerUrl) => {
      expect(resolveAppPage({ isPackaged: false, devServerUrl, indexHtmlPath }).kind).toBe('file')
    },
  )
})

describe('isAppPageUrl', () => {
  const built = resolveAppPage({ isPackaged: true, devServerUrl: undefined, indexHtmlPath })
  const dev = resolveAppPage({ isPackaged: false, devServerUrl: 'http://localhost:5173/', indexHtmlPath })

  it.each([appUrl, `${appUrl}#/settings`, `${appUrl}?tab=outbox`])('accepts the built page %s', (url) => {
    expect(isAppPageUrl(built, url)).toBe(true)
  })

  it('accepts the page however its path is percent-encoded', () => {
    expect(appUrl).toContain('Cloverhound%20Contacts')
    expect(isAppPageUrl(built, appUrl.replace('Contacts', 'Cont%61cts'))).toBe(true)
  })

  it.each([
    pathToFileURL(join('/', 'opt', 'Cloverhound Contacts', 'out', 'renderer', 'other.html')).href,
    pathToFileURL(join('/', 'opt', 'Cloverhound Contacts', 'out', 'renderer', 'index.html', '..', 'x.html')).href,
    'file://attacker-host/opt/Cloverhound%20Contacts/out/renderer/index.html',
    'http://localhost:5173/',
    'https://evil.example/index.html',
    'about:blank',
    'devtools://devtools/bundled/inspector.html',
    '',
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
    appUrl,
  ])('refuses %s on the dev server', (url) => {
    expect(isAppPageUrl(dev, url)).toBe(false)
  })
})
