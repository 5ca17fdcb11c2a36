import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OUTBOX_TRANSITIONS } from '../../src/shared/outbox.ts'
import { ARCHITECTURE_DOC, documentedTable, tableCells, transitionsTable } from '../../tools/docs/transitions-table.ts'

describe('docs/architecture.md', () => {
  const doc = readFileSync(ARCHITECTURE_DOC, 'utf8')

  it('shows the transition table as OUTBOX_TRANSITIONS has it (run npm run docs:transitions when this fails)', () => {
    expect(tableCells(documentedTable(doc))).toEqual(tableCells(transitionsTable()))
  })

  it('has a header and one row per move of the table', () => {
    const cells = tableCells(transitionsTable())
    expect(cells[0]).toEqual(['by', 'move', 'from', 'to'])
    expect(cells.slice(1).map((row) => row[1]!.split(' ')[0])).toEqual(
      Object.keys(OUTBOX_TRANSITIONS).map((move) => `\`${move}\``),
    )
  })

  it('notices a table that has drifted', () => {
    const drifted = doc.replace('| `sendAgain`', '| `sendAgainLater`')
    expect(drifted).not.toBe(doc)
    expect(tableCells(documentedTable(drifted))).not.toEqual(tableCells(transitionsTable()))
  })
})
