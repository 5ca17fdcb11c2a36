import { getCurrentScope, onScopeDispose } from 'vue'
import type { EventName, EventPayload } from '../../../shared/bridge-contract.ts'
import { listen } from '../bridge.ts'

export type EventHandlers = { [E in EventName]?: (payload: EventPayload<E>) => void }

/**
 * How every store follows main: `start` subscribes the handlers (once, however often it is called)
 * and records how to let go; `stop` lets go. A store that is disposed lets go too.
 */
export function useBridgeEvents(handlers: EventHandlers): { start(): void; stop(): void } {
  let release: (() => void)[] | null = null

  function start(): void {
    release ??= (Object.keys(handlers) as EventName[]).flatMap((event) => {
      const handler = handlers[event]
      // Each handler is keyed by its own event, which the mapped type says and `Object.keys` forgets.
      return handler ? [listen(event, handler as (payload: EventPayload<EventName>) => void)] : []
    })
  }

  function stop(): void {
    for (const unsubscribe of release ?? []) unsubscribe()
    release = null
  }

  if (getCurrentScope()) onScopeDispose(stop)
  return { start, stop }
}
