import { computed, ref } from 'vue'

/**
 * Which rows of the Outbox list are checked: some ids, or everything in the filter (`all`), loaded
 * or not. Shift-click checks or unchecks the range from the last row clicked, as file lists do.
 */
export function useSelection() {
  const ids = ref<ReadonlySet<string>>(new Set())
  /** Everything in the current filter, also what is not loaded yet. */
  const all = ref(false)
  /** The row a Shift-click ranges from. */
  let anchor: string | null = null

  const active = computed(() => all.value || ids.value.size > 0)

  function has(id: string): boolean {
    return all.value || ids.value.has(id)
  }

  /**
   * The user clicked the box of row `id` in `order` (the rows loaded, in list order). Unchecking one
   * row while everything is selected keeps the loaded rows but that one.
   */
  function toggle(id: string, order: readonly string[], range = false): void {
    const checked = !has(id)
    const next = new Set(all.value ? order : ids.value)
    all.value = false
    const from = range && anchor !== null ? order.indexOf(anchor) : -1
    const to = order.indexOf(id)
    const span = from >= 0 && to >= 0 ? order.slice(Math.min(from, to), Math.max(from, to) + 1) : [id]
    for (const each of span) {
      if (checked) next.add(each)
      else next.delete(each)
    }
    ids.value = next
    anchor = id
  }

  function selectAll(): void {
    all.value = true
    ids.value = new Set()
  }

  function clear(): void {
    all.value = false
    ids.value = new Set()
    anchor = null
  }

  /** Exactly these rows (a search's matches: "all in the filter" would take more than the user sees). */
  function selectOnly(only: readonly string[]): void {
    all.value = false
    ids.value = new Set(only)
  }

  return { ids, all, active, has, toggle, selectAll, selectOnly, clear }
}

export type Selection = ReturnType<typeof useSelection>
