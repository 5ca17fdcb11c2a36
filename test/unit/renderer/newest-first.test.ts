import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { useNewestFirst } from '../../../src/renderer/src/composables/use-newest-first.ts'

type Row = { id: string; seq: number; state: string }

const op = fc.oneof(
  fc.record({ kind: fc.constant('page' as const), count: fc.integer({ min: 0, max: 4 }), fresh: fc.boolean() }),
  fc.record({ kind: fc.constant('save' as const), admit: fc.boolean() }),
  fc.record({ kind: fc.constant('change' as const), pick: fc.nat(), state: fc.constantFrom('queued', 'sent') }),
  fc.record({ kind: fc.constant('resave' as const), pick: fc.nat(), admit: fc.boolean() }),
  fc.record({ kind: fc.constant('changes' as const), picks: fc.array(fc.nat(), { maxLength: 5 }) }),
)

describe('useNewestFirst', () => {
  it('stays sorted newest first, with one row per id and a count that follows, whatever arrives', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const list = useNewestFirst<Row>()
        // The model: what the list should hold, and how many items match in all.
        let model: Row[] = []
        let total = 0
        let nextId = 0
        // Pages go down from the middle; new saves go up from it.
        let low = 10_000
        let high = 10_001

        for (const step of ops) {
          if (step.kind === 'page') {
            if (step.fresh) {
              model = []
              low = 10_000
            }
            const rows = Array.from({ length: step.count }, () => ({ id: `i${nextId++}`, seq: low--, state: 'queued' }))
            // The same rows again (a page overlapping what is loaded) are skipped.
            list.addPage([...rows, ...model.slice(0, 1)], model.length + rows.length, step.fresh)
            model = [...model, ...rows]
            total = model.length
          } else if (step.kind === 'save') {
            const row = { id: `i${nextId++}`, seq: high++, state: 'queued' }
            list.place(row, () => step.admit)
            if (step.admit) {
              model = [row, ...model]
              total += 1
            }
          } else if (step.kind === 'changes') {
            // Several listed rows at once, as a batch of main's reports brings them.
            const rows =
              model.length === 0 ? [] : step.picks.map((pick) => ({ ...model[pick % model.length]!, state: 'sent' }))
            list.placeAll(rows, () => false)
            for (const row of rows) model = model.map((r) => (r.id === row.id ? row : r))
          } else if (model.length > 0) {
            const old = model[step.pick % model.length]!
            if (step.kind === 'change') {
              // Already listed: replaced where it is, whatever the filter says.
              const row = { ...old, state: step.state }
              list.place(row, () => false)
              model = model.map((r) => (r.id === row.id ? row : r))
            } else {
              const row = { ...old, seq: high++ }
              list.place(row, () => step.admit)
              model = model.filter((r) => r.id !== row.id)
              total = Math.max(0, total - 1)
              if (step.admit) {
                model = [row, ...model]
                total += 1
              }
            }
          }

          expect(list.items.value).toEqual(model)
          expect(list.total.value).toBe(total)
          model.forEach((row, at) => expect(list.indexOf(row.id)).toBe(at))
          expect(list.indexOf('never-seen')).toBe(-1)
        }
      }),
    )
  })

  it('forgets everything on clear', () => {
    const list = useNewestFirst<Row>()
    list.addPage([{ id: 'a', seq: 2, state: 'queued' }], 5, true)
    list.clear()
    expect(list.items.value).toEqual([])
    expect(list.total.value).toBe(0)
    expect(list.has('a')).toBe(false)
    expect(list.indexOf('a')).toBe(-1)
  })
})
