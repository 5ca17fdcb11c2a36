import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { configure, expect, sandboxSettings, seriousAxeViolations, startPreview, test } from './fixtures.ts'

test('Test connection with a wrong key says the key was not accepted, and Settings agrees', async ({
  app,
  sandbox,
}) => {
  await configure(app, sandboxSettings(sandbox, { apiKey: 'not-the-key' }))
  await app.getByRole('button', { name: 'Settings', exact: true }).click()
  const result = app.getByRole('status').filter({ hasText: 'Tested at' })
  // Save settings already tested it; the button asks again.
  await expect(result).toContainText('Key not accepted')
  await app.getByRole('button', { name: 'Test connection' }).click()
  await expect(result).toContainText(`Key not accepted: 127.0.0.1:${sandbox.port} refused this API key ID and API key`)
  await expect(app.getByText(/Key refused: the server did not accept this API key ID and API key/)).toBeVisible()
  await expect(app.getByText('Connected: contacts can be sent to this organization.')).toHaveCount(0)
  expect(sandbox.requests.map((request) => request.status)).toEqual([401, 401])
  expect(sandbox.contacts).toEqual([])
  expect(await seriousAxeViolations(app)).toEqual([])

  // The right key: saved, tested at once, and the status says it works — still nothing created.
  await app.getByLabel('API key', { exact: true }).fill(sandbox.apiKey)
  await app.getByRole('button', { name: 'Save settings' }).click()
  await expect(result).toContainText('Connection works')
  await expect(app.getByText(/Working: the server accepted these settings at /)).toBeVisible()
  expect(sandbox.requests.at(-1)?.status).toBe(422)
  expect(sandbox.contacts).toEqual([])
})

test('a wrong organization is told apart from a wrong key', async ({ app, sandbox }) => {
  await configure(app, { ...sandboxSettings(sandbox), organizationId: sandbox.organizationId + 1 })
  await app.getByRole('button', { name: 'Settings', exact: true }).click()
  await expect(app.getByRole('status').filter({ hasText: 'Tested at' })).toContainText(
    `Organization not allowed: this API key may not create contacts in organization ${sandbox.organizationId + 1} (403)`,
  )
  await expect(app.getByText(/Organization refused: this API key/)).toBeVisible()
})

test('Remove key asks first, and a key kept in memory is said to be for this run only', async ({ app, sandbox }) => {
  await configure(app, sandboxSettings(sandbox))
  await app.getByRole('button', { name: 'Settings', exact: true }).click()
  const key = app.getByLabel('API key', { exact: true })
  await expect(key).toHaveAccessibleDescription(/A key is stored for this run only/)
  await expect(app.getByText(/stored in the system keychain/)).toHaveCount(0)

  await app.getByRole('button', { name: 'Remove key' }).click()
  const dialog = app.getByRole('dialog', { name: 'Remove the API key?' })
  await expect(dialog).toBeVisible()
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
  expect(await seriousAxeViolations(app)).toEqual([])
  await app.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(key).toHaveAccessibleDescription(/A key is stored for this run only/)

  await app.getByRole('button', { name: 'Remove key' }).click()
  await dialog.getByRole('button', { name: 'Yes, remove key' }).click()
  await expect(app.getByRole('status').filter({ hasText: 'The API key was removed.' })).toBeVisible()
  await expect(key).toHaveAccessibleDescription(/No key is stored yet\. It will be kept in memory for this run only/)

  // Blank, with none stored: an error at the field, not a saved profile without a key.
  await app.getByRole('button', { name: 'Save settings' }).click()
  await expect(key).toHaveAttribute('aria-invalid', 'true')
  await expect(key).toHaveAccessibleDescription(/Enter the API key\./)
  await expect(key).toBeFocused()
})

test('an old preview tab whose token is stale says the preview was restarted', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-e2e-stale-'))
  const secrets = new MemorySecretStore()
  const first = await startPreview({ dataDir, secrets })
  let second: Awaited<ReturnType<typeof startPreview>> | undefined
  try {
    await page.goto(first.url)
    await expect(page.getByRole('heading', { name: 'New contact' })).toBeVisible()
    await expect(page.getByText('Set up the connection in Settings before you save.')).toBeVisible()

    // `npm run preview:web` stopped and started again on its port: a new token; the tab keeps the old one.
    const port = Number(new URL(first.url).port)
    await first.close()
    second = await startPreview({ dataDir, secrets, port })
    await page.reload()
    await expect(page.getByText(/This preview was restarted — open the new address/)).toBeVisible()
    await expect(page.getByText('Checking the connection…')).toHaveCount(0)

    await page.goto(second.url)
    await expect(page.getByText('Set up the connection in Settings before you save.')).toBeVisible()
    await expect(page.getByText(/This preview was restarted/)).toHaveCount(0)
  } finally {
    await second?.close()
    await first.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
})
