// Import CSV at its limit: 10,000 rows parsed, mapped, checked by the shared contact schema and written to
// the outbox through the importContacts command, against parsing alone in the same run; and how long main's
// event loop was held while the import ran (main writes in slices sized to its budget, time-slices.ts).
import Papa from 'papaparse'
import { dispatchCommand } from '../src/main/core/command-dispatch.ts'
import { parseCsv } from '../src/main/core/csv-import.ts'
import { validateContactDraft, type ContactDraft } from '../src/shared/contact.ts'
import { CSV_IMPORT_LIMITS, guessMapping, mapRow } from '../src/shared/csv-import.ts'
import type { BenchContext } from './bench-context.ts'
import { NOWHERE, saveConnection, startBenchCore } from './bench-core.ts'
import { monitorEventLoop, type LoopDelay } from './event-loop.ts'
import { realisticDraft } from './realistic-contacts.ts'
import { format, row } from './report.ts'
import { summarize, timeMs, timeMsAsync, type Summary } from './stats.ts'

const ROWS = CSV_IMPORT_LIMITS.rows
const SAMPLES = 5

/** A file of `count` rows (10,000 by default) as a spreadsheet saves it: UTF-8 with BOM, first + last name, up to three phone columns. */
export function spreadsheet(count = ROWS, draftOf: (i: number) => ContactDraft = realisticDraft): Uint8Array {
  const rows = Array.from({ length: count }, (_, i) => {
    const draft = draftOf(i)
    const [first, ...last] = draft.fullName.split(' ')
    return [
      first,
      last.join(' '),
      draft.email,
      draft.description,
      ...[0, 1, 2].map((k) => draft.phones[k]?.number ?? ''),
    ]
  })
  const fields = ['First name', 'Last name', 'E-mail', 'Notes', 'Mobile', 'Work', 'Home']
  return new TextEncoder().encode('\uFEFF' + Papa.unparse({ fields, data: rows }, { newline: '\r\n' }))
}

/** What the renderer does with the table: map every row and check it (here on the bench's thread). */
function mapAndCheck(bytes: Uint8Array): ContactDraft[] {
  const table = parseCsv(bytes, 'bench.csv')
  const mapping = guessMapping(table.headers)
  return table.rows.map((cells) => mapRow(cells, mapping, 'US').draft).filter((draft) => validateContactDraft(draft).ok)
}

export async function benchCsv(ctx: BenchContext): Promise<void> {
  const bytes = spreadsheet()
  const parse: number[] = []
  const check: number[] = []
  const whole: number[] = []
  const enqueue: number[] = []
  const delays: LoopDelay[] = []
  for (let sample = 0; sample < SAMPLES; sample++) {
    parse.push(timeMs(() => parseCsv(bytes, 'bench.csv')))
    check.push(timeMs(() => mapAndCheck(bytes)))
    const dataDir = ctx.folders.folder(0)
    const core = await startBenchCore({ dataDir })
    try {
      await saveConnection(core, NOWHERE)
      const drafts = mapAndCheck(bytes)
      let imported = 0
      // Main's share alone (the renderer maps and checks): how long its event loop is held meanwhile.
      const loop = monitorEventLoop()
      const command = await timeMsAsync(async () => {
        const result = await dispatchCommand(core.handlers, 'importContacts', { drafts })
        if (!result.ok) throw new Error(`importContacts failed: ${result.error.message}`)
        imported = (result.value as { count: number }).count
      })
      // One more turn of the loop, so a timer held up by the last synchronous stretch is counted.
      await new Promise((resolve) => setTimeout(resolve, 5))
      delays.push(loop.stop())
      enqueue.push(command)
      whole.push(check.at(-1)! + command)
      if (imported < ROWS * 0.9) throw new Error(`Only ${imported} of ${ROWS} rows were imported`)
    } finally {
      await core.close()
      ctx.discard(dataDir)
    }
  }
  const results = {
    rows: ROWS,
    bytes: bytes.byteLength,
    parse: summarize(parse),
    check: summarize(check),
    enqueue: summarize(enqueue),
    whole: summarize(whole),
    loop: delays,
  }
  ctx.results.csv = results
  addRows(ctx, results)
}

function addRows(
  ctx: BenchContext,
  r: { parse: Summary; check: Summary; enqueue: Summary; whole: Summary; loop: LoopDelay[] },
): void {
  const parseText = `parse alone ${format.ms(r.parse.p50, 1)}`
  const maxDelay = Math.max(...r.loop.map((d) => d.max))
  const p99Delay = Math.max(...r.loop.map((d) => d.p99))
  ctx.rows.push(
    row(`CSV import: parse + map + validate ${format.count(ROWS)} rows, p50`, format.ms(r.check.p50, 1), {
      baseline: parseText,
      ratio: format.times(r.check.p50, r.parse.p50),
    }),
    row(`CSV import: parse + validate + enqueue ${format.count(ROWS)}, p50`, format.ms(r.whole.p50, 1), {
      baseline: parseText,
      ratio: format.times(r.whole.p50, r.parse.p50),
      aim: '≤ 10 s',
    }),
    row(`CSV import: importContacts alone (check again + write in slices), p50`, format.ms(r.enqueue.p50, 1), {
      baseline: parseText,
      ratio: format.times(r.enqueue.p50, r.parse.p50),
    }),
    row(`CSV import: main event-loop delay during importContacts, p99`, format.ms(p99Delay, 1), {
      aim: '≤ 16 ms',
    }),
    row(`CSV import: main event-loop delay during importContacts, max`, format.ms(maxDelay, 1), {
      aim: '≤ 50 ms',
    }),
  )
}
