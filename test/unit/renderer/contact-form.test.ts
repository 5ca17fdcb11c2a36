// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../../src/shared/app-error.ts'
import type { CreatedContact } from '../../../src/shared/contact.ts'
import { useContactFormStore } from '../../../src/renderer/src/stores/contact-form.ts'
import { useNavigationStore } from '../../../src/renderer/src/stores/navigation.ts'
import ContactFormView from '../../../src/renderer/src/views/ContactFormView.vue'
import { createdFrom, deferred, installFakeBridge } from './fake-bridge.ts'
import { allButtons, allByLabel, button, byLabel, description } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper

function mountForm(): VueWrapper {
  const pinia = createPinia()
  setActivePinia(pinia)
  useContactFormStore().setCountry('US')
  wrapper = mount(ContactFormView, { global: { plugins: [pinia] }, attachTo: document.body })
  return wrapper
}

async function addPhone(view: VueWrapper, number: string): Promise<void> {
  await button(view, 'Add phone').trigger('click')
  const inputs = allByLabel(view, 'Phone number')
  await inputs.at(-1)!.setValue(number)
}

const save = (view: VueWrapper) => button(view, 'Save contact').trigger('click')
const alertText = (view: VueWrapper) => view.find('[role="alert"]').text()

beforeEach(() => {
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
})

