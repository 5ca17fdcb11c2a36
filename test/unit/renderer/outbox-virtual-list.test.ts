// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_SIZE, PREFETCH_ROWS, useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import OutboxView from '../../../src/renderer/src/views/OutboxView.vue'
import { installFakeBridge } from './fake-bridge.ts'

const ITEMS = 100_000
/** happy-dom has no layout: the list falls back to a screenful of 12 rows, plus overscan. */
const MAX_ROWS = 40

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper
let stopStores: () => void = () => {}

beforeAll(() => {
  bridge = installFakeBridge()
  bridge.seed(ITEMS)
})

async function settled(): Promise<void> {
  await flushPromises()
  await useOutboxStore().settle()
  await flushPromises()
}

async function mountBig(): Promise<VueWrapper> {
  bridge.api.listOutbox.mockClear()
  const pinia = createPinia()
  setActivePinia(pinia)
  stopStores = startStores()
  wrapper = mount(OutboxView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settled()
  return wrapper
}

const rows = (view: VueWrapper) => view.findAll('[role="listitem"]')
const positions = (view: VueWrapper) => rows(view).map((r) => Number(r.attributes('aria-posinset')))

async function scrollTo(view: VueWrapper, top: number): Promise<void> {
  const scroller = view.find('.vlist')
  ;(scroller.element as HTMLElement).scrollTop = top
  await scroller.trigger('scroll')
  await settled()
}

afterEach(() => {
  wrapper?.unmount()
  stopStores()
  document.body.innerHTML = ''
})

describe('Outbox with 100,000 items', () => {
  it('loads one page and renders only a window of rows', async () => {
    const view = await mountBig()
    expect(bridge.api.listOutbox).toHaveBeenCalledTimes(1)
    expect(bridge.api.listOutbox).toHaveBeenCalledWith({ filter: 'to_send', limit: PAGE_SIZE })

    const list = view.find('[role="list"]')
    expect(list.attributes('aria-label')).toBe('Contacts waiting to send')
    expect(rows(view).length).toBeGreaterThan(0)
    expect(rows(view).length).toBeLessThan(MAX_ROWS)
    expect(rows(view)[0]!.attributes('aria-setsize')).toBe(String(ITEMS))
    expect(positions(view)[0]).toBe(1)
    expect(rows(view)[0]!.text()).toContain(`Contact ${ITEMS}`)
    expect(view.text()).toContain('100 of 100,000 contacts loaded')
  })

  it('moves the window as the user scrolls, keeping PREFETCH_ROWS loaded below it, never everything', async () => {
    const view = await mountBig()
    const rowHeight = parseFloat((rows(view)[0]!.element as HTMLElement).style.height)
    const below = () => useOutboxStore().items.length - Math.max(...positions(view))

    await scrollTo(view, 40 * rowHeight)
    expect(positions(view)).toContain(41)
    expect(positions(view)).not.toContain(1)
    expect(rows(view).length).toBeLessThan(MAX_ROWS)
    // The first page, then one call of PREFETCH_ROWS below it: enough is loaded ahead.
    expect(bridge.api.listOutbox).toHaveBeenCalledTimes(2)
    expect(bridge.api.listOutbox).toHaveBeenLastCalledWith({
      filter: 'to_send',
      limit: PREFETCH_ROWS,
      before: ITEMS - PAGE_SIZE + 1,
    })
    expect(below()).toBeGreaterThanOrEqual(PREFETCH_ROWS)
    expect(below()).toBeLessThan(2 * PREFETCH_ROWS)

    await scrollTo(view, 250 * rowHeight)
    expect(below()).toBeGreaterThanOrEqual(PREFETCH_ROWS)
    expect(below()).toBeLessThan(2 * PREFETCH_ROWS)
    expect(view.text()).toContain(`${useOutboxStore().items.length} of 100,000 contacts loaded`)
    expect(rows(view).length).toBeLessThan(MAX_ROWS)
  })

  it('moves between rows with the keyboard, rendering the rows it reaches', async () => {
    const view = await mountBig()
    const first = rows(view)[0]!
    expect(first.attributes('tabindex')).toBe('0')
    expect(rows(view)[1]!.attributes('tabindex')).toBe('-1')
    // One Tab stop: only the active row's buttons are in the Tab order.
    expect(
      rows(view)[0]!
        .findAll('button')
        .every((b) => b.attributes('tabindex') === undefined),
    ).toBe(true)
    expect(
      rows(view)[1]!
        .findAll('button')
        .every((b) => b.attributes('tabindex') === '-1'),
    ).toBe(true)
    ;(first.element as HTMLElement).focus()

    await first.trigger('keydown', { key: 'ArrowDown' })
    await flushPromises()
    expect((document.activeElement as HTMLElement).getAttribute('aria-posinset')).toBe('2')
    expect(view.find('[aria-posinset="2"]').attributes('tabindex')).toBe('0')
    expect(view.find('[aria-posinset="2"] button').attributes('tabindex')).toBeUndefined()
    expect(view.find('[aria-posinset="1"] button').attributes('tabindex')).toBe('-1')

    await view.find('[aria-posinset="2"]').trigger('keydown', { key: 'End' })
    await settled()
    expect((document.activeElement as HTMLElement).getAttribute('aria-posinset')).toBe(String(PAGE_SIZE))
    // Reaching the end of what is loaded asks for more, PREFETCH_ROWS ahead.
    expect(useOutboxStore().items.length).toBeGreaterThanOrEqual(PAGE_SIZE + PREFETCH_ROWS)
    expect(rows(view).length).toBeLessThan(MAX_ROWS)

    await view.find(`[aria-posinset="${PAGE_SIZE}"]`).trigger('keydown', { key: 'Home' })
    await flushPromises()
    expect((document.activeElement as HTMLElement).getAttribute('aria-posinset')).toBe('1')
  })

  it('keeps the same rows in view when a new save arrives at the top', async () => {
    const view = await mountBig()
    const rowHeight = parseFloat((rows(view)[0]!.element as HTMLElement).style.height)
    await scrollTo(view, 30 * rowHeight)
    const scroller = view.find('.vlist').element as HTMLElement
    const before = scroller.scrollTop

    await bridge.api.saveContact({ fullName: 'Just Saved', email: '', description: '', phones: [] })
    await settled()
    expect(useOutboxStore().items[0]!.draft.fullName).toBe('Just Saved')
    expect(scroller.scrollTop).toBe(before + rowHeight)
  })
})
