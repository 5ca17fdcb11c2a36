/**
 * The renderer's fake bridge (test/unit/renderer/fake-bridge.ts) against the real core (command
 * handlers over a real SQLite file): the same random sessions of commands and worker moves, and
 * after every step the same answers, states, last errors, refusal words and counts. When the fake
 * drifts from main, the renderer tests stop proving anything; this test says so first.
 *
 * The connection has no API key, so the real worker never sends; the worker's moves are played
 * on both sides from one decision of the real decideOutcome.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { Result } from '../../src/shared/app-error.ts'
import { bridgeContract, commandNames, type CommandName } from '../../src/shared/bridge-contract.ts'
import type { ContactDraft } from '../../src/shared/contact.ts'
import { bulkActions, nextState, outboxFilters } from '../../src/shared/outbox.ts'
import type { BulkResult, OutboxAttempts, OutboxItem, OutboxPage, SyncStatus } from '../../src/shared/outbox-schemas.ts'
import type { CreateContactOutcome } from '../../src/main/core/cloverhound-client.ts'
import { dispatchCommand } from '../../src/main/core/command-dispatch.ts'
import { decideOutcome } from '../../src/main/core/outbox/decide-outcome.ts'
import { recordDecision } from '../../src/main/core/outbox/record-decision.ts'
import { configuredView, createFakeBridge, createdFrom, type FakeBridge } from '../unit/renderer/fake-bridge.ts'
import { openHarness, removeDir, value, type Harness } from './support/outbox-harness.ts'

const PROFILE = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id-1' }
const HOST = new URL(PROFILE.baseUrl).host

const open: Harness[] = []
afterEach(async () => {
  for (const harness of open.splice(0)) {
    await harness.core.close()
    await removeDir(harness.dataDir)
  }
})

/** Both sides, set up alike: a saved connection, no API key yet. */
async function pair(): Promise<{ core: Harness; fake: FakeBridge }> {
  const core = await openHarness({
    fetch: async () => {
      throw new Error('The contract test must not send anything.')
    },
  })
  open.push(core)
  value(await core.core.handlers.saveSettings({ ...PROFILE }))
  const fake = createFakeBridge(
    configuredView({ profile: { ...PROFILE, deduplicatesRetries: false }, configured: false, hasApiKey: false }),
  )
  return { core, fake }
}

/** What both sides must agree on about an item: everything but ids, seq and clock times. */
function itemFacts(item: OutboxItem) {
  return {
    state: item.state,
    draft: item.draft,
    target: item.target,
    attempts: item.attempts,
    due: item.nextAttemptAt !== null,
    lastError: item.lastError,
    fieldErrors: item.fieldErrors,
    contact: item.contact,
    overdue: item.overdue,
  }
}

/** The status carries no words (the renderer makes them): every fact but the host and the next try must agree. */
function statusFacts(status: SyncStatus) {
  const { state, reason, counts, waiting, toSend, needsYou, held, sendable, overdue } = status
  return { state, reason, counts, waiting, toSend, needsYou, held, sendable, overdue }
}

/** `order` names an item by its place in saving order, the same on both sides (ids are each side's own). */
function answerFacts(result: Result<unknown>, order: readonly string[] = []) {
  if (!result.ok) return { error: result.error }
  const answer = result.value as object
  if ('items' in answer)
    return { page: (answer as OutboxPage).items.map(itemFacts), total: (answer as OutboxPage).total }
  if ('counts' in answer) return { status: statusFacts(answer as SyncStatus) }
  if ('attempts' in answer && Array.isArray(answer.attempts)) {
    const { attempts, total } = answer as OutboxAttempts
    const facts = attempts.map((a) => ({ n: a.n, ended: a.endedAt !== null, outcome: a.outcome, error: a.error }))
    return { attempts: facts, total }
  }
  if ('done' in answer) {
    const bulk = answer as BulkResult
    const done = bulk.done.map((id) => order.indexOf(id)).sort((a, b) => a - b)
    return { bulk: { done, skipped: bulk.skipped, more: bulk.nextBefore !== null, message: bulk.message } }
  }
  if ('sendAgain' in answer) return { bulkCounts: answer }
  return { item: itemFacts(answer as OutboxItem) }
}

