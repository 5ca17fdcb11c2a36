// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ref } from 'vue'
import type { ContactFieldErrors } from '../../../src/shared/contact.ts'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { useEditStash } from '../../../src/renderer/src/composables/use-edit-stash.ts'
import type { PhoneRow } from '../../../src/renderer/src/contact-form-model.ts'
import { loadPhoneKit } from '../../../src/renderer/src/phone-loader.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { installFakeBridge } from './fake-bridge.ts'
import { allByLabel, button, byLabel, description, outboxRow } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper

async function settled(): Promise<void> {
  await flushPromises()
  await useOutboxStore().settle()
  await flushPromises()
}

async function mountApp(): Promise<VueWrapper> {
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await loadPhoneKit()
  await settled()
  return wrapper
}

const nav = (app: VueWrapper, name: string) =>
  app
    .find('nav')
    .findAll('button')
    .find((b) => b.text().startsWith(name))!

async function edit(app: VueWrapper, name: string): Promise<void> {
  await nav(app, 'Outbox').trigger('click')
  await settled()
  await button(outboxRow(app, name), 'Edit').trigger('click')
  await flushPromises()
}

/** A new contact typed halfway, with a mistake the form has already pointed out. */
async function typeHalfAContact(app: VueWrapper): Promise<void> {
  await byLabel(app, 'Full name').setValue('Half Typed')
  await byLabel(app, 'Email').setValue('half@')
  await byLabel<HTMLSelectElement>(app, 'Phone country').setValue('GB')
  await allByLabel(app, 'Phone number')[0]!.setValue('020 7946 0958')
  await button(app, 'Save contact').trigger('click')
  await flushPromises()
  expect(byLabel(app, 'Full name').element.value).toBe('Half Typed')
  expect(byLabel(app, 'Email').attributes('aria-invalid')).toBe('true')
}

function expectHalfTypedBack(app: VueWrapper): void {
  expect(app.find('h1').text()).toBe('New contact')
  expect(byLabel(app, 'Full name').element.value).toBe('Half Typed')
  expect(byLabel(app, 'Email').element.value).toBe('half@')
  expect(description(app, byLabel(app, 'Email'))).toContain('Enter an email address like name@example.com.')
  expect(byLabel<HTMLSelectElement>(app, 'Phone country').element.value).toBe('GB')
  expect(allByLabel(app, 'Phone number').map((p) => p.element.value)).toEqual(['020 7946 0958'])
}

beforeEach(() => {
  bridge = installFakeBridge()
  bridge.seed(2, (n) => ({
    draft: {
      fullName: ['Alan Turing', 'Ada Lovelace'][n]!,
      email: '',
      description: '',
      phones: [{ number: '+1 415 555 0132' }],
      country: 'US',
    },
  }))
})

afterEach(() => {
  wrapper?.unmount()
  document.body.innerHTML = ''
})

describe('The edit stash', () => {
  it('brings back a half-typed contact, its phones, region and errors, when the edit is cancelled', async () => {
    const app = await mountApp()
    await typeHalfAContact(app)

    await edit(app, 'Alan Turing')
    expect(byLabel(app, 'Full name').element.value).toBe('Alan Turing')
    expect(byLabel<HTMLSelectElement>(app, 'Phone country').element.value).toBe('US')
    await button(app, 'Cancel').trigger('click')
    await flushPromises()

    expectHalfTypedBack(app)
  })

  it('brings it back when the edit is saved too', async () => {
    const app = await mountApp()
    await typeHalfAContact(app)
    await edit(app, 'Alan Turing')
    await byLabel(app, 'Email').setValue('alan@example.com')
    await button(app, 'Save contact').trigger('click')
    await flushPromises()

    expect(bridge.api.updateOutboxItem).toHaveBeenCalledTimes(1)
    expect(bridge.api.saveContact).not.toHaveBeenCalled()
    expectHalfTypedBack(app)
  })

  it('keeps the first contact, not the first edit, when a second item is opened while editing', async () => {
    const app = await mountApp()
    await typeHalfAContact(app)
    await edit(app, 'Alan Turing')
    await byLabel(app, 'Full name').setValue('Alan M. Turing')

    await edit(app, 'Ada Lovelace')
    expect(byLabel(app, 'Full name').element.value).toBe('Ada Lovelace')
    await button(app, 'Cancel').trigger('click')
    await flushPromises()

    expectHalfTypedBack(app)
    expect(bridge.api.updateOutboxItem).not.toHaveBeenCalled()
  })
})

describe('useEditStash', () => {
  const fields = () => ({
    fullName: ref('Kept'),
    email: ref(''),
    description: ref(''),
    phones: ref<PhoneRow[]>([{ key: 1, number: '+1 202 555 0143', country: 'US' }]),
    errors: ref<ContactFieldErrors>({ phones: [['Number is too short']] }),
  })

  it('keeps a copy: what the form does while editing does not reach what comes back', () => {
    const form = fields()
    const stash = useEditStash(form)
    stash.putAside()
    form.fullName.value = 'Edited'
    form.phones.value[0]!.number = '999'
    form.errors.value.phones![0]!.push('Another')

    expect(stash.bringBack()).toBe(true)
    expect(form.fullName.value).toBe('Kept')
    expect(form.phones.value).toEqual([{ key: 1, number: '+1 202 555 0143', country: 'US' }])
    expect(form.errors.value).toEqual({ phones: [['Number is too short']] })
  })

  it('has nothing to bring back twice, or before anything was put aside', () => {
    const form = fields()
    const stash = useEditStash(form)
    expect(stash.bringBack()).toBe(false)
    stash.putAside()
    expect(stash.bringBack()).toBe(true)
    form.fullName.value = 'Later'
    expect(stash.bringBack()).toBe(false)
    expect(form.fullName.value).toBe('Later')
  })
})
