/**
 * Property tests: random and hostile input thrown at the outbox commands through the same door
 * every transport uses (dispatchCommand), against the real core, the SQLite outbox and the sandbox.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appErrorSchema, resultSchema } from '../../src/shared/app-error.ts'
import { bridgeContract, commandNames, isCommandName } from '../../src/shared/bridge-contract.ts'
import { contactDraftSchema, contactRequestSchema } from '../../src/shared/contact.ts'
import { outboxStates } from '../../src/shared/outbox.ts'
import { outboxItemSchema, type OutboxPage, type SyncStatus } from '../../src/shared/outbox-schemas.ts'
import { dispatchCommand } from '../../src/main/core/command-dispatch.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { connect, openHarness, removeDir, type Harness } from './support/outbox-harness.ts'

const OUTBOX_COMMANDS = [
  'saveContact',
  'listOutbox',
  'getOutboxItem',
  'getSyncStatus',
  'sendNow',
  'updateOutboxItem',
  'sendAgain',
  'markAsSent',
  'discardOutboxItem',
  'restoreOutboxItem',
  'reportConnectivity',
] as const

let sandbox: Sandbox
let harness: Harness

beforeAll(async () => {
  sandbox = await startSandbox()
  harness = await openHarness({ requestTimeoutMs: 500 })
  await connect(harness, sandbox)
})
afterAll(async () => {
  await harness.core.close()
  await removeDir(harness.dataDir)
  await sandbox.close()
})

const dispatch = (name: unknown, input: unknown) => dispatchCommand(harness.core.handlers, name, input)

/** A result is typed: ok with the contract's output, or an error with a code and words. */
function expectTypedResult(name: unknown, result: unknown): void {
  if (isCommandName(name)) {
    const parsed = resultSchema(bridgeContract[name].output).safeParse(result)
    expect(parsed.success, JSON.stringify(result).slice(0, 500)).toBe(true)
  } else {
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } })
  }
  if (typeof result === 'object' && result !== null && 'error' in result) {
    const error = appErrorSchema.parse((result as { error: unknown }).error)
    expect(error.message.length).toBeGreaterThan(0)
  }
}

const hostileKeys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty')
const hostileObject = fc
  .tuple(hostileKeys, fc.jsonValue())
  .map(([key, value]) => JSON.parse(`{"${key}": ${JSON.stringify(value ?? null)}, "fullName": "A"}`) as unknown)
const huge = fc.constantFrom('x'.repeat(1_000_000), '😀'.repeat(200_000), '\u0000'.repeat(10_000))
const uuidish = fc.oneof(fc.uuid(), fc.constantFrom('', 'not-an-id', '0'.repeat(36), '../../etc', "' OR 1=1 --"))
const draftish = fc.record(
  {
    fullName: fc.oneof(fc.string(), huge, fc.integer(), fc.constant(null)),
    email: fc.oneof(fc.emailAddress(), fc.string(), fc.constant('')),
    description: fc.oneof(fc.string(), fc.constant('')),
    phones: fc.oneof(
      fc.array(fc.record({ number: fc.oneof(fc.string(), fc.constantFrom('+14155550132', '415 555 0132', '+1')) }), {
        maxLength: 25,
      }),
      fc.jsonValue(),
    ),
    country: fc.oneof(fc.constantFrom('US', 'GB', 'ZZ', 'usa'), fc.string()),
  },
  { requiredKeys: [] },
)
const hostileInput = fc.oneof(
  fc.jsonValue(),
  fc.anything(),
  hostileObject,
  huge,
  draftish,
  fc.record({ id: uuidish }),
  fc.record({ id: uuidish, draft: draftish }),
  fc.record({ filter: fc.string(), limit: fc.oneof(fc.integer(), fc.double()), before: fc.anything() }),
  fc.record({ online: fc.anything() }),
)

describe('outbox commands take any input', () => {
  it('never throw and always return a typed result', async () => {
    const names = fc.oneof(fc.constantFrom(...OUTBOX_COMMANDS, ...commandNames), fc.string(), fc.anything())
    await fc.assert(
      fc.asyncProperty(names, hostileInput, async (name, input) => {
        const result = await dispatch(name, input)
        expectTypedResult(name, result)
      }),
      { numRuns: 300 },
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('fullName')
  }, 60_000)
})

/** One step of a random session: a command with input from the ids seen so far, or a sandbox fault. */
type Step =
  | { kind: 'command'; name: (typeof OUTBOX_COMMANDS)[number]; pick: number; input: unknown }
  | { kind: 'fault'; fault: 'none' | '422' | '503' | 'drop' | 'latency' }
  | { kind: 'settle' }

const goodDraft = fc.record({
  fullName: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,30}$/),
  email: fc.constantFrom('', 'ada@example.com'),
  description: fc.string({ maxLength: 40 }),
  phones: fc.oneof(
    {
      weight: 5,
      arbitrary: fc.array(fc.constantFrom({ number: '+14155550132' }, { number: '+442079460958' }), { maxLength: 1 }),
    },
    { weight: 1, arbitrary: fc.constant([{ number: 'nope' }]) },
  ),
})
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      // Saves come often enough that the other commands have items (in every state) to work on.
      name: fc.oneof(
        { weight: 1, arbitrary: fc.constant('saveContact' as const) },
        { weight: 2, arbitrary: fc.constantFrom(...OUTBOX_COMMANDS) },
      ),
      pick: fc.nat(),
      input: fc.oneof({ weight: 4, arbitrary: goodDraft }, { weight: 1, arbitrary: hostileInput }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      fault: fc.constantFrom('none', '422', '503', 'drop', 'latency'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'settle' as const }) },
)

