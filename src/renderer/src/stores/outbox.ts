import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { AppError, Result } from '../../../shared/app-error.ts'
import { matchesFilter, type OutboxFilter, type OutboxItem } from '../../../shared/outbox.ts'
import { bridge, callBridge, listen } from '../bridge.ts'
import { useSyncStore } from './sync.ts'

/** Rows per `listOutbox` call: a few screens' worth, so scrolling rarely waits. */
export const PAGE_SIZE = 100
/** Changes arrive in bursts while the queue drains; one refresh per burst is enough. */
const CHANGE_BATCH_MS = 50
/** Ids the list has not loaded are fetched only to see whether they belong in it; cap that per burst. */
const UNKNOWN_FETCH_CAP = PAGE_SIZE

/**
 * The Outbox list: one filter at a time, newest first, loaded a page at a time (keyset on `seq`)
 * as the user scrolls, so 100,000 items never cross the bridge at once.
 *
 * Rows stay where they are when their state changes (a sent item stays in Waiting, showing
 * "Sent") so the list does not slide under the pointer while the queue drains; switching filter
 * or a reload from main starts again from the top.
 */
export const useOutboxStore = defineStore('outbox', () => {
  const filter = ref<OutboxFilter>('waiting')
  /**
   * Sorted by `seq`, highest first. Shallow and replaced on every change (a copy of 100,000
   * references is cheap): components that receive it as a prop then see the change.
   */
  const items = shallowRef<OutboxItem[]>([])
  const total = ref(0)
  const nextBefore = ref<number | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  const loadError = ref<AppError | null>(null)
  const actionError = ref<AppError | null>(null)
  /** Ids with an action in flight; their buttons are disabled. */
  const pending = ref<ReadonlySet<string>>(new Set())
  /** The item just discarded, offered for Undo. */
  const lastDiscarded = ref<OutboxItem | null>(null)
  /** Where the list was scrolled, so coming back to the Outbox keeps the place. */
  const scrollTop = ref(0)

  const hasMore = computed(() => nextBefore.value !== null)

  const seqById = new Map<string, number>()
  /** Bumped by every reload: answers to an older list are dropped. */
  let generation = 0
  let unsubscribe: (() => void) | null = null
  const changedIds = new Set<string>()
  let reloadRequested = false
  let flushTimer: ReturnType<typeof setTimeout> | null = null
  let flushing: Promise<void> | null = null

  function positionOf(seq: number): number {
    return positionIn(items.value, seq)
  }

  function indexOf(id: string): number {
    const seq = seqById.get(id)
    if (seq === undefined) return -1
    const at = positionOf(seq)
    return items.value[at]?.id === id ? at : -1
  }

  /**
   * Puts a fresh copy of an item in the list: replaces it where it is, or inserts it in order
   * when it belongs to the filter and to the part of the list already loaded.
   */
  function place(item: OutboxItem): void {
    const list = items.value.slice()
    let changed = false
    const knownSeq = seqById.get(item.id)
    if (knownSeq !== undefined && knownSeq !== item.seq) {
      // Saved again under a newer seq: it moves.
      const old = indexOf(item.id)
      if (old >= 0) list.splice(old, 1)
      seqById.delete(item.id)
      total.value = Math.max(0, total.value - 1)
      changed = true
    }
    const at = positionIn(list, item.seq)
    if (list[at]?.id === item.id) {
      list[at] = item
      changed = true
    } else if (loaded.value && matchesFilter(item.state, filter.value) && belongsToLoadedPart(list, item.seq)) {
      list.splice(at, 0, item)
      seqById.set(item.id, item.seq)
      total.value += 1
      changed = true
    }
    if (changed) items.value = list
  }

  /** Below the last loaded row, an item arrives with its page instead. */
  function belongsToLoadedPart(list: readonly OutboxItem[], seq: number): boolean {
    const last = list.at(-1)
    return nextBefore.value === null || !last || seq > last.seq
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
      if (reset) seqById.clear()
      const list = reset ? [] : items.value.slice()
      for (const item of page.items) {
        if (seqById.has(item.id)) continue
        seqById.set(item.id, item.seq)
        list.push(item)
      }
      items.value = list
      total.value = page.total
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
    items.value = []
    seqById.clear()
    total.value = 0
    nextBefore.value = null
    loaded.value = false
    scrollTop.value = 0
    return reload()
  }

  /** Follows main's change events from now on, and loads the list the first time. Safe to call again. */
  function start(): Promise<void> {
    unsubscribe ??= listen('outboxChanged', ({ ids }) => {
      if (ids.length === 0) reloadRequested = true
      for (const id of ids) changedIds.add(id)
      scheduleFlush()
    })
    return loaded.value || loading.value ? Promise.resolve() : reload()
  }

  function stop(): void {
    unsubscribe?.()
    unsubscribe = null
    if (flushTimer) clearTimeout(flushTimer)
    flushTimer = null
  }

  function runFlush(): Promise<void> {
    flushing = flushChanges().finally(() => {
      flushing = null
      if (reloadRequested || changedIds.size > 0) scheduleFlush()
    })
    return flushing
  }

  function scheduleFlush(): void {
    if (flushTimer || flushing) return
    flushTimer = setTimeout(() => {
      flushTimer = null
      void runFlush()
    }, CHANGE_BATCH_MS)
  }

  /** Re-reads the items main says changed; one at a time through here, so answers never arrive out of order. */
  async function flushChanges(): Promise<void> {
    if (!loaded.value) {
      reloadRequested = false
      changedIds.clear()
      return
    }
    if (reloadRequested) {
      reloadRequested = false
      changedIds.clear()
      await reload()
      return
    }
    const ids = [...changedIds]
    changedIds.clear()
    const known = ids.filter((id) => seqById.has(id))
    const unknown = ids.filter((id) => !seqById.has(id)).slice(0, UNKNOWN_FETCH_CAP)
    const ticket = generation
    const results = await Promise.all(
      [...known, ...unknown].map((id) => callBridge(() => bridge.getOutboxItem({ id }))),
    )
    if (ticket !== generation) return
    for (const result of results) if (result.ok) place(result.value)
    if (lastDiscarded.value) {
      const current = items.value[indexOf(lastDiscarded.value.id)]
      if (current && current.state !== 'discarded') lastDiscarded.value = null
    }
  }

  /** Resolves once the changes announced so far are in the list (tests, and callers that must see them). */
  async function settle(): Promise<void> {
    while (flushTimer || flushing) {
      if (flushing) await flushing
      else {
        if (flushTimer) clearTimeout(flushTimer)
        flushTimer = null
        await runFlush()
      }
    }
  }

  function setPending(id: string, busy: boolean): void {
    const next = new Set(pending.value)
    if (busy) next.add(id)
    else next.delete(id)
    pending.value = next
  }

  async function act(id: string, run: () => Promise<Result<OutboxItem>>): Promise<OutboxItem | null> {
    if (pending.value.has(id)) return null
    setPending(id, true)
    actionError.value = null
    try {
      const result = await callBridge(run)
      if (!result.ok) {
        actionError.value = result.error
        return null
      }
      place(result.value)
      return result.value
    } finally {
      setPending(id, false)
    }
  }

  /** Tries one queued item now; main answers with the queue's status and reports the item's change. */
  async function sendNow(id: string): Promise<boolean> {
    if (pending.value.has(id)) return false
    setPending(id, true)
    actionError.value = null
    try {
      const sent = await useSyncStore().sendNow(id)
      if (!sent) actionError.value = useSyncStore().failure
      return sent
    } finally {
      setPending(id, false)
    }
  }

  /** The user accepts that the server may already have it: send it again (same Idempotency-Key). */
  const sendAgain = (id: string) => act(id, () => bridge.sendAgain({ id }))
  const markAsSent = (id: string) => act(id, () => bridge.markAsSent({ id }))

  async function discard(id: string): Promise<OutboxItem | null> {
    const item = await act(id, () => bridge.discardOutboxItem({ id }))
    if (item) lastDiscarded.value = item
    return item
  }

  async function restore(id: string): Promise<OutboxItem | null> {
    const item = await act(id, () => bridge.restoreOutboxItem({ id }))
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

  function clearActionError(): void {
    actionError.value = null
  }

  return {
    filter,
    items,
    total,
    nextBefore,
    hasMore,
    loaded,
    loading,
    loadError,
    actionError,
    pending,
    lastDiscarded,
    scrollTop,
    indexOf,
    start,
    stop,
    reload,
    loadMore,
    setFilter,
    settle,
    sendNow,
    sendAgain,
    markAsSent,
    discard,
    restore,
    undoDiscard,
    dismissUndo,
    clearActionError,
  }
})

/** Where `seq` is in a list sorted highest first, or where it would go. */
function positionIn(list: readonly OutboxItem[], seq: number): number {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (list[mid]!.seq > seq) low = mid + 1
    else high = mid
  }
  return low
}
