import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { test as base, expect, type Page } from '@playwright/test'
import type { HostedCore } from '../../src/main/core/host/connect-core.ts'
import { startCoreThread } from '../../src/main/core/host/core-thread.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore, type SecretStore } from '../../src/main/core/secret-store.ts'
import { startPreviewServer, type PreviewServer } from '../../tools/web-preview/preview-server.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'

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
    const preview = await startPreview({ dataDir, secrets: new MemorySecretStore() })
    await use({ url: preview.url, bridgeTraffic: [] })
    await preview.close()
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

/**
 * The web preview as `npm run preview:web` wires it: the real core on `dataDir`, on its own thread,
 * behind the preview server. Tests that restart the app call this twice with the same folder and keychain.
 */
export async function startPreview(options: {
  dataDir: string
  secrets: SecretStore
  /** The same port again plays `npm run preview:web` restarted on its default port. */
  port?: number
}): Promise<{ url: string; core: HostedCore; close(): Promise<void> }> {
  const relay: { server?: PreviewServer } = {}
  const core = await startCoreThread({
    core: { dataDir: options.dataDir },
    secrets: options.secrets,
    fetch: (input, init) => fetch(input, init),
    emit: (event, payload) => relay.server?.broadcast(event, payload),
    logger: silentLogger,
  })
  const server = await startPreviewServer({ rendererDir, handlers: core.handlers, port: options.port })
  relay.server = server
  return {
    url: server.url,
    core,
    close: async () => {
      await server.close()
      await core.close()
    },
  }
}

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
  await page.getByRole('button', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Base URL').fill(values.baseUrl)
  await page.getByLabel('Organization ID').fill(String(values.organizationId))
  await page.getByLabel('API key ID').fill(values.apiKeyId)
  await page.getByLabel('API key', { exact: true }).fill(values.apiKey)
  await page.getByRole('button', { name: 'Save settings' }).click()
  await expect(page.getByText('Settings saved.')).toBeVisible()
  await expect(page.getByText(/key is stored/i)).toBeVisible()
  // Saving tests the connection: its request is over before the test goes on.
  await expect(page.getByText('Testing the connection…')).toHaveCount(0)
  await page.getByRole('button', { name: 'New contact', exact: true }).click()
}

/** Serious and critical axe findings on the page as it is, in light and dark; [] when there are none. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  const found: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    const results = await new AxeBuilder({ page }).analyze()
    for (const v of results.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue
      const nodes = v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(' | ')
      found.push(`${scheme}: ${v.id} — ${v.help}: ${nodes}`)
    }
  }
  return found
}
