import { useContactFormStore } from './contact-form.ts'
import { useOutboxStore } from './outbox.ts'
import { useSettingsStore } from './settings.ts'
import { useSyncStore } from './sync.ts'

/**
 * Starts every store that follows main, in one place (App.vue): each subscribes to main's events
 * and loads what it shows at once. Returns how to stop them all.
 */
export function startStores(): () => void {
  const stores = [useSettingsStore(), useSyncStore(), useOutboxStore(), useContactFormStore()]
  for (const store of stores) store.start()
  return () => {
    for (const store of stores) store.stop()
  }
}
