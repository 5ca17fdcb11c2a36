import { ref, type Ref } from 'vue'
import type { OutboxItem } from '../../../shared/outbox-schemas.ts'
import { readOutboxItems } from './read-outbox-items.ts'

export type FollowedItem = {
  /** The item as main last reported it; null when nothing is followed. */
  item: Ref<OutboxItem | null>
  /** Follows `next` (null: nothing), reading it again if main reported it changed since `noteChanges`. */
  follow(next: OutboxItem | null): void
  /** Main's `outboxChanged`: an empty list means anything may have changed. */
  changed(ids: readonly string[]): void
  /**
   * Notes the ids main reports until the next `follow` or the returned stop: a save's answer can
   * arrive after main has already moved the item it names (sent it, even).
   */
  noteChanges(): () => void
}

/** One outbox item kept current as main reports changes to it, as the form follows what it saved. */
export function useFollowedItem(): FollowedItem {
  const item = ref<OutboxItem | null>(null)
  /** Refreshes may overlap: only the last one asked applies (main answers in order, so it is the newest). */
  let ticket = 0
  let noted: { ids: Set<string>; all: boolean } | null = null

  async function refresh(): Promise<void> {
    const id = item.value?.id
    if (!id) return
    const mine = ++ticket
    const result = await readOutboxItems([id])
    const found = result.ok ? result.value[0] : undefined
    if (found && mine === ticket && item.value?.id === id) item.value = found
  }

  function follow(next: OutboxItem | null): void {
    const missed = next !== null && noted !== null && (noted.all || noted.ids.has(next.id))
    noted = null
    item.value = next
    if (missed) void refresh()
  }

  function changed(ids: readonly string[]): void {
    if (noted) {
      if (ids.length === 0) noted.all = true
      for (const id of ids) noted.ids.add(id)
    }
    const id = item.value?.id
    if (id && (ids.length === 0 || ids.includes(id))) void refresh()
  }

  function noteChanges(): () => void {
    const mine = { ids: new Set<string>(), all: false }
    noted = mine
    return () => {
      if (noted === mine) noted = null
    }
  }

  return { item, follow, changed, noteChanges }
}
