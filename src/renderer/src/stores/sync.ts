import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError, Result } from '../../../shared/app-error.ts'
import type { SyncStatus } from '../../../shared/outbox-schemas.ts'
import { bridge, callBridge } from '../bridge.ts'
import { useBridgeMirror } from '../composables/use-bridge-mirror.ts'
import { canSendNow as sendNowApplies, statusWords } from '../sync-words.ts'

/** The queue as a whole: what the status line and the Outbox badge show. Main pushes every change. */
export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null)
  /** Why the status could not be read. */
  const failure = ref<AppError | null>(null)
  const loading = ref(false)
  /** "Send now" for everything due is in flight. */
  const sending = ref(false)
  /** Follows main's status pushes and loads the current status. Safe to start more than once. */
  const { load, start, stop } = useBridgeMirror({
    handlers: { syncStatusChanged: apply },
    read: () => bridge.getSyncStatus(),
    apply,
    failure,
    loading,
    firstReadAfterPaint: true,
  })

  /** Items the user still has to see through (queued, sending, needs a fix, not confirmed). */
  const waiting = computed(() => status.value?.waiting ?? 0)
  /** Queued or sending: the queue sends these by itself ("waiting to send"). */
  const toSend = computed(() => status.value?.toSend ?? 0)
  /** Needs a fix or not confirmed: these wait for the user ("needs you"). */
  const needsYou = computed(() => status.value?.needsYou ?? 0)
  /** Every queued item, for whatever connection. */
  const queued = computed(() => status.value?.counts.queued ?? 0)
  /** Whether **Send now** has something to send: queued items for this connection, nothing stopping them. */
  const canSendNow = computed(() => sendNowApplies(status.value))
  /** The status in words (label, detail, notes), made in one place for every view that tells it. */
  const words = computed(() => (status.value ? statusWords(status.value) : null))
  /** Items that wait for the user rather than for the network. */
  const needsAttention = computed(() => {
    const counts = status.value?.counts
    return (counts?.needs_fix ?? 0) + (counts?.unconfirmed ?? 0) + (status.value?.overdue ?? 0)
  })

  function apply(next: SyncStatus): void {
    status.value = next
  }

  /** Asks main to try every due item now (or one item); main answers with the queue's status, or why it refused. */
  async function sendNow(id?: string): Promise<Result<SyncStatus>> {
    if (!id) sending.value = true
    try {
      const result = await callBridge(() => bridge.sendNow(id ? { id } : {}))
      if (result.ok) {
        failure.value = null
        apply(result.value)
      }
      return result
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
    toSend,
    needsYou,
    queued,
    canSendNow,
    words,
    needsAttention,
    load,
    start,
    stop,
    sendNow,
    reportConnectivity,
  }
})
