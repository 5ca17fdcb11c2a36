import { ref } from 'vue'
import type { AppError, Result } from '../../../shared/app-error.ts'
import type { OutboxItem } from '../../../shared/outbox-schemas.ts'
import { bridge, callBridge } from '../bridge.ts'

/** Where the commands put main's answers: the list the user acts from. */
export type CommandTarget = {
  place(item: OutboxItem): void
  find(id: string): OutboxItem | undefined
}

/** A step the snackbar's Undo can take back. */
export type Undoable = { item: OutboxItem; action: 'discard' | 'markAsSent' }

/**
 * What the user does to one outbox item (Discard, Send again…): one command in flight per item,
 * whose buttons are disabled meanwhile; main's last refusal kept to show; Undo for a discard or a
 * Mark as sent.
 */
export function useItemCommands(target: CommandTarget) {
  /** Ids with a command in flight. */
  const pending = ref<ReadonlySet<string>>(new Set())
  /** Why main refused the last command; cleared when the next one starts. */
  const failure = ref<AppError | null>(null)
  /** The item just discarded or marked as sent, offered for Undo. */
  const undoable = ref<Undoable | null>(null)

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
  /** A command whose effect Undo can take back. */
  async function undoableChange(
    id: string,
    action: Undoable['action'],
    command: () => Promise<Result<OutboxItem>>,
  ): Promise<OutboxItem | null> {
    const item = await change(id, command)
    if (item) undoable.value = { item, action }
    return item
  }

  /** A command that takes back the step offered for Undo, however the user reached it. */
  async function undoingChange(id: string, command: () => Promise<Result<OutboxItem>>): Promise<OutboxItem | null> {
    const item = await change(id, command)
    if (item && undoable.value?.item.id === id) undoable.value = null
    return item
  }

  /** The user has checked that the server has it (the view asks first): it will not be sent. */
  const markAsSent = (id: string) => undoableChange(id, 'markAsSent', () => bridge.markAsSent({ id }))
  const undoMarkAsSent = (id: string) => undoingChange(id, () => bridge.undoMarkAsSent({ id }))
  const discard = (id: string) => undoableChange(id, 'discard', () => bridge.discardOutboxItem({ id }))
  const restore = (id: string) => undoingChange(id, () => bridge.restoreOutboxItem({ id }))

  function undo(): Promise<OutboxItem | null> {
    const last = undoable.value
    if (!last) return Promise.resolve(null)
    return last.action === 'discard' ? restore(last.item.id) : undoMarkAsSent(last.item.id)
  }

  function dismissUndo(): void {
    undoable.value = null
  }

  /** After main's news reached the list: an item that moved on some other way is no longer offered for Undo. */
  function listChanged(): void {
    const last = undoable.value
    const current = last && target.find(last.item.id)
    const expected = last?.action === 'discard' ? 'discarded' : 'sent'
    if (current && current.state !== expected) undoable.value = null
  }

  return {
    pending,
    failure,
    undoable,
    run,
    sendAgain,
    markAsSent,
    undoMarkAsSent,
    discard,
    restore,
    undo,
    dismissUndo,
    listChanged,
  }
}
