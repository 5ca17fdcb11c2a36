// @vitest-environment happy-dom
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { itemError } from '../../../src/shared/item-error.ts'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { useContactFormStore } from '../../../src/renderer/src/stores/contact-form.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { installFakeBridge } from './fake-bridge.ts'
import { allByLabel, button, byLabel, description } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper
let fixId: string

async function settled(): Promise<void> {
  await flushPromises()
  await useOutboxStore().settle()
  await flushPromises()
}

/** The sidebar's Outbox entry; its name carries the counts ("Outbox 3 waiting to send 1 needs you"). */
const outboxNav = (app: VueWrapper) =>
  app
    .find('nav')
    .findAll('button')
    .find((b) => b.text().startsWith('Outbox'))!

function row(app: VueWrapper, name: string): DOMWrapper<Element> {
  const found = app.findAll('[role="listitem"]').filter((r) => r.find('.orow__name').text() === name)
  if (found.length !== 1) throw new Error(`Expected one row for "${name}", found ${found.length}`)
  return found[0]!
}

async function mountApp(): Promise<VueWrapper> {
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await settled()
  return wrapper
}

/** Opens the Outbox on its "Needs you" tab, where a contact waiting for a fix is. */
async function openOutbox(app: VueWrapper): Promise<void> {
  await outboxNav(app).trigger('click')
  await settled()
  const needsYou = app.findAll('[role="group"] button').find((b) => b.text().startsWith('Needs you'))!
  await needsYou.trigger('click')
  await settled()
}

beforeEach(() => {
  bridge = installFakeBridge()
  fixId = bridge.seed(1, () => ({
    draft: {
      fullName: 'Alan Turing',
      email: 'alan@example.com',
      description: 'Bletchley',
      phones: [{ number: '+1 415 555 0132' }, { number: '+1 212 555 0199' }],
      country: 'US',
    },
  }))[0]!
  bridge.worker.reject(
    fixId,
    { email: ['Email has already been taken'], phones: [[], ['Number is reserved']] },
    itemError('rejected', { messages: [] }),
  )
})

afterEach(() => {
  wrapper?.unmount()
  document.body.innerHTML = ''
})

describe('Editing a saved contact', () => {
  it('opens the form from the Outbox with the server’s errors at their fields and rows', async () => {
    const app = await mountApp()
    await openOutbox(app)
    await button(row(app, 'Alan Turing'), 'Edit').trigger('click')
    await flushPromises()

    expect(app.find('h1').text()).toBe('Edit saved contact')
    expect(app.text()).toContain('Editing a saved contact')
    expect(app.text()).toContain('The server did not accept this contact. Fix the fields marked')
    expect(byLabel(app, 'Full name').element.value).toBe('Alan Turing')
    expect(byLabel<HTMLTextAreaElement>(app, 'Description').element.value).toBe('Bletchley')
    const email = byLabel(app, 'Email')
    expect(email.element.value).toBe('alan@example.com')
    expect(email.attributes('aria-invalid')).toBe('true')
    expect(description(app, email)).toContain('Email has already been taken')
    const [first, second] = allByLabel(app, 'Phone number')
    expect(first!.attributes('aria-invalid')).toBeUndefined()
    expect(second!.attributes('aria-invalid')).toBe('true')
    expect(description(app, second!)).toContain('Number is reserved')
  })

  it('saves the fix with updateOutboxItem, not as a new contact, and follows it', async () => {
    const app = await mountApp()
    await openOutbox(app)
    await button(row(app, 'Alan Turing'), 'Edit').trigger('click')
    await flushPromises()

    await byLabel(app, 'Email').setValue('alan.turing@example.com')
    await allByLabel(app, 'Phone number')[1]!.setValue('+1 212 555 0100')
    await button(app, 'Save contact').trigger('click')
    await flushPromises()

    expect(bridge.api.saveContact).not.toHaveBeenCalled()
    expect(bridge.api.updateOutboxItem).toHaveBeenCalledWith({
      id: fixId,
      draft: {
        fullName: 'Alan Turing',
        email: 'alan.turing@example.com',
        description: 'Bletchley',
        phones: [
          { number: '+1 415 555 0132', country: 'US' },
          { number: '+1 212 555 0100', country: 'US' },
        ],
      },
    })
    expect(bridge.item(fixId)!.state).toBe('queued')
    expect(app.text()).not.toContain('Editing a saved contact')
    expect(app.find('h1').text()).toBe('New contact')
    expect(app.find('footer [role="status"]').text()).toContain('Saved — sending…')

    bridge.worker.deliver(fixId, 31)
    await flushPromises()
    expect(app.find('footer [role="status"]').text()).toContain('Created #31')
  })

  it('Cancel leaves edit mode and brings back the new contact that was half typed', async () => {
    const app = await mountApp()
    await byLabel(app, 'Full name').setValue('Half Typed')
    await openOutbox(app)
    await button(row(app, 'Alan Turing'), 'Edit').trigger('click')
    await flushPromises()
    expect(byLabel(app, 'Full name').element.value).toBe('Alan Turing')

    await button(app, 'Cancel').trigger('click')
    await flushPromises()
    expect(byLabel(app, 'Full name').element.value).toBe('Half Typed')
    expect(byLabel(app, 'Email').attributes('aria-invalid')).toBeUndefined()
    expect(bridge.api.updateOutboxItem).not.toHaveBeenCalled()
    expect(useContactFormStore().editing).toBeNull()
  })

  it('keeps the edit when main refuses it, with the reason', async () => {
    const app = await mountApp()
    await openOutbox(app)
    await button(row(app, 'Alan Turing'), 'Edit').trigger('click')
    await flushPromises()
    // Meanwhile the item was discarded elsewhere: main refuses the update.
    await bridge.api.discardOutboxItem({ id: fixId })
    await flushPromises()

    await byLabel(app, 'Email').setValue('alan.t@example.com')
    await button(app, 'Save contact').trigger('click')
    await flushPromises()
    expect(app.find('[role="alert"]').text()).toContain('This contact was discarded. Restore it first.')
    expect(app.text()).toContain('Editing a saved contact')
    expect(app.text()).toContain('It is now “Discarded”')
    expect(byLabel(app, 'Email').element.value).toBe('alan.t@example.com')
  })
})
