// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../../src/shared/app-error.ts'
import { itemError } from '../../../src/shared/item-error.ts'
import type { OutboxItem } from '../../../src/shared/outbox-schemas.ts'
import { loadPhoneKit } from '../../../src/renderer/src/phone-loader.ts'
import { useContactFormStore } from '../../../src/renderer/src/stores/contact-form.ts'
import { useNavigationStore } from '../../../src/renderer/src/stores/navigation.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import ContactFormView from '../../../src/renderer/src/views/ContactFormView.vue'
import { configuredView, deferred, installFakeBridge } from './fake-bridge.ts'
import { allButtons, allByLabel, button, byLabel, description } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper
let stopStores: () => void = () => {}

async function mountForm(): Promise<VueWrapper> {
  const pinia = createPinia()
  setActivePinia(pinia)
  useContactFormStore().setCountry('US')
  stopStores = startStores()
  wrapper = mount(ContactFormView, { global: { plugins: [pinia] }, attachTo: document.body })
  // The phone module loads lazily, as in the app; these tests start once it is in.
  await loadPhoneKit()
  await flushPromises()
  return wrapper
}

/** Types a number as a user would: in the empty row the form offers, else in a row Add phone adds. */
async function addPhone(view: VueWrapper, number: string): Promise<void> {
  const last = allByLabel(view, 'Phone number').at(-1)
  if (!last || last.element.value !== '') await button(view, 'Add phone').trigger('click')
  await allByLabel(view, 'Phone number').at(-1)!.setValue(number)
}

const save = (view: VueWrapper) => button(view, 'Save contact').trigger('click')
const alertText = (view: VueWrapper) => view.find('[role="alert"]').text()
/** Every live region's words: the draft note above the fields and the saved confirmation below them. */
const statusText = (view: VueWrapper) =>
  view
    .findAll('[role="status"]')
    .map((region) => region.text())
    .join(' ')
/** The id of the item the last successful saveContact wrote. */
async function savedId(): Promise<string> {
  const result = await bridge.api.saveContact.mock.results.at(-1)!.value
  if (!result.ok) throw new Error('the last save failed')
  return result.value.id
}

beforeEach(() => {
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  stopStores()
})

