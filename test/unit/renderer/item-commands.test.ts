// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Result } from '../../../src/shared/app-error.ts'
import type { OutboxItem } from '../../../src/shared/outbox-schemas.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import OutboxView from '../../../src/renderer/src/views/OutboxView.vue'
import { deferred, installFakeBridge } from './fake-bridge.ts'
import { button, outboxRow } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper
let stopStores: () => void = () => {}

const draft = (fullName: string) => ({ fullName, email: '', description: '', phones: [] })

async function settled(): Promise<void> {
  await flushPromises()
  await useOutboxStore().settle()
  await flushPromises()
}

async function mountOutbox(): Promise<VueWrapper> {
  const pinia = createPinia()
  setActivePinia(pinia)
  stopStores = startStores()
  wrapper = mount(OutboxView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settled()
  return wrapper
}

const alertText = (view: VueWrapper) => view.find('[role="alert"]').text()

beforeEach(() => {
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  stopStores()
  document.body.innerHTML = ''
})

describe('Commands on one outbox item', () => {
  it('says why main refused Send now, and clears it when the next command works', async () => {
    bridge.seed(1, () => ({ draft: draft('Queued Q') }))
    const view = await mountOutbox()
    bridge.api.sendNow.mockResolvedValueOnce({
      ok: false,
      error: { code: 'not_configured', message: 'Set up the connection in Settings to send contacts.' },
    })

    await button(outboxRow(view, 'Queued Q'), 'Send now').trigger('click')
    await settled()
    expect(alertText(view)).toContain('Set up the connection in Settings to send contacts.')
    expect(button(view, 'Open Settings').exists()).toBe(true)

    await button(outboxRow(view, 'Queued Q'), 'Send now').trigger('click')
    await settled()
    expect(bridge.api.sendNow).toHaveBeenCalledTimes(2)
    expect(alertText(view)).toBe('')
  })

  it('runs one command per item at a time, with its buttons disabled meanwhile', async () => {
    const [id] = bridge.seed(1, () => ({ draft: draft('Slow S') }))
    const view = await mountOutbox()
    const reply = deferred<void>()
    const real = bridge.api.discardOutboxItem.getMockImplementation()!
    bridge.api.discardOutboxItem.mockImplementationOnce(async (input) => {
      await reply.promise
      return real(input)
    })

    await button(outboxRow(view, 'Slow S'), 'Discard').trigger('click')
    await flushPromises()
    for (const name of ['Send now', 'Edit', 'Discard']) {
      expect(button(outboxRow(view, 'Slow S'), name).attributes('disabled'), name).toBeDefined()
    }
    // However it is asked (a second window's shortcut, a double press), the item is not discarded twice.
    expect(await useOutboxStore().discard(id!)).toBeNull()
    expect(bridge.api.discardOutboxItem).toHaveBeenCalledTimes(1)

    reply.resolve()
    await settled()
    expect(outboxRow(view, 'Slow S').find('.pill').text()).toBe('Discarded')
    expect(button(outboxRow(view, 'Slow S'), 'Restore').attributes('disabled')).toBeUndefined()
  })

  it('keeps other items’ buttons working while one item’s command is in flight', async () => {
    bridge.seed(2, (n) => ({ draft: draft(['Slow S', 'Quick Q'][n]!) }))
    const view = await mountOutbox()
    const reply = deferred<Result<OutboxItem>>()
    bridge.api.discardOutboxItem.mockImplementationOnce(() => reply.promise)

    await button(outboxRow(view, 'Slow S'), 'Discard').trigger('click')
    await flushPromises()
    expect(button(outboxRow(view, 'Quick Q'), 'Discard').attributes('disabled')).toBeUndefined()
    await button(outboxRow(view, 'Quick Q'), 'Discard').trigger('click')
    await settled()
    expect(outboxRow(view, 'Quick Q').find('.pill').text()).toBe('Discarded')

    reply.resolve({ ok: false, error: { code: 'storage', message: 'The app could not write to its data folder.' } })
    await settled()
    expect(alertText(view)).toContain('could not write to its data folder')
  })

  it('withdraws Undo when the discarded item comes back some other way', async () => {
    const [id] = bridge.seed(1, () => ({ draft: draft('Oops O') }))
    const view = await mountOutbox()
    await button(outboxRow(view, 'Oops O'), 'Discard').trigger('click')
    await settled()
    expect(view.find('.snackbar').exists()).toBe(true)

    // Restored from another window: main reports the change.
    await bridge.api.restoreOutboxItem({ id: id! })
    await settled()
    expect(outboxRow(view, 'Oops O').find('.pill').text()).toBe('Waiting to send')
    expect(view.find('.snackbar').exists()).toBe(false)
  })
})
