/**
 * The attempts history and the bulk actions on real SQLite files: each attempt recorded with the
 * outcome it caused (in the outbox transaction that moves the item), kept across restarts, pruned
 * with its item; bulk batches all or nothing, skipping what moved on; Move to current organization.
 * Then the same through the command handlers and the real worker against the sandbox.
 */
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { dispatchCommand } from '../../src/main/core/command-dispatch.ts'
import { itemError } from '../../src/shared/item-error.ts'
import { BULK_BATCH_MAX } from '../../src/shared/outbox.ts'
import type { OutboxAttempt } from '../../src/shared/outbox-schemas.ts'
import type { Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import {
  draft,
  openHarness,
  removeDir,
  save,
  untilState,
  useHarnesses,
  useSharedSandbox,
  value,
} from './support/outbox-harness.ts'
import {
  CREATED,
  DAY_MS,
  OFFLINE,
  REJECTED,
  T0,
  TARGET,
  TIMED_OUT,
  freshStore,
  itemIn,
  must,
  newItem,
  openStore,
} from './support/outbox-store-fixtures.ts'

const HERE = { target: { baseUrl: 'https://new.example.test', organizationId: 43 }, profileId: 'default' }
const UNKNOWN = '00000000-0000-4000-8000-0000000fffff'
const iso = (ms: number): string => new Date(ms).toISOString()
const outcomes = (attempts: OutboxAttempt[]) => attempts.map((a) => [a.n, a.outcome, a.error?.code ?? null])

describe('the attempts history', () => {
  it('records each attempt with its outcome and error, numbering on across an edit', () => {
    const { store } = freshStore()
    const { id } = store.enqueue(newItem(), T0)
    must(store.markSending(id, T0 + 1))
    must(store.requeue(id, { nextAttemptAt: T0 + 5, lastError: OFFLINE, outcome: 'retry' }, T0 + 2))
    must(store.markSending(id, T0 + 5))
    must(
      store.requeue(
        id,
        { nextAttemptAt: T0 + 6, lastError: itemError('unauthorized', {}), outcome: 'pause_auth' },
        T0 + 6,
      ),
    )
    must(store.markSending(id, T0 + 7))
    must(store.markNeedsFix(id, { lastError: REJECTED, fieldErrors: null }, T0 + 8))
    // An edit starts the item's own count again; the history keeps counting.
    expect(must(store.updateDraft(id, newItem('Ada King'), T0 + 9)).attempts).toBe(0)
    must(store.markSending(id, T0 + 10))
    must(store.markUnconfirmed(id, TIMED_OUT, T0 + 11))
    must(store.sendAgain(id, T0 + 12))
    must(store.markSending(id, T0 + 13))
    must(store.markSent(id, CREATED, T0 + 14))

    const { attempts, total } = store.attempts(id, 100)
    expect(total).toBe(5)
    expect(outcomes(attempts)).toEqual([
      [5, 'sent', null],
      [4, 'unconfirmed', 'timeout'],
      [3, 'needs_fix', 'rejected'],
      [2, 'pause_auth', 'unauthorized'],
      [1, 'retry', 'network_unreachable'],
    ])
    expect(attempts[0]).toMatchObject({ startedAt: iso(T0 + 13), endedAt: iso(T0 + 14) })
    expect(attempts[4]).toMatchObject({ startedAt: iso(T0 + 1), endedAt: iso(T0 + 2), error: OFFLINE })
    expect(store.attempts(id, 2).attempts.map((a) => a.n)).toEqual([5, 4])
  })

  it('writes nothing when the outcome’s move is refused, and keeps other items’ attempts apart', () => {
    const { store } = freshStore()
    const a = store.enqueue(newItem('A'), T0)
    const b = store.enqueue(newItem('B'), T0)
    must(store.markSending(a.id, T0 + 1))
    must(store.markSending(b.id, T0 + 1))
    must(store.markSent(b.id, CREATED, T0 + 2))
    // b is sent: a second outcome for it moves nothing and closes nothing.
    expect(store.markUnconfirmed(b.id, TIMED_OUT, T0 + 3)).toBeUndefined()
    expect(outcomes(store.attempts(b.id, 10).attempts)).toEqual([[1, 'sent', null]])
    expect(store.attempts(a.id, 10).attempts).toEqual([
      { n: 1, startedAt: iso(T0 + 1), endedAt: null, outcome: null, error: null },
    ])
    expect(store.attempts(UNKNOWN, 10)).toEqual({ attempts: [], total: 0 })
  })

  it('survives a restart, and an attempt cut off by the app stopping is recorded as interrupted', () => {
    const { store, path } = freshStore()
    const done = itemIn(store, 'unconfirmed')
    const cut = store.enqueue(newItem('Cut off'), T0)
    must(store.markSending(cut.id, T0 + 1))
    store.close()

    const reopened = openStore(path)
    expect(reopened.recoverInterrupted(T0 + 100)).toBe(1)
    expect(outcomes(reopened.attempts(done.id, 10).attempts)).toEqual([[1, 'unconfirmed', 'timeout']])
    expect(reopened.attempts(cut.id, 10).attempts).toEqual([
      {
        n: 1,
        startedAt: iso(T0 + 1),
        endedAt: iso(T0 + 100),
        outcome: 'interrupted',
        error: itemError('interrupted', {}),
      },
    ])
    expect(reopened.get(cut.id, T0 + 100)?.state).toBe('unconfirmed')
  })

  it('is pruned with its item, and only then', () => {
    const { store, path } = freshStore()
    const old = itemIn(store, 'sent', T0)
    const kept = itemIn(store, 'unconfirmed', T0)
    expect(store.pruneHistory(T0 + DAY_MS)).toBe(1)
    expect(store.get(old.id, T0)).toBeUndefined()
    expect(store.attempts(old.id, 10).total).toBe(0)
    expect(store.attempts(kept.id, 10).total).toBe(1)
    const db = new DatabaseSync(path, { readOnly: true })
    try {
      expect(db.prepare('SELECT item_id FROM outbox_attempts').all()).toEqual([{ item_id: kept.id }])
    } finally {
      db.close()
    }
  })
})

describe('bulk actions', () => {
  it('move what the table allows in one batch and count what had moved on as skipped', () => {
    const { store } = freshStore()
    const lost = [itemIn(store, 'unconfirmed'), itemIn(store, 'unconfirmed'), itemIn(store, 'unconfirmed')]
    const movedOn = itemIn(store, 'queued')
    const ids = [...lost.map((i) => i.id), movedOn.id, UNKNOWN, lost[0]!.id]
    const batch = store.bulk('sendAgain', ids, T0 + 50)
    expect(batch.done.sort()).toEqual(lost.map((i) => i.id).sort())
    // The repeated id counts once; the queued one and the unknown one are skipped.
    expect(batch.skipped).toBe(2)
    for (const item of lost) expect(store.get(item.id, T0 + 50)).toMatchObject({ state: 'queued', lastError: null })
    expect(store.get(movedOn.id, T0 + 50)).toMatchObject({ state: 'queued', attempts: 0 })
  })

  it('are all or nothing per batch: a failure part-way leaves every item as it was', () => {
    const { store, path } = freshStore()
    const items = Array.from({ length: 5 }, () => itemIn(store, 'unconfirmed'))
    const poisoned = items[3]!.id
    const other = new DatabaseSync(path)
    other.exec(`CREATE TRIGGER poison BEFORE UPDATE ON outbox_items WHEN NEW.id = '${poisoned}'
      BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`)
    other.close()
    expect(() =>
      store.bulk(
        'markAsSent',
        items.map((i) => i.id),
        T0 + 50,
      ),
    ).toThrow()
    for (const item of items) expect(store.get(item.id, T0 + 50)?.state).toBe('unconfirmed')
  })

  it('work through a whole filter in batches, each item once, newest first', () => {
    const { store } = freshStore()
    const count = 9
    const lost = Array.from({ length: count }, (_, i) => itemIn(store, 'unconfirmed', T0 + i))
    const waiting = itemIn(store, 'queued')
    const sizes: number[] = []
    const done: string[] = []
    let before: number | undefined
    for (;;) {
      const batch = store.bulkInFilter('discard', { filter: 'waiting', before, limit: 4 }, T0 + 10_000)
      sizes.push(batch.done.length)
      done.push(...batch.done)
      expect(batch.skipped).toBe(0)
      if (batch.nextBefore === null) break
      before = batch.nextBefore
    }
    // Discard takes queued items too: the filter is Waiting, and discard starts from queued as well.
    expect(sizes).toEqual([4, 4, 2])
    expect(new Set(done).size).toBe(count + 1)
    expect(done[0]).toBe(waiting.id)
    expect(store.counts(T0).discarded).toBe(count + 1)
    expect(store.bulk('restore', done, T0 + 20_000).done).toHaveLength(count + 1)
    expect(store.get(lost.at(-1)!.id, T0)?.state).toBe('unconfirmed')
    expect(store.get(waiting.id, T0)?.state).toBe('queued')
  })

  it('count per action what a filter holds for it', () => {
    const { store } = freshStore()
    itemIn(store, 'unconfirmed')
    itemIn(store, 'unconfirmed')
    itemIn(store, 'needs_fix')
    itemIn(store, 'queued')
    store.enqueue(newItem('Already here', HERE.target), T0)
    itemIn(store, 'discarded')
    itemIn(store, 'sent')
    expect(store.bulkCounts('waiting', HERE.target)).toEqual({
      sendAgain: 2,
      markAsSent: 2,
      retarget: 2,
      discard: 5,
      restore: 0,
    })
    expect(store.bulkCounts('discarded', HERE.target)).toMatchObject({ restore: 1, discard: 0 })
    expect(store.bulkCounts('waiting', undefined).retarget).toBe(0)
  })
})

describe('Move to current organization', () => {
  it('re-targets queued and needs-fix items saved for another connection, due at once, and skips the rest', () => {
    const { store } = freshStore()
    const queued = store.enqueue(newItem('Queued'), T0)
    must(store.markSending(queued.id, T0 + 1))
    must(store.requeue(queued.id, { nextAttemptAt: T0 + 60_000, lastError: OFFLINE }, T0 + 2))
    const refused = itemIn(store, 'needs_fix')
    const lost = itemIn(store, 'unconfirmed')
    const here = store.enqueue(newItem('Already here', HERE.target), T0)

    const batch = store.bulk('retarget', [queued.id, refused.id, lost.id, here.id], T0 + 100, HERE)
    expect(batch.done.sort()).toEqual([queued.id, refused.id].sort())
    expect(batch.skipped).toBe(2)
    for (const id of batch.done) {
      expect(store.get(id, T0 + 100)).toMatchObject({
        state: 'queued',
        target: HERE.target,
        attempts: 0,
        nextAttemptAt: iso(T0 + 100),
        lastError: null,
        fieldErrors: null,
      })
      // The history stays.
      expect(store.attempts(id, 10).total).toBe(1)
    }
    expect(store.get(lost.id, T0)?.target).toEqual(TARGET)
    expect(
      store
        .due(HERE.target, T0 + 100, 10)
        .map((i) => i.id)
        .sort(),
    ).toEqual([queued.id, refused.id, here.id].sort())
    // Without a current target nothing moves.
    expect(store.bulk('retarget', [queued.id], T0 + 200)).toEqual({ done: [], skipped: 1 })
  })
})

describe('through the bridge commands', () => {
  /** A core with a saved connection and no key: nothing is sent, every move is the test's. */
  async function idleCore() {
    const harness = await openHarness({
      fetch: async () => {
        throw new Error('nothing is sent in this test')
      },
    })
    value(await harness.core.handlers.saveSettings({ baseUrl: TARGET.baseUrl, organizationId: 42, apiKeyId: 'key-1' }))
    return harness
  }

  it('refuse malformed bulk input before any handler runs', async () => {
    const harness = await idleCore()
    try {
      const { handlers } = harness.core
      const item = value(await handlers.saveContact(draft()))
      const tooMany = Array.from({ length: BULK_BATCH_MAX + 1 }, () => item.id)
      for (const input of [
        { action: 'sendAgain', ids: tooMany },
        { action: 'sendAgain', ids: [] },
        { action: 'sendAgain', ids: [item.id], filter: 'waiting' },
        { action: 'edit', ids: [item.id] },
        { action: 'discard', filter: 'nowhere' },
      ]) {
        const answer = await dispatchCommand(handlers, 'applyOutboxBulk', input)
        expect(answer, JSON.stringify(input)).toMatchObject({ ok: false, error: { code: 'bad_request' } })
      }
      expect(value(await handlers.getOutboxItem({ id: item.id })).state).toBe('queued')
    } finally {
      await harness.core.close()
      await removeDir(harness.dataDir)
    }
  })

  it('say in words what was done and skipped, announce the moved items, and move to the current organization', async () => {
    const harness = await idleCore()
    try {
      const { handlers } = harness.core
      const first = value(await handlers.saveContact(draft()))
      const second = value(await handlers.saveContact(draft()))
      value(await handlers.saveSettings({ baseUrl: TARGET.baseUrl, organizationId: 43, apiKeyId: 'key-1' }))
      const here = value(await handlers.saveContact(draft()))
      expect(value(await handlers.countOutboxBulk({ filter: 'waiting' })).retarget).toBe(2)

      harness.events.length = 0
      const moved = value(await handlers.applyOutboxBulk({ action: 'retarget', ids: [first.id, second.id, here.id] }))
      expect(moved).toMatchObject({ skipped: 1, nextBefore: null })
      expect(moved.done.sort()).toEqual([first.id, second.id].sort())
      expect(moved.message).toBe(
        '2 contacts moved to the current organization; 1 skipped because it had changed meanwhile or was already for the current organization.',
      )
      expect(harness.events.filter((e) => e.event === 'outboxChanged').map((e) => e.payload)).toEqual([
        { ids: moved.done },
      ])
      for (const id of moved.done) {
        expect(value(await handlers.getOutboxItem({ id })).target).toEqual({
          baseUrl: TARGET.baseUrl,
          organizationId: 43,
        })
      }

      const discarded = value(await handlers.applyOutboxBulk({ action: 'discard', filter: 'waiting' }))
      expect(discarded).toMatchObject({ skipped: 0, nextBefore: null, message: '3 contacts discarded.' })
      const again = value(await handlers.applyOutboxBulk({ action: 'discard', ids: discarded.done }))
      expect(again.message).toBe('No contacts changed: 3 skipped because they had changed meanwhile.')
      expect(value(await handlers.listOutboxAttempts({ id: first.id }))).toEqual({ attempts: [], total: 0 })
      expect(await handlers.listOutboxAttempts({ id: UNKNOWN })).toMatchObject({ ok: false })
    } finally {
      await harness.core.close()
      await removeDir(harness.dataDir)
    }
  })
})

describe('with the real worker and the sandbox', () => {
  let sandbox!: Sandbox
  useSharedSandbox((s) => (sandbox = s))
  const { connected } = useHarnesses(() => sandbox)

  it('a bulk Send again of contacts cut off after sending sends each once more; their attempts say so', async () => {
    sandbox.faults.set({ dropAfterRead: 3 })
    const harness = await connected()
    const items = [await save(harness), await save(harness), await save(harness)]
    for (const item of items) await untilState(harness, item.id, 'unconfirmed')
    const { handlers } = harness.core
    expect(value(await handlers.countOutboxBulk({ filter: 'waiting' })).sendAgain).toBe(3)
    const result = value(await handlers.applyOutboxBulk({ action: 'sendAgain', filter: 'waiting' }))
    expect(result.message).toBe('3 contacts will be sent again.')
    for (const item of items) await untilState(harness, item.id, 'sent')
    expect(sandbox.contacts).toHaveLength(3)
    for (const item of items) {
      const { attempts } = value(await handlers.listOutboxAttempts({ id: item.id }))
      expect(outcomes(attempts)).toEqual([
        [2, 'sent', null],
        [1, 'unconfirmed', 'connection_lost'],
      ])
    }
  })

  it('after a restart the attempts are still there', async () => {
    const harness = await connected()
    const item = await save(harness)
    await untilState(harness, item.id, 'sent')
    await harness.core.close()
    const reopened = await openHarness({ dataDir: harness.dataDir, secrets: harness.secrets })
    try {
      const { attempts } = value(await reopened.core.handlers.listOutboxAttempts({ id: item.id }))
      expect(outcomes(attempts)).toEqual([[1, 'sent', null]])
    } finally {
      await reopened.core.close()
    }
  })
})
