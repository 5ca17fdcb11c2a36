// Start-up as the core does it, on an existing data folder at each history size: createAppCore
// (the file's checks, recovery of interrupted sends, history pruning), then the first status and
// the first Outbox page the renderer asks for; after a clean close, and after a crash.
import { join } from 'node:path'
import { OUTBOX_FILE_NAME } from '../src/main/core/app-core.ts'
import { dispatchCommand } from '../src/main/core/command-dispatch.ts'
import { forgetCleanClose } from '../src/main/core/outbox/clean-close.ts'
import type { SyncStatus } from '../src/shared/outbox-schemas.ts'
import type { BenchContext } from './bench-context.ts'
import { NOWHERE, eventRelay, saveConnection, startBenchCoreHere } from './bench-core.ts'
import { historyCounts } from './history-seed.ts'
import { format, row } from './report.ts'
import { summarize, timeMsAsync, type Summary } from './stats.ts'

const CORE_STARTS = 5

export async function benchCoreStartup(ctx: BenchContext): Promise<void> {
  await measureCoreStartup(ctx)
}

interface CoreStart {
  /** createAppCore until getSyncStatus has answered: what the status line waits for. */
  toStatus: Summary
  /** Then the first page of the Outbox on Waiting to send, as the view asks for it. */
  firstPage: Summary
}

/** After a clean close the file's page check is skipped; after a crash (no clean-close note) it runs. */
const CLOSES = ['clean', 'crash'] as const
type Close = (typeof CLOSES)[number]

/** createAppCore on a data folder that already holds `size` items, closed and opened again each time. */
async function measureCoreStartup(ctx: BenchContext): Promise<void> {
  const bySize: Record<number, Record<Close, CoreStart>> = {}
  for (const size of ctx.config.history) {
    const dataDir = ctx.folders.folder(size)
    try {
      const setup = await startBenchCoreHere({ dataDir })
      await saveConnection(setup, NOWHERE)
      await setup.close()
      bySize[size] = {
        clean: await timeStarts(dataDir, size, false),
        crash: await timeStarts(dataDir, size, true),
      }
    } finally {
      ctx.discard(dataDir)
    }
  }
  ctx.results.coreStartup = { starts: CORE_STARTS, bySize }
  reportCoreStartup(ctx, bySize)
}

async function timeStarts(dataDir: string, size: number, afterCrash: boolean): Promise<CoreStart> {
  const toStatus: number[] = []
  const firstPage: number[] = []
  for (let i = 0; i < 1 + CORE_STARTS; i++) {
    // What a crash leaves that costs at open: no clean-close note, so the file gets the full page check.
    if (afterCrash) forgetCleanClose(join(dataDir, OUTBOX_FILE_NAME))
    let status: SyncStatus | undefined
    let core: Awaited<ReturnType<typeof startBenchCoreHere>> | undefined
    const started = await timeMsAsync(async () => {
      core = await startBenchCoreHere({ dataDir, relay: eventRelay() })
      const result = await core.handlers.getSyncStatus(undefined)
      if (result.ok) status = result.value
    })
    const paged = await timeMsAsync(() =>
      dispatchCommand(core!.handlers, 'listOutbox', { filter: 'to_send', limit: 100 }),
    )
    await core!.close()
    const expected = historyCounts(size).sent ?? 0
    if (status?.counts.sent !== expected) {
      throw new Error(`Start-up at ${size} items saw ${JSON.stringify(status?.counts)}, expected ${expected} sent`)
    }
    // The first start warms the file cache, as any start after the first does.
    if (i === 0) continue
    toStatus.push(started)
    firstPage.push(paged)
  }
  return { toStatus: summarize(toStatus), firstPage: summarize(firstPage) }
}

function reportCoreStartup(ctx: BenchContext, bySize: Record<number, Record<Close, CoreStart>>): void {
  const sizes = Object.keys(bySize).map(Number)
  const baseSize = Math.min(...sizes)
  const at = (size: number) => (size === 0 ? 'empty data folder' : `${format.size(size)} items`)
  const after: Record<Close, string> = { clean: 'after a clean close', crash: 'after a crash (full page check)' }
  for (const close of CLOSES) {
    const base = bySize[baseSize]![close]
    for (const size of sizes) {
      const r = bySize[size]![close]
      const vs = (pick: (s: CoreStart) => Summary) =>
        size === baseSize
          ? {}
          : {
              baseline: `${format.ms(pick(base).p50, 1)} on an ${at(baseSize)}`,
              ratio: format.times(pick(r).p50, pick(base).p50),
            }
      ctx.rows.push(
        row(
          `core start-up to first status ${after[close]}, ${at(size)}, p50 / max`,
          `${format.ms(r.toStatus.p50, 1)} / ${format.ms(r.toStatus.max, 1)}`,
          { ...vs((s) => s.toStatus), aim: close === 'clean' ? '≤ 100 ms at 1M' : '—' },
        ),
        row(
          `  then the first Outbox page, ${at(size)}, p50`,
          format.ms(r.firstPage.p50, 1),
          vs((s) => s.firstPage),
        ),
      )
    }
  }
}
