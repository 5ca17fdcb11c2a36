import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import type { SyncStatus } from '../../../shared/outbox.ts'
import { bridge, callBridge, listen } from '../bridge.ts'

/** The queue as a whole: what the status line and the Outbox badge show. Main pushes every change. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null)
  const failure = ref<AppError | null>(null)
  const loading = ref(false)
  /** "Send now" for everything due is in flight. */
  const sending = ref(false)
  let unsubscribe: (() => void) | null = null

  /** Items the user still has to see through (queued, sending, needs a fix, not confirmed). */
  const waiting = computed(() => status.value?.waiting ?? 0)
  /** Items a "Send now" can do something for. */
  const queued = computed(() => status.value?.counts.queued ?? 0)
  /** Items that wait for the user rather than for the network. */
  const needsAttention = computed(() => {
    const counts = status.value?.counts
    return (counts?.needs_fix ?? 0) + (counts?.unconfirmed ?? 0) + (status.value?.overdue ?? 0)
  })

  function apply(next: SyncStatus): void {
    status.value = next
  }

  async function load(): Promise<void> {
    loading.value = true
    try {
      const result = await callBridge(() => bridge.getSyncStatus())
      if (result.ok) {
        apply(result.value)
        failure.value = null
      } else failure.value = result.error
    } finally {
      loading.value = false
    }
  }

  /** Follows main's status pushes and loads the current status. Safe to call more than once. */
  function start(): void {
    unsubscribe ??= listen('syncStatusChanged', apply)
    void load()
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
  }

  /** Asks main to try every due item now (or one item); resolves to whether main accepted. */
  async function sendNow(id?: string): Promise<boolean> {
    if (!id) sending.value = true
    try {
      const result = await callBridge(() => bridge.sendNow(id ? { id } : {}))
      if (!result.ok) {
        failure.value = result.error
        return false
      }
      failure.value = null
      apply(result.value)
      return true
    } finally {
      if (!id) sending.value = false
    }
  }

  /** The window's online/offline events, as a hint; main corrects it with what requests actually do. */
  async function reportConnectivity(online: boolean): Promise<void> {
    const result = await callBridge(() => bridge.reportConnectivity({ online }))
    if (result.ok) apply(result.value)
  }

  return {
    status,
    failure,
    loading,
    sending,
    waiting,
    queued,
    needsAttention,
    load,
    start,
    stop,
    sendNow,
    reportConnectivity,
  }
})
