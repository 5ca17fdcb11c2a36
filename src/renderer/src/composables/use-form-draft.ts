import { ref } from 'vue'
import type { FormDraft, SavedDraft } from '../../../shared/draft.ts'
import { bridge, callBridge } from '../bridge.ts'

/** Quiet long enough not to write on every keystroke, short enough that a crash loses under a second. */
export const DRAFT_WRITE_DELAY_MS = 400

export type DraftSnapshot = { draft: FormDraft | null; phoneCountry?: string }

/**
 * Keeps the form's unsaved draft in main (draft.json), written a moment after typing stops and at
 * once when the page goes away, so a reload, a crash or a restart brings it back. Writes go one at a
 * time, in order, and a snapshot equal to the last one written is not written again.
 */
export function useFormDraft(snapshot: () => DraftSnapshot) {
  /** Why the draft could not be kept or read, in words; null when all is well. */
  const problem = ref<string | null>(null)
  let timer: ReturnType<typeof setTimeout> | null = null
  /** What main holds (as JSON), to skip writes that change nothing. */
  let lastWritten: string | null = null
  let lastCountry: string | undefined
  let writing: Promise<void> = Promise.resolve()

  function cancelTimer(): void {
    if (timer) clearTimeout(timer)
    timer = null
  }

  /** Something changed: write it once typing pauses. */
  function schedule(): void {
    cancelTimer()
    timer = setTimeout(() => void flush(), DRAFT_WRITE_DELAY_MS)
  }

  /** Writes the current state now (after any write already on its way) and resolves once main has it. */
  function flush(): Promise<void> {
    cancelTimer()
    writing = writing.then(write)
    return writing
  }

  async function write(): Promise<void> {
    const next = snapshot()
    const text = JSON.stringify(next)
    if (text === lastWritten) return
    const result = await callBridge(() =>
      next.draft === null && next.phoneCountry === lastCountry ? bridge.discardDraft() : bridge.saveDraft(next),
    )
    if (result.ok) {
      lastWritten = text
      lastCountry = next.phoneCountry
      problem.value = result.value.problem
    } else {
      problem.value = `What you are typing could not be kept on this computer: ${result.error.message}`
    }
  }

  /** What main kept from the last run; null when it could not be asked. */
  async function load(): Promise<SavedDraft | null> {
    const result = await callBridge(() => bridge.getDraft())
    if (!result.ok) {
      problem.value = `The draft from last time could not be read: ${result.error.message}`
      return null
    }
    problem.value = result.value.problem
    lastCountry = result.value.phoneCountry ?? undefined
    lastWritten = JSON.stringify({ draft: result.value.draft, ...(lastCountry ? { phoneCountry: lastCountry } : {}) })
    return result.value
  }

  const onPageHide = (): void => void flush()

  function start(): void {
    window.addEventListener('pagehide', onPageHide)
  }

  function stop(): void {
    cancelTimer()
    window.removeEventListener('pagehide', onPageHide)
  }

  return { problem, schedule, flush, load, start, stop }
}