describe('New contact form', () => {
  it('labels every control the way the app promises', async () => {
    const view = await mountForm()
    await addPhone(view, '1')
    await addPhone(view, '2')

    expect(byLabel(view, 'Full name').element.tagName).toBe('INPUT')
    expect(byLabel(view, 'Email').attributes('type')).toBe('email')
    expect(byLabel(view, 'Description').element.tagName).toBe('TEXTAREA')
    // A country per row, named the same in every row.
    expect(allByLabel(view, 'Phone country').map((c) => c.element.tagName)).toEqual(['SELECT', 'SELECT'])
    const phones = allByLabel(view, 'Phone number')
    expect(phones).toHaveLength(2)
    // Same name on every row; the row's position is in its description instead.
    expect(phones.map((p) => p.attributes('aria-label'))).toEqual([undefined, undefined])
    expect(description(view, phones[1]!)).toContain('Phone 2 of 2')
    expect(allButtons(view, 'Remove phone')).toHaveLength(2)
    expect(button(view, 'Add phone').attributes('type')).toBe('button')
    expect(button(view, 'Save contact').attributes('type')).toBe('submit')
  })

  it('counts the description once it has text, against its limit', async () => {
    const view = await mountForm()
    const counter = () => view.find('.field:has(textarea) .field__aside').text()
    expect(counter()).toBe('')
    await byLabel<HTMLTextAreaElement>(view, 'Description').setValue('Met at the conference')
    expect(counter()).toBe('21 / 5,000')
  })

  it('shows errors at their fields and does not call the bridge when the draft is invalid', async () => {
    const view = await mountForm()
    await byLabel(view, 'Email').setValue('not-an-email')
    await addPhone(view, '12')
    await save(view)
    await flushPromises()

    expect(bridge.api.saveContact).not.toHaveBeenCalled()
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
    const view = await mountForm()
    await addPhone(view, '(415) 555-0132')
    const phone = allByLabel(view, 'Phone number')[0]!
    expect(description(view, phone)).toContain('+14155550132')

    await phone.setValue('020 7946 0958')
    await byLabel<HTMLSelectElement>(view, 'Phone country').setValue('GB')
    expect(description(view, phone)).toContain('+442079460958')
  })

  it('saves to the outbox, clears the form at once and says "Saved — sending…"', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Ada Lovelace')
    await byLabel(view, 'Email').setValue('ada@example.com')
    await byLabel<HTMLTextAreaElement>(view, 'Description').setValue('Met at the conference')
    await addPhone(view, '(415) 555-0132')
    await save(view)
    await flushPromises()

    expect(bridge.api.saveContact).toHaveBeenCalledWith({
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      description: 'Met at the conference',
      phones: [{ number: '(415) 555-0132', country: 'US' }],
    })
    expect(statusText(view)).toContain('Saved — sending…')
    expect(statusText(view)).toContain('Ada Lovelace')
    expect(byLabel(view, 'Full name').element.value).toBe('')
    expect(byLabel(view, 'Email').element.value).toBe('')
    // Ready for the next contact: one empty phone row again.
    expect(allByLabel(view, 'Phone number').map((p) => p.element.value)).toEqual([''])
    expect(document.activeElement).toBe(byLabel(view, 'Full name').element)
  })

  it('turns into one compact "Created #id" line when main reports the item sent', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Ada Lovelace')
    await byLabel(view, 'Email').setValue('ada@example.com')
    await addPhone(view, '(415) 555-0132')
    await save(view)
    await flushPromises()

    bridge.worker.start(await savedId())
    await flushPromises()
    expect(statusText(view)).toContain('Saved — sending…')

    bridge.worker.deliver(await savedId(), 1001)
    await flushPromises()
    const status = statusText(view)
    expect(status).toContain('Created #1001')
    expect(status).toContain('Ada Lovelace')
    expect(view.find('[data-testid="created-id"]').text()).toBe('1001')
    // The full contact is the Outbox's to show: the line stays one line, beside Save contact.
    expect(status).not.toContain('ada@example.com')
    expect(view.find('footer [role="status"]').exists()).toBe(true)
    expect(bridge.api.getOutboxItems).toHaveBeenCalledWith({ ids: [await savedId()] })
  })

  it('follows the item even when main reports it sent before the save has answered', async () => {
    const real = bridge.api.saveContact.getMockImplementation()!
    bridge.api.saveContact.mockImplementationOnce(async (draft) => {
      const result = await real(draft)
      if (result.ok) bridge.worker.deliver(result.value.id, 2024)
      return result
    })
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Grace Hopper')
    await save(view)
    await flushPromises()

    expect(statusText(view)).toContain('Created #2024')
  })

  it('says it will be sent when the connection is back while offline', async () => {
    bridge.setQueue('offline')
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Katherine Johnson')
    await save(view)
    await flushPromises()

    expect(statusText(view)).toContain('Saved — it will be sent when the connection is back')
    expect(statusText(view)).toContain('nothing is lost')
  })

  it('says when it will try again after a failed attempt', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Dorothy Vaughan')
    await save(view)
    await flushPromises()

    const retryAt = new Date(Date.now() + 60_000).toISOString()
    bridge.worker.retry(await savedId(), itemError('server_error', { status: 503 }), retryAt)
    await flushPromises()
    // A minute from now is a time today, or a date and time in the last minute before midnight.
    expect(statusText(view)).toMatch(/Saved — will try again at (\d|[A-Z][a-z]{2} \d+, \d)/)
    expect(statusText(view)).toContain('The Cloverhound server had a problem (status 503).')
  })

  it('tells the user when the saved contact needs a fix, and opens it from there', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Alan Turing')
    await byLabel(view, 'Email').setValue('alan@example.com')
    await save(view)
    await flushPromises()

    bridge.worker.reject(await savedId(), { email: ['Email has already been taken'] })
    await flushPromises()
    expect(statusText(view)).toContain('Needs a fix — open it in the Outbox')
    expect(button(view, 'Open Outbox').exists()).toBe(true)

    await button(view, 'Fix it now').trigger('click')
    await flushPromises()
    expect(view.text()).toContain('Editing a saved contact')
    expect(byLabel(view, 'Email').element.value).toBe('alan@example.com')
    expect(description(view, byLabel(view, 'Email'))).toContain('Email has already been taken')

    await button(view, 'Cancel').trigger('click')
    expect(view.text()).not.toContain('Editing a saved contact')
    expect(byLabel(view, 'Email').element.value).toBe('')
  })

  it('points to the Outbox when the contact is not confirmed', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Mary Jackson')
    await save(view)
    await flushPromises()

    bridge.worker.lose(await savedId())
    await flushPromises()
    expect(statusText(view)).toContain('Not confirmed — it may have been created')
    await button(view, 'Open Outbox').trigger('click')
    expect(useNavigationStore().view).toBe('outbox')
  })

  it('keeps everything typed when the connection is not set up and offers a way to Settings', async () => {
    const nothingSaved = {
      baseUrl: 'https://cloud-staging.cloverhound.com',
      organizationId: null,
      apiKeyId: '',
      deduplicatesRetries: false,
    }
    bridge.emitSettings(configuredView({ configured: false, hasApiKey: false, profile: nothingSaved }))
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Grace Hopper')
    await byLabel<HTMLTextAreaElement>(view, 'Description').setValue('Admiral')
    await addPhone(view, '+1 202 555 0143')
    await save(view)
    await flushPromises()

    expect(alertText(view)).toContain('Add the connection in Settings first')
    expect(alertText(view)).toContain('Everything you typed is still here.')
    expect(byLabel(view, 'Full name').element.value).toBe('Grace Hopper')
    expect(byLabel<HTMLTextAreaElement>(view, 'Description').element.value).toBe('Admiral')
    expect(allByLabel(view, 'Phone number')[0]!.element.value).toBe('+1 202 555 0143')
    expect(statusText(view)).not.toContain('Saved')

    await button(view, 'Open Settings').trigger('click')
    expect(useNavigationStore().view).toBe('settings')
  })

  it('keeps everything typed when the outbox cannot be written', async () => {
    bridge.api.saveContact.mockResolvedValueOnce({
      ok: false,
      error: { code: 'storage', message: 'The app could not write to its data folder: the disk is full.' },
    })
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Hedy Lamarr')
    await save(view)
    await flushPromises()

    expect(alertText(view)).toContain('the disk is full')
    expect(alertText(view)).toContain('Everything you typed is still here.')
    expect(byLabel(view, 'Full name').element.value).toBe('Hedy Lamarr')
  })

  it('puts main’s field and phone-row errors where they belong', async () => {
    bridge.api.saveContact.mockResolvedValueOnce({
      ok: false,
      error: {
        code: 'invalid',
        message: 'Some details need fixing. Fix the fields marked below and save again.',
        fields: { email: ['Email is too long for the server'] },
        phones: [[], ['Number is not allowed']],
      },
    })
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Alan Turing')
    await byLabel(view, 'Email').setValue('alan@example.com')
    await addPhone(view, '(415) 555-0132')
    await addPhone(view, '(212) 555-0199')
    await save(view)
    await flushPromises()

    const email = byLabel(view, 'Email')
    expect(email.attributes('aria-invalid')).toBe('true')
    expect(description(view, email)).toContain('Email is too long for the server')
    const [first, second] = allByLabel(view, 'Phone number')
    expect(first!.attributes('aria-invalid')).toBeUndefined()
    expect(second!.attributes('aria-invalid')).toBe('true')
    expect(description(view, second!)).toContain('Number is not allowed')
    expect(alertText(view)).toContain('Fix the fields marked below')
    expect(document.activeElement).toBe(email.element)
    expect(email.element.value).toBe('alan@example.com')
  })

  it('saves with Ctrl+Enter from anywhere in the form, and not with a plain Enter', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Katherine Johnson')
    await byLabel(view, 'Full name').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(bridge.api.saveContact).not.toHaveBeenCalled()

    await byLabel(view, 'Description').trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledTimes(1)
    expect(statusText(view)).toContain('Saved — sending…')
  })

  it('saves with Cmd+Enter too', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Dorothy Vaughan')
    await byLabel(view, 'Email').trigger('keydown', { key: 'Enter', metaKey: true })
    await flushPromises()
    expect(bridge.api.saveContact).toHaveBeenCalledTimes(1)
  })

  it('removes the phone row whose Remove phone was pressed, with its errors', async () => {
    const view = await mountForm()
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

  it('disables Save and shows progress while saving, and keeps fields read-only until it ends', async () => {
    const reply = deferred<Result<OutboxItem>>()
    const real = bridge.api.saveContact.getMockImplementation()!
    bridge.api.saveContact.mockImplementationOnce(async (draft) => {
      const result = await real(draft)
      return reply.promise.then(() => result)
    })
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Mary Jackson')
    await save(view)

    expect(button(view, 'Save contact').attributes('disabled')).toBeDefined()
    expect(view.text()).toContain('Saving…')
    expect(view.find('form').attributes('aria-busy')).toBe('true')
    expect(byLabel(view, 'Full name').attributes('readonly')).toBeDefined()

    // A second Ctrl+Enter while saving does not save twice.
    await byLabel(view, 'Full name').trigger('keydown', { key: 'Enter', ctrlKey: true })
    expect(bridge.api.saveContact).toHaveBeenCalledTimes(1)

    reply.resolve({ ok: false, error: { code: 'internal', message: 'unused' } })
    await flushPromises()
    expect(button(view, 'Save contact').attributes('disabled')).toBeUndefined()
    expect(statusText(view)).toContain('Saved — sending…')
  })

  it('keeps what was typed when the bridge itself fails', async () => {
    bridge.api.saveContact.mockRejectedValueOnce(new Error('An object could not be cloned'))
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Hedy Lamarr')
    await save(view)
    await flushPromises()

    expect(alertText(view)).toContain('could not reach its background process')
    expect(byLabel(view, 'Full name').element.value).toBe('Hedy Lamarr')
  })

  it('sends a plain object that can cross the IPC boundary', async () => {
    const view = await mountForm()
    await byLabel(view, 'Full name').setValue('Annie Easley')
    await addPhone(view, '(415) 555-0132')
    await save(view)
    await flushPromises()

    const sent = bridge.api.saveContact.mock.calls[0]![0]
    expect(() => structuredClone(sent)).not.toThrow()
  })
})
