import { useContactFormStore } from './contact-form.ts'
import { useSettingsStore } from './settings.ts'
import { useSyncStore } from './sync.ts'

/**
 * Starts every store that follows main from the first paint, in one place (App.vue): each subscribes to
 * main's events and loads what it shows at once. Returns how to stop them all. The Outbox list is not
 * one: it follows main from when it is first shown (its code comes with the Outbox view).
 */
export function startStores(): () => void {
  const stores = [useSettingsStore(), useSyncStore(), useContactFormStore()]
  for (const store of stores) store.start()
  return () => {
    for (const store of stores) store.stop()
  }
}
