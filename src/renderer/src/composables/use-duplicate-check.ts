import { ref, watch } from 'vue'
import type { FindDuplicatesInput } from '../../../shared/duplicates.ts'
import { bridge, callBridge } from '../bridge.ts'
import { possibleDuplicates, type PossibleDuplicate } from '../duplicate-words.ts'

/** Asked this long after the last change to the email or a number: once per pause, not per key. */
export const DUPLICATE_DEBOUNCE_MS = 400

/**
 * Possible duplicates of what the form holds: main compares its email and numbers with every item
 * and sent contact of the current organization. A warning only: saving is the user's decision.
 */
export function useDuplicateCheck(input: () => FindDuplicatesInput) {
  const found = ref<PossibleDuplicate[]>([])
  let timer: ReturnType<typeof setTimeout> | null = null
  /** Answers to an older question are dropped. */
  let ticket = 0

  const hasKeys = (asked: FindDuplicatesInput): boolean =>
    asked.email.trim() !== '' || asked.phones.some((row) => row.number.trim() !== '')

  function cancel(): void {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }

  /** Asks main now; resolves with what it found (and shows it). */
  async function checkNow(): Promise<PossibleDuplicate[]> {
    cancel()
    const asked = input()
    const mine = ++ticket
    if (!hasKeys(asked)) {
      found.value = []
      return []
    }
    const result = await callBridge(() => bridge.findDuplicates(asked))
    // A failed lookup warns of nothing; it never stands in the way of saving.
    const entries = result.ok ? possibleDuplicates(result.value.keys) : []
    if (mine === ticket) found.value = entries
    return entries
  }

  function schedule(): void {
    cancel()
    // Emptied: nothing to warn about, at once.
    if (!hasKeys(input())) {
      ticket++
      found.value = []
      return
    }
    timer = setTimeout(() => void checkNow(), DUPLICATE_DEBOUNCE_MS)
  }

  const stopWatching = watch(() => JSON.stringify(input()), schedule)

  function stop(): void {
    cancel()
    stopWatching()
  }

  return { found, checkNow, stop }
}