const outcomes: CreateContactOutcome[] = [
  { kind: 'invalid', status: 422, errors: { email: ['has already been taken'], general: ['Check the email.'] } },
  { kind: 'unauthorized' },
  { kind: 'forbidden' },
  { kind: 'rate_limited', retryAfterMs: 30_000 },
  { kind: 'server_error', status: 503, retryAfterMs: undefined },
  { kind: 'network', description: 'the server refused the connection', mayHaveReachedServer: false },
  { kind: 'network', description: 'the connection was cut before the server answered', mayHaveReachedServer: true },
  { kind: 'timeout', mayHaveReachedServer: true },
  { kind: 'unexpected', status: 404, description: 'status 404', mayHaveReachedServer: false },
  { kind: 'failed_after_send', status: 502, retryAfterMs: undefined },
  { kind: 'no_contact', status: 204 },
  { kind: 'conflict' },
  { kind: 'redirected' },
  { kind: 'untrusted_certificate' },
]

/** Commands a random session calls on a picked item; saving and listing have steps of their own. */
const ITEM_COMMANDS = [
  'getOutboxItem',
  'getOutboxItems',
  'getSyncStatus',
  'sendNow',
  'updateOutboxItem',
  'sendAgain',
  'markAsSent',
  'discardOutboxItem',
  'restoreOutboxItem',
  'reportConnectivity',
  'getOutboxAccess',
  'undoMarkAsSent',
  'listOutboxAttempts',
  'countOutboxBulk',
  'applyOutboxBulk',
] as const satisfies readonly CommandName[]
/** The rest, each for a reason: its own step, not the outbox's, or an answer that differs by design (ids in a file). */
const OTHER_COMMANDS: readonly CommandName[] = [
  'saveContact',
  'listOutbox',
  'getSettings',
  'saveSettings',
  'removeApiKey',
  'getDiagnostics',
  'exportContacts',
  // The form's draft file: main's own store, tested on real files in draft-store.test.ts.
  'getDraft',
  'saveDraft',
  'discardDraft',
  // It asks the server, and this test sends nothing; settings-connection.test.ts plays its answers.
  'testConnection',
  // An index lookup with no state of its own; outbox-search.test.ts checks it on real files.
  'findDuplicates',
  'findDuplicatesOfMany',
  // The profile list: connection-profiles.test.ts plays them on real files and a real outbox.
  'switchProfile',
  'manageProfile',
  // Import CSV: files and a many-item transaction, tested on real files and SQLite in csv-import.test.ts.
  'openCsvFile',
  'parseCsvFile',
  'importContacts',
  'saveCsvRows',
]

type Step =
  | { kind: 'save'; draft: ContactDraft }
  /** Settings name another organization (or the first one again): older items are for another target. */
  | { kind: 'switch'; organizationId: number }
  | { kind: 'command'; name: CommandName; pick: number; draft: ContactDraft }
  | { kind: 'start'; pick: number }
  | { kind: 'finish'; pick: number; outcome: number | 'created' }
  /** start, then finish: one whole attempt. */
  | { kind: 'send'; pick: number; outcome: number | 'created' }

const draft: fc.Arbitrary<ContactDraft> = fc.record({
  // Mostly valid, so items reach every state; sometimes not, so refusals are compared too.
  fullName: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('Ada Lovelace', 'Alan Turing') }, fc.constant('')),
  email: fc.oneof({ weight: 5, arbitrary: fc.constantFrom('', 'ada@example.com') }, fc.constant('not an email')),
  description: fc.constantFrom('', 'Met at the fair'),
  phones: fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom<ContactDraft['phones']>([], [{ number: '+14155550132' }]) },
    fc.constant<ContactDraft['phones']>([{ number: '+14155550132' }, { number: 'nope' }]),
  ),
})
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('save' as const), draft }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('switch' as const), organizationId: fc.constantFrom(42, 43) }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      name: fc.constantFrom(...ITEM_COMMANDS),
      pick: fc.nat(),
      draft,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('start' as const), pick: fc.nat() }) },
  ...(['finish', 'send'] as const).map((kind) => ({
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant(kind),
      pick: fc.nat(),
      outcome: fc.oneof(fc.constant('created' as const), fc.nat({ max: outcomes.length - 1 })),
    }),
  })),
)

