// @vitest-environment happy-dom
import { flushPromises, type VueWrapper } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { QueueState } from '../../../src/shared/outbox.ts'
import type { ConnectionHealth } from '../../../src/shared/settings.ts'
import { queueReason, type QueueReason } from '../../../src/shared/queue-reason.ts'
import { configuredView, deferred } from './fake-bridge.ts'
import { mountSettings, unmountSettings } from './mount-settings.ts'
import { button, byLabel, description } from './queries.ts'

afterEach(unmountSettings)

const summary = (view: VueWrapper): string => view.find('.settings__summary').text()
const statusTexts = (view: VueWrapper): string[] => view.findAll('[role="status"]').map((region) => region.text())

describe('Test connection', () => {
  it('asks main, says it is testing, then shows the answer, and the status says it works', async () => {
    const { bridge, view } = await mountSettings()
    expect(summary(view)).toContain('Never checked')
    // The server takes its time: the answer comes once the test lets it.
    const gate = deferred<void>()
    const answer = bridge.api.testConnection.getMockImplementation()!
    bridge.api.testConnection.mockImplementationOnce(async () => {
      await gate.promise
      return answer()
    })

    await button(view, 'Test connection').trigger('click')
    expect(statusTexts(view)).toContain('Testing the connection…')
    expect(button(view, 'Test connection').attributes('disabled')).toBeDefined()
    gate.resolve()
    await flushPromises()

    expect(bridge.api.testConnection).toHaveBeenCalledTimes(1)
    expect(statusTexts(view).join(' ')).toContain('Connection works')
    expect(summary(view)).toMatch(/^Working: the server accepted these settings at /)
    expect(button(view, 'Test connection').attributes('disabled')).toBeUndefined()
  })

  it.each([
    ['key_refused', 'Key not accepted: the server refused this API key ID and API key (401).', 'Key refused'],
    ['organization_refused', 'Organization not allowed: organization 42 (403).', 'Organization refused'],
  ] as const)('a %s answer is shown as said, and the status says so too', async (verdict, message, status) => {
    const { bridge, view } = await mountSettings()
    bridge.answerProbe(verdict, message)
    await button(view, 'Test connection').trigger('click')
    await flushPromises()

    const result = view.find('.callout--danger')
    expect(result.text()).toContain(message)
    expect(summary(view)).toContain(status)
    expect(summary(view)).not.toContain('Working')
  })

  it('says a test needs saved settings when main has none to test', async () => {
    const { view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    await button(view, 'Test connection').trigger('click')
    await flushPromises()

    const alerts = view.findAll('[role="alert"]').map((alert) => alert.text())
    expect(alerts.some((text) => text.includes('save, then test again'))).toBe(true)
  })

  it('tests the saved settings and says that unsaved changes were not part of it', async () => {
    const { view } = await mountSettings()
    await byLabel(view, 'Organization ID').setValue('77')
    await button(view, 'Test connection').trigger('click')
    await flushPromises()
    expect(statusTexts(view).join(' ')).toContain('Your unsaved changes were not tested: Save settings tests them.')
  })

  it('runs after Save settings and shows the result of the saved settings', async () => {
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    await byLabel(view, 'API key').setValue('sk-new-key')
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    expect(bridge.api.saveSettings).toHaveBeenCalledOnce()
    expect(bridge.api.testConnection).toHaveBeenCalledOnce()
    expect(bridge.api.saveSettings.mock.invocationCallOrder[0]!).toBeLessThan(
      bridge.api.testConnection.mock.invocationCallOrder[0]!,
    )
    const said = statusTexts(view).join(' ')
    expect(said).toContain('Settings saved.')
    expect(said).toContain('Connection works')
    expect(said).not.toContain('unsaved changes')
  })

  it('does not test settings saved without a key (nothing to test yet)', async () => {
    const keychain = { available: false as const, message: 'No keychain is available.' }
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, configured: false, keychain }))
    await button(view, 'Save settings').trigger('click')
    await flushPromises()
    expect(bridge.api.saveSettings).toHaveBeenCalledOnce()
    expect(bridge.api.testConnection).not.toHaveBeenCalled()
  })

  it('shows only the newest test’s answer when an older one comes back late', async () => {
    const { bridge, view } = await mountSettings()
    const late = deferred<Awaited<ReturnType<typeof bridge.api.testConnection>>>()
    bridge.api.testConnection.mockReturnValueOnce(late.promise)
    await button(view, 'Test connection').trigger('click')
    // Saving starts a second test while the first is still out.
    await button(view, 'Save settings').trigger('click')
    await flushPromises()
    late.resolve({
      ok: true,
      value: {
        verdict: 'key_refused',
        message: 'Key not accepted (an answer about the settings before this save).',
        host: 'cloud-staging.cloverhound.com',
        organizationId: 42,
        testedAt: '2025-01-01T09:00:00.000Z',
      },
    })
    await flushPromises()
    expect(statusTexts(view).join(' ')).toContain('Connection works')
    expect(view.text()).not.toContain('an answer about the settings before this save')
  })
})

type Queue = { state: QueueState; until?: string; reason?: QueueReason }
type Case = [name: string, queue: Queue, health: ConnectionHealth, words: RegExp]

