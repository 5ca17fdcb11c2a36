import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readPolicyFile } from '../../../src/main/core/update-environment.ts'
import {
  UPDATES_OFF_WORDS,
  decideUpdates,
  isDeveloperIdSigned,
  parsePolicy,
  policyFilePath,
  type UpdateDecisionInput,
} from '../../../src/main/core/update-policy.ts'

const installed: UpdateDecisionInput = {
  isPackaged: true,
  platform: 'win32',
  env: {},
  policy: { kind: 'missing' },
}

describe('decideUpdates', () => {
  it('turns updates on for an installed build with nothing against them', () => {
    expect(decideUpdates(installed)).toEqual({ enabled: true })
    expect(decideUpdates({ ...installed, platform: 'linux' })).toEqual({ enabled: true })
    expect(decideUpdates({ ...installed, platform: 'darwin', macSigned: true })).toEqual({ enabled: true })
  })

  it.each<[string, Partial<UpdateDecisionInput>, keyof typeof UPDATES_OFF_WORDS]>([
    ['a development run', { isPackaged: false }, 'not-packaged'],
    ['the self-check', { selfCheck: true }, 'self-check'],
    ['CLOVERHOUND_DISABLE_UPDATES=1', { env: { CLOVERHOUND_DISABLE_UPDATES: '1' } }, 'environment'],
    ['CLOVERHOUND_DISABLE_UPDATES=true', { env: { CLOVERHOUND_DISABLE_UPDATES: ' TRUE ' } }, 'environment'],
    ['a policy saying no', { policy: { kind: 'read', text: '{"updates": false}' } }, 'policy'],
    ['a policy file that cannot be read', { policy: { kind: 'unreadable' } }, 'policy-unreadable'],
    ['a policy file that is not JSON', { policy: { kind: 'read', text: 'updates=off' } }, 'policy-unreadable'],
    ['a policy with a wrong value', { policy: { kind: 'read', text: '{"updates": "no"}' } }, 'policy-unreadable'],
    ['an unsigned macOS build', { platform: 'darwin', macSigned: false }, 'unsigned-mac'],
    ['a macOS build whose signature was not checked', { platform: 'darwin' }, 'unsigned-mac'],
  ])('turns them off for %s, saying why', (_label, change, reason) => {
    expect(decideUpdates({ ...installed, ...change })).toEqual({
      enabled: false,
      reason,
      message: UPDATES_OFF_WORDS[reason],
    })
  })

  it('leaves them on for CLOVERHOUND_DISABLE_UPDATES=0 or empty, and a policy that allows them', () => {
    expect(decideUpdates({ ...installed, env: { CLOVERHOUND_DISABLE_UPDATES: '0' } }).enabled).toBe(true)
    expect(decideUpdates({ ...installed, env: { CLOVERHOUND_DISABLE_UPDATES: '' } }).enabled).toBe(true)
    expect(decideUpdates({ ...installed, policy: { kind: 'read', text: '{"updates": true}' } }).enabled).toBe(true)
  })

  it('names the variable in its words, so a user can find what turned updates off', () => {
    expect(UPDATES_OFF_WORDS.environment).toContain('CLOVERHOUND_DISABLE_UPDATES')
  })
})

describe('parsePolicy', () => {
  it.each([
    ['{"updates": false}', false],
    ['{"updates": true}', true],
    ['{}', true],
    ['{"other": 1}', true],
    ['[]', undefined],
    ['null', undefined],
    ['false', undefined],
    ['{"updates": 0}', undefined],
    ['', undefined],
  ])('%s → %s', (text, allowed) => {
    expect(parsePolicy(text)).toBe(allowed)
  })
})

describe('policyFilePath', () => {
  it('is a machine-wide folder only an administrator can write, per OS', () => {
    expect(policyFilePath('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Cloverhound Contacts\\policy.json',
    )
    expect(policyFilePath('win32', {})).toBe('C:\\ProgramData\\Cloverhound Contacts\\policy.json')
    expect(policyFilePath('darwin', {})).toBe('/Library/Application Support/Cloverhound Contacts/policy.json')
    expect(policyFilePath('linux', {})).toBe('/etc/cloverhound-contacts/policy.json')
  })
})

describe('isDeveloperIdSigned', () => {
  const signed = [
    'Executable=/Applications/Cloverhound Contacts.app/Contents/MacOS/Cloverhound Contacts',
    'Identifier=com.cloverhound.contacts',
    'Format=app bundle with Mach-O thin (arm64)',
    'Authority=Developer ID Application: Cloverhound Inc (AB12CD34EF)',
    'Authority=Developer ID Certification Authority',
    'Authority=Apple Root CA',
    'TeamIdentifier=AB12CD34EF',
  ].join('\n')
  const adHoc = [
    'Executable=/Applications/Cloverhound Contacts.app/Contents/MacOS/Cloverhound Contacts',
    'Identifier=com.cloverhound.contacts',
    'Signature=adhoc',
    'TeamIdentifier=not set',
  ].join('\n')

  it('accepts a Developer ID signature only', () => {
    expect(isDeveloperIdSigned(signed)).toBe(true)
    expect(isDeveloperIdSigned(adHoc)).toBe(false)
    expect(isDeveloperIdSigned('code object is not signed at all')).toBe(false)
    expect(isDeveloperIdSigned(signed.replace('Developer ID Application', 'Apple Development'))).toBe(false)
  })
})

describe('readPolicyFile', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'update-policy-'))
    await writeFile(join(dir, 'policy.json'), '{"updates": false}')
    await mkdir(join(dir, 'folder.json'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reads the file, tells a missing one from one that cannot be read', async () => {
    await expect(readPolicyFile(join(dir, 'policy.json'))).resolves.toEqual({
      kind: 'read',
      text: '{"updates": false}',
    })
    await expect(readPolicyFile(join(dir, 'missing.json'))).resolves.toEqual({ kind: 'missing' })
    await expect(readPolicyFile(join(dir, 'folder.json'))).resolves.toEqual({ kind: 'unreadable' })
  })
})
