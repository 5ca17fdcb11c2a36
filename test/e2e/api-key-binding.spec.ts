import type { PageGlobals } from '../e2e-electron/page-globals.ts'
import { startSandbox } from '../../tools/sandbox/sandbox-server.ts'
import { configure, expect, sandboxSettings, test } from './fixtures.ts'

/**
 * The hostile renderer: code in the page (or DevTools) calls the bridge itself to point the app at its
 * own host, a second sandbox on another port, keeping the stored key. Main refuses; the other host hears
 * nothing, and the next contact goes to the server the key was entered for.
 */
test('the stored API key never follows a change of host made through the bridge', async ({ app, sandbox }) => {
  const other = await startSandbox({ organizationId: sandbox.organizationId, apiKeyId: sandbox.apiKeyId })
  try {
    await configure(app, sandboxSettings(sandbox))

    const refused = await app.evaluate(
      ({ baseUrl, organizationId, apiKeyId }) =>
        (globalThis as unknown as PageGlobals).api.saveSettings({ baseUrl, organizationId, apiKeyId }),
      { baseUrl: other.url, organizationId: sandbox.organizationId, apiKeyId: sandbox.apiKeyId },
    )
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'invalid', fields: { apiKey: ['Enter the API key for this server.'] } },
    })

    // The same change typed into Settings is refused at the API key field.
    await app.getByRole('button', { name: 'Settings', exact: true }).click()
    await app.getByLabel('Base URL').fill(other.url)
    const key = app.getByLabel('API key', { exact: true })
    await expect(key).toHaveAccessibleDescription(/only for the saved server/)
    await app.getByRole('button', { name: 'Save settings' }).click()
    await expect(key).toHaveAttribute('aria-invalid', 'true')
    await expect(key).toHaveAccessibleDescription(/Enter the API key for this server\./)
    await expect(key).toBeFocused()

    // Settings still point home: a contact saved now goes there, with the key, and only there.
    await app.getByRole('button', { name: 'New contact', exact: true }).click()
    await app.getByLabel('Full name').fill('Ada Lovelace')
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByRole('status')).toContainText(/Created #\d+/)
    const basic = `Basic ${Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`).toString('base64')}`
    // Save settings' connection test, then the contact: both home, nothing anywhere else.
    expect(sandbox.requests.map((request) => request.headers.authorization)).toEqual([basic, basic])
    expect(other.requests).toEqual([])
  } finally {
    await other.close()
  }
})

test('a host change with its own key sends that key there, and the contacts saved before stay for home', async ({
  app,
  sandbox,
}) => {
  const ownKey = 'the-hostile-renderers-own-key'
  const other = await startSandbox({
    organizationId: sandbox.organizationId,
    apiKeyId: sandbox.apiKeyId,
    apiKey: ownKey,
  })
  try {
    await configure(app, sandboxSettings(sandbox))
    sandbox.faults.set({ nextStatuses: [{ status: 503 }, { status: 503 }, { status: 503 }] })
    await app.getByLabel('Full name').fill('Grace Hopper')
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByRole('status')).toContainText(/will try again|queued/i)

    const moved = await app.evaluate(
      ({ baseUrl, organizationId, apiKeyId, apiKey }) =>
        (globalThis as unknown as PageGlobals).api.saveSettings({ baseUrl, organizationId, apiKeyId, apiKey }),
      { baseUrl: other.url, organizationId: sandbox.organizationId, apiKeyId: sandbox.apiKeyId, apiKey: ownKey },
    )
    expect(moved).toMatchObject({ ok: true })
    await app.evaluate(() => (globalThis as unknown as PageGlobals).api.sendNow({}))
    await expect(app.getByRole('region', { name: 'Connection status' })).toContainText(/saved for another connection/)

    // A contact saved now goes to the new host with the key entered for it; the one saved before stays.
    await app.getByLabel('Full name').fill('Katherine Johnson')
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByRole('status')).toContainText(/Created #\d+/)
    expect(other.contacts.map((contact) => contact.full_name)).toEqual(['Katherine Johnson'])
    const ownBasic = `Basic ${Buffer.from(`${sandbox.apiKeyId}:${ownKey}`).toString('base64')}`
    expect(new Set(other.requests.map((request) => request.headers.authorization))).toEqual(new Set([ownBasic]))
    expect(sandbox.contacts).toEqual([])
  } finally {
    await other.close()
  }
})
