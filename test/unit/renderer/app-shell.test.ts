// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { configuredView, installFakeBridge } from './fake-bridge.ts'
import { button, byLabel } from './queries.ts'

let wrapper: VueWrapper

async function mountApp(view = configuredView()) {
  const bridge = installFakeBridge(view)
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await flushPromises()
  return { bridge, app: wrapper }
}

afterEach(() => {
  wrapper?.unmount()
})

describe('App shell', () => {
  it('opens on New contact and switches views from the sidebar', async () => {
    const { app } = await mountApp()
    expect(app.find('h1').text()).toBe('New contact')
    expect(button(app, 'New contact').attributes('aria-current')).toBe('page')

    await button(app, 'Settings').trigger('click')
    await flushPromises()
    expect(app.find('h1').text()).toBe('Settings')
    expect(button(app, 'Settings').attributes('aria-current')).toBe('page')
    expect(button(app, 'New contact').attributes('aria-current')).toBeUndefined()
    expect(document.activeElement).toBe(app.find('h1').element)
  })

  it('subscribes to settings and queue changes and shows the connection in the status area', async () => {
    const { bridge, app } = await mountApp(configuredView({ configured: false, hasApiKey: false }))
    expect(bridge.api.on).toHaveBeenCalledWith('settingsChanged', expect.any(Function))
    expect(bridge.api.on).toHaveBeenCalledWith('syncStatusChanged', expect.any(Function))
    const status = () => app.find('[aria-label="Connection status"]').text()
    // The connection is saved, its key is not: the status names what is missing.
    expect(status()).toContain('Waiting for the API key')

    // Main answers a new profile with the settings and the queue's new state.
    bridge.emitSettings(configuredView())
    bridge.setQueue('running')
    await flushPromises()
    expect(status()).toContain('Online')
    expect(status()).toContain('Organization 42')
  })

  it('opens the Outbox from the sidebar', async () => {
    const { app } = await mountApp()
    const outbox = app.find('nav').findAll('button')[1]!
    expect(outbox.text()).toBe('Outbox')
    await outbox.trigger('click')
    await flushPromises()
    expect(app.find('h1').text()).toBe('Outbox')
    expect(outbox.attributes('aria-current')).toBe('page')
    expect(document.activeElement).toBe(app.find('h1').element)
  })

  it('keeps a half-typed contact when the user visits Settings and comes back', async () => {
    const { app } = await mountApp()
    await byLabel(app, 'Full name').setValue('Margaret Hamilton')
    await button(app, 'Settings').trigger('click')
    await button(app, 'New contact').trigger('click')
    await flushPromises()
    expect(byLabel(app, 'Full name').element.value).toBe('Margaret Hamilton')
  })
})
