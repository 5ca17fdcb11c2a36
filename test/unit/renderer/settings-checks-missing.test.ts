// @vitest-environment happy-dom
// The Settings store as a user meets it when the code of the form's checks cannot be fetched.
import { describe, expect, it, vi } from 'vitest'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings.ts'
import { useFakeBridgeEachTest, type FakeBridge } from './fake-bridge.ts'

// A chunk that does not arrive (a damaged install, a file the preview server lost): its import rejects.
vi.mock('../../../src/renderer/src/stores/settings-form-check.ts', () => {
  throw new Error('Failed to fetch dynamically imported module')
})

let bridge: FakeBridge
useFakeBridgeEachTest((fake) => (bridge = fake))

describe('Save when the settings checks cannot be loaded', () => {
  it('says so in words, keeps what was typed, sends nothing and is not left saving', async () => {
    const settings = useSettingsStore()
    await settings.load()
    settings.setField('organizationId', '77')

    expect(await settings.save()).toBe(false)
    expect(settings.failure?.message).toBe(
      'The app could not load its settings checks. Try again; if it keeps happening, restart the app.',
    )
    expect(settings.form.organizationId).toBe('77')
    expect(bridge.api.saveSettings).not.toHaveBeenCalled()
    expect(settings.saving).toBe(false)
  })
})
