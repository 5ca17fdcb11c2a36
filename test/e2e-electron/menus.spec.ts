import { expect, test } from './fixtures.ts'

test('the app menu has Edit, Window and Check for updates…', async ({ electronApp }) => {
  const menu = await electronApp.evaluate(({ Menu }) => {
    const items = (menu: Electron.Menu | null): Array<{ role?: string; label: string }> =>
      (menu?.items ?? []).flatMap((item) => [{ role: item.role, label: item.label }, ...items(item.submenu ?? null)])
    return items(Menu.getApplicationMenu())
  })
  expect(menu.map((item) => item.label)).toContain('Check for updates…')
  // Roles expand into the platform's own items: Edit has Paste and Select All, Window has Minimize.
  expect(menu.map((item) => item.role?.toLowerCase())).toEqual(
    expect.arrayContaining(['paste', 'selectall', 'minimize']),
  )
})