/** Plausible input for a command, built from a known id (or not) so transitions actually happen. */
function inputFor(name: Step & { kind: 'command' }, ids: string[]): unknown {
  const id = ids.length > 0 && name.pick % 5 !== 0 ? ids[name.pick % ids.length] : undefined
  const draftInput = contactDraftSchema.safeParse(name.input).success ? name.input : undefined
  switch (name.name) {
    case 'saveContact':
      return draftInput ?? name.input
    case 'listOutbox':
      return { filter: ['waiting', 'sent', 'discarded', 'all'][name.pick % 4], limit: 1 + (name.pick % 50) }
    case 'getSyncStatus':
      return undefined
    case 'reportConnectivity':
      return { online: name.pick % 3 !== 0 }
    case 'sendNow':
      return name.pick % 2 === 0 ? {} : { id: id ?? name.input }
    case 'updateOutboxItem':
      return { id: id ?? crypto.randomUUID(), draft: draftInput ?? name.input }
    default:
      return { id: id ?? (name.pick % 2 === 0 ? crypto.randomUUID() : name.input) }
  }
}

function applyFault(fault: (Step & { kind: 'fault' })['fault']): void {
  sandbox.faults.clear()
  if (fault === '422') sandbox.faults.set({ nextStatuses: [{ status: 422, body: '{"email":["is taken"]}' }] })
  if (fault === '503') sandbox.faults.set({ nextStatuses: [{ status: 503 }] })
  if (fault === 'drop') sandbox.faults.set({ dropAfterRead: 1 })
  if (fault === 'latency') sandbox.faults.set({ latencyMs: 30 })
}

/** List and status read in one tick (the store is synchronous), so the worker cannot move anything in between. */
async function snapshot(): Promise<{ page: OutboxPage; status: SyncStatus; filters: number[] }> {
  const reads = await Promise.all([
    dispatch('listOutbox', { filter: 'all', limit: 500 }),
    dispatch('getSyncStatus', undefined),
    ...(['waiting', 'sent', 'discarded'] as const).map((filter) => dispatch('listOutbox', { filter, limit: 1 })),
  ])
  const [page, status, ...filters] = reads.map((result) => {
    if (!result.ok) throw new Error(result.error.message)
    return result.value
  }) as [OutboxPage, SyncStatus, ...OutboxPage[]]
  return { page, status, filters: filters.map((f) => f.total) }
}

describe('random command sequences', () => {
  it('keep every stored item valid and the counts consistent with the list', async () => {
    const ids: string[] = []
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        for (const current of steps) {
          if (current.kind === 'fault') applyFault(current.fault)
          if (current.kind === 'settle') await new Promise((resolve) => setTimeout(resolve, 30))
          if (current.kind !== 'command') continue
          const result = await dispatch(current.name, inputFor(current, ids))
          expectTypedResult(current.name, result)
          if (current.name === 'saveContact' && result.ok) ids.push((result.value as { id: string }).id)
        }

        const { page, status, filters } = await snapshot()
        expect(page.total).toBe(page.items.length)
        for (const item of page.items) {
          outboxItemSchema.parse(item)
          expect(Object.keys(item)).not.toContain('idempotencyKey')
          const stored = harness.core.outbox.get(item.id, Date.now())!
          contactRequestSchema.parse(stored.request)
          contactDraftSchema.parse(stored.draft)
        }
        const listed = Object.fromEntries(outboxStates.map((s) => [s, page.items.filter((i) => i.state === s).length]))
        expect(status.counts).toEqual(listed)
        expect(status.waiting).toBe(listed.queued! + listed.sending! + listed.needs_fix! + listed.unconfirmed!)
        expect(filters).toEqual([status.waiting, listed.sent, listed.discarded])
        for (const id of ids) expect(page.items.some((item) => item.id === id)).toBe(true)
      }),
      { numRuns: 80 },
    )
    sandbox.faults.clear()
  }, 90_000)
})
