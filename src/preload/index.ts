import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { commandChannel, commandNames, eventChannel, eventNames, isEventName } from '../shared/bridge-names.ts'

/**
 * Builds `window.api` (typed as `BridgeApi` in index.d.ts): one function per contract command and
 * `on` for events — nothing else. The page never sees `ipcRenderer`, an IPC event object or a
 * channel name, and can only send one argument. Imports only the dependency-free bridge names so
 * the sandboxed bundle stays small and holds no schemas (main parses every input anyway).
 */
function createBridgeApi(): Record<string, unknown> {
  const api: Record<string, unknown> = {}
  for (const name of commandNames) {
    const channel = commandChannel(name)
    api[name] = (input?: unknown): Promise<unknown> => ipcRenderer.invoke(channel, input)
  }
  api.on = (event: unknown, listener: unknown): (() => void) => {
    if (!isEventName(event)) {
      throw new Error(`Unknown bridge event "${String(event)}". Known events: ${eventNames.join(', ')}.`)
    }
    if (typeof listener !== 'function') throw new TypeError('The event listener must be a function.')
    const channel = eventChannel(event)
    // Only the payload crosses: the IpcRendererEvent would hand the page a way back to ipcRenderer.
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, forward)
    let subscribed = true
    return () => {
      if (!subscribed) return
      subscribed = false
      ipcRenderer.removeListener(channel, forward)
    }
  }
  return api
}

contextBridge.exposeInMainWorld('api', createBridgeApi())
