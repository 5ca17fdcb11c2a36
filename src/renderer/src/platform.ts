/** macOS names the modifier ⌘; everyone else Ctrl. */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent)
export const saveShortcutKeys: readonly string[] = isMac ? ['⌘', 'Enter'] : ['Ctrl', 'Enter']