describe('Settings status follows the sync state', () => {
  it.each<Case>([
    [
      'key refused',
      { state: 'paused_auth', reason: queueReason('key_refused', {}) },
      { lastSuccessAt: null, refused: 'key' },
      /^Key refused/,
    ],
    [
      'organization refused',
      { state: 'paused_auth', reason: queueReason('organization_refused', { organizationId: 42 }) },
      { lastSuccessAt: null, refused: 'organization' },
      /^Organization refused: this API key may not create contacts in organization 42/,
    ],
    [
      'paused for a reason of its own',
      { state: 'paused_auth', reason: queueReason('no_key_for_server', { host: 'old.example' }) },
      { lastSuccessAt: null, refused: null },
      /^Paused\. No API key was entered for old\.example/,
    ],
    [
      'server unreachable',
      { state: 'unreachable' },
      { lastSuccessAt: '2025-01-01T08:00:00.000Z', refused: null },
      /^Server unreachable: .* It last worked at /,
    ],
    [
      'offline',
      { state: 'offline' },
      { lastSuccessAt: '2025-01-01T08:00:00.000Z', refused: null },
      /^Offline: this computer has no network; .* It last worked at /,
    ],
    [
      'waiting for the server',
      { state: 'waiting', until: '2025-01-01T09:30:00.000Z' },
      { lastSuccessAt: null, refused: null },
      /^Waiting for the server: it asked the app to slow down until /,
    ],
    ['never checked', { state: 'running' }, { lastSuccessAt: null, refused: null }, /^Never checked/],
    [
      'working',
      { state: 'running' },
      { lastSuccessAt: '2025-01-01T08:00:00.000Z', refused: null },
      /^Working: the server accepted these settings at /,
    ],
  ])('%s', async (_name, queue, health, words) => {
    const { bridge, view } = await mountSettings()
    bridge.setHealth(health)
    bridge.setQueue(queue.state, { until: queue.until ?? null, ...(queue.reason ? { reason: queue.reason } : {}) })
    await flushPromises()
    expect(summary(view)).toMatch(words)
    expect(view.text()).not.toContain('Connected: contacts can be sent')
  })

  it('changes as the sync state changes, without a reload', async () => {
    const { bridge, view } = await mountSettings()
    bridge.setHealth({ lastSuccessAt: '2025-01-01T08:00:00.000Z', refused: null })
    await flushPromises()
    expect(summary(view)).toMatch(/^Working/)
    bridge.setHealth({ lastSuccessAt: '2025-01-01T08:00:00.000Z', refused: 'key' })
    bridge.setQueue('paused_auth', { reason: queueReason('key_refused', {}) })
    await flushPromises()
    expect(summary(view)).toMatch(/^Key refused/)
    expect(view.find('.settings__summary--danger').exists()).toBe(true)
  })

  it('says when nothing is set up, whatever the queue says', async () => {
    const { view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    expect(summary(view)).toBe('Not set up yet: fill in every field, including the API key.')
  })
})

describe('API key', () => {
  it('is an error at the field when it is blank and no key is stored', async () => {
    const { bridge, view } = await mountSettings(configuredView({ hasApiKey: false, configured: false }))
    await button(view, 'Save settings').trigger('click')
    await flushPromises()

    const key = byLabel(view, 'API key')
    expect(bridge.api.saveSettings).not.toHaveBeenCalled()
    expect(key.attributes('aria-invalid')).toBe('true')
    expect(description(view, key)).toContain('Enter the API key.')
    expect(document.activeElement).toBe(key.element)
  })

  it('says a key kept in memory lasts for this run only, never "in the system keychain"', async () => {
    const { view } = await mountSettings(configuredView({ keyStorage: 'memory' }))
    const hint = description(view, byLabel(view, 'API key'))
    expect(hint).toContain('A key is stored for this run only')
    expect(hint).not.toMatch(/stored in the system keychain/)
  })

  it('says where a new key will go when it will be kept in memory', async () => {
    const { view } = await mountSettings(configuredView({ keyStorage: 'memory', hasApiKey: false, configured: false }))
    expect(description(view, byLabel(view, 'API key'))).toContain('kept in memory for this run only')
  })
})

describe('Remove key asks first', () => {
  it('opens a dialog with Cancel focused; Cancel removes nothing and returns focus to Remove key', async () => {
    const { bridge, view } = await mountSettings()
    await button(view, 'Remove key').trigger('click')
    await flushPromises()

    const dialog = view.find('[data-testid="remove-key-dialog"]')
    expect((dialog.element as HTMLDialogElement).open).toBe(true)
    expect(dialog.find('h2').text()).toBe('Remove the API key?')
    expect(dialog.text()).toContain('deleted from the system keychain')
    expect(document.activeElement).toBe(button(dialog, 'Cancel').element)

    await button(dialog, 'Cancel').trigger('click')
    await flushPromises()
    expect((dialog.element as HTMLDialogElement).open).toBe(false)
    expect(bridge.api.removeApiKey).not.toHaveBeenCalled()
    expect(document.activeElement).toBe(button(view, 'Remove key').element)
  })

  it('Escape (the dialog’s cancel) removes nothing', async () => {
    const { bridge, view } = await mountSettings()
    await button(view, 'Remove key').trigger('click')
    await flushPromises()
    await view.find('[data-testid="remove-key-dialog"]').trigger('cancel')
    await flushPromises()
    expect(bridge.api.removeApiKey).not.toHaveBeenCalled()
    expect((view.find('[data-testid="remove-key-dialog"]').element as HTMLDialogElement).open).toBe(false)
  })

  it('removes the key only on “Yes, remove key”', async () => {
    const { bridge, view } = await mountSettings(configuredView({ keyStorage: 'memory' }))
    await button(view, 'Remove key').trigger('click')
    await flushPromises()
    expect(view.find('[data-testid="remove-key-dialog"]').text()).toContain('The key is forgotten.')
    await button(view.find('[data-testid="remove-key-dialog"]'), 'Yes, remove key').trigger('click')
    await flushPromises()

    expect(bridge.api.removeApiKey).toHaveBeenCalledTimes(1)
    expect(statusTexts(view)).toContain('The API key was removed.')
    expect(button(view, 'Remove key').attributes('disabled')).toBeDefined()
  })
})
