import { ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers } from '../../shared/bridge-contract.ts'
import type { OutboxAccess } from '../../shared/contacts-export.ts'
import { matchesFilter, type OutboxFilter } from '../../shared/outbox.ts'
import type { OutboxItem } from '../../shared/outbox-schemas.ts'
import { contactsCsv, contactsCsvFileName } from './csv-export.ts'
import { readOnlyOutbox } from './outbox/outbox-errors.ts'
import type { OutboxStore } from './outbox/outbox-store-types.ts'

type Guard = <T>(name: string, run: () => Promise<Result<T>>) => Promise<Result<T>>

export interface ExportCommandDependencies {
  store: Pick<OutboxStore, 'path' | 'readOnly' | 'readAll' | 'page'>
  now: () => number
}

/** Whether the outbox takes changes, and Export contacts (CSV): what keeps a damaged outbox's contacts from being stranded. */
export function createExportCommands(
  deps: ExportCommandDependencies,
  guard: Guard,
): Pick<CommandHandlers, 'getOutboxAccess' | 'exportContacts'> {
  return {
    getOutboxAccess: () => guard('getOutboxAccess', async () => ok(outboxAccess(deps.store))),

    exportContacts: (input) =>
      guard('exportContacts', async () => {
        const now = deps.now()
        const filter = input?.filter
        const query = input?.query?.trim()
        const fileName = contactsCsvFileName(now, filter, Boolean(query))
        if (query) {
          const items = searchResults(deps.store, filter ?? 'all', query, now)
          return ok({ kind: 'file' as const, fileName, csv: contactsCsv(items), count: items.length, complete: true })
        }
        const readout = deps.store.readAll(now)
        // The same reading, columns and guards for a filter (History is `sent`) as for the damaged file's rescue.
        const items = filter ? readout.items.filter((item) => matchesFilter(item.state, filter)) : readout.items
        const csv = contactsCsv(items)
        return ok({ kind: 'file' as const, fileName, csv, count: items.length, complete: readout.complete })
      }),
  }
}

/** Every item the Outbox lists for these search words in this filter, newest first, read page by page. */
function searchResults(
  store: Pick<OutboxStore, 'page'>,
  filter: OutboxFilter,
  query: string,
  now: number,
): OutboxItem[] {
  const items: OutboxItem[] = []
  let before: number | undefined
  do {
    const page = store.page({ filter, query, limit: EXPORT_PAGE, ...(before === undefined ? {} : { before }) }, now)
    items.push(...page.items)
    before = page.nextBefore ?? undefined
  } while (before !== undefined)
  return items
}

const EXPORT_PAGE = 500

function outboxAccess(store: ExportCommandDependencies['store']): OutboxAccess {
  return store.readOnly
    ? { readOnly: true, message: readOnlyOutbox(store.path).message }
    : { readOnly: false, message: null }
}
