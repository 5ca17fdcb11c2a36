import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import { bulkActions, canMove, matchesFilter, type BulkAction, type OutboxFilter } from '../../../shared/outbox.ts'
import type { BulkCounts, OutboxItem } from '../../../shared/outbox-schemas.ts'
import type { OutboxTarget } from '../../../shared/outbox.ts'
import { bridge, callBridge } from '../bridge.ts'
import { useBridgeEvents } from '../composables/use-bridge-events.ts'
import { useBulkActions } from '../composables/use-bulk-actions.ts'
import { useChangeBatches, type ChangeBatch } from '../composables/use-change-batches.ts'
import { useItemCommands } from '../composables/use-item-commands.ts'
import { useNewestFirst } from '../composables/use-newest-first.ts'
import { readOutboxItems } from '../composables/read-outbox-items.ts'
import { useSelection } from '../composables/use-selection.ts'
import { useSettingsStore } from './settings.ts'
import { useSyncStore } from './sync.ts'

/** Rows of the first `listOutbox` call: a few screens' worth, quick to show. */
export const PAGE_SIZE = 100
/**
 * Loaded rows the list keeps below the viewport once scrolled, and the rows of each later call: a call
 * costs about the same for 100 rows as for 300, so at 20 rows a frame a slow answer still keeps ahead.
 */
export const PREFETCH_ROWS = 3 * PAGE_SIZE
const zeroCounts = (): BulkCounts => Object.fromEntries(bulkActions.map((action) => [action, 0])) as BulkCounts

