// @vitest-environment happy-dom
import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { itemError } from '../../../src/shared/item-error.ts'
import type { OutboxFilter } from '../../../src/shared/outbox.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import OutboxView from '../../../src/renderer/src/views/OutboxView.vue'
import { createdFrom, installFakeBridge } from './fake-bridge.ts'
import { allButtons, button } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper
let stopStores: () => void = () => {}

const draft = (fullName: string, email = '') => ({ fullName, email, description: '', phones: [] })

async function mountOutbox(filter: OutboxFilter = 'to_send'): Promise<VueWrapper> {
  const pinia = createPinia()
  setActivePinia(pinia)
  stopStores = startStores()
  wrapper = mount(OutboxView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settled()
  if (filter !== 'to_send') await chooseFilter(wrapper, filter)
  return wrapper
}

/** Lets main's events reach the list (they are batched) and the DOM catch up. */
async function settled(): Promise<void> {
  await flushPromises()
  await useOutboxStore().settle()
  await flushPromises()
}

async function chooseFilter(view: VueWrapper, filter: OutboxFilter): Promise<void> {
  await tab(view, filter).trigger('click')
  await settled()
}

const TAB_NAMES: Partial<Record<OutboxFilter, string>> = {
  to_send: 'Waiting to send',
  needs_you: 'Needs you',
  sent: 'Sent',
  discarded: 'Discarded',
  all: 'All',
}
/** A filter tab: its name, then the count it shows (if any). */
function tab(view: VueWrapper, filter: OutboxFilter): DOMWrapper<HTMLButtonElement> {
  const name = TAB_NAMES[filter]!
  const found = view
    .find('[role="group"][aria-label="Show"]')
    .findAll<HTMLButtonElement>('button')
    .filter((b) => b.text() === name || b.text().startsWith(`${name} `))
  if (found.length !== 1) throw new Error(`Expected one tab named "${name}", found ${found.length}`)
  return found[0]!
}

const rows = (view: VueWrapper) => view.findAll('[role="listitem"]')
function row(view: VueWrapper, name: string): DOMWrapper<Element> {
  const found = rows(view).filter((r) => r.find('.orow__name').text() === name)
  if (found.length !== 1) throw new Error(`Expected one row for "${name}", found ${found.length}`)
  return found[0]!
}
const actionsOf = (r: DOMWrapper<Element>) => r.findAll('button').map((b) => b.text())

beforeEach(() => {
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  stopStores()
  document.body.innerHTML = ''
})

describe('Outbox', () => {
  it('shows each item’s state in words with exactly the actions that state allows', async () => {
    const [queued, sending, sent, fix, unconfirmed, discarded] = bridge.seed(6, (n) => ({
      draft: draft(['Queued Q', 'Sending S', 'Sent T', 'Fix F', 'Unsure U', 'Gone G'][n]!),
    }))
    bridge.worker.start(sending!)
    bridge.worker.deliver(sent!, 123)
    bridge.worker.reject(fix!, { email: ['Email has already been taken'] })
    bridge.worker.lose(unconfirmed!)
    await bridge.api.discardOutboxItem({ id: discarded! })
    expect(queued).toBeDefined()

    const view = await mountOutbox('all')
    const expected: [string, string, string[]][] = [
      ['Queued Q', 'Waiting to send', ['Send now', 'Edit', 'Discard']],
      ['Sending S', 'Sending…', []],
      ['Sent T', 'Sent — #123', []],
      ['Fix F', 'Needs a fix', ['Edit', 'Discard']],
      ['Unsure U', 'Not confirmed — may have been created', ['Send again', 'Mark as sent', 'Discard']],
      ['Gone G', 'Discarded', ['Restore']],
    ]
    for (const [name, words, actions] of expected) {
      const r = row(view, name)
      expect(r.find('.pill').text(), name).toBe(words)
      expect(actionsOf(r), name).toEqual(actions)
    }
    // Newest first.
    expect(rows(view).map((r) => r.find('.orow__name').text())).toEqual(expected.map(([name]) => name).reverse())
  })

  it('shows the last error, the attempts and the next try, and flags overdue items', async () => {
    const [id] = bridge.seed(1, () => ({ draft: draft('Retry R', 'r@example.com'), overdue: true }))
    const retryAt = new Date(Date.now() + 3_600_000).toISOString()
    bridge.worker.retry(id!, itemError('server_error', { status: 503 }), retryAt)
    const view = await mountOutbox()

    const r = row(view, 'Retry R')
    expect(r.text()).toContain('r@example.com')
    expect(r.text()).toContain('The Cloverhound server had a problem (status 503).')
    // An hour from now is a time today, or a date and time after 11 p.m.
    expect(r.text()).toMatch(/1 attempt · next try (\d|[A-Z][a-z]{2} \d+, \d)/)
    expect(r.text()).toContain('Overdue')
    // Buttons say whose they are without changing their names.
    const discard = button(r, 'Discard')
    expect(view.find(`[id="${discard.attributes('aria-describedby')}"]`).text()).toBe('Retry R')
  })

  it('discards an item, then puts it back with Undo', async () => {
    bridge.seed(2, (n) => ({ draft: draft(['Keep K', 'Oops O'][n]!) }))
    const view = await mountOutbox()

    await button(row(view, 'Oops O'), 'Discard').trigger('click')
    await settled()
    expect(bridge.api.discardOutboxItem).toHaveBeenCalledTimes(1)
    expect(row(view, 'Oops O').find('.pill').text()).toBe('Discarded')
    expect(actionsOf(row(view, 'Oops O'))).toEqual(['Restore'])
    const snackbar = view.find('.snackbar')
    expect(snackbar.text()).toContain('Discarded “Oops O”.')
    expect(snackbar.attributes('aria-live')).toBe('polite')
    // The pressed button is gone: focus goes to Undo rather than to nowhere.
    expect(document.activeElement).toBe(button(view, 'Undo').element)

    await button(view, 'Undo').trigger('click')
    await settled()
    expect(bridge.api.restoreOutboxItem).toHaveBeenCalledWith({
      id: bridge.api.discardOutboxItem.mock.calls[0]![0]!.id,
    })
    expect(row(view, 'Oops O').find('.pill').text()).toBe('Waiting to send')
    expect(actionsOf(row(view, 'Oops O'))).toEqual(['Send now', 'Edit', 'Discard'])
    expect(view.find('.snackbar').exists()).toBe(false)
    expect(document.activeElement).toBe(row(view, 'Oops O').element)
  })

  it('asks for confirmation before Send again, because a duplicate may be created', async () => {
    const [id] = bridge.seed(1, () => ({ draft: draft('Unsure U') }))
    bridge.worker.lose(id!)
    const view = await mountOutbox('needs_you')
    const dialog = view.find('dialog')

    await button(row(view, 'Unsure U'), 'Send again').trigger('click')
    await flushPromises()
    expect((dialog.element as HTMLDialogElement).open).toBe(true)
    expect(dialog.text()).toContain('duplicate')
    expect(document.activeElement).toBe(button(dialog, 'Cancel').element)
    expect(bridge.api.sendAgain).not.toHaveBeenCalled()

    await button(dialog, 'Cancel').trigger('click')
    await flushPromises()
    expect((dialog.element as HTMLDialogElement).open).toBe(false)
    expect(bridge.api.sendAgain).not.toHaveBeenCalled()

    await button(row(view, 'Unsure U'), 'Send again').trigger('click')
    await flushPromises()
    await button(dialog, 'Yes, send again').trigger('click')
    await settled()
    expect(bridge.api.sendAgain).toHaveBeenCalledWith({ id })
    expect((dialog.element as HTMLDialogElement).open).toBe(false)
    expect(row(view, 'Unsure U').find('.pill').text()).toBe('Waiting to send')
  })

  it('asks before Mark as sent (a claim that the server has it), and Undo takes it back', async () => {
    const [id] = bridge.seed(1, () => ({ draft: draft('Unsure U') }))
    bridge.worker.lose(id!)
    const view = await mountOutbox('needs_you')
    const openDialog = () => view.findAll('dialog').filter((d) => (d.element as HTMLDialogElement).open)

    await button(row(view, 'Unsure U'), 'Mark as sent').trigger('click')
    await flushPromises()
    expect(openDialog()).toHaveLength(1)
    const dialog = openDialog()[0]!
    expect(dialog.text()).toContain('Mark as sent?')
    expect(dialog.text()).toContain('checked that “Unsure U” is in Cloverhound')
    // The safe choice has focus; cancelling changes nothing.
    expect(document.activeElement).toBe(button(dialog, 'Cancel').element)
    await button(dialog, 'Cancel').trigger('click')
    await settled()
    expect(openDialog()).toHaveLength(0)
    expect(bridge.api.markAsSent).not.toHaveBeenCalled()
    expect(row(view, 'Unsure U').find('.pill').text()).toBe('Not confirmed — may have been created')
    expect(document.activeElement).toBe(row(view, 'Unsure U').element)

    await button(row(view, 'Unsure U'), 'Mark as sent').trigger('click')
    await flushPromises()
    await button(dialog, 'Yes, mark as sent').trigger('click')
    await settled()
    expect(bridge.api.markAsSent).toHaveBeenCalledWith({ id })
    expect(row(view, 'Unsure U').find('.pill').text()).toBe('Sent — marked by you')
    expect(actionsOf(row(view, 'Unsure U'))).toEqual([])
    expect(view.find('.snackbar').text()).toContain('Marked “Unsure U” as sent.')
    expect(document.activeElement).toBe(button(view, 'Undo').element)

    await button(view, 'Undo').trigger('click')
    await settled()
    expect(bridge.api.undoMarkAsSent).toHaveBeenCalledWith({ id })
    expect(bridge.item(id!)!.state).toBe('unconfirmed')
    expect(row(view, 'Unsure U').find('.pill').text()).toBe('Not confirmed — may have been created')
    expect(actionsOf(row(view, 'Unsure U'))).toEqual(['Send again', 'Mark as sent', 'Discard'])
    expect(view.find('.snackbar').exists()).toBe(false)
    expect(document.activeElement).toBe(row(view, 'Unsure U').element)
  })

  it('sends one queued item now', async () => {
    const [id] = bridge.seed(1, () => ({ draft: draft('Queued Q') }))
    const view = await mountOutbox()
    await button(row(view, 'Queued Q'), 'Send now').trigger('click')
    await settled()
    expect(bridge.api.sendNow).toHaveBeenCalledWith({ id })
  })

  it('says what went wrong when main refuses an action, and keeps the row', async () => {
    bridge.seed(1, () => ({ draft: draft('Queued Q') }))
    const view = await mountOutbox()
    bridge.api.discardOutboxItem.mockResolvedValueOnce({
      ok: false,
      error: { code: 'storage', message: 'The app could not write to its data folder.' },
    })
    await button(row(view, 'Queued Q'), 'Discard').trigger('click')
    await settled()
    expect(view.find('[role="alert"]').text()).toContain('could not write to its data folder')
    expect(row(view, 'Queued Q').find('.pill').text()).toBe('Waiting to send')
  })

  it('filters with toggle buttons and loads that filter from main', async () => {
    const ids = bridge.seed(3, (n) => ({ draft: draft(`Contact ${n + 1}`) }))
    bridge.worker.deliver(ids[0]!, 700)
    const view = await mountOutbox()
    expect(tab(view, 'to_send').attributes('aria-pressed')).toBe('true')
    expect(tab(view, 'to_send').text()).toBe('Waiting to send 2')
    expect(tab(view, 'sent').attributes('aria-pressed')).toBe('false')
    expect(rows(view)).toHaveLength(2)

    await chooseFilter(view, 'sent')
    expect(tab(view, 'sent').attributes('aria-pressed')).toBe('true')
    expect(bridge.api.listOutbox).toHaveBeenLastCalledWith({ filter: 'sent', limit: 100 })
    expect(rows(view).map((r) => r.find('.pill').text())).toEqual(['Sent — #700'])

    await chooseFilter(view, 'discarded')
    expect(view.text()).toContain('Nothing has been discarded.')
  })

  it('updates a row when main reports its item changed, and puts a new save at the top', async () => {
    const [first] = bridge.seed(1, () => ({ draft: draft('First F') }))
    const view = await mountOutbox('all')

    bridge.worker.deliver(first!, 1001)
    await settled()
    expect(row(view, 'First F').find('.pill').text()).toBe('Sent — #1001')

    await bridge.api.saveContact(draft('Newest N'))
    await settled()
    expect(rows(view).map((r) => r.find('.orow__name').text())).toEqual(['Newest N', 'First F'])
  })

  it('shows the server’s contact (email and phones) once sent', async () => {
    const [id] = bridge.seed(1, () => ({
      draft: { fullName: 'Ada A', email: 'ada@example.com', description: '', phones: [{ number: '+14155550132' }] },
    }))
    bridge.worker.deliver(id!, 9)
    const view = await mountOutbox('sent')
    expect(row(view, 'Ada A').text()).toContain('ada@example.com · +1 415 555 0132')
    expect(createdFrom(bridge.item(id!)!.draft, 9).contact_phones).toHaveLength(1)
  })

  it('reloads from the top when main asks for it (an empty id list)', async () => {
    bridge.seed(1, () => ({ draft: draft('Only O') }))
    const view = await mountOutbox()
    const calls = bridge.api.listOutbox.mock.calls.length
    bridge.emit('outboxChanged', { ids: [] })
    await settled()
    expect(bridge.api.listOutbox.mock.calls.length).toBe(calls + 1)
    expect(rows(view)).toHaveLength(1)
    expect(allButtons(view, 'Send now')).toHaveLength(1)
  })
})
