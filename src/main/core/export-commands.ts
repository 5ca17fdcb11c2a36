import { ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers } from '../../shared/bridge-contract.ts'
import type { OutboxAccess } from '../../shared/contacts-export.ts'
import { contactsCsv, contactsCsvFileName } from './csv-export.ts'
import { readOnlyOutbox } from './outbox/outbox-errors.ts'
import type { OutboxStore } from './outbox/outbox-store-types.ts'

type Guard = <T>(name: string, run: () => Promise<Result<T>>) => Promise<Result<T>>

export interface ExportCommandDependencies {
  store: Pick<OutboxStore, 'path' | 'readOnly' | 'readAll'>
  now: () => number
}

/** Whether the outbox takes changes, and Export contacts (CSV): what keeps a damaged outbox's contacts from being stranded. */
export function createExportCommands(
  deps: ExportCommandDependencies,
  guard: Guard,
): Pick<CommandHandlers, 'getOutboxAccess' | 'exportContacts'> {
  return {
    getOutboxAccess: () => guard('getOutboxAccess', async () => ok(outboxAccess(deps.store))),

    exportContacts: () =>
      guard('exportContacts', async () => {
        const now = deps.now()
        const { items, complete } = deps.store.readAll(now)
        const csv = contactsCsv(items)
        return ok({ kind: 'file' as const, fileName: contactsCsvFileName(now), csv, count: items.length, complete })
      }),
  }
}

function outboxAccess(store: ExportCommandDependencies['store']): OutboxAccess {
  return store.readOnly
    ? { readOnly: true, message: readOnlyOutbox(store.path).message }
    : { readOnly: false, message: null }
}
