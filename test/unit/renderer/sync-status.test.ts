// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import App from '../../../src/renderer/src/App.vue'
import { useNavigationStore } from '../../../src/renderer/src/stores/navigation.ts'
import { installFakeBridge } from './fake-bridge.ts'
import { allButtons, button } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper

async function mountApp(): Promise<VueWrapper> {
  wrapper = mount(App, { global: { plugins: [createPinia()] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const outboxNav = (app: VueWrapper) =>
  app
    .find('nav')
    .findAll('button')
    .find((b) => b.text().startsWith('Outbox'))!
const statusLine = (app: VueWrapper) => app.find('[aria-label="Connection status"]')

beforeEach(() => {
  bridge = installFakeBridge()
})

afterEach(() => {
  wrapper?.unmount()
  document.body.innerHTML = ''
})

describe('Outbox badge', () => {
  it('shows how many contacts are waiting, in the Outbox entry’s name, and follows main', async () => {
    const ids = bridge.seed(4)
    bridge.worker.deliver(ids[0]!)
    const app = await mountApp()

    expect(outboxNav(app).text()).toBe('Outbox 3 waiting')
    expect(outboxNav(app).find('[data-testid="outbox-badge"]').text()).toMatch(/^3/)

    bridge.worker.deliver(ids[1]!)
    await flushPromises()
    expect(outboxNav(app).text()).toBe('Outbox 2 waiting')

    bridge.worker.deliver(ids[2]!)
    bridge.worker.deliver(ids[3]!)
    await flushPromises()
    expect(outboxNav(app).text()).toBe('Outbox')
  })

  it('turns to a warning when some contacts wait for the user', async () => {
    const [id] = bridge.seed(2)
    const app = await mountApp()
    const badge = () => outboxNav(app).find('[data-testid="outbox-badge"]')
    expect(badge().classes()).not.toContain('sidebar__badge--warn')

    bridge.worker.reject(id!, { email: ['Email has already been taken'] })
    await flushPromises()
    expect(outboxNav(app).text()).toBe('Outbox 2 waiting')
    expect(badge().classes()).toContain('sidebar__badge--warn')
  })
})

describe('Status line', () => {
  it('says online and offers Send now for everything while contacts are queued', async () => {
    bridge.seed(2)
    const app = await mountApp()
    expect(statusLine(app).text()).toContain('Online')
    expect(statusLine(app).text()).toContain('Sending 2 contacts.')
    expect(statusLine(app).text()).toContain('Organization 42')

    await button(statusLine(app), 'Send now').trigger('click')
    await flushPromises()
    expect(bridge.api.sendNow).toHaveBeenCalledWith({})
  })

  it('says offline in main’s words', async () => {
    bridge.seed(3)
    bridge.setQueue('offline')
    const app = await mountApp()
    expect(statusLine(app).text()).toContain('Offline')
    expect(statusLine(app).text()).toContain('Offline — 3 contacts will be sent when the connection is back.')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(1)
  })

  it('says sending is paused for the credentials and opens Settings', async () => {
    bridge.seed(1)
    const app = await mountApp()
    bridge.setQueue('paused_auth')
    await flushPromises()

    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Paused')
    expect(statusLine(app).text()).toContain('Sending is paused until it is changed in Settings.')
    // It would only be refused again.
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
    await button(statusLine(app), 'Open Settings').trigger('click')
    await flushPromises()
    expect(useNavigationStore().view).toBe('settings')
    expect(app.find('h1').text()).toBe('Settings')
  })

  it('says until when the server asked to wait', async () => {
    bridge.seed(1)
    const until = new Date()
    until.setHours(15, 30, 0, 0)
    bridge.setQueue('waiting', { until: until.toISOString() })
    const app = await mountApp()
    const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' }).format(until)
    expect(statusLine(app).text()).toContain(`Waiting until ${time}`)
    expect(statusLine(app).text()).toContain('The server asked the app to wait (429).')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
  })

  it('says when the connection is not set up, without a Send now', async () => {
    bridge.seed(1)
    bridge.setQueue('not_configured')
    const app = await mountApp()
    expect(statusLine(app).text()).toContain('Not set up')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
  })

  it('announces changes politely', async () => {
    const app = await mountApp()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toContain('Online')
  })
})

describe('Online status', () => {
  it('reports the window going offline and online to main', async () => {
    bridge.seed(1)
    const app = await mountApp()

    window.dispatchEvent(new Event('offline'))
    await flushPromises()
    expect(bridge.api.reportConnectivity).toHaveBeenLastCalledWith({ online: false })
    expect(statusLine(app).text()).toContain('Offline')

    window.dispatchEvent(new Event('online'))
    await flushPromises()
    expect(bridge.api.reportConnectivity).toHaveBeenLastCalledWith({ online: true })
    expect(statusLine(app).text()).toContain('Online')
  })

  it('stops listening when the app goes away', async () => {
    const app = await mountApp()
    app.unmount()
    window.dispatchEvent(new Event('offline'))
    await flushPromises()
    expect(bridge.api.reportConnectivity).not.toHaveBeenCalled()
  })
})
