// The outbox's transition table as docs/architecture.md shows it, made from OUTBOX_TRANSITIONS so the page
// cannot drift: `npm run docs:transitions` rewrites the block, and a unit test fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs'
import { OUTBOX_ACTION_LABELS, OUTBOX_TRANSITIONS, RESTORED, type OutboxAction } from '../../src/shared/outbox.ts'

export const ARCHITECTURE_DOC = new URL('../../docs/architecture.md', import.meta.url)
const START = '<!-- transitions:start (made by npm run docs:transitions) -->'
const END = '<!-- transitions:end -->'

const code = (text: string): string => `\`${text}\``

/** One row per move: who makes it, its name (the button's label for the user's), from where, to where. */
export function transitionsTable(): string {
  const rows = Object.entries(OUTBOX_TRANSITIONS).map(([move, { by, from, to }]) => {
    const label = by === 'user' ? ` (**${OUTBOX_ACTION_LABELS[move as OutboxAction]}**)` : ''
    const target = to === RESTORED ? 'the state it was discarded from' : code(to)
    return `| ${by} | ${code(move)}${label} | ${from.map(code).join(', ')} | ${target} |`
  })
  return ['| by | move | from | to |', '| --- | --- | --- | --- |', ...rows].join('\n')
}

/** A markdown table's cells, row by row, without the separator row: the same however Prettier aligns it. */
export function tableCells(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    )
}

/** The block between the markers as the document has it now. */
export function documentedTable(doc: string): string {
  const start = doc.indexOf(START)
  const end = doc.indexOf(END)
  if (start < 0 || end < start) throw new Error(`docs/architecture.md has no ${START} … ${END} block`)
  return doc.slice(start + START.length, end)
}

/** The document with its block between the markers made anew. */
export function withTransitionsTable(doc: string): string {
  documentedTable(doc)
  const start = doc.indexOf(START)
  const end = doc.indexOf(END)
  return `${doc.slice(0, start + START.length)}\n\n${transitionsTable()}\n\n${doc.slice(end)}`
}

if (import.meta.main) {
  const doc = readFileSync(ARCHITECTURE_DOC, 'utf8')
  writeFileSync(ARCHITECTURE_DOC, withTransitionsTable(doc))
  console.log('docs/architecture.md: transitions table written; run npm run format to align it')
}
