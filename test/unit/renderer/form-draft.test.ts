// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ContactDraft } from '../../../src/shared/contact.ts'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { loadPhoneKit } from '../../../src/renderer/src/phone-loader.ts'
import { useContactFormStore } from '../../../src/renderer/src/stores/contact-form.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { installFakeBridge } from './fake-bridge.ts'
import { allByLabel, button, byLabel, outboxRow } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper | undefined

const contact = (fullName: string, extra: Partial<ContactDraft> = {}): ContactDraft => ({
  fullName,
  email: '',
  description: '',
  phones: [],
  ...extra,
})

async function settled(): Promise<void> {
  await flushPromises()
  await useContactFormStore().draftLoaded()
  await useOutboxStore().settle()
  await flushPromises()
}

/** The whole app, as after a start: whatever main kept is read back at once. */
async function mountApp(): Promise<VueWrapper> {
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await loadPhoneKit()
  await settled()
  return wrapper
}

/** A reload: this app goes away (writing what it has) and a new one starts on the same main. */
async function reload(): Promise<VueWrapper> {
  wrapper?.unmount()
  await flushPromises()
  document.body.innerHTML = ''
  return mountApp()
}

const nav = (app: VueWrapper, name: string) =>
  app
    .find('nav')
    .findAll('button')
    .find((b) => b.text().startsWith(name))!
/** Every live region's words: the draft note above the fields and the saved confirmation below them. */
const statusText = (app: VueWrapper) =>
  app
    .findAll('[role="status"]')
    .map((region) => region.text())
    .join(' ')
const openDialogs = () => [...document.querySelectorAll('dialog')].filter((d) => d.open)

beforeEach(() => {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true })
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  document.body.innerHTML = ''
})

describe('The unsaved draft', () => {
  it('is written to main within a second of typing, once typing pauses', async () => {
    const app = await mountApp()
    await byLabel(app, 'Full name').setValue('Ada')
    await byLabel(app, 'Full name').setValue('Ada Lovelace')
    await allByLabel(app, 'Phone number')[0]!.setValue('(415) 555-0132')
    expect(bridge.api.saveDraft).not.toHaveBeenCalled()

    await vi.waitFor(() => expect(bridge.api.saveDraft).toHaveBeenCalled(), { timeout: 1000 })
    // One write for the burst of typing, with everything typed.
    expect(bridge.api.saveDraft).toHaveBeenCalledTimes(1)
    expect(bridge.draft().draft).toEqual({
      contact: contact('Ada Lovelace', { phones: [{ number: '(415) 555-0132', country: 'US' }] }),
    })
  })

  it('is back after a reload, with a line saying so, and Discard draft empties the form', async () => {
    let app = await mountApp()
    await byLabel(app, 'Full name').setValue('Grace Hopper')
    await byLabel<HTMLTextAreaElement>(app, 'Description').setValue('Admiral')
    // Reloaded before the pause: the page going away writes it.
    window.dispatchEvent(new Event('pagehide'))
    await flushPromises()
    app = await reload()

    expect(byLabel(app, 'Full name').element.value).toBe('Grace Hopper')
    expect(byLabel<HTMLTextAreaElement>(app, 'Description').element.value).toBe('Admiral')
    expect(statusText(app)).toMatch(/The contact you had not saved yet is back \(last typed .+\)\./)

    await button(app, 'Discard draft').trigger('click')
    await flushPromises()
    expect(byLabel(app, 'Full name').element.value).toBe('')
    expect(statusText(app)).not.toContain('is back')
    expect(bridge.api.discardDraft).toHaveBeenCalled()
    expect(bridge.draft().draft).toBeNull()
    expect(document.activeElement).toBe(byLabel(app, 'Full name').element)
  })

  it('is cleared by saving the contact, and the restored line goes with it', async () => {
    bridge.keepDraft({ draft: { contact: contact('Katherine Johnson') }, savedAt: '2025-01-01T09:00:00.000Z' })
    const app = await mountApp()
    expect(statusText(app)).toContain('is back')
    await button(app, 'Save contact').trigger('click')
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledWith(contact('Katherine Johnson'))
    expect(bridge.draft().draft).toBeNull()
    expect(statusText(app)).not.toContain('is back')
    expect(statusText(app)).toContain('Saved — sending…')
  })

  it('remembers the phone country last chosen, as the default for new rows after a restart', async () => {
    let app = await mountApp()
    await allByLabel<HTMLSelectElement>(app, 'Phone country')[0]!.setValue('GB')
    await vi.waitFor(() => expect(bridge.draft().phoneCountry).toBe('GB'), { timeout: 1000 })
    // Nothing typed: no draft, only the country.
    expect(bridge.draft().draft).toBeNull()

    app = await reload()
    expect(allByLabel<HTMLSelectElement>(app, 'Phone country').map((c) => c.element.value)).toEqual(['GB'])
    expect(statusText(app)).not.toContain('is back')
  })

  it('brings back unsaved edits of an outbox item in edit mode, with the contact put aside for them', async () => {
    const [id] = bridge.seed(1, () => ({ draft: contact('Alan Turing', { email: 'alan@example.com' }) }))
    bridge.keepDraft({
      draft: {
        contact: contact('Alan M. Turing', { email: 'alan@example.com' }),
        editingId: id!,
        aside: contact('Half Typed'),
      },
      savedAt: '2025-01-01T09:00:00.000Z',
    })
    const app = await mountApp()
    expect(app.find('h1').text()).toBe('Edit saved contact')
    expect(byLabel(app, 'Full name').element.value).toBe('Alan M. Turing')
    expect(statusText(app)).toContain('Your unsaved changes to this contact are back')

    await button(app, 'Save contact').trigger('click')
    await flushPromises()
    expect(bridge.api.updateOutboxItem).toHaveBeenCalledWith({
      id,
      draft: contact('Alan M. Turing', { email: 'alan@example.com' }),
    })
    // The new contact that was put aside for the edit is the form (and the draft) again.
    expect(byLabel(app, 'Full name').element.value).toBe('Half Typed')
    expect(bridge.draft().draft).toEqual({ contact: contact('Half Typed') })
  })

  it('says when main could not read the draft file, and the form still works', async () => {
    bridge.keepDraft({
      problem:
        'The draft saved earlier could not be read, so the form starts empty. The file was kept as draft.damaged-1.json in the app’s data folder.',
    })
    const app = await mountApp()
    expect(statusText(app)).toContain('could not be read')
    expect(statusText(app)).toContain('draft.damaged-1.json')
    await byLabel(app, 'Full name').setValue('Still Works')
    await button(app, 'Save contact').trigger('click')
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledTimes(1)
  })

  it('says when it cannot be kept, and keeps what is typed in the form', async () => {
    bridge.api.saveDraft.mockResolvedValue({
      ok: false,
      error: { code: 'storage', message: 'The app could not write to its data folder.' },
    })
    const app = await mountApp()
    await byLabel(app, 'Full name').setValue('Hedy Lamarr')
    await vi.waitFor(() => expect(statusText(app)).toContain('could not be kept on this computer'), { timeout: 1000 })
    expect(byLabel(app, 'Full name').element.value).toBe('Hedy Lamarr')
  })
})

