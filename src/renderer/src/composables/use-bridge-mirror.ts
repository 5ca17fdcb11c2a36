import type { Ref } from 'vue'
import type { AppError, Result } from '../../../shared/app-error.ts'
import { callBridge } from '../bridge.ts'
import { afterFirstPaint } from '../first-paint.ts'
import { useBridgeEvents, type EventHandlers } from './use-bridge-events.ts'

/**
 * How a store mirrors something main owns (settings, the sync status): `start` follows main's pushes
 * and reads the current value once, `load` reads it again; a failed read stays in `failure` for the view.
 */
export function useBridgeMirror<T>(options: {
  handlers: EventHandlers
  read: () => Promise<Result<T>>
  apply: (value: T) => void
  failure: Ref<AppError | null>
  loading: Ref<boolean>
  /** The first read can wait for the first paint (see first-paint.ts): the view says "Checking…" until then. */
  firstReadAfterPaint?: boolean
}): { load(): Promise<void>; start(): void; stop(): void } {
  const events = useBridgeEvents(options.handlers)

  async function load(): Promise<void> {
    options.loading.value = true
    try {
      const result = await callBridge(options.read)
      if (result.ok) {
        options.apply(result.value)
        options.failure.value = null
      } else options.failure.value = result.error
    } finally {
      options.loading.value = false
    }
  }

  return {
    load,
    start() {
      events.start()
      if (options.firstReadAfterPaint) afterFirstPaint(() => void load())
      else void load()
    },
    stop: events.stop,
  }
}
