// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadPhoneKit } from '../../../src/renderer/src/phone-loader.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import ContactFormView from '../../../src/renderer/src/views/ContactFormView.vue'
import OutboxView from '../../../src/renderer/src/views/OutboxView.vue'
import { installFakeBridge } from './fake-bridge.ts'
import { allByLabel, button, byLabel, description, outboxRow } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper
let stopStores: () => void = () => {}

/** The form as the app opens it, in an en-US locale, with nothing chosen yet. */
async function mountForm(): Promise<VueWrapper> {
  const pinia = createPinia()
  setActivePinia(pinia)
  stopStores = startStores()
  wrapper = mount(ContactFormView, { global: { plugins: [pinia] }, attachTo: document.body })
  await loadPhoneKit()
  await flushPromises()
  return wrapper
}

const countries = (view: VueWrapper) => allByLabel<HTMLSelectElement>(view, 'Phone country')
const numbers = (view: VueWrapper) => allByLabel(view, 'Phone number')
const save = (view: VueWrapper) => button(view, 'Save contact').trigger('click')

beforeEach(() => {
  Object.defineProperty(navigator, 'language', { value: 'en-US', configurable: true })
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  stopStores()
  document.body.innerHTML = ''
})

describe('Phone rows', () => {
  it('opens with one empty row in the locale’s country, and saves a contact without a phone', async () => {
    const view = await mountForm()
    expect(numbers(view).map((n) => n.element.value)).toEqual([''])
    expect(countries(view).map((c) => c.element.value)).toEqual(['US'])

    await byLabel(view, 'Full name').setValue('No Phone')
    await save(view)
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledWith(expect.objectContaining({ phones: [] }))
  })

  it('saves a UK and a US number in one contact, each read in its own row’s country', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Two Countries')
    await countries(view)[0]!.setValue('GB')
    await numbers(view)[0]!.setValue('020 7946 0958')
    await button(view, 'Add phone').trigger('click')
    await countries(view)[1]!.setValue('US')
    await numbers(view)[1]!.setValue('(415) 555-0132')
    expect(description(view, numbers(view)[0]!)).toContain('+442079460958')
    expect(description(view, numbers(view)[1]!)).toContain('+14155550132')

    await save(view)
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledWith({
      fullName: 'Two Countries',
      email: '',
      description: '',
      phones: [
        { number: '020 7946 0958', country: 'GB' },
        { number: '(415) 555-0132', country: 'US' },
      ],
    })
  })

  it('starts a new row in the country last chosen, and keeps a typed row’s country when the default moves', async () => {
    const view = await mountForm()
    await numbers(view)[0]!.setValue('(415) 555-0132')
    await button(view, 'Add phone').trigger('click')
    await countries(view)[1]!.setValue('GB')
    await button(view, 'Add phone').trigger('click')
    expect(countries(view).map((c) => c.element.value)).toEqual(['US', 'GB', 'GB'])
  })

  it('sets a row’s country from a number typed with +', async () => {
    const view = await mountForm()
    await numbers(view)[0]!.setValue('+44 20 7946 0958')
    expect(countries(view)[0]!.element.value).toBe('GB')
    // The default for new rows is still what the user chose (here: the locale's).
    await button(view, 'Add phone').trigger('click')
    expect(countries(view)[1]!.element.value).toBe('US')
  })

  it('says, once the row is left, why a number is not valid in its country', async () => {
    const view = await mountForm()
    await countries(view)[0]!.setValue('GB')
    const phone = numbers(view)[0]!
    await phone.setValue('020 79')
    expect(description(view, phone)).toContain('Type it the way you would dial it.')
    await phone.trigger('blur')
    expect(description(view, phone)).toContain('This is not a valid number in the United Kingdom: it is too short.')

    await phone.setValue('030 901820')
    expect(description(view, phone)).toContain(
      'This is not a valid number in the United Kingdom. It looks like a number in Germany',
    )
    await save(view)
    await flushPromises()
    expect(phone.attributes('aria-invalid')).toBe('true')
    expect(bridge.api.saveContact).not.toHaveBeenCalled()

    await countries(view)[0]!.setValue('DE')
    expect(phone.attributes('aria-invalid')).toBeUndefined()
    expect(description(view, phone)).toContain('+4930901820')
  })

  it('names the right row for a repeated number when an empty row sits between', async () => {
    const view = await mountForm()
    await numbers(view)[0]!.setValue('+1 415 555 0132')
    await button(view, 'Add phone').trigger('click')
    await button(view, 'Add phone').trigger('click')
    await numbers(view)[2]!.setValue('(415) 555-0132')
    await byLabel(view, 'Full name').setValue('Twice')
    await save(view)
    await flushPromises()
    expect(description(view, numbers(view)[2]!)).toContain('This number is already in row 1.')
  })
})

