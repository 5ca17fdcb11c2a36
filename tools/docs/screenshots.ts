// `npm run docs:screenshots`: the README's pictures of the form and the Outbox, taken from the built
// renderer in Chromium through the web preview, with the real core and the sandbox API, so they show
// what a user sees today. Run `npm run build` first.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Page } from '@playwright/test'
import type { ContactDraft } from '../../src/shared/contact.ts'
import { createAppCore } from '../../src/main/core/app-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { CHROMIUM_ARGS, chromiumExecutable } from '../chromium.ts'
import { startSandbox } from '../sandbox/sandbox-server.ts'
import { startPreviewServer, type PreviewServer } from '../web-preview/preview-server.ts'

const root = resolve(import.meta.dirname, '../..')
const VIEWPORT = { width: 1180, height: 820 }

const contact = (fullName: string, email: string, phones: string[], description = ''): ContactDraft => ({
  fullName,
  email,
  description,
  phones: phones.map((number) => ({ number })),
  country: 'US',
})

const SENT = [
  contact(
    'Ada Lovelace',
    'ada@analytical-engines.example',
    ['(415) 555-0132'],
    'Met at the trade fair; call after 10.',
  ),
  contact('Grace Hopper', 'grace@harbor-logistics.example', ['212-555-0199', '+44 20 7946 0958']),
  contact('Katherine Johnson', 'kj@northwind.example', ['+44 20 7946 0123']),
]

const sandbox = await startSandbox()
const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-screenshots-'))
const relay: { server?: PreviewServer } = {}
const core = await createAppCore({
  dataDir,
  secrets: new MemorySecretStore(),
  fetch: (input, init) => fetch(input, init),
  emit: (event, payload) => relay.server?.broadcast(event, payload),
  logger: silentLogger,
})
const server = await startPreviewServer({ rendererDir: join(root, 'out/renderer'), handlers: core.handlers })
relay.server = server
const browser = await chromium.launch({ executablePath: chromiumExecutable(), args: CHROMIUM_ARGS })

try {
  const { handlers } = core
  const saved = await handlers.saveSettings({
    baseUrl: sandbox.url,
    organizationId: sandbox.organizationId,
    apiKeyId: sandbox.apiKeyId,
    apiKey: sandbox.apiKey,
  })
  if (!saved.ok) throw new Error(`Settings were refused: ${saved.error.message}`)
  // Named as a partner would name them: the one in use, and a second one beside it.
  const active = saved.value.activeProfileId
  await handlers.manageProfile({ action: 'rename', id: active, name: 'Acme — production' })
  await handlers.manageProfile({ action: 'duplicate', id: active, name: 'Acme — staging' })
  await handlers.switchProfile({ id: active })
  for (const draft of SENT) await handlers.saveContact(draft)
  await until(() => sandbox.contacts.length === SENT.length)
  // One the server refuses (422 at the email), one whose answer is lost after it was created.
  sandbox.faults.set({
    nextStatuses: [{ status: 422, body: JSON.stringify({ email: ['has already been taken'] }) }],
  })
  await handlers.saveContact(contact('Alan Turing', 'alan@bletchley.example', ['+44 1908 640404']))
  await until(() => sandbox.requests.length === SENT.length + 1)
  sandbox.faults.set({ afterCommit: [{ drop: true }] })
  await handlers.saveContact(contact('Hedy Lamarr', 'hedy@frequency.example', ['310-555-0147']))
  await until(() => sandbox.contacts.length === SENT.length + 1)

  const page = await browser.newPage({ viewport: VIEWPORT })
  await page.goto(server.url)
  await page.getByRole('heading', { name: 'New contact' }).waitFor()
  await shootForm(page)
  await shootOutbox(page)
} finally {
  await browser.close()
  await server.close()
  await core.close()
  await sandbox.close()
  rmSync(dataDir, { recursive: true, force: true })
}

/** The form half-typed, a second phone in another country, and the duplicate warning it raises. */
async function shootForm(page: Page): Promise<void> {
  await page.getByLabel('Full name').fill('Ada King')
  await page.getByLabel('Email').fill('ADA@analytical-engines.example')
  await page.getByLabel('Description').fill('Prefers email; the number is her office.')
  await page.getByLabel('Phone number').first().fill('(415) 555-0178')
  await page.getByText(/Possible duplicate of Ada Lovelace/).waitFor()
  await save(page, 'docs/screenshot.png')
}

/** The Outbox on All, one contact open in the detail pane. */
async function shootOutbox(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Outbox/ }).click()
  await page.getByRole('button', { name: /^All/ }).click()
  await page.getByRole('list', { name: 'All contacts', exact: true }).waitFor()
  await page.getByText('Hedy Lamarr').first().click()
  await page.getByRole('button', { name: 'Send again' }).first().waitFor()
  await save(page, 'docs/outbox.png')
}

async function save(page: Page, path: string): Promise<void> {
  // Let transitions and debounced checks settle: a picture, not a test.
  await page.waitForTimeout(500)
  await page.screenshot({ path: join(root, path) })
  console.log(`wrote ${path}`)
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The sandbox did not get the expected requests in time.')
    await new Promise((done) => setTimeout(done, 50))
  }
}
