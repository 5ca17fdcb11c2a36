// @vitest-environment happy-dom
/**
 * Connection profiles in the renderer, on the fake bridge: the sidebar's switcher and its shortcuts, the form
 * naming where a contact goes, and Settings' profile steps with their errors at the field.
 */
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it } from 'vitest'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { configuredView, installFakeBridge } from './fake-bridge.ts'
import { button, byLabel } from './queries.ts'

let wrapper: VueWrapper

async function mountApp() {
  const bridge = installFakeBridge(configuredView())
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await flushPromises()
  return { bridge, app: wrapper }
}

afterEach(() => {
  wrapper?.unmount()
})

const switcher = (app: VueWrapper) => byLabel<HTMLSelectElement>(app, 'Profile')
const options = (app: VueWrapper) =>
  switcher(app)
    .findAll('option')
    .map((o) => o.text())

async function openSettings(app: VueWrapper) {
  await button(app, 'Settings').trigger('click')
  await flushPromises()
}

async function named(app: VueWrapper, name: string, action: string) {
  await byLabel(app, 'Profile name').setValue(name)
  await button(app, action).trigger('click')
  await flushPromises()
}

describe('profiles', () => {
  it('shows the active profile in the sidebar and says in the form where a contact goes', async () => {
    const { app } = await mountApp()
    expect(options(app)).toEqual(['Acme — production'])
    expect(app.find('.view__subtitle').text()).toContain('Saving to Acme — production (organization 42).')
  })

  it('duplicates without the key and says why; the copy is active and asks for its key', async () => {
    const { app } = await mountApp()
    await openSettings(app)
    await named(app, 'Acme — staging', 'Duplicate this profile')
    expect(app.text()).toContain(
      '“Acme — staging” is the active profile. Enter its API key below: keys are never copied.',
    )
    expect(app.text()).toContain('not the API key: each profile keeps its own key in the keychain')
    expect(options(app)).toEqual(['Acme — production', 'Acme — staging'])
    expect(switcher(app).element.value).toBe('profile-1')
    expect(byLabel(app, 'Organization ID').element.value).toBe('42')
    expect(byLabel(app, 'API key').element.value).toBe('')
    expect(app.text()).toContain('No key is stored yet.')
  })

  it('refuses a name another profile has, at the name field', async () => {
    const { app } = await mountApp()
    await openSettings(app)
    await named(app, 'ACME — Production ', 'New profile with this name')
    const field = byLabel(app, 'Profile name')
    expect(field.attributes('aria-invalid')).toBe('true')
    expect(app.text()).toContain('Another profile has this name. Choose a different one.')
    expect(options(app)).toHaveLength(1)
  })

  it('switches with the select and with Ctrl+Shift+number, and the form follows', async () => {
    const { app } = await mountApp()
    await openSettings(app)
    await named(app, 'Beta', 'New profile with this name')
    expect(switcher(app).element.value).toBe('profile-1')
    expect(byLabel(app, 'Organization ID').element.value).toBe('')

    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'Digit1', key: '!', ctrlKey: true, shiftKey: true }))
    await flushPromises()
    expect(switcher(app).element.value).toBe('default')
    expect(byLabel(app, 'Organization ID').element.value).toBe('42')

    await switcher(app).setValue('profile-1')
    await flushPromises()
    expect(switcher(app).element.value).toBe('profile-1')
    expect(app.text()).toContain('Now using “Beta”.')
  })

  it('asks before deleting; with contacts waiting it asks where they go, and moves them', async () => {
    const { app } = await mountApp()
    await openSettings(app)
    await named(app, 'Acme — staging', 'Duplicate this profile')
    await byLabel(app, 'API key').setValue('staging-key')
    await button(app, 'Save settings').trigger('click')
    await flushPromises()
    await button(app, 'New contact').trigger('click')
    await flushPromises()
    await byLabel(app, 'Full name').setValue('Stella Staging')
    await button(app, 'Save contact').trigger('click')
    await flushPromises()

    await openSettings(app)
    await button(app, 'Delete this profile…').trigger('click')
    await flushPromises()
    await button(app, 'Delete profile').trigger('click')
    await flushPromises()
    const dialog = app.find('dialog[open]')
    expect(dialog.text()).toMatch(/contacts? (is|are) not finished/)
    const moveTo = byLabel<HTMLSelectElement>(app, 'Move its unfinished contacts to')
    expect(moveTo.element.value).toBe('default')
    await button(app, 'Delete profile').trigger('click')
    await flushPromises()
    expect(options(app)).toEqual(['Acme — production'])
    expect(app.text()).toContain('“Acme — staging” was deleted, with its API key.')
  })
})
