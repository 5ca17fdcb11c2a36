import { configure, expect, sandboxSettings, seriousAxeViolations, test } from './fixtures.ts'
import type { Page } from '@playwright/test'

async function save(app: Page, contact: { name: string; email?: string; phone?: string }): Promise<void> {
  await app.getByLabel('Full name').fill(contact.name)
  if (contact.email) await app.getByLabel('Email').fill(contact.email)
  if (contact.phone) {
    await app.getByLabel('Phone country').first().selectOption('US')
    await app.getByLabel('Phone number').first().fill(contact.phone)
  }
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByLabel('Full name')).toHaveValue('')
}

test('a duplicate warning: the same email in another case names the sent contact, links to it, and saving still saves', async ({
  app,
  sandbox,
}) => {
  test.setTimeout(60_000)
  await configure(app, sandboxSettings(sandbox))
  await save(app, { name: 'Ada Lovelace', email: 'ada@example.com', phone: '(415) 555-0132' })
  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(1)
  const created = sandbox.contacts[0]!

  await app.getByLabel('Full name').fill('A. Lovelace')
  await app.getByLabel('Email').fill('ADA@Example.com')
  const warning = app.getByTestId('possible-duplicates')
  await expect(warning).toContainText(`Possible duplicate of Ada Lovelace — sent #${created.id}`)
  await expect(warning).toContainText('It has the same email.')
  await expect(warning).toContainText('You can still save it.')
  expect(await seriousAxeViolations(app)).toEqual([])

  // The same number typed another way is the same number.
  await app.getByLabel('Phone country').first().selectOption('US')
  await app.getByLabel('Phone number').first().fill('415-555-0132')
  await expect(warning).toContainText('It has the same email and the same number +1 415 555 0132.')

  // The user decides: Save contact saves, and the saved line keeps the warning with its link.
  await app.getByRole('button', { name: 'Save contact' }).click()
  await expect(app.getByLabel('Full name')).toHaveValue('')
  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(2)
  const afterSave = app.getByTestId('possible-duplicates')
  await expect(afterSave).toContainText(`Possible duplicate of Ada Lovelace — sent #${created.id}`)
  await expect(afterSave).toContainText('It was saved anyway')

  await afterSave.getByRole('link', { name: 'Open “Ada Lovelace” in the Outbox' }).click()
  const pane = app.getByRole('region', { name: 'Ada Lovelace' })
  await expect(pane).toBeVisible()
  await expect(pane).toContainText(`#${created.id}`)
})

test('search by a phone typed with spaces, by name and by email; with the filter tabs; clearing shows everything', async ({
  app,
  sandbox,
}) => {
  test.setTimeout(60_000)
  await configure(app, sandboxSettings(sandbox))
  await save(app, { name: 'Ada Lovelace', email: 'ada@example.com', phone: '(415) 555-0132' })
  await save(app, { name: 'Grace Hopper', email: 'grace@navy.example', phone: '212-555-0199' })
  await save(app, { name: 'Katherine Johnson' })
  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(3)

  await app.getByRole('button', { name: /^Outbox/ }).click()
  await app.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'All' }).click()
  const list = app.getByRole('list', { name: /contacts/i })
  await expect(list.getByRole('listitem')).toHaveCount(3)

  const search = app.getByRole('searchbox', { name: 'Search contacts' })
  await search.fill('415 555 0132')
  await expect(app.getByRole('list', { name: 'All contacts matching “415 555 0132”' })).toBeVisible()
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list).toContainText('Ada Lovelace')
  await expect(app.getByText('1 contact matches')).toBeVisible()
  expect(await seriousAxeViolations(app)).toEqual([])

  await search.fill('grace@navy')
  await expect(list.getByRole('listitem')).toHaveCount(1)
  await expect(list).toContainText('Grace Hopper')

  // Combined with the tab: nothing of Grace waits to be sent.
  await app
    .getByRole('group', { name: 'Show' })
    .getByRole('button', { name: /^Waiting to send/ })
    .click()
  await expect(app.getByText('No contacts in Waiting to send match “grace@navy”.', { exact: false })).toBeVisible()
  await app.getByRole('group', { name: 'Show' }).getByRole('button', { name: 'Sent' }).click()
  await expect(list.getByRole('listitem')).toHaveCount(1)

  await search.fill('nobody')
  await expect(app.getByText('No contacts in Sent match “nobody”.', { exact: false })).toBeVisible()
  await app.getByRole('button', { name: 'Clear search' }).click()
  await expect(search).toHaveValue('')
  await expect(list.getByRole('listitem')).toHaveCount(3)
})
