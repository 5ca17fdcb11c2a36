// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import App from '../../../src/renderer/src/App.vue'
import { preloadViews } from '../../../src/renderer/src/view-loader.ts'
import { formatWhen } from '../../../src/renderer/src/outbox-copy.ts'
import { useNavigationStore } from '../../../src/renderer/src/stores/navigation.ts'
import { queueReason } from '../../../src/shared/queue-reason.ts'
import { installFakeBridge } from './fake-bridge.ts'
import { allButtons, button } from './queries.ts'

let bridge: ReturnType<typeof installFakeBridge>
let wrapper: VueWrapper

async function mountApp(): Promise<VueWrapper> {
  // As the app does once the form works: the other views' code is in, so a switch shows them at once.
  await preloadViews()
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

describe('Outbox badges', () => {
  it('counts what waits to be sent apart from what needs the user, in the Outbox entry’s name, and follows main', async () => {
    const ids = bridge.seed(4)
    bridge.worker.deliver(ids[0]!)
    const app = await mountApp()

    expect(outboxNav(app).text()).toBe('Outbox 3 waiting to send')
    expect(outboxNav(app).find('[data-testid="outbox-badge-to-send"]').text()).toMatch(/^3/)

    bridge.worker.reject(ids[1]!, { email: ['Email has already been taken'] })
    await flushPromises()
    expect(outboxNav(app).text()).toBe('Outbox 2 waiting to send, 1 needs you')

    bridge.worker.lose(ids[2]!)
    await flushPromises()
    expect(outboxNav(app).text()).toBe('Outbox 1 waiting to send, 2 need you')

    bridge.worker.deliver(ids[3]!)
    await flushPromises()
    expect(outboxNav(app).text()).toBe('Outbox 2 need you')
  })

  it('colours only the “needs you” count as a warning', async () => {
    const [id] = bridge.seed(2)
    const app = await mountApp()
    expect(outboxNav(app).find('.sidebar__badge--warn').exists()).toBe(false)

    bridge.worker.reject(id!, { email: ['Email has already been taken'] })
    await flushPromises()
    expect(outboxNav(app).find('[data-testid="outbox-badge-needs-you"]').classes()).toContain('sidebar__badge--warn')
    expect(outboxNav(app).find('[data-testid="outbox-badge-to-send"]').classes()).not.toContain('sidebar__badge--warn')
  })
})

describe('Status line', () => {
  it('says online and offers Send now for everything while contacts are queued', async () => {
    bridge.seed(2)
    const app = await mountApp()
    expect(statusLine(app).text()).toContain('Online')
    expect(statusLine(app).text()).toContain('2 waiting to send.')
    expect(statusLine(app).text()).toContain('Organization 42')

    await button(statusLine(app), 'Send now').trigger('click')
    await flushPromises()
    expect(bridge.api.sendNow).toHaveBeenCalledWith({})
  })

  it('offers no Send now when nothing queued can be sent, and says what needs the user instead', async () => {
    const [id] = bridge.seed(1)
    bridge.worker.reject(id!, { email: ['Email has already been taken'] })
    const app = await mountApp()
    expect(statusLine(app).text()).toContain('Nothing to send right now.')
    expect(statusLine(app).text()).toContain('1 needs you: 1 needs a fix.')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
  })

  it('says offline (no network) with what will be sent', async () => {
    bridge.seed(3)
    bridge.setQueue('offline')
    const app = await mountApp()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Offline')
    expect(statusLine(app).text()).toContain('No network. 3 contacts will be sent when the connection is back.')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(1)
  })

  it('says the server is unreachable, naming it, apart from offline', async () => {
    bridge.seed(1)
    bridge.setQueue('unreachable')
    const app = await mountApp()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Server unreachable')
    expect(statusLine(app).text()).toContain(
      'Could not reach cloud-staging.cloverhound.com. 1 contact will be sent when it answers again.',
    )
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(1)
  })

  it('says sending is paused for the credentials and opens Settings', async () => {
    bridge.seed(1)
    const app = await mountApp()
    bridge.setQueue('paused_auth')
    await flushPromises()

    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Paused')
    expect(statusLine(app).text()).toContain(
      'The API key was not accepted (401). Fix it in Settings. 1 contact is waiting.',
    )
    // It would only be refused again.
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
    await button(statusLine(app), 'Open Settings').trigger('click')
    await flushPromises()
    expect(useNavigationStore().view).toBe('settings')
    expect(app.find('h1').text()).toBe('Settings')
    // Already there: the button would lead nowhere.
    expect(allButtons(statusLine(app), 'Open Settings')).toHaveLength(0)
  })

  it('forgets a reason once main reports it no longer holds (new credentials saved)', async () => {
    bridge.seed(1)
    bridge.setQueue('not_configured', { reason: queueReason('no_api_key', { host: 'cloud-staging.cloverhound.com' }) })
    const app = await mountApp()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Waiting for the API key')
    bridge.setQueue('running')
    await flushPromises()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Online')
    expect(statusLine(app).text()).not.toContain('API key')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(1)
  })

  it('names an unavailable keychain and leaves its fix to Settings, without repeating it', async () => {
    bridge.seed(1)
    bridge.setQueue('not_configured', { reason: queueReason('keychain_unavailable', {}) })
    const app = await mountApp()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Keychain unavailable')
    expect(statusLine(app).text()).toContain('Settings says how to fix it.')
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
  })

  it('says until when the server asked to wait, in the app’s one time format', async () => {
    bridge.seed(1)
    const until = new Date()
    until.setHours(15, 30, 0, 0)
    bridge.setQueue('waiting', { until: until.toISOString() })
    const app = await mountApp()
    expect(statusLine(app).find('[aria-live="polite"]').text()).toBe('Waiting for the server')
    expect(statusLine(app).text()).toContain(
      `The server asked the app to wait until ${formatWhen(until.toISOString())}.`,
    )
    expect(allButtons(statusLine(app), 'Send now')).toHaveLength(0)
  })

  it('says when the connection is not set up, without a Send now', async () => {
    bridge.seed(1)
    bridge.setQueue('not_configured', { reason: queueReason('no_connection', {}) })
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
