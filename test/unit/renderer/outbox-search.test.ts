// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { duplicateLine, possibleDuplicates, sharedWords } from '../../../src/renderer/src/duplicate-words.ts'
import { loadPhoneKit } from '../../../src/renderer/src/phone-loader.ts'
import { SEARCHING_OLDER_TEXT, noMatchText, searchCountText } from '../../../src/renderer/src/search-words.ts'
import { useContactFormStore } from '../../../src/renderer/src/stores/contact-form.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import OutboxView from '../../../src/renderer/src/views/OutboxView.vue'
import { installFakeBridge } from './fake-bridge.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper | undefined
let stopStores: () => void = () => {}

const draft = (fullName: string, email = '', number = '') => ({
  fullName,
  email,
  description: '',
  phones: number ? [{ number, country: 'US' }] : [],
})

function startPinia(): ReturnType<typeof createPinia> {
  const pinia = createPinia()
  setActivePinia(pinia)
  stopStores = startStores()
  return pinia
}

async function mountOutbox(): Promise<VueWrapper> {
  const pinia = startPinia()
  wrapper = mount(OutboxView, { global: { plugins: [pinia] }, attachTo: document.body })
  await settled()
  return wrapper
}

async function settled(): Promise<void> {
  await flushPromises()
  await useOutboxStore().settle()
  await flushPromises()
}

const names = (view: VueWrapper) => view.findAll('[role="listitem"] .orow__name').map((n) => n.text())

async function search(view: VueWrapper, text: string): Promise<void> {
  const box = view.find<HTMLInputElement>('input[type="search"]')
  await box.setValue(text)
  await box.trigger('keydown', { key: 'Enter' })
  await settled()
}

beforeEach(() => {
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
  stopStores()
  document.body.innerHTML = ''
})

describe('Search contacts', () => {
  it('is a search box labelled Search contacts that narrows the tab, says when nothing matches, and clears', async () => {
    bridge.seed(3, (n) => ({
      draft: [draft('Ada Lovelace', 'ada@example.com', '(415) 555-0132'), draft('Grace Hopper'), draft('Alan Turing')][
        n
      ]!,
    }))
    const view = await mountOutbox()
    const box = view.find<HTMLInputElement>('input[type="search"]')
    const label = view.find(`label[for="${box.attributes('id')}"]`)
    expect(label.text()).toBe('Search contacts')
    expect(names(view)).toEqual(['Alan Turing', 'Grace Hopper', 'Ada Lovelace'])

    await search(view, '415 555 0132')
    expect(names(view)).toEqual(['Ada Lovelace'])
    expect(view.find('.outbox__count').text()).toBe('1 contact matches')
    expect(bridge.api.listOutbox).toHaveBeenLastCalledWith(expect.objectContaining({ query: '415 555 0132' }))

    await search(view, 'a')
    expect(names(view)).toEqual(['Alan Turing', 'Ada Lovelace'])
    expect(view.find('.outbox__count').text()).toBe('2 contacts match')

    await search(view, 'zebra')
    expect(names(view)).toEqual([])
    expect(view.text()).toContain('No contacts in Waiting to send match “zebra”.')
    await view
      .findAll('button')
      .find((b) => b.text() === 'Clear search')!
      .trigger('click')
    await settled()
    expect(box.element.value).toBe('')
    expect(names(view)).toEqual(['Alan Turing', 'Grace Hopper', 'Ada Lovelace'])
  })

  it('goes on through older contacts, page after page, when main checks only part of the history per page', async () => {
    bridge.seed(30, (n) => ({ draft: draft(n < 2 ? `Ada Old ${n}` : `Other ${n}`) }))
    bridge.boundSearches(10)
    const view = await mountOutbox()
    const calls = bridge.api.listOutbox.mock.calls.length

    await search(view, 'ada')
    expect(names(view)).toEqual(['Ada Old 1', 'Ada Old 0'])
    // 28 newer contacts checked 10 at a time before the two oldest.
    expect(bridge.api.listOutbox.mock.calls.length - calls).toBeGreaterThanOrEqual(3)
    expect(useOutboxStore().searchingOlder).toBe(false)

    await search(view, 'zebra')
    expect(view.text()).toContain('No contacts in Waiting to send match “zebra”')
    expect(view.text()).not.toContain(SEARCHING_OLDER_TEXT)
  })

  it('does not add a newly saved contact to search results it was not found in', async () => {
    bridge.seed(1, () => ({ draft: draft('Ada Lovelace') }))
    const view = await mountOutbox()
    await search(view, 'ada')
    await bridge.api.saveContact(draft('Grace Hopper'))
    await settled()
    expect(names(view)).toEqual(['Ada Lovelace'])
  })

  it('selects only the matches shown when Select all is used during a search', async () => {
    bridge.seed(3, (n) => ({ draft: draft(['Ada One', 'Ada Two', 'Grace'][n]!) }))
    const view = await mountOutbox()
    await search(view, 'ada')
    await useOutboxStore().selectAll()
    expect(useOutboxStore().selection.all).toBe(false)
    expect(useOutboxStore().selectedCount).toBe(2)
  })
})

