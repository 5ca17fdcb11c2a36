import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent } from '../../shared/bridge-contract.ts'
import { validateContactDraft, type ContactRequest } from '../../shared/contact.ts'
import type { CsvTable } from '../../shared/csv-import.ts'
import { NO_CONNECTION_WORDS } from '../../shared/outbox.ts'
import type { ConnectionProfile } from '../../shared/settings.ts'
import { rowsCsv } from './csv-export.ts'
import { CsvImportError, parseCsv } from './csv-import.ts'
import { MAX_WAITING_ITEMS, waitingCount } from './outbox/outbox-capacity.ts'
import type { NewOutboxItem, OutboxStore } from './outbox/outbox-store-types.ts'
import type { SyncWorker } from './outbox/sync-worker.ts'
import { targetOf } from './outbox/worker-connection.ts'

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

/** Drafts main checks between turns of its event loop (~50 ms of work on a slow machine). */
const CHECK_SLICE = 500

type Guard = <T>(name: string, run: () => Promise<Result<T>>) => Promise<Result<T>>

/** A file's bytes as a table, or the words that say why it cannot be read (used by both transports' open steps). */
export function parseCsvResult(bytes: Uint8Array, fileName: string): Result<CsvTable> {
  try {
    return ok(parseCsv(bytes, fileName))
  } catch (error) {
    if (error instanceof CsvImportError) return fail('invalid', error.message)
    throw error
  }
}

/**
 * Import CSV: reading a file into a table (the renderer maps and checks it in chunks) and Import N
 * contacts, which checks every draft again and writes them all to the outbox in one transaction.
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
        for (const [index, draft] of drafts.entries()) {
          // Main serves every window and the sync worker: checking 10,000 drafts hands the loop back between slices.
          if (index > 0 && index % CHECK_SLICE === 0) await new Promise((resolve) => setImmediate(resolve))
          const checked = validateContactDraft(draft)
          // All or nothing: the renderer sends only rows it found valid, so a refusal here means they disagree.
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
        const stored = deps.store.enqueueMany(items, deps.now())
        deps.emit('outboxChanged', { ids: stored.map((item) => item.id) })
        deps.worker.publishStatus()
        deps.worker.kick('enqueue')
        return ok({ count: stored.length })
      }),

    saveCsvRows: ({ fileName, headers, rows }) =>
      guard('saveCsvRows', async () => {
        return ok({ kind: 'file' as const, fileName, csv: rowsCsv(headers, rows), count: rows.length, complete: true })
      }),
  }
}
