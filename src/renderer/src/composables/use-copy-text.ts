import { ref } from 'vue'

/** `manual`: the clipboard refused, and the text is shown selected for the user to copy. */
export type CopyState = 'idle' | 'copied' | 'manual'

/**
 * Puts text on the clipboard, or (when the clipboard refuses, as a browser may) keeps it to show
 * for copying by hand — the way Copy diagnostics in Settings does.
 */
export function useCopyText() {
  const state = ref<CopyState>('idle')
  const text = ref('')

  async function copy(value: string): Promise<boolean> {
    try {
      // Electron grants clipboard writes to the app's own page only (security-policy.ts).
      await navigator.clipboard.writeText(value)
      state.value = 'copied'
      text.value = ''
      return true
    } catch {
      state.value = 'manual'
      text.value = value
      return false
    }
  }

  function reset(): void {
    state.value = 'idle'
    text.value = ''
  }

  return { state, text, copy, reset }
}
