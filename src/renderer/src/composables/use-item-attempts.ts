import { ref, watch, type Ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import type { OutboxAttempts, OutboxItem } from '../../../shared/outbox-schemas.ts'
import { bridge, callBridge } from '../bridge.ts'

/** An item's attempts, read from main when the item is shown and again whenever it changes. */
export function useItemAttempts(item: Ref<OutboxItem | null>) {
  const attempts = ref<OutboxAttempts | null>(null)
  const failure = ref<AppError | null>(null)
  let ticket = 0

  async function load(id: string): Promise<void> {
    const mine = ++ticket
    const result = await callBridge(() => bridge.listOutboxAttempts({ id }))
    if (mine !== ticket) return
    attempts.value = result.ok ? result.value : null
    failure.value = result.ok ? null : result.error
  }

  watch(
    () => item.value && `${item.value.id} ${item.value.updatedAt}`,
    (key, previous) => {
      const current = item.value
      if (!current) {
        ticket++
        attempts.value = null
        return
      }
      // Another item: its attempts are not shown until they arrive; the same one keeps the old list meanwhile.
      if (previous?.split(' ')[0] !== current.id) attempts.value = null
      if (key) void load(current.id)
    },
    { immediate: true },
  )

  return { attempts, failure }
}
