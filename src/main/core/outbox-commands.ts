import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent } from '../../shared/bridge-contract.ts'
import { validateContactDraft, type ContactDraft, type ContactRequest } from '../../shared/contact.ts'
import {
  ATTEMPTS_SHOWN_MAX,
  BULK_BATCH_MAX,
  NO_CONNECTION_WORDS,
  OUTBOX_TRANSITIONS,
  otherTargetWords,
  RESTORED,
  bulkActions,
  bulkResultWords,
  canMove,
  invalidDraftError,
  refusalWords,
  type BulkAction,
  type OutboxAction,
} from '../../shared/outbox.ts'
import type { BulkInput, BulkResult, OutboxItem } from '../../shared/outbox-schemas.ts'
import type { DuplicateQuery, FindDuplicatesInput } from '../../shared/duplicates.ts'
import { isCountryCode, normalizePhone } from '../../shared/phone.ts'
import type { ConnectionProfile } from '../../shared/settings.ts'
import { OUTBOX_FULL_MESSAGE, outboxIsFull } from './outbox/outbox-capacity.ts'
import type { BulkBatch, CurrentTarget, OutboxStore, StoredItem } from './outbox/outbox-store-types.ts'
import { publicItem, publicPage } from './outbox/public-item.ts'
import type { SyncWorker } from './outbox/sync-worker.ts'
import { sameTarget, targetOf } from './outbox/worker-connection.ts'

export type OutboxCommandNames =
  | 'saveContact'
  | 'listOutbox'
  | 'getOutboxItem'
  | 'getOutboxItems'
  | 'getSyncStatus'
  | 'sendNow'
  | 'updateOutboxItem'
  | 'sendAgain'
  | 'markAsSent'
  | 'undoMarkAsSent'
  | 'discardOutboxItem'
  | 'restoreOutboxItem'
  | 'reportConnectivity'
  | 'listOutboxAttempts'
  | 'countOutboxBulk'
  | 'applyOutboxBulk'
  | 'findDuplicates'
  | 'findDuplicatesOfMany'

export interface OutboxCommandDependencies {
  store: OutboxStore
  worker: Pick<SyncWorker, 'kick' | 'sendNow' | 'reportConnectivity' | 'status' | 'publishStatus'>
  credentials: {
    profile(profileId?: string): Promise<ConnectionProfile | undefined>
    activeProfileId(): Promise<string>
  }
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

  /** The connection in Settings, as Move to current organization addresses items; undefined without one. */
  const current = async (): Promise<CurrentTarget | undefined> => {
    const profileId = await deps.credentials.activeProfileId()
    const profile = await deps.credentials.profile(profileId)
    return profile && { target: targetOf(profile), profileId }
  }

  /** Where an item of this profile goes now: its own profile's connection, the active one's if it has none any more. */
  const itemsProfile = async (profileId: string): Promise<ConnectionProfile | undefined> =>
    (await deps.credentials.profile(profileId)) ?? (await deps.credentials.profile())

  const applyBulk = async (input: BulkInput): Promise<Result<BulkResult>> => {
    const here = await current()
    if (input.action === 'retarget' && !here) return fail('not_configured', NO_CONNECTION_WORDS)
    const now = deps.now()
    const batch: BulkBatch & { nextBefore?: number | null } =
      'ids' in input
        ? store.bulk(input.action, input.ids, now, here)
        : store.bulkInFilter(
            input.action,
            { filter: input.filter, before: input.before, limit: BULK_BATCH_MAX },
            now,
            here,
          )
    if (batch.done.length > 0) {
      deps.emit('outboxChanged', { ids: batch.done })
      worker.publishStatus()
      if (LEADS_TO_QUEUED.includes(input.action)) worker.kick('enqueue')
    }
    return ok({
      done: batch.done,
      skipped: batch.skipped,
      nextBefore: batch.nextBefore ?? null,
      message: bulkResultWords(input.action, batch.done.length, batch.skipped),
    })
  }

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
        const here = await current()
        if (!here) return fail('not_configured', NO_CONNECTION_WORDS)
        if (outboxIsFull(store.counts(deps.now()))) return fail('storage', OUTBOX_FULL_MESSAGE)
        const item = store.enqueue({ draft, request: checked.request, ...here }, deps.now())
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

