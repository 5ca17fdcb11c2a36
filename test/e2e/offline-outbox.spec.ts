import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { startSandbox } from '../../tools/sandbox/sandbox-server.ts'
import { configure, expect, startPreview, test } from './fixtures.ts'

test('contacts saved while the API is down survive a restart and arrive exactly once', async ({ page }) => {
  test.setTimeout(60_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-e2e-restart-'))
  // The keychain outlives the app, as the OS keychain would.
  const secrets = new MemorySecretStore()
  const first = await startSandbox()
  const credentials = {
    port: first.port,
    organizationId: first.organizationId,
    apiKeyId: first.apiKeyId,
    apiKey: first.apiKey,
  }
  const baseUrl = first.url
  await first.close()

  try {
    let preview = await startPreview({ dataDir, secrets })
    await page.goto(preview.url)
    await configure(page, { baseUrl, ...credentials })

    const names = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson']
    for (const name of names) {
      await page.getByLabel('Full name').fill(name)
      await page.getByRole('button', { name: 'Save contact' }).click()
      await expect(page.getByRole('status')).toContainText(/when the server can be reached|will try again/i)
      await expect(page.getByLabel('Full name')).toHaveValue('')
    }
    await expect(page.getByRole('button', { name: /^Outbox/ })).toContainText('3')

    // Quit the app with the API still down, then start it again on the same data folder.
    await preview.close()
    preview = await startPreview({ dataDir, secrets })
    await page.goto(preview.url)
    await page.getByRole('button', { name: /^Outbox/ }).click()
    const list = page.getByRole('list', { name: /contacts/i })
    for (const name of names) await expect(list).toContainText(name)

    // The API comes back and the computer's connection returns: the online event sends everything, once.
    const sandbox = await startSandbox(credentials)
    try {
      await page.context().setOffline(true)
      await page.context().setOffline(false)
      await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(3)
      await page.getByRole('button', { name: 'Sent', exact: true }).click()
      for (const name of names) await expect(list).toContainText(name)
      await expect(list.getByText(/Sent — #\d+/)).toHaveCount(3)

      expect(sandbox.contacts.map((c) => c.full_name).sort()).toEqual([...names].sort())
      const keys = sandbox.requests.map((r) => r.headers['idempotency-key'])
      expect(new Set(keys).size).toBe(3)
      await preview.close()
    } finally {
      await sandbox.close()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})
