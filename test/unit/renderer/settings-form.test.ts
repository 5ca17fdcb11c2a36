// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { configuredView, deferred, fakeDiagnostics } from './fake-bridge.ts'
import { mountSettings, unmountSettings } from './mount-settings.ts'
import { button, byLabel, description } from './queries.ts'

const SECRET = 'sk-live-very-secret-value'
afterEach(() => {
  unmountSettings()
  Reflect.deleteProperty(navigator, 'clipboard')
})

/** navigator.clipboard as the page would find it; `undefined` plays a browser that has none. */
function stubClipboard(writeText: ((text: string) => Promise<void>) | undefined) {
  const clipboard = writeText ? { writeText: vi.fn(writeText) } : undefined
  Object.defineProperty(navigator, 'clipboard', { value: clipboard, configurable: true })
  return clipboard
}

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
      deduplicatesRetries: false,
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

  it('removes the stored key once confirmed, and says so', async () => {
    const { bridge, view } = await mountSettings()
    await button(view, 'Remove key').trigger('click')
    await flushPromises()
    await button(view.find('[data-testid="remove-key-dialog"]'), 'Yes, remove key').trigger('click')
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
      configuredView({
        profile: { baseUrl: 'https://other.example', organizationId: 9, apiKeyId: 'k', deduplicatesRetries: false },
      }),
    )
    await flushPromises()
    expect(byLabel(view, 'API key ID').element.value).toBe('typing-in-progress')
  })

  describe('Server deduplicates retries (Idempotency-Key)', () => {
    const LABEL = 'Server deduplicates retries (Idempotency-Key)'

    it('is a checkbox, off by default, that says when to tick it', async () => {
      const { view } = await mountSettings()
      const box = byLabel(view, LABEL)
      expect(box.attributes('type')).toBe('checkbox')
      expect(box.element.checked).toBe(false)
      expect(description(view, box)).toMatch(/^Tick this only if your organization’s API answers a repeated/)
    })

    it('saves the choice with the connection, and shows main’s saved choice', async () => {
      const { bridge, view } = await mountSettings()
      await byLabel(view, LABEL).setValue(true)
      await button(view, 'Save settings').trigger('click')
      await flushPromises()
      expect(bridge.api.saveSettings).toHaveBeenCalledWith(expect.objectContaining({ deduplicatesRetries: true }))
      expect(byLabel(view, LABEL).element.checked).toBe(true)
      expect(view.find('[role="status"]').text()).toContain('Settings saved.')
    })

    it('follows main when nothing is being changed, and keeps an unsaved tick when something is', async () => {
      const { bridge, view } = await mountSettings()
      const on = configuredView()
      on.profile = { ...on.profile, deduplicatesRetries: true }
      bridge.emitSettings(on)
      await flushPromises()
      expect(byLabel(view, LABEL).element.checked).toBe(true)
      await byLabel(view, LABEL).setValue(false)
      bridge.emitSettings(on)
      await flushPromises()
      expect(byLabel(view, LABEL).element.checked).toBe(false)
    })
  })

  describe('Outbox windows', () => {
    it('shows both windows from main as whole days, in number inputs', async () => {
      const { view } = await mountSettings(configuredView({ retention: { flagAfterDays: 3, keepHistoryDays: 90 } }))
      const flag = byLabel(view, 'Flag unsent contacts after (days)')
      const keep = byLabel(view, 'Keep sent history for (days)')
      expect(flag.element.value).toBe('3')
      expect(keep.element.value).toBe('90')
      expect(flag.attributes()).toMatchObject({ type: 'number', min: '1', max: '365', step: '1' })
      expect(keep.attributes()).toMatchObject({ type: 'number', min: '1', max: '3650', step: '1' })
      expect(view.find('legend').text()).toBe('Outbox')
    })

    it('saves a changed window with Save settings, and leaves the untouched one out', async () => {
      const { bridge, view } = await mountSettings()
      await byLabel(view, 'Keep sent history for (days)').setValue('90')
      await button(view, 'Save settings').trigger('click')
      await flushPromises()

      expect(bridge.api.saveSettings).toHaveBeenCalledWith({
        baseUrl: 'https://cloud-staging.cloverhound.com',
        organizationId: 42,
        apiKeyId: 'key-id-1',
        keepHistoryDays: 90,
        deduplicatesRetries: false,
      })
      expect(byLabel(view, 'Keep sent history for (days)').element.value).toBe('90')
      expect(view.find('[role="status"]').text()).toContain('Settings saved.')
    })

    it.each([
      ['Flag unsent contacts after (days)', '0', 'Flag unsent contacts after at least 1 day.'],
      ['Flag unsent contacts after (days)', '400', 'Flag unsent contacts after at most 365 days (a year).'],
      ['Flag unsent contacts after (days)', '', 'Enter a whole number of days, like 7.'],
      ['Keep sent history for (days)', '2.5', 'Enter a whole number of days, like 7.'],
      ['Keep sent history for (days)', '5000', 'Keep sent history for at most 3650 days (ten years).'],
    ])('“%s” = %o: says “%s” at the field without calling main', async (label, value, message) => {
      const { bridge, view } = await mountSettings()
      await byLabel(view, label).setValue(value)
      await button(view, 'Save settings').trigger('click')
      await flushPromises()

      expect(bridge.api.saveSettings).not.toHaveBeenCalled()
      const input = byLabel(view, label)
      expect(input.attributes('aria-invalid')).toBe('true')
      expect(description(view, input)).toContain(message)
      expect(document.activeElement).toBe(input.element)
    })

    it('shows main’s refusal of a window at its field', async () => {
      const { bridge, view } = await mountSettings()
      bridge.api.saveSettings.mockResolvedValueOnce({
        ok: false,
        error: {
          code: 'invalid',
          message: 'Some settings need fixing.',
          fields: { flagAfterDays: ['Flag unsent contacts after at most 365 days (a year).'] },
        },
      })
      await byLabel(view, 'Flag unsent contacts after (days)').setValue('30')
      await button(view, 'Save settings').trigger('click')
      await flushPromises()

      expect(description(view, byLabel(view, 'Flag unsent contacts after (days)'))).toContain('at most 365 days')
    })
  })

  describe('Copy diagnostics', () => {
    it('copies main’s report to the clipboard and says so', async () => {
      const clipboard = stubClipboard(async () => {})
      const { bridge, view } = await mountSettings()
      await button(view, 'Copy diagnostics').trigger('click')
      await flushPromises()

      expect(bridge.api.getDiagnostics).toHaveBeenCalledTimes(1)
      expect(clipboard?.writeText).toHaveBeenCalledWith(fakeDiagnostics().text)
      expect(view.findAll('[role="status"]').map((region) => region.text())).toContain('Diagnostics copied')
      expect(view.find('textarea').exists()).toBe(false)
    })

    it('shows the report selected in a read-only box when the clipboard refuses', async () => {
      stubClipboard(async () => {
        throw new DOMException('Write permission denied.', 'NotAllowedError')
      })
      const { view } = await mountSettings()
      await button(view, 'Copy diagnostics').trigger('click')
      await flushPromises()

      const report = byLabel<HTMLTextAreaElement>(view, 'Diagnostics report')
      expect(report.element.value).toBe(fakeDiagnostics().text)
      expect(report.attributes('readonly')).toBeDefined()
      expect(document.activeElement).toBe(report.element)
      expect(description(view, report)).toMatch(/Select all \((Ctrl\+A|⌘A)\) and copy/)
      expect(view.text()).not.toContain('Diagnostics copied')
    })

    it('falls back to the box where there is no clipboard at all', async () => {
      stubClipboard(undefined)
      const { view } = await mountSettings()
      await button(view, 'Copy diagnostics').trigger('click')
      await flushPromises()
      expect(byLabel<HTMLTextAreaElement>(view, 'Diagnostics report').element.value).toBe(fakeDiagnostics().text)
    })

    it('says why when main cannot make the report, and copies nothing', async () => {
      const clipboard = stubClipboard(async () => {})
      const { bridge, view } = await mountSettings()
      bridge.api.getDiagnostics.mockResolvedValueOnce({
        ok: false,
        error: { code: 'storage', message: 'The app could not write to its data folder.' },
      })
      await button(view, 'Copy diagnostics').trigger('click')
      await flushPromises()

      expect(clipboard?.writeText).not.toHaveBeenCalled()
      expect(view.findAll('[role="alert"]').some((alert) => alert.text().includes('could not write'))).toBe(true)
    })

    it('ignores a second click while the report is being made', async () => {
      stubClipboard(async () => {})
      const { bridge, view } = await mountSettings()
      const pending = deferred<Awaited<ReturnType<typeof bridge.api.getDiagnostics>>>()
      bridge.api.getDiagnostics.mockReturnValueOnce(pending.promise)
      await button(view, 'Copy diagnostics').trigger('click')
      expect(button(view, 'Copy diagnostics').attributes('disabled')).toBeDefined()
      await button(view, 'Copy diagnostics').trigger('click')
      pending.resolve({ ok: true, value: fakeDiagnostics() })
      await flushPromises()

      expect(bridge.api.getDiagnostics).toHaveBeenCalledTimes(1)
      expect(view.text()).toContain('Diagnostics copied')
    })
  })
})

