import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent } from '../../shared/bridge-contract.ts'
import { validateContactDraft, type ContactDraft, type ContactRequest } from '../../shared/contact.ts'
import {
  NO_CONNECTION_WORDS,
  canMove,
  invalidDraftError,
  refusalWords,
  type OutboxAction,
  type OutboxItem,
  type OutboxTarget,
} from '../../shared/outbox.ts'
import type { ConnectionProfile } from '../../shared/settings.ts'
import { OUTBOX_FULL_MESSAGE, outboxIsFull } from './outbox/outbox-capacity.ts'
import type { OutboxStore, StoredItem } from './outbox/outbox-store-types.ts'
import { publicItem, publicPage } from './outbox/public-item.ts'
import type { SyncWorker } from './outbox/sync-worker.ts'
import { sameTarget, targetOf } from './outbox/worker-connection.ts'

export type OutboxCommandNames =
  | 'saveContact'
  | 'listOutbox'
  | 'getOutboxItem'
  | 'getSyncStatus'
  | 'sendNow'
  | 'updateOutboxItem'
  | 'sendAgain'
  | 'markAsSent'
  | 'undoMarkAsSent'
  | 'discardOutboxItem'
  | 'restoreOutboxItem'
  | 'reportConnectivity'

export interface OutboxCommandDependencies {
  store: OutboxStore
  worker: Pick<SyncWorker, 'kick' | 'sendNow' | 'reportConnectivity' | 'status' | 'publishStatus'>
  credentials: { profile(): Promise<ConnectionProfile | undefined>; readonly profileId: string }
  emit: EmitEvent
  now: () => number
}

type Guard = <T>(name: string, run: () => Promise<Result<T>>) => Promise<Result<T>>

/**
 * The outbox commands: each is one store transition (one SQLite transaction), then an event,
 * then a kick for the worker. Saving never needs the network or the API key.
 */
export function createOutboxCommands(
  deps: OutboxCommandDependencies,
  guard: Guard,
): Pick<CommandHandlers, OutboxCommandNames> {
  const { store, worker } = deps

  const changed = (item: StoredItem): Result<OutboxItem> => {
    deps.emit('outboxChanged', { ids: [item.id] })
    worker.publishStatus()
    return ok(publicItem(item))
  }

  /** A transition the store refused: say why, from the item's state now. */
  const refused = (id: string, action: OutboxAction | 'undoMarkAsSent'): Result<never> =>
    fail('bad_request', refusalWords(action, store.get(id, deps.now())?.state))

  const transition =
    (name: string, action: OutboxAction | 'undoMarkAsSent', run: (id: string, now: number) => StoredItem | undefined) =>
    (input: { id: string }) =>
      guard(name, async () => {
        const item = run(input.id, deps.now())
        if (!item) return refused(input.id, action)
        const result = changed(item)
        if (item.state === 'queued') worker.kick('enqueue')
        return result
      })

  return {
    saveContact: (draft) =>
      guard('saveContact', async () => {
        const checked = checkDraft(draft)
        if (!checked.ok) return checked.result
        const profile = await deps.credentials.profile()
        if (!profile) return fail('not_configured', NO_CONNECTION_WORDS)
        if (outboxIsFull(store.counts(deps.now()))) return fail('storage', OUTBOX_FULL_MESSAGE)
        const item = store.enqueue(
          { draft, request: checked.request, target: targetOf(profile), profileId: deps.credentials.profileId },
          deps.now(),
        )
        const result = changed(item)
        worker.kick('enqueue')
        return result
      }),

    listOutbox: (request) => guard('listOutbox', async () => ok(publicPage(store.page(request, deps.now())))),

    getOutboxItem: ({ id }) =>
      guard('getOutboxItem', async () => {
        const item = store.get(id, deps.now())
        return item ? ok(publicItem(item)) : fail('bad_request', refusalWords('get', undefined))
      }),

    getSyncStatus: () => guard('getSyncStatus', async () => ok(worker.status())),

    sendNow: ({ id }) =>
      guard('sendNow', async () => {
        if (id !== undefined) {
          const item = store.get(id, deps.now())
          if (!item || !canMove('sendNow', item.state)) return fail('bad_request', refusalWords('sendNow', item?.state))
          const profile = await deps.credentials.profile()
          if (profile && !sameTarget(item.target, targetOf(profile))) {
            return fail('bad_request', otherTargetWords(item.target))
          }
        }
        worker.sendNow(id)
        return ok(worker.status())
      }),

    updateOutboxItem: ({ id, draft }) =>
      guard('updateOutboxItem', async () => {
        const checked = checkDraft(draft)
        if (!checked.ok) return checked.result
        const profile = await deps.credentials.profile()
        if (!profile) return fail('not_configured', NO_CONNECTION_WORDS)
        const change = { draft, request: checked.request, target: targetOf(profile) }
        const item = store.updateDraft(id, change, deps.now())
        if (!item) return refused(id, 'edit')
        const result = changed(item)
        worker.kick('enqueue')
        return result
      }),

    sendAgain: transition('sendAgain', 'sendAgain', (id, now) => store.sendAgain(id, now)),
    markAsSent: transition('markAsSent', 'markAsSent', (id, now) => store.markSentByUser(id, now)),
    undoMarkAsSent: transition('undoMarkAsSent', 'undoMarkAsSent', (id, now) => store.undoMarkSentByUser(id, now)),
    discardOutboxItem: transition('discardOutboxItem', 'discard', (id, now) => store.discard(id, now)),
    restoreOutboxItem: transition('restoreOutboxItem', 'restore', (id, now) => store.restore(id, now)),

    reportConnectivity: ({ online }) =>
      guard('reportConnectivity', async () => {
        worker.reportConnectivity(online)
        return ok(worker.status())
      }),
  }
}

type CheckedDraft = { ok: true; request: ContactRequest } | { ok: false; result: Result<never> }

/** Main's own validation: what the renderer checked is checked again here, and this answer counts. */
function checkDraft(draft: ContactDraft): CheckedDraft {
  const validation = validateContactDraft(draft)
  if (validation.ok) return { ok: true, request: validation.request }
  return { ok: false, result: { ok: false, error: invalidDraftError(validation.errors) } }
}

function otherTargetWords(target: OutboxTarget): string {
  let host = target.baseUrl
  try {
    host = new URL(target.baseUrl).host
  } catch {
    // Keep the stored text; it is only shown.
  }
  return `This contact was saved for organization ${target.organizationId} at ${host}, not the connection in Settings now. Edit and save it to send it with the current settings.`
}
