import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { configure, expect, sandboxSettings, test } from './fixtures.ts'

/** Serious or critical axe violations, in both colour schemes. */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  const found: string[] = []
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    const results = await new AxeBuilder({ page }).analyze()
    for (const v of results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')) {
      found.push(`${scheme}: ${v.id} — ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
    }
  }
  return found
}

test('after an outage, several not-confirmed contacts are sent again in a few clicks; the detail pane tells each one’s story', async ({
  app,
  sandbox,
}) => {
  test.setTimeout(90_000)
  await configure(app, sandboxSettings(sandbox))
  // The server reads each request and then the connection breaks: nobody can tell whether it was created.
  sandbox.faults.set({ dropAfterRead: 3 })
  const names = ['Ada Lovelace', 'Grace Hopper', 'Katherine Johnson']
  for (const name of names) {
    await app.getByLabel('Full name').fill(name)
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByLabel('Full name')).toHaveValue('')
  }

  await app.getByRole('button', { name: /^Outbox/ }).click()
  // Contacts that may have been created wait for the user, under Needs you.
  await app
    .getByRole('group', { name: 'Show' })
    .getByRole('button', { name: /^Needs you/ })
    .click()
  const list = app.getByRole('list', { name: /contacts/i })
  await expect(list.getByText('Not confirmed — may have been created')).toHaveCount(3)
  expect(sandbox.contacts).toHaveLength(0)

  // A selection, checked with axe.
  const selection = app.getByRole('group', { name: 'Selection' })
  await selection.getByLabel('Select all in this filter').check()
  await expect(selection).toContainText('3 selected')
  expect(await seriousAxeViolations(app)).toEqual([])

  await selection.getByRole('button', { name: 'Send again' }).click()
  const dialog = app.getByRole('dialog', { name: 'Send 3 contacts again?' })
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Yes, send again' }).click()
  await expect(app.locator('.snackbar')).toContainText('3 contacts will be sent again.')
  await expect.poll(() => sandbox.contacts.length, { timeout: 15_000 }).toBe(3)
  await expect(list.getByText(/Sent — #\d+/)).toHaveCount(3)
  expect(sandbox.contacts.map((c) => c.full_name).sort()).toEqual([...names].sort())

  // The detail pane of one of them: both attempts, the server id, and focus managed.
  await list.getByText('Grace Hopper').click()
  const pane = app.getByRole('region', { name: 'Grace Hopper' })
  await expect(pane).toBeVisible()
  await expect(pane.getByRole('heading', { name: 'Grace Hopper' })).toBeFocused()
  const created = sandbox.contacts.find((c) => c.full_name === 'Grace Hopper')!
  await expect(pane).toContainText(`#${created.id}`)
  await expect(pane.getByRole('button', { name: 'Copy ID' })).toBeVisible()
  const attempts = pane.getByRole('region', { name: 'Attempts' }).getByRole('listitem')
  await expect(attempts).toHaveCount(2)
  await expect(attempts.nth(0)).toContainText('Attempt 2 · Created')
  await expect(attempts.nth(1)).toContainText('Attempt 1 · Not confirmed — may have been created')
  await expect(attempts.nth(1)).toContainText('broke after the contact was sent')
  expect(await seriousAxeViolations(app)).toEqual([])

  await app.keyboard.press('Escape')
  await expect(pane).toBeHidden()
  await expect(list.getByRole('listitem').filter({ hasText: 'Grace Hopper' })).toBeFocused()
  // Enter on the focused row opens it again.
  await app.keyboard.press('Enter')
  await expect(pane).toBeVisible()
})