describe('Settings: the stored key stays with its server', () => {
  it.each([
    ['Base URL', 'https://collector.example.net'],
    ['Base URL', 'https://cloud-staging.cloverhound.com:8443'],
    ['API key ID', 'key-id-2'],
  ])('refuses a new %s (%s) with a blank API key, at the API key field, without calling main', async (label, value) => {
    const { bridge, view } = await mountSettings()
    await byLabel(view, label).setValue(value)
    const key = byLabel(view, 'API key')
    expect(description(view, key)).toContain('The stored key is only for the saved server and API key ID.')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    expect(bridge.api.saveSettings).not.toHaveBeenCalled()
    expect(key.attributes('aria-invalid')).toBe('true')
    expect(description(view, key)).toContain('Enter the API key for this server.')
    expect(document.activeElement).toBe(key.element)
  })

  it('saves the new server once its key is entered', async () => {
    const { bridge, view } = await mountSettings()
    await byLabel(view, 'Base URL').setValue('https://collector.example.net')
    await byLabel(view, 'API key').setValue(SECRET)
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    expect(bridge.api.saveSettings).toHaveBeenCalledWith(
      expect.objectContaining({ baseUrl: 'https://collector.example.net', apiKey: SECRET }),
    )
    expect(view.find('[role="status"]').text()).toContain('Settings saved.')
  })

  it('keeps the key for another path on the same server, where the key still belongs', async () => {
    const { bridge, view } = await mountSettings()
    await byLabel(view, 'Base URL').setValue('https://CLOUD-STAGING.cloverhound.com:443/api/')
    expect(description(view, byLabel(view, 'API key'))).toContain('Leave blank to keep it.')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    expect(bridge.api.saveSettings).toHaveBeenCalledOnce()
    expect(bridge.api.saveSettings.mock.calls[0]![0]).not.toHaveProperty('apiKey')
  })

  it('lets a new server be saved without a key while the keychain cannot store one', async () => {
    const keychain = { available: false as const, message: 'No keychain is available.' }
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, configured: false, keychain }))
    await byLabel(view, 'Base URL').setValue('https://collector.example.net')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()
    expect(bridge.api.saveSettings).toHaveBeenCalledOnce()
  })

  it('shows main’s refusal at the API key field when the form’s own check is skipped', async () => {
    // The form believes no key is stored and none can be (a stale view); main knows better and refuses.
    const keychain = { available: false as const, message: 'No keychain is available.' }
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, keychain }))
    bridge.api.saveSettings.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'invalid',
        message: 'Some settings need fixing.',
        fields: { apiKey: ['Enter the API key for this server.'] },
      },
    })
    await byLabel(view, 'Base URL').setValue('https://collector.example.net')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    const key = byLabel(view, 'API key')
    expect(bridge.api.saveSettings).toHaveBeenCalledOnce()
    expect(key.attributes('aria-invalid')).toBe('true')
    expect(description(view, key)).toContain('Enter the API key for this server.')
  })
})
