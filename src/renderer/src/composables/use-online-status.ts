import { onScopeDispose, readonly, ref, type Ref } from 'vue'
import { useSyncStore } from '../stores/sync.ts'

/**
 * Tells main when the window goes online or offline (a hint: main learns the truth from its
 * requests). At start it reports only "offline": main already tries to send when it starts.
 */
export function useOnlineStatus(): { online: Readonly<Ref<boolean>> } {
  const sync = useSyncStore()
  const online = ref(navigator.onLine)

  const report = (value: boolean): void => {
    online.value = value
    void sync.reportConnectivity(value)
  }
  const onOnline = (): void => report(true)
  const onOffline = (): void => report(false)

  window.addEventListener('online', onOnline)
  window.addEventListener('offline', onOffline)
  if (!online.value) report(false)

  onScopeDispose(() => {
    window.removeEventListener('online', onOnline)
    window.removeEventListener('offline', onOffline)
  })

  return { online: readonly(online) }
}
