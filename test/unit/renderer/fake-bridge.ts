import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, vi } from 'vitest'
import type { z } from 'zod'
import type { AppError, Result } from '../../../src/shared/app-error.ts'
import {
  bridgeContract,
  type BridgeApi,
  type CommandInput,
  type CommandName,
  type CommandOutput,
  type EventName,
  type EventPayload,
} from '../../../src/shared/bridge-contract.ts'
import {
  validateContactDraft,
  type ContactDraft,
  type ContactFieldErrors,
  type CreatedContact,
} from '../../../src/shared/contact.ts'
import { contactsCsv, contactsCsvFileName, rowsCsv } from '../../../src/main/core/csv-export.ts'
import { parseCsvResult } from '../../../src/main/core/csv-import.ts'
import type { ContactsExportInput, ContactsExport, OutboxAccess } from '../../../src/shared/contacts-export.ts'
import type {
  CsvFileInput,
  CsvOpen,
  CsvRowsExportInput,
  CsvTable,
  ImportContactsResult,
} from '../../../src/shared/csv-import.ts'
import { itemError, type ItemError } from '../../../src/shared/item-error.ts'
import { emailKey, itemTerms, queryTokens } from '../../../src/shared/search-terms.ts'
import {
  DUPLICATE_MATCHES_MAX,
  type Duplicates,
  type DuplicatesOfMany,
  type FindDuplicatesInput,
  type FindDuplicatesOfManyInput,
} from '../../../src/shared/duplicates.ts'
import { queueReason, type QueueReason } from '../../../src/shared/queue-reason.ts'
import {
  NAME_TAKEN,
  profileNameSchema,
  sameProfileName,
  type ManageProfileInput,
} from '../../../src/shared/profiles.ts'
import {
  ATTEMPTS_SHOWN_MAX,
  BULK_BATCH_MAX,
  NO_CONNECTION_WORDS,
  OUTBOX_FILTER_STATES,
  OUTBOX_TRANSITIONS,
  bulkActions,
  bulkResultWords,
  invalidDraftError,
  matchesFilter,
  nextState,
  otherTargetWords,
  outboxActions,
  outboxStates,
  refusalWords,
  NEEDS_YOU_STATES,
  TO_SEND_STATES,
  WAITING_STATES,
  type AttemptOutcome,
  type BulkAction,
  type OutboxAction,
  type OutboxFilter,
  type OutboxMove,
  type OutboxState,
  type QueueState,
} from '../../../src/shared/outbox.ts'
import type {
  BulkCounts,
  BulkInput,
  BulkResult,
  OutboxAttempt,
  OutboxAttempts,
  OutboxItem,
  OutboxPage,
  OutboxPageRequest,
  SyncStatus,
} from '../../../src/shared/outbox-schemas.ts'
import type { DiagnosticsReport } from '../../../src/shared/diagnostics.ts'
import type { FormDraft, SavedDraft } from '../../../src/shared/draft.ts'
import { normalizePhone, isCountryCode } from '../../../src/shared/phone.ts'
import {
  apiKeyBinding,
  KEY_FOR_THIS_SERVER,
  NEVER_CHECKED,
  sameApiKeyBinding,
  type ConnectionHealth,
  type ConnectionTest,
  type ConnectionTestVerdict,
  type SettingsInput,
  type SettingsView,
} from '../../../src/shared/settings.ts'

const EMPTY_CONNECTION: SettingsView['profile'] = {
  baseUrl: 'https://cloud-staging.cloverhound.com',
  organizationId: null,
  apiKeyId: '',
  deduplicatesRetries: false,
}

export const configuredView = (overrides: Partial<SettingsView> = {}): SettingsView => ({
  profile: {
    baseUrl: 'https://cloud-staging.cloverhound.com',
    organizationId: 42,
    apiKeyId: 'key-id-1',
    deduplicatesRetries: false,
  },
  configured: true,
  hasApiKey: true,
  keyStorage: 'keychain',
  keychain: { available: true },
  retention: { flagAfterDays: 7, keepHistoryDays: 30 },
  activeProfileId: 'default',
  profiles: [{ id: 'default', name: 'Acme — production', organizationId: 42, host: 'cloud-staging.cloverhound.com' }],
  ...overrides,
})

/** A report as main would make it (already redacted there). */
export const fakeDiagnostics = (
  text = 'Cloverhound Contacts diagnostics\nApp version: 0.1.0\n',
): DiagnosticsReport => ({
  text,
  report: {
    generatedAt: '2025-01-01T09:00:00.000Z',
    app: { version: '0.1.0' },
    runtime: {
      electron: '38.0.0',
      chrome: '140.0.0.0',
      node: '22.19.0',
      platform: 'linux',
      osRelease: '6.8',
      arch: 'x64',
    },
    connection: {
      configured: true,
      host: 'cloud-staging.cloverhound.com',
      organizationId: 42,
      hasApiKey: true,
      keychainAvailable: true,
    },
    outbox: {
      counts: { queued: 0, sending: 0, sent: 0, needs_fix: 0, unconfirmed: 0, discarded: 0 },
      overdue: 0,
      syncState: 'running',
      inFlight: 0,
    },
    retention: { flagAfterDays: 7, keepHistoryDays: 30 },
    storage: { outboxSchemaVersion: 1, settingsFileVersion: 1 },
    recentErrors: [],
  },
})

