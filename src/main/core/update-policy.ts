import { posix, win32 } from 'node:path'

/** Set to 1 (or true/yes) to turn updates off for this run, e.g. in a managed desktop's launcher. */
export const DISABLE_UPDATES_ENV = 'CLOVERHOUND_DISABLE_UPDATES'
/** The policy file's name, in the system folder `policyFilePath` gives per OS. */
export const POLICY_FILE_NAME = 'policy.json'

/** Why updates are off, in words the Check for updates… dialog shows. */
export const UPDATES_OFF_WORDS = {
  'not-packaged': 'This is a development run: updates apply only to installed builds.',
  environment: `Updates are turned off on this computer (${DISABLE_UPDATES_ENV} is set).`,
  policy: 'Updates are turned off by your organization. Ask your IT department for new versions.',
  'policy-unreadable':
    "Updates are turned off because your organization's update policy file could not be read. Ask your IT department.",
  'unsigned-mac':
    'This copy is not signed, and macOS installs updates only for signed apps. Install the new version by hand.',
  'self-check': 'Updates are off while the app checks itself.',
} as const
export type UpdatesOffReason = keyof typeof UPDATES_OFF_WORDS

export type UpdateDecision = { enabled: true } | { enabled: false; reason: UpdatesOffReason; message: string }

/** What the policy file says: missing (no policy), its parsed content, or unreadable. */
export type PolicyFile = { kind: 'missing' } | { kind: 'read'; text: string } | { kind: 'unreadable' }

export interface UpdateDecisionInput {
  isPackaged: boolean
  platform: NodeJS.Platform
  env: Readonly<Record<string, string | undefined>>
  policy: PolicyFile
  /** macOS only: whether the app bundle carries a real (Developer ID) signature, not an ad-hoc one. */
  macSigned?: boolean
  selfCheck?: boolean
}

/**
 * Whether this run may check for, download and install updates. Order matters only for the words:
 * any one reason turns updates off. A policy file that exists but cannot be read or understood
 * turns them off too: an administrator who placed it meant to control updates.
 */
export function decideUpdates(input: UpdateDecisionInput): UpdateDecision {
  if (!input.isPackaged) return off('not-packaged')
  if (input.selfCheck) return off('self-check')
  if (isTruthy(input.env[DISABLE_UPDATES_ENV])) return off('environment')
  if (input.policy.kind === 'unreadable') return off('policy-unreadable')
  if (input.policy.kind === 'read') {
    const allowed = parsePolicy(input.policy.text)
    if (allowed === undefined) return off('policy-unreadable')
    if (!allowed) return off('policy')
  }
  if (input.platform === 'darwin' && input.macSigned !== true) return off('unsigned-mac')
  return { enabled: true }
}

/** `{ "updates": false }` turns updates off, `{ "updates": true }` (or no key) leaves them on; undefined if malformed. */
export function parsePolicy(text: string): boolean | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const updates = (value as Record<string, unknown>).updates
  if (updates === undefined) return true
  return typeof updates === 'boolean' ? updates : undefined
}

/**
 * The machine-wide folder only an administrator can write, per OS:
 * Windows `%ProgramData%\Cloverhound Contacts\policy.json`, macOS
 * `/Library/Application Support/Cloverhound Contacts/policy.json`, Linux `/etc/cloverhound-contacts/policy.json`.
 */
export function policyFilePath(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') {
    return win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Cloverhound Contacts', POLICY_FILE_NAME)
  }
  if (platform === 'darwin') return posix.join('/Library/Application Support/Cloverhound Contacts', POLICY_FILE_NAME)
  return posix.join('/etc/cloverhound-contacts', POLICY_FILE_NAME)
}

/**
 * From `codesign -dv --verbose=2` output: true only for a Developer ID signature. An ad-hoc
 * signature (what an unsigned build gets so it launches on Apple silicon) has no Authority line.
 */
export function isDeveloperIdSigned(codesignOutput: string): boolean {
  return /^Authority=Developer ID Application: /m.test(codesignOutput) && !/^Signature=adhoc$/m.test(codesignOutput)
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim())
}

function off(reason: UpdatesOffReason): UpdateDecision {
  return { enabled: false, reason, message: UPDATES_OFF_WORDS[reason] }
}
