import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { configure, expect, seriousAxeViolations, test } from './fixtures.ts'
import type { Page } from '@playwright/test'

/** Two organizations, each with its own key: the sandbox answers 401 for an unknown key, 403 for another's organization. */
let twoOrgs: Sandbox
test.beforeEach(async () => {
  // Two set-ups and axe in light and dark: more than the default budget on a shared machine.
  test.setTimeout(90_000)
  twoOrgs = await startSandbox({ organizations: [{ organizationId: 77 }] })
})
test.afterEach(async () => {
  await twoOrgs.close()
})

const production = () => twoOrgs.organizations[0]!
const staging = () => twoOrgs.organizations[1]!
const basic = (org: { apiKeyId: string; apiKey: string }) =>
  `Basic ${Buffer.from(`${org.apiKeyId}:${org.apiKey}`).toString('base64')}`

async function addStaging(app: Page, apiKey: string): Promise<void> {
  await app.getByRole('button', { name: 'Settings', exact: true }).click()
  await app.getByLabel('Profile name').fill('Acme — staging')
  await app.getByRole('button', { name: 'New profile with this name' }).click()
  await expect(app.getByText('“Acme — staging” is the active profile.')).toBeVisible()
  await configure(app, {
    baseUrl: twoOrgs.url,
    organizationId: staging().organizationId,
    apiKeyId: staging().apiKeyId,
    apiKey,
  })
}

async function saveContact(app: Page, name: string): Promise<void> {
  await app.getByLabel('Full name').fill(name)
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByLabel('Full name')).toHaveValue('')
}

test('two profiles for two organizations: each contact arrives at its organization with its key', async ({
  app,
  preview,
}) => {
  await configure(app, { baseUrl: twoOrgs.url, ...production(), apiKey: production().apiKey })
  await app.getByRole('button', { name: 'Settings', exact: true }).click()
  await app.getByLabel('Profile name').fill('Acme — production')
  await app.getByRole('button', { name: 'Rename this profile' }).click()
  await expect(app.getByText('Renamed to “Acme — production”.')).toBeVisible()
  await addStaging(app, staging().apiKey)

  const switcher = app.getByLabel('Profile', { exact: true })
  await expect(switcher).toHaveValue(/.+/)
  await expect(app.getByText('Saving to Acme — staging (organization 77).')).toBeVisible()
  await saveContact(app, 'Stella Staging')

  // One keystroke back to the first profile; the form says so.
  await app.keyboard.press('Control+Shift+Digit1')
  await expect(app.getByText('Saving to Acme — production (organization 4242).')).toBeVisible()
  await saveContact(app, 'Percy Production')

  await expect.poll(() => twoOrgs.contacts.length).toBe(2)
  const contact = (name: string) => twoOrgs.contacts.find((c) => c.full_name === name)
  expect(contact('Stella Staging')?.organization_id).toBe(77)
  expect(contact('Percy Production')?.organization_id).toBe(production().organizationId)
  // The request log: each organization's request carried that organization's key and no other.
  const created = twoOrgs.requests.filter((r) => r.status === 201)
  const byPath = Object.fromEntries(created.map((r) => [r.path, r.headers.authorization]))
  expect(byPath).toEqual({
    [`/${production().organizationId}/contacts`]: basic(production()),
    '/77/contacts': basic(staging()),
  })
  expect(preview.bridgeTraffic.join('\n')).not.toContain(staging().apiKey)
  expect(await seriousAxeViolations(app)).toEqual([])
})

test('a refused key in one profile does not stop the other, and the sidebar says so plainly', async ({ app }) => {
  await configure(app, { baseUrl: twoOrgs.url, ...production(), apiKey: production().apiKey })
  await addStaging(app, 'not-the-staging-key')
  await saveContact(app, 'Stella Refused')
  // Saving Settings tested the key too (a blank probe); this is the contact's own refused request.
  const refusedContact = () => twoOrgs.requests.filter((r) => r.status === 401 && r.bodyText.includes('Stella Refused'))
  await expect.poll(() => refusedContact().length).toBe(1)

  await app.getByLabel('Profile', { exact: true }).selectOption({ label: 'My organization' })
  await expect(app.getByText('Saving to My organization (organization 4242).')).toBeVisible()
  await saveContact(app, 'Percy Sent')
  await expect.poll(() => twoOrgs.contacts.map((c) => c.full_name)).toEqual(['Percy Sent'])
  await expect(app.getByTestId('other-profiles-attention')).toHaveText(
    '1 other profile needs attention: its contacts are not being sent. Switch to it to see why.',
  )
  // Staging stays paused: its contact was not tried again while production sent.
  expect(refusedContact()).toHaveLength(1)
  expect(await seriousAxeViolations(app)).toEqual([])
})
