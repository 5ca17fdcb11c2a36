// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { effectScope } from 'vue'
import type { SyncStatus } from '../../../src/shared/outbox-schemas.ts'
import { useBridgeEvents } from '../../../src/renderer/src/composables/use-bridge-events.ts'
import { useSettingsStore } from '../../../src/renderer/src/stores/settings.ts'
import { useOutboxStore } from '../../../src/renderer/src/stores/outbox.ts'
import { startStores } from '../../../src/renderer/src/stores/start-stores.ts'
import { useSyncStore } from '../../../src/renderer/src/stores/sync.ts'
import { configuredView, useFakeBridgeEachTest, type FakeBridge } from './fake-bridge.ts'

let bridge: FakeBridge

useFakeBridgeEachTest((fake) => (bridge = fake))

describe('useBridgeEvents', () => {
  it('subscribes once however often it is started, and lets go on stop', () => {
    const seen: SyncStatus[] = []
    const events = useBridgeEvents({ syncStatusChanged: (status) => seen.push(status) })
    events.start()
    events.start()
    expect(bridge.listenerCount('syncStatusChanged')).toBe(1)

    bridge.setQueue('offline')
    expect(seen.map((s) => s.state)).toEqual(['offline'])

    events.stop()
    expect(bridge.listenerCount('syncStatusChanged')).toBe(0)
    bridge.setQueue('running')
    expect(seen).toHaveLength(1)
  })

  it('follows again after a stop and a new start', () => {
    const handler = vi.fn()
    const events = useBridgeEvents({ outboxChanged: handler })
    events.start()
    events.stop()
    events.start()
    bridge.emit('outboxChanged', { ids: [] })
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('lets go when the scope that made it is disposed, as a disposed store is', () => {
    const scope = effectScope()
    scope.run(() => useBridgeEvents({ settingsChanged: () => {} }).start())
    expect(bridge.listenerCount('settingsChanged')).toBe(1)
    scope.stop()
    expect(bridge.listenerCount('settingsChanged')).toBe(0)
  })

  it('starts without events rather than crashing when the bridge is missing', () => {
    Reflect.deleteProperty(window, 'api')
    const events = useBridgeEvents({ outboxChanged: () => {} })
    expect(() => events.start()).not.toThrow()
    expect(() => events.stop()).not.toThrow()
  })
})

describe('startStores', () => {
  it('starts every store that follows main, and one call stops them all', async () => {
    const stop = startStores()
    // The form follows item changes (its saved and edited items) from the start; the Outbox list from its first show.
    expect(bridge.listenerCount('outboxChanged')).toBe(1)
    expect(bridge.listenerCount('settingsChanged')).toBe(1)
    expect(bridge.listenerCount('syncStatusChanged')).toBe(1)
    expect(bridge.api.getSettings).toHaveBeenCalledTimes(1)
    expect(bridge.api.getSyncStatus).toHaveBeenCalledTimes(1)
    // The Outbox list loads when it is first shown, not at start.
    expect(bridge.api.listOutbox).not.toHaveBeenCalled()

    bridge.emitSettings(configuredView({ configured: false }))
    expect(useSettingsStore().view?.configured).toBe(false)

    stop()
    for (const event of ['outboxChanged', 'settingsChanged', 'syncStatusChanged'] as const) {
      expect(bridge.listenerCount(event), event).toBe(0)
    }
    bridge.setQueue('paused_auth')
    expect(useSyncStore().status?.state).not.toBe('paused_auth')
  })

  it('leaves the Outbox list until it is first shown, then it follows item changes too', async () => {
    const stop = startStores()
    const outbox = useOutboxStore()
    expect(bridge.listenerCount('outboxChanged')).toBe(1)
    await outbox.show()
    expect(bridge.api.listOutbox).toHaveBeenCalledTimes(1)
    expect(bridge.listenerCount('outboxChanged')).toBe(2)
    stop()
    outbox.stop()
    expect(bridge.listenerCount('outboxChanged')).toBe(0)
  })
})