describe('New contact form', () => {
  it('labels every control the way the app promises', async () => {
    const view = mountForm()
    await addPhone(view, '1')
    await addPhone(view, '2')

    expect(byLabel(view, 'Full name').element.tagName).toBe('INPUT')
    expect(byLabel(view, 'Email').attributes('type')).toBe('email')
    expect(byLabel(view, 'Description').element.tagName).toBe('TEXTAREA')
    expect(byLabel(view, 'Phone country').element.tagName).toBe('SELECT')
    const phones = allByLabel(view, 'Phone number')
    expect(phones).toHaveLength(2)
    // Same name on every row; the row's position is in its description instead.
    expect(phones.map((p) => p.attributes('aria-label'))).toEqual([undefined, undefined])
    expect(description(view, phones[1]!)).toContain('Phone 2 of 2')
    expect(allButtons(view, 'Remove phone')).toHaveLength(2)
    expect(button(view, 'Add phone').attributes('type')).toBe('button')
    expect(button(view, 'Save contact').attributes('type')).toBe('submit')
  })

  it('shows errors at their fields and does not call the bridge when the draft is invalid', async () => {
    const view = mountForm()
    await byLabel(view, 'Email').setValue('not-an-email')
    await addPhone(view, '12')
    await save(view)
    await flushPromises()

    expect(bridge.api.createContact).not.toHaveBeenCalled()
    const fullName = byLabel(view, 'Full name')
    expect(fullName.attributes('aria-invalid')).toBe('true')
    expect(description(view, fullName)).toContain('Enter the contact’s full name.')
    expect(description(view, byLabel(view, 'Email'))).toContain('Enter an email address like name@example.com.')
    const phone = allByLabel(view, 'Phone number')[0]!
    expect(phone.attributes('aria-invalid')).toBe('true')
    expect(description(view, phone)).toMatch(/not a valid|recognise|country/i)
    expect(document.activeElement).toBe(fullName.element)
  })

  it('shows each phone number in E.164 as it is typed, read in the chosen country', async () => {
    const view = mountForm()
    await addPhone(view, '(415) 555-0132')
    const phone = allByLabel(view, 'Phone number')[0]!
    expect(description(view, phone)).toContain('+14155550132')

    await phone.setValue('020 7946 0958')
    await byLabel<HTMLSelectElement>(view, 'Phone country').setValue('GB')
    expect(description(view, phone)).toContain('+442079460958')
  })

  it('sends the draft, shows the created contact with its new id, and clears the form', async () => {
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Ada Lovelace')
    await byLabel(view, 'Email').setValue('ada@example.com')
    await byLabel(view, 'Description').setValue('Met at the conference')
    await addPhone(view, '(415) 555-0132')
    await save(view)
    await flushPromises()

    expect(bridge.api.createContact).toHaveBeenCalledWith({
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      description: 'Met at the conference',
      phones: [{ number: '(415) 555-0132' }],
      country: 'US',
    })
    const status = view.find('[role="status"]')
    expect(status.text()).toContain('Contact created')
    expect(status.text()).toContain('1001')
    expect(status.text()).toContain('Ada Lovelace')
    expect(status.text()).toContain('ada@example.com')
    expect(status.text()).toContain('+1 415 555 0132')
    expect(byLabel(view, 'Full name').element.value).toBe('')
    expect(byLabel(view, 'Email').element.value).toBe('')
    expect(allByLabel(view, 'Phone number')).toHaveLength(0)
    expect(document.activeElement).toBe(byLabel(view, 'Full name').element)
  })

  it('keeps everything typed after a 401 and offers a way to Settings', async () => {
    bridge.api.createContact.mockResolvedValueOnce({
      ok: false,
      error: { code: 'unauthorized', message: 'The API key ID or API key was not accepted (401).' },
    })
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Grace Hopper')
    await byLabel(view, 'Description').setValue('Admiral')
    await addPhone(view, '+1 202 555 0143')
    await save(view)
    await flushPromises()

    expect(alertText(view)).toContain('The API key ID or API key was not accepted (401).')
    expect(alertText(view)).toContain('Everything you typed is still here.')
    expect(byLabel(view, 'Full name').element.value).toBe('Grace Hopper')
    expect(byLabel<HTMLTextAreaElement>(view, 'Description').element.value).toBe('Admiral')
    expect(allByLabel(view, 'Phone number')[0]!.element.value).toBe('+1 202 555 0143')
    expect(view.find('[role="status"]').text()).not.toContain('Contact created')

    await button(view, 'Open Settings').trigger('click')
    expect(useNavigationStore().view).toBe('settings')
  })

  it('puts the server’s field and phone-row errors where they belong', async () => {
    bridge.api.createContact.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'invalid',
        message: 'The server did not accept this contact. Fix the fields marked below and save again.',
        fields: { email: ['Email has already been taken'] },
        phones: [[], ['Number is not allowed']],
      },
    })
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Alan Turing')
    await byLabel(view, 'Email').setValue('alan@example.com')
    await addPhone(view, '(415) 555-0132')
    await addPhone(view, '(212) 555-0199')
    await save(view)
    await flushPromises()

    const email = byLabel(view, 'Email')
    expect(email.attributes('aria-invalid')).toBe('true')
    expect(description(view, email)).toContain('Email has already been taken')
    const [first, second] = allByLabel(view, 'Phone number')
    expect(first!.attributes('aria-invalid')).toBeUndefined()
    expect(second!.attributes('aria-invalid')).toBe('true')
    expect(description(view, second!)).toContain('Number is not allowed')
    expect(alertText(view)).toContain('Fix the fields marked below')
    expect(document.activeElement).toBe(email.element)
  })

  it('saves with Ctrl+Enter from anywhere in the form, and not with a plain Enter', async () => {
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Katherine Johnson')
    await byLabel(view, 'Full name').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(bridge.api.createContact).not.toHaveBeenCalled()

    await byLabel(view, 'Description').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    expect(bridge.api.createContact).toHaveBeenCalledTimes(1)
    expect(view.find('[role="status"]').text()).toContain('1001')
  })

  it('saves with Cmd+Enter too', async () => {
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Dorothy Vaughan')
    await byLabel(view, 'Email').trigger('keydown', { key: 'Enter', metaKey: true })
    await flushPromises()
    expect(bridge.api.createContact).toHaveBeenCalledTimes(1)
  })

  it('removes the phone row whose Remove phone was pressed, with its errors', async () => {
    const view = mountForm()
    await addPhone(view, '(415) 555-0132')
    await addPhone(view, 'bad')
    await addPhone(view, '(212) 555-0199')
    await save(view)
    expect(allByLabel(view, 'Phone number')[1]!.attributes('aria-invalid')).toBe('true')

    await allButtons(view, 'Remove phone')[1]!.trigger('click')
    await flushPromises()

    const values = allByLabel(view, 'Phone number').map((p) => p.element.value)
    expect(values).toEqual(['(415) 555-0132', '(212) 555-0199'])
    expect(allByLabel(view, 'Phone number').map((p) => p.attributes('aria-invalid'))).toEqual([undefined, undefined])
    // Focus lands on the row that moved up, not on the page.
    expect(document.activeElement).toBe(allByLabel(view, 'Phone number')[1]!.element)
  })

  it('disables Save and shows progress while sending, and keeps fields read-only until it ends', async () => {
    const reply = deferred<Result<CreatedContact>>()
    bridge.api.createContact.mockReturnValueOnce(reply.promise)
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Mary Jackson')
    await save(view)

    expect(button(view, 'Save contact').attributes('disabled')).toBeDefined()
    expect(view.text()).toContain('Saving…')
    expect(view.find('form').attributes('aria-busy')).toBe('true')
    expect(byLabel(view, 'Full name').attributes('readonly')).toBeDefined()

    // A second Ctrl+Enter while sending does not send twice.
    await byLabel(view, 'Full name').trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(bridge.api.createContact).toHaveBeenCalledTimes(1)

    reply.resolve({
      ok: true,
      value: createdFrom({ fullName: 'Mary Jackson', email: '', description: '', phones: [] }, 77),
    })
    await flushPromises()
    expect(button(view, 'Save contact').attributes('disabled')).toBeUndefined()
    expect(view.find('[role="status"]').text()).toContain('77')
  })

  it('keeps what was typed when the bridge itself fails', async () => {
    bridge.api.createContact.mockRejectedValueOnce(new Error('An object could not be cloned'))
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Hedy Lamarr')
    await save(view)
    await flushPromises()

    expect(alertText(view)).toContain('could not reach its background process')
    expect(byLabel(view, 'Full name').element.value).toBe('Hedy Lamarr')
  })

  it('sends a plain object that can cross the IPC boundary', async () => {
    const view = mountForm()
    await byLabel(view, 'Full name').setValue('Annie Easley')
    await addPhone(view, '(415) 555-0132')
    await save(view)
    await flushPromises()

    const sent = bridge.api.createContact.mock.calls[0]![0]
    expect(() => structuredClone(sent)).not.toThrow()
  })
})
