// @vitest-environment happy-dom
// The views' code as a user meets it right after start-up: not fetched yet (no preloadViews here).
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../../src/renderer/src/App.vue'
import { installFakeBridge } from './fake-bridge.ts'
import { button } from './queries.ts'

// A chunk that does not arrive (a damaged install, a file the preview server lost): its import rejects.
vi.mock('../../../src/renderer/src/views/SettingsFormView.vue', () => {
  throw new Error('Failed to fetch dynamically imported module')
})

let wrapper: VueWrapper

async function mountApp(): Promise<VueWrapper> {
  installFakeBridge()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

afterEach(() => {
  wrapper?.unmount()
  Reflect.deleteProperty(window, 'api')
})

describe('a view whose code is not in yet', () => {
  it('keeps the current view until the next one is in, then shows it with focus on its heading', async () => {
    const app = await mountApp()
    await button(app, 'Outbox').trigger('click')
    expect(app.find('h1').text()).toBe('New contact')

    await vi.dynamicImportSettled()
    await flushPromises()
    expect(app.find('h1').text()).toBe('Outbox')
    expect(document.activeElement).toBe(app.find('h1').element)
  })

  it('says so in words when its code cannot be loaded, and leaves the current view working', async () => {
    const app = await mountApp()
    await button(app, 'Settings').trigger('click')
    await vi.dynamicImportSettled()
    await flushPromises()

    const alerts = () => app.findAll('[role="alert"]').map((alert) => alert.text())
    expect(alerts()).toContain(
      'This view could not be opened. Choose it again; if it still does not open, restart the app. Nothing you typed is lost.',
    )
    expect(app.find('h1').text()).toBe('New contact')
    // The sidebar agrees with what is on screen, so choosing Settings again is a new try.
    expect(app.find('[aria-current="page"]').text()).toContain('New contact')
    await button(app, 'New contact').trigger('click')
    await flushPromises()
    expect(alerts().filter((words) => words.startsWith('This view could not be opened'))).toEqual([])

    await button(app, 'Settings').trigger('click')
    await vi.dynamicImportSettled()
    await flushPromises()
    expect(alerts().filter((words) => words.startsWith('This view could not be opened'))).toHaveLength(1)
    expect(app.find('[aria-current="page"]').text()).toContain('New contact')
  })
})