describe('search and duplicate words', () => {
  it('count matches with the right grammar, and say an empty result in words', () => {
    expect(searchCountText(1, 1, false)).toBe('1 contact matches')
    expect(searchCountText(40, 250, false)).toBe('40 of 250 contacts match')
    expect(searchCountText(100, 100, true)).toBe('More than 100 contacts match')
    expect(noMatchText(' zebra ', null)).toMatch(/^No contacts match “zebra”\./)
  })

  it('name the earlier contact and where it stands, once however many keys it shares', () => {
    const match = { id: 'a', state: 'sent' as const, fullName: 'Ada Lovelace', serverId: 4711 }
    const entries = possibleDuplicates([
      { kind: 'email', value: 'ada@example.com', matches: [match] },
      { kind: 'phone', value: '+14155550132', matches: [match] },
    ])
    expect(entries).toHaveLength(1)
    expect(duplicateLine(entries[0]!.match)).toBe('Possible duplicate of Ada Lovelace — sent #4711')
    expect(sharedWords(entries[0]!)).toMatch(/^It has the same email and the same number \+1 ?415/)
    expect(duplicateLine({ ...match, state: 'queued', serverId: null })).toBe(
      'Possible duplicate of Ada Lovelace — waiting to send',
    )
    expect(duplicateLine({ ...match, state: 'needs_fix', serverId: null })).toBe(
      'Possible duplicate of Ada Lovelace — needs a fix',
    )
  })
})

describe('possible duplicates in the form', () => {
  it('are found again on Save contact, which still saves', async () => {
    startPinia()
    await loadPhoneKit()
    const [earlier] = bridge.seed(1, () => ({ draft: draft('Ada Lovelace', 'ada@example.com') }))
    const form = useContactFormStore()
    form.setField('fullName', 'A. Lovelace')
    form.setField('email', 'ADA@example.com')
    expect(await form.submit()).toBe('saved')
    expect(bridge.api.saveContact).toHaveBeenCalledTimes(1)
    expect(form.savedDuplicates.map((entry) => entry.match.id)).toEqual([earlier])
    expect(bridge.api.findDuplicates).toHaveBeenCalledWith(expect.objectContaining({ email: 'ADA@example.com' }))
  })

  it('leave out the item being edited', async () => {
    startPinia()
    await loadPhoneKit()
    bridge.seed(1, () => ({ draft: draft('Ada Lovelace', 'ada@example.com') }))
    const page = await bridge.api.listOutbox({ filter: 'all', limit: 10 })
    if (!page.ok) throw new Error('list failed')
    const form = useContactFormStore()
    form.startEdit(page.value.items[0]!)
    expect(await form.submit()).toBe('saved')
    expect(form.savedDuplicates).toEqual([])
  })
})
