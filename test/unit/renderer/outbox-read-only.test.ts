// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { installFakeBridge } from './fake-bridge.ts'
import { allButtons, button } from './queries.ts'

const DAMAGED =
  'The outbox file at /data/outbox.sqlite is damaged, so the app opened it read-only and nothing new can be saved into it. Use “Export contacts (CSV)” to keep what it holds.'

let wrapper: VueWrapper

async function mountApp(setup: (bridge: ReturnType<typeof installFakeBridge>) => void = () => {}) {
  const bridge = installFakeBridge()
  setup(bridge)
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await flushPromises()
  return { bridge, app: wrapper }
}

const notice = (app: VueWrapper) => app.get('[aria-labelledby="read-only-title"]')

afterEach(() => {
  wrapper?.unmount()
  vi.restoreAllMocks()
})

describe('a read-only outbox', () => {
  it('shows nothing while the outbox takes changes', async () => {
    const { app } = await mountApp()
    expect(app.text()).not.toContain('The outbox is read-only')
    expect(allButtons(app, 'Export contacts (CSV)')).toHaveLength(0)
  })

  it('says what happened, in main’s words, with an Export contacts (CSV) button', async () => {
    const { app } = await mountApp((bridge) => bridge.setReadOnly(DAMAGED))
    expect(app.text()).toContain('The outbox is read-only')
    expect(app.text()).toContain(DAMAGED)
    expect(button(app, 'Export contacts (CSV)').attributes('disabled')).toBeUndefined()
  })

  it('in the web preview, hands the CSV over as a download and says how many contacts it holds', async () => {
    const made: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      made.push(blob as Blob)
      return 'blob:export'
    })
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const clicked: Array<{ href: string; download: string }> = []
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download })
    })
    const { app, bridge } = await mountApp((bridge) => {
      bridge.setReadOnly(DAMAGED)
      bridge.seed(2, (n) => ({ draft: { fullName: `Kept ${n}`, email: '', description: '', phones: [] } }))
    })

    await button(app, 'Export contacts (CSV)').trigger('click')
    await flushPromises()

    expect(bridge.api.exportContacts).toHaveBeenCalledTimes(1)
    expect(clicked).toEqual([{ href: 'blob:export', download: 'cloverhound-contacts-2025-01-01.csv' }])
    expect(await made[0]?.text()).toContain('Kept 1')
    expect(notice(app).find('[role="status"]').text()).toBe('Exported 2 contacts.')
  })

  it('in Electron, says where main saved it, and that part of the file could not be read', async () => {
    const { app } = await mountApp((bridge) => {
      bridge.setReadOnly(DAMAGED)
      bridge.answerSaveDialog(() => ({ kind: 'saved', path: '/home/ada/contacts.csv', count: 1, complete: false }))
    })
    await button(app, 'Export contacts (CSV)').trigger('click')
    await flushPromises()
    expect(app.text()).toContain('Exported 1 contact to /home/ada/contacts.csv.')
    expect(app.text()).toContain('Part of the file could not be read; everything else is in the export.')
  })

  it('says nothing when the save dialog is cancelled', async () => {
    const { app } = await mountApp((bridge) => {
      bridge.setReadOnly(DAMAGED)
      bridge.answerSaveDialog(() => ({ kind: 'cancelled' }))
    })
    await button(app, 'Export contacts (CSV)').trigger('click')
    await flushPromises()
    expect(notice(app).find('[role="status"]').text()).toBe('')
    expect(notice(app).find('[role="alert"]').text()).toBe('')
  })
})
