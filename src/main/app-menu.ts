import { Menu, type MenuItemConstructorOptions } from 'electron'

export const CHECK_FOR_UPDATES_LABEL = 'Check for updates…'
/** Every profile by name; the first nine on CmdOrCtrl+Shift+their place (the renderer answers the same keys in the web preview). */
export const PROFILE_MENU_LABEL = 'Profile'
export const PROFILE_SHORTCUT_COUNT = 9
export const NO_PROFILES_LABEL = 'No profiles yet'

/** A profile as the menu lists it. */
export interface MenuProfile {
  id: string
  name: string
  active: boolean
}

export interface AppMenuOptions {
  platform: NodeJS.Platform
  /** `app.name`: the title of the macOS app menu. */
  appName: string
  /** `app.isPackaged`: only a development run gets Reload and the developer tools. */
  isPackaged: boolean
  checkForUpdates(): void
  /** The profiles in list order; the menu is built again when they change. */
  profiles: readonly MenuProfile[]
  switchProfile(id: string): void
}

/**
 * The app's own menu, replacing Electron's default (whose View menu offers Reload and Toggle
 * Developer Tools to every user): Edit and Window roles, the macOS app menu, and Check for
 * updates… (app menu on macOS, Help elsewhere), and Profile: every connection profile by name, the
 * active one checked, the first nine on CmdOrCtrl+Shift+1…9. Roles keep the platform's own labels and shortcuts.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin'
  const checkForUpdates: MenuItemConstructorOptions = {
    label: CHECK_FOR_UPDATES_LABEL,
    click: () => options.checkForUpdates(),
  }
  const template: MenuItemConstructorOptions[] = []
  if (isMac) {
    template.push({
      label: options.appName,
      submenu: [
        { role: 'about' },
        checkForUpdates,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    })
  } else {
    template.push({ role: 'fileMenu' })
  }
  const profiles: MenuItemConstructorOptions[] =
    options.profiles.length === 0
      ? [{ label: NO_PROFILES_LABEL, enabled: false }]
      : options.profiles.map((profile, index) => ({
          label: profile.name,
          type: 'radio',
          checked: profile.active,
          ...(index < PROFILE_SHORTCUT_COUNT ? { accelerator: `CmdOrCtrl+Shift+${index + 1}` } : {}),
          click: () => options.switchProfile(profile.id),
        }))
  template.push({ role: 'editMenu' }, { label: PROFILE_MENU_LABEL, submenu: profiles }, { role: 'windowMenu' })
  if (!options.isPackaged) {
    template.push({
      label: 'Develop',
      submenu: [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }],
    })
  }
  if (!isMac) template.push({ role: 'help', submenu: [checkForUpdates] })
  return template
}

export function installAppMenu(options: AppMenuOptions): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(options)))
}
