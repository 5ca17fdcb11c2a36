import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { commandNames } from '../../src/shared/bridge-names.ts'
import {
  configure,
  expect,
  KEYCHAIN_SERVICE,
  removeKeyThroughSettings,
  sandboxSettings,
  skipUnlessThrowawayKeychain,
  test,
} from './fixtures.ts'
import type { PageGlobals } from './page-globals.ts'

test(`the API key goes to the keychain (${KEYCHAIN_SERVICE}) and never reaches the renderer or the data folder`, async ({
  app,
  window,
  sandbox,
  userDataDir,
}) => {
  skipUnlessThrowawayKeychain()
  const key = sandbox.apiKey
  expect(key.length).toBeGreaterThanOrEqual(16) // long and random enough that a match means a leak

  // Everything main pushes to the page from now on is kept, to be searched too.
  await window.evaluate(() => {
    const page = globalThis as unknown as PageGlobals
    const events: unknown[] = []
    page.__e2e = { events }
    for (const name of ['settingsChanged', 'outboxChanged', 'syncStatusChanged'] as const) {
      page.api.on(name, (payload: unknown) => events.push({ name, payload }))
    }
  })

  await configure(window, sandboxSettings(sandbox))
  // One contact sent, one waiting for a fix: every read below has something to say.
  await window.getByLabel('Full name').fill('Ada Lovelace')
  await window.getByRole('button', { name: 'Save contact' }).click()
  await expect(window.getByRole('status')).toContainText(/Created #\d+/)
  sandbox.faults.set({ nextStatuses: [{ status: 422, body: JSON.stringify({ email: ['is invalid'] }) }] })
  await window.getByLabel('Full name').fill('Grace Hopper')
  await window.getByRole('button', { name: 'Save contact' }).click()
  await expect(window.getByRole('status')).toContainText('Needs a fix')
  await window.getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(window.getByText(/key is stored/i)).toBeVisible()

  // Every read command: the ones named in the brief, and any other `get…` that takes no input (diagnostics…).
  const simpleReads = commandNames.filter((name) => name.startsWith('get') && name !== 'getOutboxItem')
  const seen = await window.evaluate(async (names) => {
    const page = globalThis as unknown as PageGlobals
    const { api } = page
    const call = api as unknown as Record<string, () => Promise<unknown>>
    const simple: Record<string, unknown> = {}
    for (const name of names) simple[name] = await call[name]!()
    const settings = await api.getSettings()
    const outbox = await api.listOutbox({ filter: 'all', limit: 500 })
    const items = outbox.ok
      ? await Promise.all(outbox.value.items.map((item) => api.getOutboxItem({ id: item.id })))
      : []
    const storage = [page.localStorage, page.sessionStorage].flatMap((store) =>
      Array.from({ length: store.length }, (_, index) => {
        const name = store.key(index) ?? ''
        return `${name}=${store.getItem(name) ?? ''}`
      }),
    )
    const fields = [...page.document.querySelectorAll('input'), ...page.document.querySelectorAll('textarea')].map(
      (field) => field.value,
    )
    return {
      settings,
      reads: JSON.stringify({ simple, outbox, items }),
      readNames: Object.keys(simple),
      events: JSON.stringify(page.__e2e?.events ?? []),
      storage: storage.join('\n'),
      fields: fields.join('\n'),
      html: page.document.documentElement.outerHTML,
      itemCount: outbox.ok ? outbox.value.items.length : -1,
      eventCount: page.__e2e?.events.length ?? 0,
    }
  }, simpleReads)
  expect(seen.settings).toMatchObject({ ok: true, value: { hasApiKey: true, configured: true } })
  expect(seen.readNames).toEqual(expect.arrayContaining(['getSettings', 'getSyncStatus']))
  expect(seen.itemCount).toBe(2)
  expect(seen.eventCount).toBeGreaterThan(0)
  const basic = Buffer.from(`${sandbox.apiKeyId}:${key}`).toString('base64')
  for (const where of ['reads', 'events', 'storage', 'fields', 'html'] as const) {
    expect(seen[where], `the key in ${where}`).not.toContain(key)
    expect(seen[where], `the Authorization header in ${where}`).not.toContain(basic)
  }

  // Clean up as a user would: Settings → Remove key.
  await removeKeyThroughSettings(window)
  const after = await window.evaluate(() => (globalThis as unknown as PageGlobals).api.getSettings())
  expect(after).toMatchObject({ ok: true, value: { hasApiKey: false, configured: false } })

  // Quit, then read every file the app left in its data folder (outbox, settings, Chromium's storage, logs).
  await app.close()
  const leaks = filesUnder(userDataDir).filter((file) => {
    const bytes = readFileSync(file)
    return [key, basic].some(
      (secret) => bytes.includes(Buffer.from(secret, 'utf8')) || bytes.includes(Buffer.from(secret, 'utf16le')),
    )
  })
  expect(leaks).toEqual([])
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return filesUnder(path)
    return entry.isFile() ? [path] : []
  })
}