    getOutboxItems: ({ ids }) =>
      guard('getOutboxItems', async () => {
        const now = deps.now()
        const items = [...new Set(ids)].flatMap((id) => {
          const item = store.get(id, now)
          return item ? [publicItem(item)] : []
        })
        return ok({ items })
      }),

    getSyncStatus: () => guard('getSyncStatus', async () => ok(worker.status())),

    sendNow: ({ id }) =>
      guard('sendNow', async () => {
        if (id !== undefined) {
          const item = store.get(id, deps.now())
          if (!item || !canMove('sendNow', item.state)) return fail('bad_request', refusalWords('sendNow', item?.state))
          const profile = await itemsProfile(item.profileId)
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
        // An edit keeps the item's profile: it goes to that profile's organization as it is set now.
        const saved = store.get(id, deps.now())
        if (!saved) return refused(id, 'edit')
        const profile = await itemsProfile(saved.profileId)
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

    listOutboxAttempts: ({ id }) =>
      guard('listOutboxAttempts', async () => {
        if (!store.get(id, deps.now())) return fail('bad_request', refusalWords('get', undefined))
        return ok(store.attempts(id, ATTEMPTS_SHOWN_MAX))
      }),

    countOutboxBulk: ({ filter }) =>
      guard('countOutboxBulk', async () => {
        const here = await current()
        return ok(store.bulkCounts(filter, here?.target))
      }),

    applyOutboxBulk: (input) => guard('applyOutboxBulk', () => applyBulk(input)),

    findDuplicates: (input) =>
      guard('findDuplicates', async () => {
        const here = await current()
        // Without a connection there is no organization to compare with.
        if (!here) return ok({ keys: [] })
        const query = duplicateQueryOf(input)
        return ok({ keys: store.findDuplicates(here.target, query, { excludeId: input.excludeId }) })
      }),

    findDuplicatesOfMany: ({ contacts }) =>
      guard('findDuplicatesOfMany', async () => {
        const here = await current()
        if (!here) return ok({ matches: contacts.map(() => null) })
        const matches = contacts.map(({ email, phones }) => {
          const keys = store.findDuplicates(here.target, { emails: email.trim() ? [email.trim()] : [], phones })
          return keys.flatMap((key) => key.matches)[0] ?? null
        })
        return ok({ matches })
      }),
  }
}

/** Bulk actions after which items are queued again: the worker looks at once. */
const LEADS_TO_QUEUED: readonly BulkAction[] = bulkActions.filter((action) =>
  ['queued', RESTORED].includes(OUTBOX_TRANSITIONS[action].to),
)

/** The form's email and numbers as keys: each row read in its country; what does not read as a number is no key. */
function duplicateQueryOf(input: FindDuplicatesInput): DuplicateQuery {
  const phones = input.phones.flatMap((row) => {
    if (row.number.trim() === '') return []
    const code = row.country ?? input.country
    const read = normalizePhone(row.number, code && isCountryCode(code) ? code : undefined)
    return read.ok ? [read.e164] : []
  })
  const email = input.email.trim()
  return { emails: email ? [email] : [], phones }
}

type CheckedDraft = { ok: true; request: ContactRequest } | { ok: false; result: Result<never> }

/** Main's own validation: what the renderer checked is checked again here, and this answer counts. */
function checkDraft(draft: ContactDraft): CheckedDraft {
  const validation = validateContactDraft(draft)
  if (validation.ok) return { ok: true, request: validation.request }
  return { ok: false, result: { ok: false, error: invalidDraftError(validation.errors) } }
}