describe('Editing from the Outbox', () => {
  beforeEach(() => {
    bridge.seed(1, () => ({ draft: contact('Alan Turing', { email: 'alan@example.com' }) }))
  })

  async function edit(app: VueWrapper): Promise<void> {
    await nav(app, 'Outbox').trigger('click')
    await settled()
    await button(outboxRow(app, 'Alan Turing'), 'Edit').trigger('click')
    await flushPromises()
  }

  it('focuses the first field', async () => {
    const app = await mountApp()
    await edit(app)
    expect(document.activeElement).toBe(byLabel(app, 'Full name').element)
  })

  it('Cancel with unsaved edits asks first; Keep editing keeps them', async () => {
    const app = await mountApp()
    await edit(app)
    await byLabel(app, 'Email').setValue('alan.turing@example.com')
    await button(app, 'Cancel').trigger('click')
    await flushPromises()

    const [dialog] = openDialogs()
    expect(dialog?.textContent).toContain('Discard your changes?')
    expect(dialog?.textContent).toContain('Your changes to “Alan Turing” are not saved.')
    expect(document.activeElement?.textContent?.trim()).toBe('Keep editing')

    ;(document.activeElement as HTMLButtonElement).click()
    await flushPromises()
    expect(openDialogs()).toHaveLength(0)
    expect(byLabel(app, 'Email').element.value).toBe('alan.turing@example.com')
    expect(app.find('h1').text()).toBe('Edit saved contact')
    expect(document.activeElement).toBe(button(app, 'Cancel').element)

    await button(app, 'Cancel').trigger('click')
    await flushPromises()
    const discard = [...openDialogs()[0]!.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Discard changes',
    )!
    discard.click()
    await flushPromises()
    expect(app.find('h1').text()).toBe('New contact')
    expect(byLabel(app, 'Email').element.value).toBe('')
    expect(bridge.api.updateOutboxItem).not.toHaveBeenCalled()
  })

  it('Cancel without edits leaves at once', async () => {
    const app = await mountApp()
    await edit(app)
    await button(app, 'Cancel').trigger('click')
    await flushPromises()
    expect(openDialogs()).toHaveLength(0)
    expect(app.find('h1').text()).toBe('New contact')
  })
})
