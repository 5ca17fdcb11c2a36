import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { createAppCore, type AppCore } from '../../src/main/core/app-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { startPreviewServer, type PreviewServer } from '../../tools/web-preview/preview-server.ts'
import { startSandbox, type Sandbox } from '../sandbox/sandbox-server.ts'

const rendererDir = resolve(import.meta.dirname, '../../out/renderer')

export interface Preview {
  url: string
  /** Every command result the page received, as JSON text (to prove what never left main). */
  bridgeTraffic: string[]
}

interface Fixtures {
  sandbox: Sandbox
  preview: Preview
  app: Page
}

/**
 * The real renderer (built), the real core and the sandbox API, wired as the web preview wires
 * them; each test gets its own data folder and in-memory keychain.
 */
export const test = base.extend<Fixtures>({
  sandbox: async ({}, use) => {
    const sandbox = await startSandbox()
    await use(sandbox)
    await sandbox.close()
  },
  preview: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-e2e-'))
    const relay: { server?: PreviewServer } = {}
    const core: AppCore = await createAppCore({
      dataDir,
      secrets: new MemorySecretStore(),
      fetch: (input, init) => fetch(input, init),
      emit: (event, payload) => relay.server?.broadcast(event, payload),
      logger: silentLogger,
    })
    const server = await startPreviewServer({ rendererDir, handlers: core.handlers })
    relay.server = server
    await use({ url: server.url, bridgeTraffic: [] })
    await server.close()
    await core.close()
    rmSync(dataDir, { recursive: true, force: true })
  },
  app: async ({ page, preview }, use) => {
    page.on('response', async (response) => {
      if (response.url().includes('/__preview/api/')) preview.bridgeTraffic.push(await response.text().catch(() => ''))
    })
    await page.goto(preview.url)
    await expect(page.getByRole('heading', { name: 'New contact' })).toBeVisible()
    await use(page)
  },
})

export { expect }

/** The Settings values that point the app at the sandbox. */
export function sandboxSettings(sandbox: Sandbox, overrides: { apiKey?: string } = {}) {
  return {
    baseUrl: sandbox.url,
    organizationId: sandbox.organizationId,
    apiKeyId: sandbox.apiKeyId,
    apiKey: overrides.apiKey ?? sandbox.apiKey,
  }
}

/** Fills Settings as a user would and saves. */
export async function configure(
  page: Page,
  values: { baseUrl: string; organizationId: number | string; apiKeyId: string; apiKey: string },
): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Base URL').fill(values.baseUrl)
  await page.getByLabel('Organization ID').fill(String(values.organizationId))
  await page.getByLabel('API key ID').fill(values.apiKeyId)
  await page.getByLabel('API key', { exact: true }).fill(values.apiKey)
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText(/key is stored/i)).toBeVisible()
  await page.getByRole('button', { name: 'New contact' }).click()
}
