import { ref, shallowRef, type Ref, type ShallowRef } from 'vue'

type Keyed = { id: string; seq: number }

/**
 * A list kept sorted by `seq`, highest (newest) first, with an index by id and the count of all
 * matching items, loaded or not. `items` is shallow and replaced on every change (a copy of 100,000
 * references is cheap): components that receive it as a prop then see the change.
 */
export function useNewestFirst<T extends Keyed>(): {
  items: ShallowRef<T[]>
  total: Ref<number>
  indexOf(id: string): number
  has(id: string): boolean
  /** Adds a page below what is loaded (skipping rows already here); `fresh` starts the list over. */
  addPage(rows: readonly T[], total: number, fresh: boolean): void
  /**
   * Puts a fresh copy of a row in: replaces it where it is, or inserts it in order when `admit`
   * (given the row and the last loaded row) says it belongs.
   */
  place(row: T, admit: (row: T, last: T | undefined) => boolean): void
  /** `place` for several rows at once (one change of `items`). */
  placeAll(rows: readonly T[], admit: (row: T, last: T | undefined) => boolean): void
  clear(): void
} {
  const items = shallowRef<T[]>([])
  const total = ref(0)
  const seqById = new Map<string, number>()

  function indexOf(id: string): number {
    return indexIn(items.value, id)
  }

  function indexIn(list: readonly T[], id: string): number {
    const seq = seqById.get(id)
    if (seq === undefined) return -1
    const at = positionIn(list, seq)
    return list[at]?.id === id ? at : -1
  }

  function addPage(rows: readonly T[], count: number, fresh: boolean): void {
    if (fresh) seqById.clear()
    const list = fresh ? [] : items.value.slice()
    for (const row of rows) {
      if (seqById.has(row.id)) continue
      seqById.set(row.id, row.seq)
      list.push(row)
    }
    items.value = list
    total.value = count
  }

  function place(row: T, admit: (row: T, last: T | undefined) => boolean): void {
    placeAll([row], admit)
  }

  // One copy of the list per batch, not per row: at 100,000 rows a copy per row is a long task.
  function placeAll(rows: readonly T[], admit: (row: T, last: T | undefined) => boolean): void {
    const list = items.value.slice()
    let changed = false
    for (const row of rows) changed = placeIn(list, row, admit) || changed
    if (changed) items.value = list
  }

  function placeIn(list: T[], row: T, admit: (row: T, last: T | undefined) => boolean): boolean {
    let changed = false
    const knownSeq = seqById.get(row.id)
    if (knownSeq !== undefined && knownSeq !== row.seq) {
      // Saved again under a newer seq: it moves.
      const old = indexIn(list, row.id)
      if (old >= 0) list.splice(old, 1)
      seqById.delete(row.id)
      total.value = Math.max(0, total.value - 1)
      changed = true
    }
    const at = positionIn(list, row.seq)
    if (list[at]?.id === row.id) {
      list[at] = row
      changed = true
    } else if (admit(row, list.at(-1))) {
      list.splice(at, 0, row)
      seqById.set(row.id, row.seq)
      total.value += 1
      changed = true
    }
    return changed
  }

  function clear(): void {
    items.value = []
    seqById.clear()
    total.value = 0
  }

  return { items, total, indexOf, has: (id) => seqById.has(id), addPage, place, placeAll, clear }
}

/** Where `seq` is in a list sorted highest first, or where it would go. */
function positionIn(list: readonly Keyed[], seq: number): number {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (list[mid]!.seq > seq) low = mid + 1
    else high = mid
  }
  return low
}
