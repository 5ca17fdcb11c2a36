import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { state } from './fake-electron.ts'

vi.mock('electron', async () => (await import('./fake-electron.ts')).electron)

const { CHECK_FOR_UPDATES_LABEL, NO_PROFILES_LABEL, PROFILE_MENU_LABEL, appMenuTemplate, installAppMenu } =
  await import('../../../src/main/app-menu.ts')

/** Every item of a template, submenus included. */
function flatten(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])])
}

/** Eleven profiles: the first nine get a shortcut, the rest are still listed. */
const PROFILES = Array.from({ length: 11 }, (_, i) => ({ id: `p${i + 1}`, name: `Acme ${i + 1}`, active: i === 1 }))

const options = (platform: NodeJS.Platform, isPackaged = true, profiles = PROFILES) => ({
  platform,
  appName: 'Cloverhound Contacts',
  isPackaged,
  checkForUpdates: vi.fn(),
  profiles,
  switchProfile: vi.fn(),
})

describe('appMenuTemplate', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    'has a Profile menu naming every profile, the active one checked, the first nine on CmdOrCtrl+Shift+1…9 (%s)',
    (platform) => {
      const menu = options(platform)
      const profile = appMenuTemplate(menu).find((item) => item.label === PROFILE_MENU_LABEL)
      const entries = profile?.submenu as MenuItemConstructorOptions[]
      expect(entries.map((entry) => entry.label)).toEqual(PROFILES.map((p) => p.name))
      expect(entries.map((entry) => entry.accelerator)).toEqual([
        ...Array.from({ length: 9 }, (_, i) => `CmdOrCtrl+Shift+${i + 1}`),
        undefined,
        undefined,
      ])
      expect(entries.filter((entry) => entry.checked).map((entry) => entry.label)).toEqual(['Acme 2'])
      expect(new Set(entries.map((entry) => entry.type))).toEqual(new Set(['radio']))
      entries[2]?.click?.(undefined as never, undefined, undefined as never)
      expect(menu.switchProfile).toHaveBeenCalledWith('p3')
    },
  )

  it('says so, and offers nothing to click, before there is a profile', () => {
    const profile = appMenuTemplate(options('linux', true, [])).find((item) => item.label === PROFILE_MENU_LABEL)
    expect(profile?.submenu).toEqual([{ label: NO_PROFILES_LABEL, enabled: false }])
  })

  it.each(['darwin', 'win32', 'linux'] as const)(
    'offers no Reload or developer tools in a packaged build (%s)',
    (platform) => {
      const items = flatten(appMenuTemplate(options(platform)))
      for (const role of ['reload', 'forceReload', 'toggleDevTools', 'viewMenu']) {
        expect(items.map((item) => item.role)).not.toContain(role)
      }
    },
  )

  it.each(['darwin', 'win32', 'linux'] as const)(
    'has the Edit and Window menus and Check for updates… (%s)',
    (platform) => {
      const menu = options(platform)
      const items = flatten(appMenuTemplate(menu))
      expect(items.map((item) => item.role)).toEqual(expect.arrayContaining(['editMenu', 'windowMenu']))
      const check = items.filter((item) => item.label === CHECK_FOR_UPDATES_LABEL)
      expect(check).toHaveLength(1)
      check[0]?.click?.(undefined as never, undefined, undefined as never)
      expect(menu.checkForUpdates).toHaveBeenCalledTimes(1)
    },
  )

  it('starts with the app menu on macOS (About, Check for updates…, Services, Hide, Quit)', () => {
    const [first] = appMenuTemplate(options('darwin'))
    expect(first?.label).toBe('Cloverhound Contacts')
    const submenu = first?.submenu as MenuItemConstructorOptions[]
    expect(submenu.map((item) => item.role ?? item.label ?? item.type)).toEqual([
      'about',
      CHECK_FOR_UPDATES_LABEL,
      'separator',
      'services',
      'separator',
      'hide',
      'hideOthers',
      'unhide',
      'separator',
      'quit',
    ])
  })

  it('puts File (with Quit) first and Check for updates… under Help on Windows and Linux', () => {
    const template = appMenuTemplate(options('win32'))
    expect(template[0]?.role).toBe('fileMenu')
    const help = template.at(-1)
    expect(help?.role).toBe('help')
    expect((help?.submenu as MenuItemConstructorOptions[])[0]?.label).toBe(CHECK_FOR_UPDATES_LABEL)
  })

  it('keeps Reload and the developer tools for development runs', () => {
    const roles = flatten(appMenuTemplate(options('linux', false))).map((item) => item.role)
    expect(roles).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']))
  })
})

describe('installAppMenu', () => {
  it('replaces Electron’s default menu with one Electron accepts', () => {
    installAppMenu(options(process.platform))
    expect(state.applicationMenu?.template).toEqual(
      appMenuTemplate(options(process.platform)).map(() => expect.anything()),
    )
  })
})
