// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import type { SettingsView } from '../../../src/shared/settings.ts'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings.ts'
import SettingsFormView from '../../../src/renderer/src/views/SettingsFormView.vue'
import { configuredView, installFakeBridge } from './fake-bridge.ts'
import { button, byLabel, description } from './queries.ts'

const SECRET = 'sk-live-very-secret-value'
let wrapper: VueWrapper

async function mountSettings(view: SettingsView = configuredView()) {
  const bridge = installFakeBridge(view)
  const pinia = createPinia()
  setActivePinia(pinia)
  useSettingsStore().start()
  wrapper = mount(SettingsFormView, { global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return { bridge, view: wrapper }
}

afterEach(() => {
  wrapper?.unmount()
})

describe('Settings', () => {
  it('fills the profile from main and leaves the API key input empty and masked', async () => {
    const { view } = await mountSettings()

    expect(byLabel(view, 'Base URL').element.value).toBe('https://cloud-staging.cloverhound.com')
    expect(byLabel(view, 'Organization ID').element.value).toBe('42')
    expect(byLabel(view, 'API key ID').element.value).toBe('key-id-1')
    const key = byLabel(view, 'API key')
    expect(key.attributes('type')).toBe('password')
    expect(key.element.value).toBe('')
    expect(description(view, key)).toContain('A key is stored in the system keychain. Leave blank to keep it.')
  })

  it('saves, clears the API key input afterwards and never shows the key', async () => {
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    await byLabel(view, 'API key ID').setValue('key-id-2')
    await byLabel(view, 'API key').setValue(SECRET)
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    expect(bridge.api.saveSettings).toHaveBeenCalledWith({
      baseUrl: 'https://cloud-staging.cloverhound.com',
      organizationId: 42,
      apiKeyId: 'key-id-2',
      apiKey: SECRET,
    })
    expect(byLabel(view, 'API key').element.value).toBe('')
    expect(view.html()).not.toContain(SECRET)
    expect(view.find('[role="status"]').text()).toContain('Settings saved.')
    expect(description(view, byLabel(view, 'API key'))).toContain('A key is stored in the system keychain')
  })

  it('leaves the stored key alone when the API key input is blank', async () => {
    const { bridge, view } = await mountSettings()
    await byLabel(view, 'Organization ID').setValue(' 7 ')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    const input = bridge.api.saveSettings.mock.calls[0]![0]
    expect(input).not.toHaveProperty('apiKey')
    expect(input?.organizationId).toBe(7)
  })

  it('checks the fields before calling main and shows the problems at each field', async () => {
    const { bridge, view } = await mountSettings()
    await byLabel(view, 'Base URL').setValue('http://example.com')
    await byLabel(view, 'Organization ID').setValue('abc')
    await byLabel(view, 'API key ID').setValue('has:colon')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    expect(bridge.api.saveSettings).not.toHaveBeenCalled()
    const baseUrl = byLabel(view, 'Base URL')
    expect(baseUrl.attributes('aria-invalid')).toBe('true')
    expect(description(view, baseUrl)).toContain('plain http is allowed only for this computer')
    expect(description(view, byLabel(view, 'Organization ID'))).toContain('Enter the organization ID, a whole number.')
    expect(description(view, byLabel(view, 'API key ID'))).toContain('cannot contain a colon')
    expect(document.activeElement).toBe(baseUrl.element)
  })

  it('shows main’s field errors at their fields', async () => {
    const { bridge, view } = await mountSettings()
    bridge.api.saveSettings.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'invalid',
        message: 'Some settings need fixing.',
        fields: { apiKey: ['This API key is too long.'] },
      },
    })
    await byLabel(view, 'API key').setValue('x')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    const key = byLabel(view, 'API key')
    expect(key.attributes('aria-invalid')).toBe('true')
    expect(description(view, key)).toContain('This API key is too long.')
    expect(view.find('[role="alert"]').text()).toContain('Some settings need fixing.')
  })

  it('disables Remove key when no key is stored', async () => {
    const { view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    expect(button(view, 'Remove key').attributes('disabled')).toBeDefined()
    expect(description(view, byLabel(view, 'API key'))).toContain('No key is stored yet.')
  })

  it('removes the stored key and says so', async () => {
    const { bridge, view } = await mountSettings()
    await button(view, 'Remove key').trigger('click')
    await flushPromises()

    expect(bridge.api.removeApiKey).toHaveBeenCalledTimes(1)
    expect(view.find('[role="status"]').text()).toContain('removed')
    expect(button(view, 'Remove key').attributes('disabled')).toBeDefined()
  })

  it('says prominently when the system keychain is not available', async () => {
    const message = 'No system keychain was found. Install and unlock GNOME Keyring or KWallet, then restart the app.'
    const { view } = await mountSettings(
      configuredView({ hasApiKey: false, configured: false, keychain: { available: false, message } }),
    )
    const alerts = view.findAll('[role="alert"]').map((a) => a.text())
    expect(alerts.some((text) => text.includes(message))).toBe(true)
  })

  it('follows settings changed elsewhere without losing unsaved typing', async () => {
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    bridge.emitSettings(configuredView({ hasApiKey: true }))
    await flushPromises()
    expect(button(view, 'Remove key').attributes('disabled')).toBeUndefined()

    await byLabel(view, 'API key ID').setValue('typing-in-progress')
    bridge.emitSettings(
      configuredView({ profile: { baseUrl: 'https://other.example', organizationId: 9, apiKeyId: 'k' } }),
    )
    await flushPromises()
    expect(byLabel(view, 'API key ID').element.value).toBe('typing-in-progress')
  })
})
