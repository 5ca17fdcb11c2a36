import { describe, expect, it, vi } from 'vitest'
import type { BridgeApi } from '../../../src/shared/bridge-contract.ts'
import { commandChannel, commandNames, eventChannel } from '../../../src/shared/bridge-names.ts'
import type { SettingsView } from '../../../src/shared/settings.ts'

type Listener = (...args: unknown[]) => void

const fake = vi.hoisted(() => {
  const listeners = new Map<string, Set<Listener>>()
  const ipcRenderer = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
    on: vi.fn((channel: string, listener: Listener) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel)?.add(listener)
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener)
    }),
    send: vi.fn(),
  }
  const contextBridge = { exposeInMainWorld: vi.fn() }
  /** What main's webContents.send would deliver: (event, payload). */
  const emit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer, ports: [] }, payload)
  }
  return { ipcRenderer, contextBridge, emit, listeners }
})
vi.mock('electron', () => ({ ipcRenderer: fake.ipcRenderer, contextBridge: fake.contextBridge }))

await import('../../../src/preload/index.ts')
// Captured now: vitest clears mock calls before each test.
const exposures = [...fake.contextBridge.exposeInMainWorld.mock.calls] as Array<[string, Record<string, unknown>]>

function exposed() {
  expect(exposures).toHaveLength(1)
  const [key, api] = exposures[0] as [string, Record<string, unknown>]
  return { key, api, typed: api as unknown as BridgeApi }
}

const view: SettingsView = {
  profile: {
    baseUrl: 'https://cloud-staging.cloverhound.com',
    organizationId: null,
    apiKeyId: '',
    deduplicatesRetries: false,
  },
  configured: false,
  hasApiKey: false,
  keyStorage: 'keychain',
  keychain: { available: true },
  retention: { flagAfterDays: 7, keepHistoryDays: 30 },
  activeProfileId: 'default',
  profiles: [{ id: 'default', name: 'Organization 7', organizationId: 7, host: 'cloud-staging.cloverhound.com' }],
}

describe('preload', () => {
  it('exposes exactly one object, "api", holding the commands and on', () => {
    const { key, api } = exposed()
    expect(key).toBe('api')
    expect(Object.keys(api).sort()).toEqual([...commandNames, 'on'].sort())
    for (const value of Object.values(api)) expect(typeof value).toBe('function')
  })

  it('exposes no IPC primitive under any name', () => {
    const { api } = exposed()
    const names = Object.keys(api).map((name) => name.toLowerCase())
    for (const forbidden of ['invoke', 'send', 'sendsync', 'ipcrenderer', 'removelistener', 'postmessage']) {
      expect(names).not.toContain(forbidden)
    }
    expect(Object.values(api)).not.toContain(fake.ipcRenderer)
    expect(Object.values(api)).not.toContain(fake.ipcRenderer.invoke)
  })

  it('invokes each command on its contract channel with exactly one argument', async () => {
    const { api } = exposed()
    for (const name of commandNames) {
      fake.ipcRenderer.invoke.mockClear()
      const command = api[name] as (...args: unknown[]) => Promise<unknown>
      await command({ fullName: 'Ada' }, 'extra', 'args')
      expect(fake.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(commandChannel(name), { fullName: 'Ada' })
    }
  })

  it('returns what main answers', async () => {
    const { typed } = exposed()
    fake.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: view })
    await expect(typed.getSettings()).resolves.toEqual({ ok: true, value: view })
  })

  it('passes only the payload to an event listener, and unsubscribe removes it', () => {
    const { typed } = exposed()
    const listener = vi.fn()
    const unsubscribe = typed.on('settingsChanged', listener)
    fake.emit(eventChannel('settingsChanged'), view)
    expect(listener).toHaveBeenCalledExactlyOnceWith(view)

    unsubscribe()
    expect(fake.ipcRenderer.removeListener).toHaveBeenCalledWith(eventChannel('settingsChanged'), expect.any(Function))
    expect(fake.listeners.get(eventChannel('settingsChanged'))?.size).toBe(0)
    fake.emit(eventChannel('settingsChanged'), view)
    expect(listener).toHaveBeenCalledTimes(1)
    expect(() => unsubscribe()).not.toThrow()
  })

  it('keeps two subscriptions to one event independent', () => {
    const { typed } = exposed()
    const first = vi.fn()
    const second = vi.fn()
    const stopFirst = typed.on('settingsChanged', first)
    const stopSecond = typed.on('settingsChanged', second)
    stopFirst()
    fake.emit(eventChannel('settingsChanged'), view)
    expect(first).not.toHaveBeenCalled()
    expect(second).toHaveBeenCalledWith(view)
    stopSecond()
  })

  it('refuses an unknown event name with a clear error and subscribes nothing', () => {
    const { api } = exposed()
    const on = api.on as (event: unknown, listener: unknown) => unknown
    fake.ipcRenderer.on.mockClear()
    expect(() => on('cloverhound:command:getSettings', () => {})).toThrow(/Unknown bridge event.*settingsChanged/)
    expect(() => on('__proto__', () => {})).toThrow(/Unknown bridge event/)
    expect(() => on('settingsChanged', 'not a function')).toThrow(TypeError)
    expect(fake.ipcRenderer.on).not.toHaveBeenCalled()
  })
})