/** What a server would answer for a draft: ids, and each phone in E.164. */
export function createdFrom(draft: ContactDraft, id = 1001): CreatedContact {
  const countryOf = (row: { country?: string }) => {
    const code = row.country ?? draft.country
    return code && isCountryCode(code) ? code : undefined
  }
  return {
    id,
    organization_id: 42,
    full_name: draft.fullName.trim(),
    email: draft.email.trim() || null,
    description: draft.description.trim() || null,
    contact_phones: draft.phones.map((phone, index) => {
      const normalized = normalizePhone(phone.number, countryOf(phone))
      return {
        id: 5000 + index,
        contact_id: id,
        organization_id: 42,
        number: normalized.ok ? normalized.e164 : phone.number,
        phone_type: 'mobile',
      }
    }),
    created_at: '2025-01-01T00:00:00Z',
  }
}

/** A valid outbox item id (the contract wants 36 characters of hex and dashes). */
export const itemId = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`

type ParsedInput<N extends CommandName> = z.output<(typeof bridgeContract)[N]['input']>
type Stored = OutboxItem & { discardedFrom: OutboxState | null }

const isUserAction = (move: OutboxMove): move is OutboxAction | 'undoMarkAsSent' =>
  move === 'undoMarkAsSent' || (outboxActions as OutboxMove[]).includes(move)

/**
 * A stand-in for `window.api` (main is tested on its own). It keeps an honest in-memory outbox:
 * the commands apply the moves OUTBOX_TRANSITIONS allows and refuse the rest in main's words,
 * every change is announced with `outboxChanged` and `syncStatusChanged`, and inputs and outputs
 * are structured-cloned as Electron's IPC would. `worker` plays main's sync worker.
 * outbox-contract.test.ts runs it beside the real core to keep it that way.
 */
export function createFakeBridge(initial: SettingsView = configuredView()) {
  let view = initial
  /** The other profiles' connections as main keeps them (the active one's is `view.profile`); each item's profile. */
  const connections = new Map<string, { profile: SettingsView['profile']; hasApiKey: boolean }>()
  const profileOf = new Map<string, string>()
  let nextProfile = 1
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  const byId = new Map<string, Stored>()
  /** Each item's attempts, oldest first, as main's outbox_attempts keeps them (and prunes them with the item). */
  const attemptsOf = new Map<string, OutboxAttempt[]>()
  /** Every item in saving order (seq ascending). */
  const order: Stored[] = []
  let nextSeq = 1
  let nextContactId = 1001
  let tick = 0
  let access: OutboxAccess = { readOnly: false, message: null }
  /** What main's save dialog answers (Electron); undefined plays the web preview, which hands the file over. */
  let saveDialog: ((csv: string) => ContactsExport) | undefined
  /** The next import's outbox write fails after this many contacts, as main's does when a slice fails. */
  let importStop: { after: number; error: AppError } | undefined
  /** The reason main gives for a state when a test names none: as main's worker finds it from the settings. */
  function defaultReason(state: QueueState): QueueReason | null {
    if (state === 'paused_auth') return queueReason('key_refused', {})
    if (state !== 'not_configured') return null
    return view.profile.organizationId === null
      ? queueReason('no_connection', {})
      : queueReason('no_api_key', { host: new URL(view.profile.baseUrl).host })
  }
  /** What main's draft.json would hold. */
  let kept: SavedDraft = {
    draft: null,
    savedAt: null,
    phoneCountry: null,
    problem: null,
  }
  let queue: { state: QueueState; until: string | null; reason: QueueReason | null } = {
    state: initial.configured ? 'running' : 'not_configured',
    until: null,
    reason: initial.configured ? null : defaultReason('not_configured'),
  }

  /** What the server last said about the connection, as main's ConnectionHealth keeps it. */
  /** As main's ConnectionHealth: per profile, kept across switches, cleared when that profile's settings change. */
  const healthOf = new Map<string, ConnectionHealth>()
  const health = (): ConnectionHealth => healthOf.get(view.activeProfileId) ?? NEVER_CHECKED
  const setHealth = (next: ConnectionHealth): void => void healthOf.set(view.activeProfileId, { ...next })
  /** How the fake server answers Test connection's probe. */
  let probeAnswer: { verdict: ConnectionTestVerdict; message: string } = {
    verdict: 'working',
    message: 'Connection works: cloud-staging.cloverhound.com accepted the API key for organization 42.',
  }

  /** A clock that always moves forward, so updatedAt orders every change. */
  const now = (): string => new Date(Date.UTC(2025, 0, 1, 9, 0, 0) + tick++ * 1000).toISOString()
  /** Main saves an item once it knows where to send it; the key may come later. */
  const hasProfile = (): boolean => view.profile.organizationId !== null

  function emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of listeners.get(event) ?? []) (listener as (p: EventPayload<E>) => void)(clone(payload))
  }

  function status(): SyncStatus {
    const counts = Object.fromEntries(outboxStates.map((s) => [s, 0])) as Record<OutboxState, number>
    let overdue = 0
    for (const item of order) {
      counts[item.state] += 1
      if (item.overdue && WAITING_STATES.includes(item.state)) overdue += 1
    }
    const sum = (states: readonly OutboxState[]): number => states.reduce((total, state) => total + counts[state], 0)
    // Every item here is for the current connection: nothing is held for another one.
    return {
      state: queue.state,
      reason: queue.reason,
      host: hasProfile() ? new URL(view.profile.baseUrl).host : null,
      until: queue.until,
      nextAttemptAt: null,
      counts,
      waiting: sum(WAITING_STATES),
      toSend: sum(TO_SEND_STATES),
      needsYou: sum(NEEDS_YOU_STATES),
      held: 0,
      otherProfilesStopped: 0,
      sendable: counts.queued,
      overdue,
      connection: { ...health() },
    }
  }

  function announce(...ids: string[]): void {
    emit('outboxChanged', { ids })
    emit('syncStatusChanged', status())
  }

  function view_(item: Stored): OutboxItem {
    const { discardedFrom: _discardedFrom, ...visible } = item
    return clone(visible)
  }

  /** One move of OUTBOX_TRANSITIONS: refused in main's words when the table does not allow it. */
  function change(id: string, move: OutboxMove, patch: Partial<Stored> = {}): Result<OutboxItem> {
    const result = moveQuietly(id, move, patch)
    if (result.ok) announce(id)
    return result
  }

  /** The move without its announcement: a bulk batch announces once for all of its items. */
  function moveQuietly(id: string, move: OutboxMove, patch: Partial<Stored> = {}): Result<OutboxItem> {
    const item = byId.get(id)
    const to = item && nextState(move, item)
    // As main's guard: an item already for the connection in Settings is not moved to it.
    const stays = move === 'retarget' && item && sameTarget(item.target, target())
    if (!item || !to || stays) {
      const words = isUserAction(move)
        ? refusalWords(move, item?.state)
        : `fake worker: ${move} cannot start from ${item?.state ?? 'nowhere'}`
      return failure('bad_request', words)
    }
    Object.assign(item, patch, { state: to, updatedAt: now() })
    return { ok: true, value: view_(item) }
  }

  /** What each user move changes besides the state, as main's statements do. */
  function userPatch(id: string, action: BulkAction): Partial<Stored> {
    switch (action) {
      case 'sendAgain':
        return { nextAttemptAt: now(), lastError: null }
      case 'markAsSent':
        return { contact: null, nextAttemptAt: null, lastError: null, fieldErrors: null }
      case 'retarget':
        return { target: target(), attempts: 0, nextAttemptAt: now(), lastError: null, fieldErrors: null }
      case 'discard':
        return { discardedFrom: byId.get(id)?.state ?? null, nextAttemptAt: null }
      case 'restore':
        return { discardedFrom: null, nextAttemptAt: byId.get(id)?.discardedFrom === 'queued' ? now() : null }
    }
  }

  /** The states a bulk action takes from within a filter. */
  const bulkStates = (action: BulkAction, filter: OutboxFilter): readonly OutboxState[] =>
    OUTBOX_FILTER_STATES[filter].filter((state) =>
      (OUTBOX_TRANSITIONS[action].from as readonly string[]).includes(state),
    )

  function bulk(input: BulkInput): Result<BulkResult> {
    const { action } = input
    if (action === 'retarget' && !hasProfile()) return failure('not_configured', NO_CONNECTION_WORDS)
    let asked: string[]
    let nextBefore: number | null = null
    if ('ids' in input) asked = [...new Set(input.ids)]
    else {
      const states = bulkStates(action, input.filter)
      const candidates = [...order]
        .reverse()
        .filter((item) => states.includes(item.state) && item.seq < (input.before ?? Number.MAX_SAFE_INTEGER))
        .filter((item) => action !== 'retarget' || !sameTarget(item.target, target()))
      asked = candidates.slice(0, BULK_BATCH_MAX).map((item) => item.id)
      if (candidates.length > BULK_BATCH_MAX) nextBefore = candidates[BULK_BATCH_MAX - 1]!.seq
    }
    const done = asked.filter((id) => moveQuietly(id, action, userPatch(id, action)).ok)
    if (done.length > 0) announce(...done)
    const skipped = asked.length - done.length
    return {
      ok: true,
      value: { done, skipped, nextBefore, message: bulkResultWords(action, done.length, skipped) },
    }
  }

  function bulkCounts(filter: OutboxFilter): BulkCounts {
    const count = (action: BulkAction): number =>
      action === 'retarget' && !hasProfile()
        ? 0
        : order.filter(
            (item) =>
              bulkStates(action, filter).includes(item.state) &&
              (action !== 'retarget' || !sameTarget(item.target, target())),
          ).length
    return Object.fromEntries(bulkActions.map((action) => [action, count(action)])) as BulkCounts
  }

  function attempts(id: string): OutboxAttempts {
    const all = attemptsOf.get(id) ?? []
    return { attempts: clone(all.slice(-ATTEMPTS_SHOWN_MAX).reverse()), total: all.length }
  }

  /** Closes the item's open attempt, as main does in the transaction of its outcome. */
  function endAttempt(id: string, outcome: AttemptOutcome, error: ItemError | null): void {
    const open = attemptsOf.get(id)?.find((attempt) => attempt.endedAt === null)
    if (open) Object.assign(open, { endedAt: now(), outcome, error })
  }

  function enqueue(draft: ContactDraft, state: OutboxState = 'queued', extra: Partial<Stored> = {}): Stored {
    const seq = nextSeq++
    const at = now()
    const item: Stored = {
      id: itemId(seq),
      seq,
      state,
      draft: clone(draft),
      target: target(),
      attempts: 0,
      nextAttemptAt: state === 'queued' ? at : null,
      lastError: null,
      fieldErrors: null,
      contact: null,
      overdue: false,
      createdAt: at,
      updatedAt: at,
      discardedFrom: null,
      ...extra,
    }
    byId.set(item.id, item)
    profileOf.set(item.id, view.activeProfileId)
    order.push(item)
    return item
  }

  function target(): OutboxItem['target'] {
    return { baseUrl: view.profile.baseUrl, organizationId: view.profile.organizationId ?? 1 }
  }

  function checkDraft(draft: ContactDraft): AppError | null {
    const checked = validateContactDraft(draft)
    return checked.ok ? null : invalidDraftError(checked.errors)
  }

  /** Items a search checks per page before it stops and hands back where to go on (main bounds its work too). */
  let searchBudget = Infinity

  function page(request: OutboxPageRequest): OutboxPage {
    const items: OutboxItem[] = []
    let total = 0
    let more = false
    let checked = 0
    const tokens = queryTokens(request.query ?? '')
    for (let i = order.length - 1; i >= 0; i--) {
      const item = order[i]!
      if (tokens.length > 0 && request.before !== undefined && item.seq >= request.before) continue
      if (tokens.length > 0 && checked++ >= searchBudget && items.length < request.limit) {
        return { items, nextBefore: item.seq + 1, total: items.length, totalAtLeast: true }
      }
      if (!matchesFilter(item.state, request.filter)) continue
      if (tokens.length > 0) {
        const terms = termsOf(item)
        if (!tokens.every((token) => terms.some((term) => term.startsWith(token)))) continue
      }
      total += 1
      if (request.before !== undefined && item.seq >= request.before) continue
      if (items.length < request.limit) items.push(view_(item))
      else more = true
    }
    return { items, nextBefore: more ? (items.at(-1)?.seq ?? null) : null, total }
  }

  /** What main's terms table holds for an item (the same rules, search-terms.ts), computed on the spot. */
  function termsOf(item: Stored): string[] {
    const checked = validateContactDraft(item.draft)
    const request = checked.ok ? checked.request : undefined
    return itemTerms({
      fullName: request?.full_name ?? item.draft.fullName,
      email: request ? request.email : item.draft.email,
      description: request ? request.description : item.draft.description,
      phones: (request?.contact_phones_attributes ?? []).map((phone) => phone.number),
      serverId: item.contact?.id ?? null,
    })
  }

  function duplicates(input: FindDuplicatesInput): Duplicates {
    if (view.profile.organizationId === null) return { keys: [] }
    const here = target()
    const candidates = [...order]
      .reverse()
      .filter((item) => item.state !== 'discarded' && item.id !== input.excludeId && sameTarget(item.target, here))
    const asked = validateContactDraft({
      fullName: 'x',
      description: '',
      phones: input.phones,
      email: '',
      ...(input.country ? { country: input.country } : {}),
    })
    const email = input.email.trim().toLowerCase()
    const phones = asked.ok ? (asked.request.contact_phones_attributes ?? []).map((phone) => phone.number) : []
    const keys: Duplicates['keys'] = []
    const ask = (kind: 'email' | 'phone', value: string, key: string) => {
      const matches = candidates
        .filter((item) => termsOf(item).includes(key))
        .slice(0, DUPLICATE_MATCHES_MAX)
        .map((item) => ({
          id: item.id,
          state: item.state,
          fullName: item.draft.fullName.trim(),
          serverId: item.contact?.id ?? null,
        }))
      keys.push({ kind, value, matches })
    }
    if (email) ask('email', email, emailKey(email))
    for (const phone of new Set(phones)) ask('phone', phone, phone)
    return { keys }
  }

  /** Parses the input with the contract (as main's adapter does) after cloning it (as IPC does). */
  function command<N extends CommandName>(name: N, run: (input: ParsedInput<N>) => Result<CommandOutput<N>>) {
    return vi.fn(async (input?: CommandInput<N>): Promise<Result<CommandOutput<N>>> => {
      const parsed = bridgeContract[name].input.parse(input === undefined ? undefined : clone(input))
      return run(parsed as ParsedInput<N>)
    })
  }

  /** Main's answer for a name or a delete it refuses: words at the field. */
  function invalidAt(field: string, words: string): Result<never> {
    return { ok: false, error: { code: 'invalid', message: words, fields: { [field]: [words] } } }
  }

  /** Makes a profile active as main does: its connection becomes the view, what was active is kept aside. */
  function activate(id: string, deletedActive = false): void {
    if (!deletedActive) connections.set(view.activeProfileId, { profile: view.profile, hasApiKey: view.hasApiKey })
    const next = connections.get(id) ?? { profile: { ...EMPTY_CONNECTION }, hasApiKey: false }
    connections.delete(id)
    view = {
      ...view,
      activeProfileId: id,
      profile: next.profile,
      hasApiKey: next.hasApiKey,
      configured: next.hasApiKey && next.profile.organizationId !== null,
    }
    emit('settingsChanged', view)
  }

  const on = ((event: EventName, listener: (payload: never) => void) => {
    const set = listeners.get(event) ?? new Set()
    listeners.set(event, set)
    set.add(listener)
    return () => set.delete(listener)
  }) as BridgeApi['on']

  const api = {
    getSettings: command('getSettings', (): Result<SettingsView> => ({ ok: true, value: view })),
    saveSettings: command('saveSettings', (input: SettingsInput): Result<SettingsView> => {
      // As main does: a stored key never follows a new server or key ID.
      if (!input.apiKey && view.hasApiKey && !sameApiKeyBinding(apiKeyBinding(view.profile), apiKeyBinding(input))) {
        return {
          ok: false,
          error: { code: 'invalid', message: 'Some settings need fixing.', fields: { apiKey: [KEY_FOR_THIS_SERVER] } },
        }
      }
      view = {
        ...view,
        profile: {
          baseUrl: input.baseUrl.trim(),
          organizationId: Number(input.organizationId),
          apiKeyId: input.apiKeyId,
          deduplicatesRetries: input.deduplicatesRetries ?? view.profile.deduplicatesRetries,
        },
        hasApiKey: view.hasApiKey || Boolean(input.apiKey),
        retention: {
          flagAfterDays: input.flagAfterDays === undefined ? view.retention.flagAfterDays : Number(input.flagAfterDays),
          keepHistoryDays:
            input.keepHistoryDays === undefined ? view.retention.keepHistoryDays : Number(input.keepHistoryDays),
        },
      }
      view = { ...view, configured: view.hasApiKey }
      setHealth(NEVER_CHECKED)
      return { ok: true, value: view }
    }),
    removeApiKey: command('removeApiKey', (): Result<SettingsView> => {
      view = { ...view, hasApiKey: false, configured: false }
      setHealth(NEVER_CHECKED)
      return { ok: true, value: view }
    }),
    saveContact: command('saveContact', (draft: ContactDraft): Result<OutboxItem> => {
      const invalid = checkDraft(draft)
      if (invalid) return { ok: false, error: invalid }
      // Like main: an item needs a connection to go to, not a key (it waits for that).
      if (!hasProfile()) return failure('not_configured', NO_CONNECTION_WORDS)
      const item = enqueue(draft)
      if (kept.draft && !kept.draft.editingId) kept = { ...kept, draft: null, savedAt: null }
      announce(item.id)
      return { ok: true, value: view_(item) }
    }),
    listOutbox: command('listOutbox', (request: OutboxPageRequest): Result<OutboxPage> => ({
      ok: true,
      value: page(request),
    })),
    getOutboxItem: command('getOutboxItem', ({ id }: { id: string }): Result<OutboxItem> => {
      const item = byId.get(id)
      return item ? { ok: true, value: view_(item) } : failure('bad_request', refusalWords('get', undefined))
    }),
    getOutboxItems: command('getOutboxItems', ({ ids }: { ids: string[] }) => {
      const items = [...new Set(ids)].flatMap((id) => {
        const item = byId.get(id)
        return item ? [view_(item)] : []
      })
      return { ok: true, value: { items } }
    }),
    getSyncStatus: command('getSyncStatus', (): Result<SyncStatus> => ({ ok: true, value: status() })),
    sendNow: command('sendNow', ({ id }: { id?: string }): Result<SyncStatus> => {
      const at = now()
      if (id === undefined) {
        for (const item of order) if (item.state === 'queued') item.nextAttemptAt = at
        return { ok: true, value: status() }
      }
      const item = byId.get(id)
      if (!item || !nextState('sendNow', item)) return failure('bad_request', refusalWords('sendNow', item?.state))
      if (hasProfile() && !sameTarget(item.target, target()))
        return failure('bad_request', otherTargetWords(item.target))
      item.nextAttemptAt = at
      return { ok: true, value: status() }
    }),
    updateOutboxItem: command(
      'updateOutboxItem',
      ({ id, draft }: { id: string; draft: ContactDraft }): Result<OutboxItem> => {
        const invalid = checkDraft(draft)
        if (invalid) return { ok: false, error: invalid }
        if (!hasProfile()) return failure('not_configured', NO_CONNECTION_WORDS)
        const result = change(id, 'edit', {
          draft,
          target: target(),
          attempts: 0,
          lastError: null,
          fieldErrors: null,
          nextAttemptAt: now(),
        })
        if (result.ok && kept.draft?.editingId === id) {
          const aside = kept.draft.aside
          kept = aside ? { ...kept, draft: { contact: aside } } : { ...kept, draft: null, savedAt: null }
        }
        return result
      },
    ),
    sendAgain: command('sendAgain', ({ id }: { id: string }) => change(id, 'sendAgain', userPatch(id, 'sendAgain'))),
    markAsSent: command('markAsSent', ({ id }: { id: string }) =>
      change(id, 'markAsSent', userPatch(id, 'markAsSent')),
    ),
    discardOutboxItem: command('discardOutboxItem', ({ id }: { id: string }) =>
      change(id, 'discard', userPatch(id, 'discard')),
    ),
    restoreOutboxItem: command('restoreOutboxItem', ({ id }: { id: string }) =>
      change(id, 'restore', userPatch(id, 'restore')),
    ),
    reportConnectivity: command('reportConnectivity', ({ online }: { online: boolean }): Result<SyncStatus> => {
      // As main's QueueState: no network outranks an unreachable server, and coming back ends both.
      if (queue.state === 'running' || queue.state === 'offline' || queue.state === 'unreachable') {
        queue = { state: online ? 'running' : 'offline', until: null, reason: null }
        emit('syncStatusChanged', status())
      }
      return { ok: true, value: status() }
    }),
    getDiagnostics: command('getDiagnostics', (): Result<DiagnosticsReport> => ({
      ok: true,
      value: fakeDiagnostics(),
    })),
    getOutboxAccess: command('getOutboxAccess', (): Result<OutboxAccess> => ({ ok: true, value: access })),
    // Main's own CSV, of what the list shows for the same filter and search words.
    exportContacts: command('exportContacts', (input: ContactsExportInput): Result<ContactsExport> => {
      const items = page({ filter: input?.filter ?? 'all', query: input?.query, limit: Number.MAX_SAFE_INTEGER }).items
      const csv = contactsCsv(items)
      const fileName = contactsCsvFileName(Date.parse(now()), input?.filter, Boolean(input?.query?.trim()))
      return {
        ok: true,
        value: saveDialog ? saveDialog(csv) : { kind: 'file', fileName, csv, count: items.length, complete: true },
      }
    }),
    listOutboxAttempts: command('listOutboxAttempts', ({ id }: { id: string }): Result<OutboxAttempts> =>
      byId.has(id) ? { ok: true, value: attempts(id) } : failure('bad_request', refusalWords('get', undefined)),
    ),
    countOutboxBulk: command('countOutboxBulk', ({ filter }: { filter: OutboxFilter }): Result<BulkCounts> => ({
      ok: true,
      value: bulkCounts(filter),
    })),
    applyOutboxBulk: command('applyOutboxBulk', bulk),
    findDuplicates: command('findDuplicates', (input: FindDuplicatesInput): Result<Duplicates> => ({
      ok: true,
      value: duplicates(input),
    })),
    findDuplicatesOfMany: command(
      'findDuplicatesOfMany',
      ({ contacts }: FindDuplicatesOfManyInput): Result<DuplicatesOfMany> => ({
        ok: true,
        value: {
          matches: contacts.map(
            ({ email, phones }) =>
              duplicates({ email, phones: phones.map((number) => ({ number })) }).keys.flatMap(
                (key) => key.matches,
              )[0] ?? null,
          ),
        },
      }),
    ),
    getDraft: command('getDraft', (): Result<SavedDraft> => ({ ok: true, value: clone(kept) })),
    saveDraft: command(
      'saveDraft',
      ({ draft, phoneCountry }: { draft: FormDraft | null; phoneCountry?: string }): Result<SavedDraft> => {
        kept = {
          draft,
          savedAt: draft ? now() : null,
          phoneCountry: phoneCountry ?? kept.phoneCountry,
          problem: null,
        }
        return { ok: true, value: clone(kept) }
      },
    ),
    discardDraft: command('discardDraft', (): Result<SavedDraft> => {
      kept = { ...kept, draft: null, savedAt: null, problem: null }
      return { ok: true, value: clone(kept) }
    }),
    // Only an item the user marked (sent without the server's contact) goes back to unconfirmed.
    undoMarkAsSent: command('undoMarkAsSent', ({ id }: { id: string }) =>
      byId.get(id)?.contact
        ? failure('bad_request', refusalWords('undoMarkAsSent', byId.get(id)?.state))
        : change(id, 'undoMarkAsSent', { lastError: itemError('mark_as_sent_undone', {}) }),
    ),
    // As main does: the saved settings only, and the answer becomes what the status says about the connection.
    switchProfile: command('switchProfile', ({ id }: { id: string }): Result<SettingsView> => {
      if (!view.profiles.some((p) => p.id === id)) return failure('bad_request', 'That profile no longer exists.')
      activate(id)
      return { ok: true, value: view }
    }),
    manageProfile: command('manageProfile', (input: ManageProfileInput): Result<SettingsView> => {
      if (input.action === 'delete') {
        if (view.profiles.length === 1) return invalidAt('profile', 'This is the only profile.')
        const waiting = order.filter(
          (item) => profileOf.get(item.id) === input.id && WAITING_STATES.includes(item.state),
        ).length
        if (waiting > 0 && input.moveTo === undefined)
          return invalidAt('moveTo', `${waiting} contacts are not finished.`)
        for (const [item, profile] of profileOf)
          if (profile === input.id && input.moveTo) profileOf.set(item, input.moveTo)
        const rest = view.profiles.filter((p) => p.id !== input.id)
        connections.delete(input.id)
        view = { ...view, profiles: rest }
        if (view.activeProfileId === input.id) activate(input.moveTo ?? rest[0]!.id, true)
        return { ok: true, value: view }
      }
      const name = profileNameSchema.safeParse(input.name)
      if (!name.success) return invalidAt('name', name.error.issues[0]!.message)
      const except = input.action === 'rename' ? input.id : undefined
      if (view.profiles.some((p) => p.id !== except && sameProfileName(p.name, name.data))) {
        return invalidAt('name', NAME_TAKEN)
      }
      if (input.action === 'rename') {
        view = { ...view, profiles: view.profiles.map((p) => (p.id === input.id ? { ...p, name: name.data } : p)) }
        return { ok: true, value: view }
      }
      const source = input.action === 'duplicate' ? view.profiles.find((p) => p.id === input.id) : undefined
      const id = `profile-${nextProfile++}`
      const copied = source && (source.id === view.activeProfileId ? view.profile : connections.get(source.id)?.profile)
      connections.set(id, { profile: copied ?? { ...EMPTY_CONNECTION }, hasApiKey: false })
      const summary = {
        id,
        name: name.data,
        organizationId: copied?.organizationId ?? null,
        host: copied ? new URL(copied.baseUrl).host : null,
      }
      view = { ...view, profiles: [...view.profiles, summary] }
      activate(id)
      return { ok: true, value: view }
    }),
    testConnection: command('testConnection', (): Result<ConnectionTest> => {
      const { profile } = view
      if (profile.organizationId === null) {
        return failure(
          'not_configured',
          'Fill in the Base URL, Organization ID, API key ID and API key, save, then test again.',
        )
      }
      if (!view.hasApiKey) {
        const host = new URL(profile.baseUrl).host
        return failure('not_configured', `No API key is stored for ${host}. Enter it, save, then test again.`)
      }
      const testedAt = now()
      const { verdict } = probeAnswer
      if (verdict === 'working' || verdict === 'created') setHealth({ lastSuccessAt: testedAt, refused: null })
      if (verdict === 'key_refused') setHealth({ ...health(), refused: 'key' })
      if (verdict === 'organization_refused') setHealth({ ...health(), refused: 'organization' })
      emit('syncStatusChanged', status())
      return {
        ok: true,
        value: {
          ...probeAnswer,
          host: new URL(profile.baseUrl).host,
          organizationId: profile.organizationId,
          testedAt,
        },
      }
    }),
    // Like the web preview: no dialog in main, so the page's own file input is used.
    openCsvFile: command('openCsvFile', (): Result<CsvOpen> => ({ ok: true, value: { kind: 'use_file_input' } })),
    // Main's own parser (papaparse, encodings, limits), so the page meets the tables and refusals main gives it.
    parseCsvFile: command('parseCsvFile', ({ fileName, base64 }: CsvFileInput): Result<CsvTable> =>
      parseCsvResult(
        Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)),
        fileName,
      ),
    ),
    // As main: one invalid draft and none is kept; a write that fails part-way keeps those before it.
    importContacts: command(
      'importContacts',
      ({ drafts }: { drafts: ContactDraft[] }): Result<ImportContactsResult> => {
        const bad = drafts.findIndex((draft) => checkDraft(draft) !== null)
        if (bad >= 0) return failure('invalid', `Row ${bad + 1} needs fixing; nothing was imported.`)
        if (!hasProfile()) return failure('not_configured', NO_CONNECTION_WORDS)
        const stop = importStop
        importStop = undefined
        const items = drafts.slice(0, stop?.after).map((draft) => enqueue(draft))
        announce(...items.map((item) => item.id))
        if (stop && stop.after < drafts.length) return { ok: true, value: { count: items.length, stopped: stop.error } }
        return { ok: true, value: { count: items.length } }
      },
    ),
    saveCsvRows: command('saveCsvRows', ({ fileName, headers, rows }: CsvRowsExportInput): Result<ContactsExport> => {
      const csv = rowsCsv(headers, rows)
      return {
        ok: true,
        value: saveDialog ? saveDialog(csv) : { kind: 'file', fileName, csv, count: rows.length, complete: true },
      }
    }),
    on: vi.fn(on),
  } satisfies BridgeApi

  /** The host main's words name, from the connection in the settings. */
  const host = (): string => new URL(view.profile.baseUrl).host

  /** Main's sync worker, played by the test: each call is one move OUTBOX_TRANSITIONS allows. */
  const worker = {
    /** queued → sending (an attempt starts). */
    start(id: string): OutboxItem {
      const started = must(
        change(id, 'markSending', { attempts: (byId.get(id)?.attempts ?? 0) + 1, nextAttemptAt: null }),
      )
      const log = attemptsOf.get(id) ?? []
      attemptsOf.set(id, log)
      log.push({ n: log.length + 1, startedAt: started.updatedAt, endedAt: null, outcome: null, error: null })
      return started
    },
    /** → sent with the server's contact (starting the attempt first if it was still queued). */
    deliver(id: string, contactId = nextContactId++): OutboxItem {
      if (byId.get(id)?.state === 'queued') worker.start(id)
      const item = byId.get(id)!
      const sent = must(
        change(id, 'markSent', {
          contact: createdFrom(item.draft, contactId),
          lastError: null,
          fieldErrors: null,
          nextAttemptAt: null,
        }),
      )
      endAttempt(id, 'sent', null)
      return sent
    },
    /** → needs_fix with the server's messages per field. */
    reject(
      id: string,
      fieldErrors: ContactFieldErrors | null,
      lastError: ItemError = itemError('rejected', { messages: [] }),
    ) {
      if (byId.get(id)?.state === 'queued') worker.start(id)
      const refused = must(change(id, 'markNeedsFix', { fieldErrors, lastError, nextAttemptAt: null }))
      endAttempt(id, 'needs_fix', lastError)
      return refused
    },
    /** → queued again after a transient failure (or, `pause_auth`, refused credentials). */
    retry(id: string, lastError: ItemError, nextAttemptAt: string, outcome: 'retry' | 'pause_auth' = 'retry') {
      if (byId.get(id)?.state === 'queued') worker.start(id)
      const queued = must(change(id, 'requeue', { lastError, nextAttemptAt }))
      endAttempt(id, outcome, lastError)
      return queued
    },
    /** → unconfirmed: the request may have reached the server. */
    lose(id: string, lastError: ItemError = itemError('connection_lost', { host: host() })) {
      if (byId.get(id)?.state === 'queued') worker.start(id)
      const lost = must(change(id, 'markUnconfirmed', { lastError, nextAttemptAt: null }))
      endAttempt(id, 'unconfirmed', lastError)
      return lost
    },
  }

  return {
    api,
    worker,
    /** Plays `settingsChanged` from main. */
    emitSettings(payload: SettingsView) {
      view = payload
      emit('settingsChanged', payload)
    },
    /** Plays any event from main, as is. */
    emit,
    /** Searches check at most `items` per page, as main's search of common words does. */
    boundSearches(items: number) {
      searchBudget = items
    },
    /** The queue's state, as main's worker would set it (and announce it). */
    setQueue(state: QueueState, options: { until?: string | null; reason?: QueueReason } = {}) {
      queue = { state, until: options.until ?? null, reason: options.reason ?? defaultReason(state) }
      emit('syncStatusChanged', status())
    },
    /** Main found the outbox file damaged and opened it read-only, with these words. */
    setReadOnly(message: string) {
      access = { readOnly: true, message }
    },
    /** Plays Electron's save dialog for Export contacts: it gets the CSV main made and answers. */
    answerSaveDialog(answer: (csv: string) => ContactsExport) {
      saveDialog = answer
    },
    /** The next Import N contacts writes `after` contacts, then the outbox file fails with these words. */
    stopNextImport(after: number, message: string) {
      importStop = { after, error: { code: 'storage', message } }
    },
    /** How the server will answer the next Test connection. */
    answerProbe(verdict: ConnectionTestVerdict, message: string) {
      probeAnswer = { verdict, message }
    },
    /** What main's ConnectionHealth would hold after the sender's answers (announced with the status). */
    setHealth(next: ConnectionHealth) {
      setHealth(next)
      emit('syncStatusChanged', status())
    },
    /** Fills the outbox quietly (no events), as if the app had started with it on disk. */
    seed(count: number, make: (n: number) => Partial<Stored> & { draft?: ContactDraft } = () => ({})) {
      const ids: string[] = []
      for (let n = 0; n < count; n++) {
        const { draft, state, ...extra } = make(n)
        const item = enqueue(draft ?? { fullName: `Contact ${n + 1}`, email: '', description: '', phones: [] }, state)
        Object.assign(item, extra)
        ids.push(item.id)
      }
      return ids
    },
    /** What main's draft.json holds now; set it to start the app with a draft kept from an earlier run. */
    draft: () => clone(kept),
    keepDraft(next: Partial<SavedDraft>) {
      kept = { ...kept, ...clone(next) }
    },
    item: (id: string): OutboxItem | undefined => {
      const item = byId.get(id)
      return item && view_(item)
    },
    status,
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
  }
}

export type FakeBridge = ReturnType<typeof createFakeBridge>

/** The fake as the renderer finds it: on `window.api`. */
export function installFakeBridge(initial: SettingsView = configuredView()): FakeBridge {
  const fake = createFakeBridge(initial)
  // Reached through globalThis so this file also type-checks without the DOM (the contract test runs it in Node).
  const { window } = globalThis as unknown as { window: object }
  Object.defineProperty(window, 'api', { value: fake.api, configurable: true, writable: true })
  return fake
}

/** For a test file of stores: a fresh fake bridge (handed to `set`) and Pinia before each test, the bridge gone after. */
export function useFakeBridgeEachTest(set: (fake: FakeBridge) => void): void {
  beforeEach(() => {
    set(installFakeBridge())
    setActivePinia(createPinia())
  })
  afterEach(() => {
    Reflect.deleteProperty((globalThis as unknown as { window: object }).window, 'api')
  })
}

function sameTarget(a: OutboxItem['target'], b: OutboxItem['target']): boolean {
  return a.baseUrl === b.baseUrl && a.organizationId === b.organizationId
}

function failure(code: AppError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } }
}

function must(result: Result<OutboxItem>): OutboxItem {
  if (!result.ok) throw new Error(`fake worker: ${result.error.message}`)
  return result.value
}

function clone<T>(value: T): T {
  return structuredClone(value)
}

/** A promise the test settles when it wants to, to look at the app mid-request. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