/** Searching starts this long after the last keystroke, so a word typed quickly asks main once. */
export const SEARCH_DEBOUNCE_MS = 200

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
  /** The search box as typed; `searched` is what the list shows results for (set after the debounce). */
  const query = ref('')
  const searched = ref('')
  const searching = computed(() => searched.value.trim() !== '')
  /** True when main did not count a common search to the end: `total` is then a lower bound. */
  const totalAtLeast = ref(false)
  /**
   * True while a search of common words goes on through older items: main checks a bounded part of
   * the history per page, so a short page with a next one is followed at once, page after page.
   */
  const searchingOlder = ref(false)
  let searchTimer: ReturnType<typeof setTimeout> | null = null
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
  const selection = useSelection()
  const bulk = useBulkActions()
  /** The item open in the detail pane: kept here too, so it stays open when it leaves the filter. */
  const opened = ref<OutboxItem | null>(null)
  /** For "select all": what main counted in the filter per action, when it was asked last. */
  const filterCounts = ref<BulkCounts | null>(null)

  /** Where Move to current organization sends items: the connection in Settings now. */
  const currentTarget = computed<OutboxTarget | null>(() => {
    const profile = useSettingsStore().view?.profile
    return profile && profile.organizationId !== null
      ? { baseUrl: profile.baseUrl, organizationId: profile.organizationId }
      : null
  })

  /** Whether `action` would move this item now (the table's from-states; Move: saved for another target). */
  function appliesTo(action: BulkAction, item: OutboxItem): boolean {
    if (!canMove(action, item.state)) return false
    if (action !== 'retarget') return true
    const here = currentTarget.value
    return here !== null && (item.target.baseUrl !== here.baseUrl || item.target.organizationId !== here.organizationId)
  }

  /** How many selected items each bulk action would move: counted here for checked rows, by main for "all". */
  const selectionCounts = computed<BulkCounts>(() => {
    if (selection.all.value) return filterCounts.value ?? zeroCounts()
    const counts = zeroCounts()
    for (const id of selection.ids.value) {
      const item = list.items.value[list.indexOf(id)]
      if (item) for (const action of bulkActions) if (appliesTo(action, item)) counts[action] += 1
    }
    return counts
  })

  const selectedCount = computed(() =>
    selection.all.value ? Math.max(list.total.value, list.items.value.length) : selection.ids.value.size,
  )

  /** Rows main reports are added when they match the filter, in the part of the list loaded so far. */
  function place(...items: OutboxItem[]): void {
    for (const item of items) if (opened.value?.id === item.id) opened.value = item
    list.placeAll(items, (item, last) => {
      // Below the last loaded row, an item arrives with its page instead.
      const inLoadedPart = nextBefore.value === null || !last || item.seq > last.seq
      // While searching, only main knows what matches: rows already shown are kept current, none added.
      return loaded.value && !searching.value && matchesFilter(item.state, filter.value) && inLoadedPart
    })
  }

  async function fetchPage(reset: boolean): Promise<void> {
    const before = reset ? undefined : (nextBefore.value ?? null)
    if (before === null) return
    const ticket = reset ? ++generation : generation
    loading.value = true
    loadError.value = null
    try {
      const request = {
        filter: filter.value,
        ...(before === undefined ? { limit: PAGE_SIZE } : { limit: PREFETCH_ROWS, before }),
        ...(searching.value ? { query: searched.value } : {}),
      }
      const result = await callBridge(() => bridge.listOutbox(request))
      if (ticket !== generation) return
      if (!result.ok) {
        loadError.value = result.error
        searchingOlder.value = false
        return
      }
      const page = result.value
      list.addPage(page.items, page.total, reset)
      totalAtLeast.value = page.totalAtLeast === true
      nextBefore.value = page.nextBefore
      loaded.value = true
      searchingOlder.value = searching.value && page.nextBefore !== null && page.items.length < request.limit
    } finally {
      if (ticket === generation) loading.value = false
    }
    if (searchingOlder.value && ticket === generation) await fetchPage(false)
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
    return startOver()
  }

  /** The search box changed: the list follows once typing pauses. */
  function setQuery(text: string): void {
    query.value = text
    if (searchTimer !== null) clearTimeout(searchTimer)
    searchTimer = setTimeout(() => {
      searchTimer = null
      void searchNow()
    }, SEARCH_DEBOUNCE_MS)
  }

  /** Shows the results for what is in the search box now (Enter, or the debounce ending). */
  function searchNow(): Promise<void> {
    if (searchTimer !== null) clearTimeout(searchTimer)
    searchTimer = null
    if (query.value.trim() === searched.value.trim() && loaded.value) return Promise.resolve()
    searched.value = query.value
    // The rows shown stay until the results arrive, so the list does not flash while the user types.
    selection.clear()
    filterCounts.value = null
    scrollTop.value = 0
    return reload()
  }

  /** Empties the search box: everything in the filter again. */
  function clearSearch(): Promise<void> {
    query.value = ''
    return searchNow()
  }

  /** From the top of a new list (another filter or search). */
  function startOver(): Promise<void> {
    selection.clear()
    filterCounts.value = null
    list.clear()
    nextBefore.value = null
    searchingOlder.value = false
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
    if (searchTimer !== null) clearTimeout(searchTimer)
    searchTimer = null
  }

  /** Loads the list the first time it is shown; from then on, main's events keep it current. */
  function show(): Promise<void> {
    start()
    return loaded.value || loading.value ? Promise.resolve() : reload()
  }

  /** Re-reads the items main says changed, in one call per batch; batches apply in order, so answers never cross. */
  async function applyChanges({ reload: everything, ids }: ChangeBatch): Promise<void> {
    if (!loaded.value) return
    // A bulk batch reports up to hundreds of ids: one page read beats one read per row.
    if (everything || ids.length > PAGE_SIZE) {
      await reload()
      await refreshOpened()
      return
    }
    // Loaded rows are refreshed; the others are read only to see whether they belong (a new save, a row
    // moving into the filter). At most PAGE_SIZE ids, under ITEMS_READ_MAX: one call per batch.
    const ticket = generation
    const result = await readOutboxItems(ids)
    if (ticket !== generation) return
    if (result.ok) place(...result.value)
    commands.listChanged()
  }

  /** Tries one queued item now. A queue command: the sync store takes main's answer, the row shows it in flight. */
  const sendNow = (id: string) => commands.run(id, () => useSyncStore().sendNow(id))

  async function refreshOpened(): Promise<void> {
    const id = opened.value?.id
    if (!id) return
    const result = await callBridge(() => bridge.getOutboxItem({ id }))
    if (result.ok && opened.value?.id === id) opened.value = result.value
  }

  function open(item: OutboxItem): void {
    opened.value = item
  }

  function close(): void {
    opened.value = null
  }

  /** Opens an item in the detail pane by id (a possible duplicate's link); false when main no longer has it. */
  async function openById(id: string): Promise<boolean> {
    start()
    const result = await callBridge(() => bridge.getOutboxItem({ id }))
    if (result.ok) opened.value = result.value
    return result.ok
  }

  /** Checks every item of the filter, loaded or not, and asks main how many each action would move. */
  async function selectAll(): Promise<void> {
    if (searching.value) {
      selection.selectOnly(list.items.value.map((item) => item.id))
      return
    }
    selection.selectAll()
    await refreshFilterCounts()
  }

  async function refreshFilterCounts(): Promise<BulkCounts | null> {
    const asked = filter.value
    const counts = await bulk.counts(asked)
    if (counts && asked === filter.value) filterCounts.value = counts
    return counts
  }

  /** Runs `action` on the selection (or on one item, from its detail pane); the selection is cleared once it ran. */
  async function runBulk(action: BulkAction, ids?: readonly string[]) {
    const scope = ids ? { ids } : selection.all.value ? { filter: filter.value } : { ids: [...selection.ids.value] }
    commands.dismissUndo()
    const notice = await bulk.run(action, scope)
    if (notice && !ids) selection.clear()
    return notice
  }

  return {
    filter,
    query,
    searched,
    searching,
    totalAtLeast,
    searchingOlder,
    setQuery,
    searchNow,
    clearSearch,
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
    selection,
    selectedCount,
    selectionCounts,
    currentTarget,
    appliesTo,
    opened,
    open,
    openById,
    close,
    selectAll,
    refreshFilterCounts,
    runBulk,
    bulkBusy: bulk.busy,
    bulkFailure: bulk.failure,
    bulkNotice: bulk.notice,
    undoBulk: bulk.undo,
    dismissBulk: bulk.dismiss,
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