describe('Extensions', () => {
  it('says so at the row and adds “number ext. n” to Description when the row is left', async () => {
    const view = await mountForm()
    const phone = numbers(view)[0]!
    await phone.setValue('(415) 555-0132 x12')
    expect(description(view, phone)).toContain('+14155550132')
    expect(description(view, phone)).toContain('“+1 415 555 0132 ext. 12” goes in Description')

    await phone.trigger('blur')
    const descriptionField = byLabel<HTMLTextAreaElement>(view, 'Description')
    expect(descriptionField.element.value).toBe('+1 415 555 0132 ext. 12')
    expect(description(view, phone)).toContain('was added to Description')

    // Leaving the row again adds nothing twice; a changed extension replaces its line.
    await phone.trigger('blur')
    expect(descriptionField.element.value).toBe('+1 415 555 0132 ext. 12')
    await phone.setValue('(415) 555-0132 ext 7')
    await phone.trigger('blur')
    expect(descriptionField.element.value).toBe('+1 415 555 0132 ext. 7')
  })

  it('adds the line after what the user wrote, and saves the number without the extension', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Front Desk')
    await byLabel<HTMLTextAreaElement>(view, 'Description').setValue('Reception')
    await numbers(view)[0]!.setValue('+44 20 7946 0958 #22')
    await numbers(view)[0]!.trigger('blur')
    await save(view)
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledWith(
      expect.objectContaining({ description: 'Reception\n+44 20 7946 0958 ext. 22' }),
    )
    const item = await bridge.api.saveContact.mock.results[0]!.value
    if (!item.ok) throw new Error('save failed')
    bridge.worker.deliver(item.value.id)
    await flushPromises()
    expect(bridge.item(item.value.id)!.contact!.contact_phones![0]!.number).toBe('+442079460958')
  })

  it('never saves before the user could see it: Ctrl+Enter from the row adds it and stops at Description', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Quick Saver')
    await numbers(view)[0]!.setValue('+1 415 555 0132;ext=5')
    await numbers(view)[0]!.trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()

    expect(bridge.api.saveContact).not.toHaveBeenCalled()
    const descriptionField = byLabel<HTMLTextAreaElement>(view, 'Description')
    expect(descriptionField.element.value).toBe('+1 415 555 0132 ext. 5')
    expect(document.activeElement).toBe(descriptionField.element)

    await save(view)
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledTimes(1)
  })
})

describe('Queued items in the Outbox', () => {
  it('show phones in the same international form as sent ones', async () => {
    bridge.seed(1, () => ({
      draft: {
        fullName: 'Queued Q',
        email: '',
        description: '',
        phones: [{ number: '020 7946 0958', country: 'GB' }, { number: '(415) 555-0132' }],
        country: 'US',
      },
    }))
    const pinia = createPinia()
    setActivePinia(pinia)
    stopStores = startStores()
    await loadPhoneKit()
    wrapper = mount(OutboxView, { global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    await useOutboxStore().settle()
    await flushPromises()
    expect(outboxRow(wrapper, 'Queued Q').text()).toContain('+44 20 7946 0958 and 1 more')
  })
})
