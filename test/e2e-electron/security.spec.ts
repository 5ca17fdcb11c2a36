import { APP_INDEX_URL, expect, test, windowCount } from './fixtures.ts'
import type { PageGlobals, PageViolationEvent } from './page-globals.ts'

test('the built app runs on app://bundle as a sandboxed page with no Node in it', async ({ electronApp, window }) => {
  expect(window.url()).toBe(APP_INDEX_URL)
  const page = await window.evaluate(() => {
    const { location } = globalThis as unknown as PageGlobals
    return {
      require: typeof require,
      process: typeof process,
      module: typeof module,
      protocol: location.protocol,
      origin: location.origin,
    }
  })
  expect(page).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    protocol: 'app:',
    origin: 'app://bundle',
  })

  const preferences = await electronApp.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().map((win) => {
      // At run time since Electron 13, though electron.d.ts no longer declares it.
      const contents = win.webContents as unknown as { getLastWebPreferences?: () => Electron.WebPreferences | null }
      if (typeof contents.getLastWebPreferences !== 'function') return 'webContents.getLastWebPreferences is missing'
      const prefs = contents.getLastWebPreferences()
      return prefs
        ? {
            contextIsolation: prefs.contextIsolation,
            sandbox: prefs.sandbox,
            nodeIntegration: prefs.nodeIntegration,
            nodeIntegrationInWorker: prefs.nodeIntegrationInWorker,
            nodeIntegrationInSubFrames: prefs.nodeIntegrationInSubFrames,
            webSecurity: prefs.webSecurity,
            allowRunningInsecureContent: prefs.allowRunningInsecureContent,
            experimentalFeatures: prefs.experimentalFeatures,
            webviewTag: prefs.webviewTag,
          }
        : null
    }),
  )
  expect(preferences).toHaveLength(1)
  const [first] = preferences
  if (typeof first === 'string' || first === null) throw new Error(`No web preferences to check: ${first}`)
  expect(first).toMatchObject({
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
  })
  // Electron echoes back only some preferences (nodeIntegrationInWorker is not among them); the rest must be off.
  for (const name of [
    'nodeIntegrationInWorker',
    'nodeIntegrationInSubFrames',
    'allowRunningInsecureContent',
    'experimentalFeatures',
    'webviewTag',
  ] as const) {
    expect([false, undefined], name).toContain(first?.[name])
  }
})

test('the Content Security Policy stops inline scripts and network requests from the page', async ({
  electronApp,
  window,
}) => {
  const outcome = await window.evaluate(async () => {
    const page = globalThis as unknown as PageGlobals
    const violations: string[] = []
    const onViolation = (event: PageViolationEvent) => violations.push(event.effectiveDirective)
    page.document.addEventListener('securitypolicyviolation', onViolation)
    page.__e2e = { events: [] }

    const script = page.document.createElement('script')
    script.textContent = 'globalThis.__e2e.inlineScriptRan = true'
    page.document.head.append(script)
    script.remove()

    let fetchOutcome: string
    try {
      await fetch('https://example.com/')
      fetchOutcome = 'fetched'
    } catch (error) {
      fetchOutcome = error instanceof TypeError ? 'refused' : `threw ${String(error)}`
    }
    // Violation events are queued as tasks: let them arrive.
    await new Promise((done) => setTimeout(done, 200))
    page.document.removeEventListener('securitypolicyviolation', onViolation)
    return { inlineScriptRan: page.__e2e.inlineScriptRan === true, fetchOutcome, violations }
  })
  expect(outcome.inlineScriptRan).toBe(false)
  expect(outcome.fetchOutcome).toBe('refused')
  expect(outcome.violations).toContain('connect-src')
  expect(outcome.violations.some((directive) => directive.startsWith('script-src'))).toBe(true)

  // The policy also arrives as a response header from the app:// handler, not only as the page's meta tag.
  const headers = await electronApp.evaluate(async ({ net }, url) => {
    const response = await net.fetch(url)
    return {
      status: response.status,
      csp: response.headers.get('content-security-policy'),
      nosniff: response.headers.get('x-content-type-options'),
    }
  }, APP_INDEX_URL)
  expect(headers.status).toBe(200)
  expect(headers.csp).toContain("default-src 'none'")
  expect(headers.csp).toContain("script-src 'self'")
  expect(headers.csp).toContain("connect-src 'self'")
  expect(headers.nosniff).toBe('nosniff')
})

test('window.open returns null and opens nothing; an https link is only offered to the browser', async ({
  electronApp,
  window,
}) => {
  // The app asks before opening an https link in the user's browser: answer "Cancel" and record.
  await electronApp.evaluate(({ dialog, shell }) => {
    const record = { questions: [] as string[], opened: [] as string[] }
    Object.assign(globalThis, { __e2eLinks: record })
    dialog.showMessageBox = (async (...args: unknown[]) => {
      const options = args.at(-1) as { message?: string }
      record.questions.push(options.message ?? '')
      return { response: 1, checkboxChecked: false }
    }) as typeof dialog.showMessageBox
    shell.openExternal = async (url: string) => {
      record.opened.push(url)
    }
  })

  const results = await window.evaluate(() => {
    const page = globalThis as unknown as PageGlobals
    return ['about:blank', 'app://bundle/index.html', 'http://example.com/', 'https://example.com/'].map(
      (url) => page.open(url) === null,
    )
  })
  expect(results).toEqual([true, true, true, true])

  await expect
    .poll(() =>
      electronApp.evaluate(() => (globalThis as { __e2eLinks?: { questions: string[] } }).__e2eLinks?.questions),
    )
    .toEqual(['Open example.com in your browser?'])
  const opened = await electronApp.evaluate(
    () => (globalThis as { __e2eLinks?: { opened: string[] } }).__e2eLinks?.opened,
  )
  expect(opened).toEqual([])
  expect(await windowCount(electronApp)).toBe(1)
  expect(electronApp.windows()).toHaveLength(1)
})

test('the window cannot be navigated away from app://bundle', async ({ electronApp, window }) => {
  // Watch navigation attempts from main, so the test knows each one happened (and was refused).
  await electronApp.evaluate(({ BrowserWindow }) => {
    const attempts: string[] = []
    Object.assign(globalThis, { __e2eNavigations: attempts })
    BrowserWindow.getAllWindows()[0]?.webContents.on('will-navigate', (details) => {
      attempts.push(details.url)
    })
  })
  const attempted = async () =>
    electronApp.evaluate(() => (globalThis as { __e2eNavigations?: string[] }).__e2eNavigations ?? [])

  // Another origin, and another page of our own origin (only index.html is the app).
  const targets = ['https://example.com/', 'app://bundle/other.html']
  for (const [index, target] of targets.entries()) {
    await window.evaluate((url) => {
      ;(globalThis as unknown as PageGlobals).location.href = url
    }, target)
    await expect
      .poll(attempted, { message: `main saw the page try to open ${target} (will-navigate)` })
      .toHaveLength(index + 1)
  }
  expect(await attempted()).toEqual(targets)

  const url = await electronApp.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.getURL())
  expect(url).toBe(APP_INDEX_URL)
  expect(window.url()).toBe(APP_INDEX_URL)
  // Still the app, still working.
  await window.getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(window.getByRole('heading', { name: 'Settings' })).toBeVisible()
  expect(await windowCount(electronApp)).toBe(1)
})
