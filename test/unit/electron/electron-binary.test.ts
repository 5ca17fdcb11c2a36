import { describe, expect, it } from 'vitest'
import { planElectronTests, type TestMachine } from '../../e2e-electron/electron-binary.ts'

const found = { found: true as const, executablePath: '/opt/electron/electron' }
const missing = { found: false as const, reason: 'node_modules/electron has no downloaded binary (no path.txt)' }
const developer: TestMachine = { ci: undefined, platform: 'linux', uid: 1000 }
const ci: TestMachine = { ...developer, ci: 'true' }

describe('planElectronTests', () => {
  it('runs where a binary is there and the user is not root', () => {
    expect(planElectronTests(found, developer)).toEqual({ run: true })
    expect(planElectronTests(found, ci)).toEqual({ run: true })
    expect(planElectronTests(found, { ...developer, platform: 'win32', uid: undefined })).toEqual({ run: true })
  })

  it('skips with the reason on a developer machine without a binary', () => {
    expect(planElectronTests(missing, developer)).toEqual({
      run: false,
      fail: false,
      reason: expect.stringContaining('no downloaded binary'),
    })
  })

  it('fails under CI when no Electron can start: no binary, or root on Linux', () => {
    expect(planElectronTests(missing, ci)).toMatchObject({ run: false, fail: true })
    expect(planElectronTests(found, { ...ci, uid: 0 })).toMatchObject({
      run: false,
      fail: true,
      reason: expect.stringContaining('root'),
    })
    expect(planElectronTests(missing, { ...ci, ci: '1' })).toMatchObject({ fail: true })
  })

  it('treats CI=false or an empty CI as a developer machine', () => {
    expect(planElectronTests(missing, { ...ci, ci: 'false' })).toMatchObject({ fail: false })
    expect(planElectronTests(missing, { ...ci, ci: '' })).toMatchObject({ fail: false })
  })
})
