import { configure, expect, sandboxSettings, seriousAxeViolations, test } from './fixtures.ts'

const views = ['New contact', 'Outbox', 'Settings'] as const

for (const view of views) {
  test(`the ${view} view has no serious or critical accessibility violations`, async ({ app, sandbox }) => {
    await configure(app, sandboxSettings(sandbox))
    // Content in every state the view can show: a saved contact, an error, a list row.
    await app.getByLabel('Full name').fill('Ada Lovelace')
    await app.getByLabel('Phone number').fill('+14155550132')
    await app.getByRole('button', { name: 'Save contact' }).click()
    await expect(app.getByRole('status')).toContainText(/Created #\d+/)
    await app.getByLabel('Phone number').fill('12')
    await app.getByRole('button', { name: 'Save contact' }).click()

    await app.getByRole('button', { name: new RegExp(`^${view}`) }).click()
    await expect(app.getByRole('heading', { level: 1 })).toBeVisible()
    expect(await seriousAxeViolations(app)).toEqual([])
  })
}
