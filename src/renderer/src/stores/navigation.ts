import { defineStore } from 'pinia'
import { ref } from 'vue'

export type AppView = 'contact' | 'outbox' | 'settings' | 'import'

/** Which view the window shows; four views do not need a router. */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<AppView>('contact')

  function open(next: AppView): void {
    view.value = next
  }

  return { view, open }
})
