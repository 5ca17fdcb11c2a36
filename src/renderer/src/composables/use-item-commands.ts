import { ref } from 'vue'
import type { AppError, Result } from '../../../shared/app-error.ts'
import type { OutboxItem } from '../../../shared/outbox.ts'
import { bridge, callBridge } from '../bridge.ts'

/** Where the commands put main's answers: the list the user acts from. */
export type CommandTarget = {
  place(item: OutboxItem): void
  find(id: string): OutboxItem | undefined
}

/**
 * What the user does to one outbox item (Discard, Send again…): one command in flight per item,
 * whose buttons are disabled meanwhile; main's last refusal kept to show; Undo for a discard.
 */
export function useItemCommands(target: CommandTarget) {
  /** Ids with a command in flight. */
  const pending = ref<ReadonlySet<string>>(new Set())
  /** Why main refused the last command; cleared when the next one starts. */
  const failure = ref<AppError | null>(null)
  /** The item just discarded, offered for Undo. */
  const lastDiscarded = ref<OutboxItem | null>(null)

  function setPending(id: string, busy: boolean): void {
    const next = new Set(pending.value)
    if (busy) next.add(id)
    else next.delete(id)
    pending.value = next
  }

  /** Runs a command for item `id`; null when main refused it or one was already in flight. */
  async function run<T>(id: string, command: () => Promise<Result<T>>): Promise<T | null> {
    if (pending.value.has(id)) return null
    setPending(id, true)
    failure.value = null
    try {
      const result = await callBridge(command)
      if (result.ok) return result.value
      failure.value = result.error
      return null
    } finally {
      setPending(id, false)
    }
  }

  async function change(id: string, command: () => Promise<Result<OutboxItem>>): Promise<OutboxItem | null> {
    const item = await run(id, command)
    if (item) target.place(item)
    return item
  }

  /** The user accepts that the server may already have it: send it again (same Idempotency-Key). */
  const sendAgain = (id: string) => change(id, () => bridge.sendAgain({ id }))
  const markAsSent = (id: string) => change(id, () => bridge.markAsSent({ id }))

  async function discard(id: string): Promise<OutboxItem | null> {
    const item = await change(id, () => bridge.discardOutboxItem({ id }))
    if (item) lastDiscarded.value = item
    return item
  }

  async function restore(id: string): Promise<OutboxItem | null> {
    const item = await change(id, () => bridge.restoreOutboxItem({ id }))
    if (item && lastDiscarded.value?.id === id) lastDiscarded.value = null
    return item
  }

  function undoDiscard(): Promise<OutboxItem | null> {
    const item = lastDiscarded.value
    return item ? restore(item.id) : Promise.resolve(null)
  }

  function dismissUndo(): void {
    lastDiscarded.value = null
  }

  /** After main's news reached the list: an item restored some other way is no longer offered for Undo. */
  function listChanged(): void {
    const current = lastDiscarded.value && target.find(lastDiscarded.value.id)
    if (current && current.state !== 'discarded') lastDiscarded.value = null
  }

  return {
    pending,
    failure,
    lastDiscarded,
    run,
    sendAgain,
    markAsSent,
    discard,
    restore,
    undoDiscard,
    dismissUndo,
    listChanged,
  }
}
