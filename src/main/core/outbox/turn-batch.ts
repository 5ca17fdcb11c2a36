/**
 * Collects the items that changed, and whether the status may have, during one turn of the event
 * loop, and reports them once when the turn ends: a burst of settles costs one event with the union
 * of the ids and one status, however many items it moved.
 */
export class TurnBatch {
  readonly #report: (ids: string[], status: boolean) => void
  readonly #ids = new Set<string>()
  #status = false
  #scheduled = false

  constructor(report: (ids: string[], status: boolean) => void) {
    this.#report = report
  }

  changed(ids: Iterable<string>): void {
    for (const id of ids) this.#ids.add(id)
    this.#schedule()
  }

  statusChanged(): void {
    this.#status = true
    this.#schedule()
  }

  /** Reports what is pending now rather than at the end of the turn. */
  flush(): void {
    const ids = [...this.#ids]
    const status = this.#status
    this.#ids.clear()
    this.#status = false
    if (ids.length > 0 || status) this.#report(ids, status)
  }

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    // setImmediate runs after the I/O callbacks of this turn: replies that arrived together go together.
    setImmediate(() => {
      this.#scheduled = false
      this.flush()
    })
  }
}