/** Runs one session on both sides, comparing after every step. */
async function run(steps: Step[]): Promise<void> {
  const { core, fake } = await pair()
  const coreIds: string[] = []
  const fakeIds: string[] = []
  const unknown = '00000000-0000-4000-8000-0000000fffff'
  /** The same item on both sides; one pick in ten names an item neither knows. */
  const chosen = (pick: number): [string, string] =>
    coreIds.length === 0 || pick % 10 === 0
      ? [unknown, unknown]
      : [coreIds[pick % coreIds.length]!, fakeIds[pick % fakeIds.length]!]
  let contactId = 5000

  for (const [index, current] of steps.entries()) {
    const where = `step ${index}: ${JSON.stringify(current)}`
    if (current.kind === 'switch') {
      const settings = { ...PROFILE, organizationId: current.organizationId }
      value(await core.core.handlers.saveSettings(settings))
      value(await fake.api.saveSettings(settings))
    } else if (current.kind === 'save') {
      const [real, fakeAnswer] = [
        await core.core.handlers.saveContact(current.draft),
        await fake.api.saveContact(current.draft),
      ]
      expect(answerFacts(fakeAnswer), where).toEqual(answerFacts(real))
      if (real.ok && fakeAnswer.ok) {
        coreIds.push(real.value.id)
        fakeIds.push(fakeAnswer.value.id)
      }
    } else if (current.kind === 'command') {
      const [coreId, fakeId] = chosen(current.pick)
      const [coreOther, fakeOther] = chosen(current.pick + 1)
      const { pick } = current
      const input = (id: string, other: string): unknown => {
        if (bridgeContract[current.name].input.safeParse(undefined).success) return undefined
        switch (current.name) {
          case 'reportConnectivity':
            return { online: pick % 2 === 0 }
          case 'sendNow':
            return pick % 3 === 0 ? {} : { id }
          case 'updateOutboxItem':
            return { id, draft: current.draft }
          case 'getOutboxItems':
            // A repeated id, and one neither side knows when the pick says so.
            return { ids: [id, other, id] }
          case 'countOutboxBulk':
            return { filter: outboxFilters[pick % outboxFilters.length] }
          case 'applyOutboxBulk': {
            const action = bulkActions[pick % bulkActions.length]
            // Ids (a repeated one among them) or a whole filter.
            return pick % 3 === 0
              ? { action, filter: outboxFilters[pick % outboxFilters.length] }
              : { action, ids: [id, other, id] }
          }
          default:
            return { id }
        }
      }
      const real = await dispatchCommand(core.core.handlers, current.name, input(coreId, coreOther))
      const call = fake.api[current.name] as (input: unknown) => Promise<Result<unknown>>
      const fakeAnswer = await call(input(fakeId, fakeOther))
      expect(answerFacts(fakeAnswer, fakeIds), where).toEqual(answerFacts(real, coreIds))
    } else {
      const [coreId, fakeId] = chosen(current.pick)
      const now = Date.now()
      // The worker only makes moves the table allows; both sides must then accept them.
      const queued = fake.item(fakeId)
      if (current.kind !== 'finish' && queued && nextState('markSending', queued)) {
        expect(core.core.outbox.markSending(coreId, now), where).toBeDefined()
        fake.worker.start(fakeId)
      }
      const item = fake.item(fakeId)
      if (current.kind !== 'start') {
        if (item?.state !== 'sending') continue
        const outcome: CreateContactOutcome =
          current.outcome === 'created'
            ? { kind: 'created', contact: createdFrom(item.draft, ++contactId) }
            : outcomes[current.outcome]!
        const decision = decideOutcome(outcome, {
          host: HOST,
          organizationId: PROFILE.organizationId,
          serverDeduplicates: false,
        })
        const options = { now, random: () => 0.5, backoff: {} }
        recordDecision(core.core.outbox, coreId, item.attempts, decision, options)
        if (decision.kind === 'sent') fake.worker.deliver(fakeId, contactId)
        else if (decision.kind === 'needs_fix') fake.worker.reject(fakeId, decision.fieldErrors, decision.lastError)
        else if (decision.kind === 'unconfirmed') fake.worker.lose(fakeId, decision.lastError)
        else fake.worker.retry(fakeId, decision.lastError, new Date(now + 1_000).toISOString(), decision.kind)
      }
    }
    await expectSameOutbox(core, fake, where)
  }
}

/** Every filter's list and the status, read from both sides. */
async function expectSameOutbox(core: Harness, fake: FakeBridge, where: string): Promise<void> {
  for (const filter of outboxFilters) {
    const request = { filter, limit: 500 }
    const [real, fakeAnswer] = [await core.core.handlers.listOutbox(request), await fake.api.listOutbox(request)]
    expect(answerFacts(fakeAnswer), `${where}, ${filter} list`).toEqual(answerFacts(real))
  }
  const [real, fakeAnswer] = [
    await core.core.handlers.getSyncStatus(undefined),
    await fake.api.getSyncStatus(undefined),
  ]
  expect(answerFacts(fakeAnswer), `${where}, status`).toEqual(answerFacts(real))
}

