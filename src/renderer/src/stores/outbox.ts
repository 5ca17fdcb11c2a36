import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import { matchesFilter, type OutboxFilter, type OutboxItem } from '../../../shared/outbox.ts'
import { bridge, callBridge } from '../bridge.ts'
import { useBridgeEvents } from '../composables/use-bridge-events.ts'
import { useChangeBatches, type ChangeBatch } from '../composables/use-change-batches.ts'
import { useItemCommands } from '../composables/use-item-commands.ts'
import { useNewestFirst } from '../composables/use-newest-first.ts'
import { useSyncStore } from './sync.ts'

/** Rows per `listOutbox` call: a few screens' worth, so scrolling rarely waits. */
export const PAGE_SIZE = 100
/** Ids the list has not loaded are fetched only to see whether they belong in it; cap that per burst. */
const UNKNOWN_FETCH_CAP = PAGE_SIZE

/**
 * The Outbox list: one filter at a time, newest first, loaded a page at a time (keyset on `seq`)
 * as the user scrolls, so 100,000 items never cross the bridge at once.
 *
 * Rows stay where they are when their state changes (a sent item stays in Waiting to send, showing
 * "Sent") so the list does not slide under the pointer while the queue drains; switching filter
 * or a reload from main starts again from the top.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const filter = ref<OutboxFilter>('to_send')
  const list = useNewestFirst<OutboxItem>()
  const nextBefore = ref<number | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<AppError | null>(null)
  /** Where the list was scrolled, so coming back to the Outbox keeps the place. */
  const scrollTop = ref(0)

  const hasMore = computed(() => nextBefore.value !== null)

  /** Bumped by every reload: answers to an older list are dropped. */
  let generation = 0
  const changes = useChangeBatches(applyChanges)
  const events = useBridgeEvents({ outboxChanged: ({ ids }) => changes.add(ids) })
  const commands = useItemCommands({ place, find: (id) => list.items.value[list.indexOf(id)] })

  /** A row main reports is added when it matches the filter, in the part of the list loaded so far. */
  function place(item: OutboxItem): void {
    list.place(item, (last) => {
      // Below the last loaded row, an item arrives with its page instead.
      const inLoadedPart = nextBefore.value === null || !last || item.seq > last.seq
      return loaded.value && matchesFilter(item.state, filter.value) && inLoadedPart
    })
  }

  async function fetchPage(reset: boolean): Promise<void> {
    const before = reset ? undefined : (nextBefore.value ?? null)
    if (before === null) return
    const ticket = reset ? ++generation : generation
    loading.value = true
    loadError.value = null
    try {
      const request = { filter: filter.value, limit: PAGE_SIZE, ...(before === undefined ? {} : { before }) }
      const result = await callBridge(() => bridge.listOutbox(request))
      if (ticket !== generation) return
      if (!result.ok) {
        loadError.value = result.error
        return
      }
      const page = result.value
      list.addPage(page.items, page.total, reset)
      nextBefore.value = page.nextBefore
      loaded.value = true
    } finally {
      if (ticket === generation) loading.value = false
    }
  }

  /** Loads the first page again (the current rows stay until it arrives). */
  function reload(): Promise<void> {
    return fetchPage(true)
  }

  /** The next page below what is loaded; does nothing while a page is on its way or at the end. */
  function loadMore(): Promise<void> {
    if (loading.value || !hasMore.value) return Promise.resolve()
    return fetchPage(false)
  }

  function setFilter(next: OutboxFilter): Promise<void> {
    if (next === filter.value && loaded.value) return Promise.resolve()
    filter.value = next
    list.clear()
    nextBefore.value = null
    loaded.value = false
    scrollTop.value = 0
    return reload()
  }

  /** Follows main's change events from now on. Safe to call again. */
  function start(): void {
    events.start()
  }

  function stop(): void {
    events.stop()
    changes.cancel()
  }

  /** Loads the list the first time it is shown; after that, main's events keep it current. */
  function show(): Promise<void> {
    return loaded.value || loading.value ? Promise.resolve() : reload()
  }

  /** Re-reads the items main says changed; one at a time through here, so answers never arrive out of order. */
  async function applyChanges({ reload: everything, ids }: ChangeBatch): Promise<void> {
    if (!loaded.value) return
    if (everything) return reload()
    const known = ids.filter((id) => list.has(id))
    const unknown = ids.filter((id) => !list.has(id)).slice(0, UNKNOWN_FETCH_CAP)
    const ticket = generation
    const results = await Promise.all(
      [...known, ...unknown].map((id) => callBridge(() => bridge.getOutboxItem({ id }))),
    )
    if (ticket !== generation) return
    for (const result of results) if (result.ok) place(result.value)
    commands.listChanged()
  }

  /** Tries one queued item now. A queue command: the sync store takes main's answer, the row shows it in flight. */
  const sendNow = (id: string) => commands.run(id, () => useSyncStore().sendNow(id))

  return {
    filter,
    items: list.items,
    total: list.total,
    nextBefore,
    hasMore,
    loaded,
    loading,
    loadError,
    actionError: commands.failure,
    pending: commands.pending,
    undoable: commands.undoable,
    scrollTop,
    indexOf: list.indexOf,
    start,
    stop,
    show,
    reload,
    loadMore,
    setFilter,
    settle: changes.settle,
    sendNow,
    sendAgain: commands.sendAgain,
    markAsSent: commands.markAsSent,
    discard: commands.discard,
    restore: commands.restore,
    undo: commands.undo,
    dismissUndo: commands.dismissUndo,
  }
})
