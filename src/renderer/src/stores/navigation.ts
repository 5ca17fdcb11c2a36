import { defineStore } from 'pinia'
import { ref } from 'vue'

export type AppView = 'contact' | 'outbox' | 'settings' | 'import'

/** Which view the window shows; four views do not need a router. */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<AppView>('contact')
  /** A view whose code did not load when last chosen; the next choice clears it. */
  const failedView = ref<AppView | null>(null)

  function open(next: AppView): void {
    failedView.value = null
    view.value = next
  }

  /** The chosen view could not be loaded: back to the one still on screen, so choosing it again retries. */
  function openFailed(failed: AppView, onScreen: AppView): void {
    failedView.value = failed
    view.value = onScreen
  }

  return { view, failedView, open, openFailed }
})