describe('the fake bridge and the real core', () => {
  it('leave no command unclassified: a new one is compared here or excluded with a reason', () => {
    expect([...ITEM_COMMANDS, ...OTHER_COMMANDS].sort()).toEqual([...commandNames].sort())
  })

  it('answer a session through every state alike', async () => {
    const valid: ContactDraft = { fullName: 'Ada Lovelace', email: '', description: '', phones: [] }
    const steps: Step[] = [
      { kind: 'save', draft: valid },
      { kind: 'save', draft: { ...valid, fullName: '' } },
      { kind: 'command', name: 'sendAgain', pick: 1, draft: valid },
      { kind: 'command', name: 'markAsSent', pick: 1, draft: valid },
      { kind: 'command', name: 'restoreOutboxItem', pick: 1, draft: valid },
      { kind: 'command', name: 'sendNow', pick: 1, draft: valid },
      { kind: 'start', pick: 1 },
      { kind: 'command', name: 'discardOutboxItem', pick: 1, draft: valid },
      { kind: 'command', name: 'updateOutboxItem', pick: 1, draft: valid },
      { kind: 'finish', pick: 1, outcome: 7 },
      { kind: 'command', name: 'updateOutboxItem', pick: 1, draft: valid },
      { kind: 'command', name: 'sendAgain', pick: 1, draft: valid },
      { kind: 'start', pick: 1 },
      { kind: 'finish', pick: 1, outcome: 0 },
      { kind: 'command', name: 'sendAgain', pick: 1, draft: valid },
      { kind: 'command', name: 'discardOutboxItem', pick: 1, draft: valid },
      { kind: 'command', name: 'restoreOutboxItem', pick: 1, draft: valid },
      { kind: 'command', name: 'updateOutboxItem', pick: 1, draft: { ...valid, phones: [{ number: 'nope' }] } },
      { kind: 'command', name: 'updateOutboxItem', pick: 1, draft: { ...valid, fullName: 'Ada King' } },
      { kind: 'start', pick: 1 },
      { kind: 'finish', pick: 1, outcome: 'created' },
      { kind: 'command', name: 'discardOutboxItem', pick: 1, draft: valid },
      { kind: 'command', name: 'getOutboxItem', pick: 10, draft: valid },
      { kind: 'command', name: 'getOutboxItems', pick: 1, draft: valid },
      { kind: 'command', name: 'getOutboxItems', pick: 9, draft: valid },
      { kind: 'command', name: 'reportConnectivity', pick: 1, draft: valid },
      { kind: 'command', name: 'listOutboxAttempts', pick: 1, draft: valid },
      // Bulk, by pick: 0 Send again on Waiting, 1 Mark as sent on ids, 2 Move to current organization on ids,
      // 3 Discard everything, 54 Restore every discarded one.
      { kind: 'save', draft: valid },
      { kind: 'send', pick: 2, outcome: 7 },
      { kind: 'command', name: 'countOutboxBulk', pick: 0, draft: valid },
      { kind: 'command', name: 'applyOutboxBulk', pick: 0, draft: valid },
      { kind: 'send', pick: 2, outcome: 6 },
      { kind: 'command', name: 'applyOutboxBulk', pick: 1, draft: valid },
      { kind: 'switch', organizationId: 43 },
      { kind: 'save', draft: valid },
      { kind: 'command', name: 'countOutboxBulk', pick: 0, draft: valid },
      { kind: 'command', name: 'sendNow', pick: 1, draft: valid },
      { kind: 'command', name: 'applyOutboxBulk', pick: 2, draft: valid },
      { kind: 'command', name: 'applyOutboxBulk', pick: 3, draft: valid },
      { kind: 'command', name: 'applyOutboxBulk', pick: 54, draft: valid },
      { kind: 'command', name: 'listOutboxAttempts', pick: 2, draft: valid },
    ]
    await run(steps)
  })

  it('answer random sessions alike', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40, size: 'max' }), async (steps) => {
        try {
          // Two items from the start, so the commands have something to work on.
          const valid: ContactDraft = { fullName: 'Grace Hopper', email: '', description: '', phones: [] }
          await run([
            { kind: 'save', draft: valid },
            { kind: 'save', draft: { ...valid, fullName: 'Alan Turing' } },
            ...steps,
          ])
        } finally {
          for (const harness of open.splice(0)) {
            await harness.core.close()
            await removeDir(harness.dataDir)
          }
        }
      }),
      { numRuns: 40 },
    )
  }, 120_000)
})
