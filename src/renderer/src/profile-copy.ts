import type { ProfileSummary } from '../../shared/profiles.ts'
import { isMac } from './platform.ts'

/** How many profiles the number shortcuts reach (Ctrl/⌘+Shift+1 … 9). */
export const PROFILE_SHORTCUTS = 9

/** "Ctrl+Shift+2" or "⌘⇧2": the shortcut that makes the profile at this place in the list active. */
export function profileShortcut(position: number): string {
  return isMac ? `⌘⇧${position}` : `Ctrl+Shift+${position}`
}

/** A profile as menus and lists name it: "Acme — production (organization 42)". */
export function profileLabel(profile: ProfileSummary): string {
  return profile.organizationId === null
    ? `${profile.name} (not set up)`
    : `${profile.name} (organization ${profile.organizationId})`
}

/** The contact form's line saying where a contact goes. */
export function savingToWords(profile: ProfileSummary | null): string {
  if (!profile) return ''
  return profile.organizationId === null
    ? `Saving to ${profile.name}: set up its connection in Settings first.`
    : `Saving to ${profile.name} (organization ${profile.organizationId}).`
}

/** Other profiles stopped with contacts waiting, said plainly; empty when there are none. */
export function otherProfilesWords(count: number): string {
  if (count <= 0) return ''
  return count === 1
    ? '1 other profile needs attention: its contacts are not being sent. Switch to it to see why.'
    : `${count} other profiles need attention: their contacts are not being sent. Switch to each to see why.`
}

export const PROFILE_WORDS = {
  switcherLabel: 'Profile',
  newProfile: 'New profile',
  duplicate: 'Duplicate',
  rename: 'Rename',
  delete: 'Delete…',
  nameLabel: 'Profile name',
  nameHint: 'Like “Acme — production”. Each profile has its own organization and API key.',
  duplicateHint:
    'Duplicate copies the Base URL, organization and API key ID, not the API key: each profile keeps its own key in the keychain, bound to its server, so you enter it once for the copy.',
  created: (name: string) => `“${name}” is the active profile. Fill in its connection below.`,
  duplicated: (name: string) => `“${name}” is the active profile. Enter its API key below: keys are never copied.`,
  renamed: (name: string) => `Renamed to “${name}”.`,
  deleted: (name: string) => `“${name}” was deleted, with its API key.`,
  switched: (name: string) => `Now using “${name}”.`,
  deleteTitle: (name: string) => `Delete “${name}”?`,
  deleteBody: 'Its API key is removed from the keychain. Sent history stays in the Outbox.',
  moveToLabel: 'Move its unfinished contacts to',
} as const
