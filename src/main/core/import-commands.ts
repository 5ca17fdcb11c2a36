import { performance } from 'node:perf_hooks'
import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent } from '../../shared/bridge-contract.ts'
import { validateContactDraft, type ContactRequest } from '../../shared/contact.ts'
import type { ImportContactsResult } from '../../shared/csv-import.ts'
import { NO_CONNECTION_WORDS } from '../../shared/outbox.ts'
import type { ConnectionProfile } from '../../shared/settings.ts'
import { rowsCsv } from './csv-export.ts'
import { parseCsvResult } from './csv-import.ts'
import { MAX_WAITING_ITEMS, waitingCount } from './outbox/outbox-capacity.ts'
import type { NewOutboxItem, OutboxStore, StoredItem } from './outbox/outbox-store-types.ts'
import type { SyncWorker } from './outbox/sync-worker.ts'
import { targetOf } from './outbox/worker-connection.ts'
import { nextBatchSize, nextTurn, sliceClock } from './time-slices.ts'

export type ImportCommandNames = 'openCsvFile' | 'parseCsvFile' | 'importContacts' | 'saveCsvRows'

export interface ImportCommandDependencies {
  store: Pick<OutboxStore, 'enqueueMany' | 'counts'>
  worker: Pick<SyncWorker, 'kick' | 'publishStatus'>
  credentials: {
    profile(profileId?: string): Promise<ConnectionProfile | undefined>
    activeProfileId(): Promise<string>
  }
  emit: EmitEvent
  now: () => number
}

/** The first write's size, before its cost is known; later ones are sized to the slice budget. */
const FIRST_WRITE = 25
/** At most this many contacts per transaction, however cheap they turn out to be. */
const MAX_WRITE = 1_000
/** The windows hear of written slices at most this often: each announcement makes an open Outbox read. */
const ANNOUNCE_EVERY_MS = 250

type Guard = <T>(name: string, run: () => Promise<Result<T>>) => Promise<Result<T>>

/**
 * Import CSV: reading a file into a table (the renderer maps and checks it in chunks) and Import N
 * contacts, which checks every draft again, then writes them in slices (writeInSlices) so main's
 * windows and worker wait no longer than a slice. Each slice is durable when written: a failure or a
 * crash part-way keeps the slices before it.
 */
export function createImportCommands(
  deps: ImportCommandDependencies,
  guard: Guard,
): Pick<CommandHandlers, ImportCommandNames> {
  return {
    // Main has no dialog of its own here; Electron's edge replaces this (csv-open-dialog.ts).
    openCsvFile: () => guard('openCsvFile', async () => ok({ kind: 'use_file_input' as const })),

    parseCsvFile: ({ fileName, base64 }) =>
      guard('parseCsvFile', async () => parseCsvResult(Buffer.from(base64, 'base64'), fileName)),

    importContacts: ({ drafts }) =>
      guard('importContacts', async () => {
        const requests: ContactRequest[] = []
        const clock = sliceClock()
        for (const [index, draft] of drafts.entries()) {
          if (clock.spent()) {
            await nextTurn()
            clock.restart()
          }
          const checked = validateContactDraft(draft)
          // Checked before anything is written: the renderer sends only rows it found valid, so a refusal means they disagree.
          if (!checked.ok) return fail('invalid', `Row ${index + 1} needs fixing; nothing was imported.`)
          requests.push(checked.request)
        }
        // Imported contacts go to the active profile, read once so a switch meanwhile cannot split them.
        const profileId = await deps.credentials.activeProfileId()
        const profile = await deps.credentials.profile(profileId)
        if (!profile) return fail('not_configured', NO_CONNECTION_WORDS)
        const room = MAX_WAITING_ITEMS - waitingCount(deps.store.counts(deps.now()))
        if (drafts.length > room) {
          return fail(
            'storage',
            `The outbox has room for ${Math.max(room, 0).toLocaleString('en-US')} more contacts; nothing was imported. Let the waiting ones send, then import again.`,
          )
        }
        const target = targetOf(profile)
        const items: NewOutboxItem[] = drafts.map((draft, index) => ({
          draft,
          request: requests[index]!,
          target,
          profileId,
        }))
        return writeInSlices(items, deps, guard)
      }),

    saveCsvRows: ({ fileName, headers, rows }) =>
      guard('saveCsvRows', async () => {
        return ok({ kind: 'file' as const, fileName, csv: rowsCsv(headers, rows), count: rows.length, complete: true })
      }),
  }
}

/**
 * Writes the checked items in order, one transaction per slice, each sized to the slice budget from
 * what the last one cost. A failing slice stops it: those before it stay, and the answer says why
 * the rest were not written (the guard gives the failure its words and logs it, as for any command).
 */
async function writeInSlices(
  items: NewOutboxItem[],
  deps: ImportCommandDependencies,
  guard: Guard,
): Promise<Result<ImportContactsResult>> {
  let written = 0
  let size = FIRST_WRITE
  let unannounced: string[] = []
  let announcedAt = performance.now()
  const announce = (): void => {
    if (unannounced.length === 0) return
    deps.emit('outboxChanged', { ids: unannounced })
    deps.worker.publishStatus()
    unannounced = []
    announcedAt = performance.now()
  }
  while (written < items.length) {
    if (written > 0) await nextTurn()
    const started = performance.now()
    let stored: StoredItem[]
    try {
      stored = deps.store.enqueueMany(items.slice(written, written + size), deps.now())
    } catch (error) {
      if (written === 0) throw error
      announce()
      const stopped = await guard('importContacts', async () => {
        throw error
      })
      return ok({ count: written, ...(stopped.ok ? {} : { stopped: stopped.error }) })
    }
    size = nextBatchSize({ items: stored.length, ms: performance.now() - started }, MAX_WRITE)
    // The first slice starts sending while the rest are written.
    if (written === 0) deps.worker.kick('enqueue')
    written += stored.length
    unannounced.push(...stored.map((item) => item.id))
    if (written === stored.length || performance.now() - announcedAt >= ANNOUNCE_EVERY_MS) announce()
  }
  announce()
  return ok({ count: written })
}
