/**
 * Import CSV through the real core: a real outbox file, real SQLite transactions and the sandbox over
 * real HTTP. An invalid draft refuses the whole import; a valid one is written in slices, a failing
 * slice keeps those before it, and each imported row is sent exactly once.
 */
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { bridgeContract } from '../../src/shared/bridge-contract.ts'
import type { ContactDraft } from '../../src/shared/contact.ts'
import type { Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { connect, eventually, openHarness, useHarnesses, useSharedSandbox, value } from './support/outbox-harness.ts'
import { T0, freshStore, newItem } from './support/outbox-store-fixtures.ts'

let sandbox: Sandbox
useSharedSandbox((s) => (sandbox = s))
const { connected, track } = useHarnesses(() => sandbox)

const person = (n: number): ContactDraft => ({
  fullName: `Imported Person ${n}`,
  email: `person${n}@example.com`,
  description: '',
  phones: [{ number: `415 555 01${String(n).padStart(2, '0')}`, country: 'US' }],
})

/** Many rows: person's phones run out at 99, so these have only a name and an email. */
const many = (count: number): ContactDraft[] =>
  Array.from({ length: count }, (_, i) => ({ ...person(i + 1), phones: [] }))

describe('enqueueMany on a real outbox file', () => {
  it('writes the batch in one transaction, or none of it when an INSERT fails part-way', () => {
    const { store, path } = freshStore()
    store.enqueue(newItem('Already here'), T0)
    // A real failure inside SQLite on the 4th row of the batch (as a full disk or a constraint would fail it).
    const other = new DatabaseSync(path)
    other.exec(`CREATE TRIGGER fail_fourth BEFORE INSERT ON outbox_items
      WHEN (SELECT count(*) FROM outbox_items) >= 4 BEGIN SELECT RAISE(ABORT, 'stand-in failure'); END`)
    const batch = Array.from({ length: 10 }, (_, i) => newItem(`Batch ${i + 1}`))

    expect(() => store.enqueueMany(batch, T0)).toThrow()
    expect(store.readAll(T0).items.map((item) => item.draft.fullName)).toEqual(['Already here'])

    other.exec('DROP TRIGGER fail_fourth')
    other.close()
    const written = store.enqueueMany(batch, T0)
    expect(written).toHaveLength(10)
    expect(new Set(written.map((item) => item.idempotencyKey)).size).toBe(10)
    expect(store.counts(T0).queued).toBe(11)
  })
})

describe('Import N contacts through the core', () => {
  it('refuses the whole import when one draft is invalid, keeping nothing', async () => {
    const harness = await connected()
    const drafts = [person(1), person(2), { ...person(3), email: 'not-an-email' }, person(4)]
    const result = await harness.core.handlers.importContacts({ drafts })
    expect(result).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'Row 3 needs fixing; nothing was imported.' },
    })
    expect(harness.core.outbox.readAll(Date.now()).items).toHaveLength(0)
    expect(sandbox.contacts).toHaveLength(0)
  })

  it('writes a large import a slice at a time, announcing each and serving the event loop between them', async () => {
    // Without the key nothing is sent, so every outboxChanged is the import's own.
    const harness = track(await openHarness())
    await connect(harness, sandbox, { apiKey: undefined })
    const total = 450
    const drafts = many(total)
    // Timers and I/O queued during the import run between its slices, not after it.
    let turnsWhileImporting = 0
    let importing = true
    const tick = (): void => {
      if (!importing) return
      turnsWhileImporting += 1
      setImmediate(tick)
    }
    setImmediate(tick)
    const result = value(await harness.core.handlers.importContacts({ drafts }))
    importing = false

    expect(result).toEqual({ count: total })
    const announced = harness.events
      .filter((entry) => entry.event === 'outboxChanged')
      .map((entry) => (entry.payload as { ids: string[] }).ids)
    // The first slice is small (its cost is not known yet); each is announced once it is written.
    expect(announced.length).toBeGreaterThan(1)
    expect(announced[0]).toHaveLength(25)
    const items = harness.core.outbox.readAll(Date.now()).items
    expect(announced.flat().sort()).toEqual(items.map((item) => item.id).sort())
    expect(turnsWhileImporting).toBeGreaterThanOrEqual(announced.length - 1)
    const names = [...items].sort((a, b) => a.seq - b.seq).map((item) => item.draft.fullName)
    expect(names).toEqual(drafts.map((draft) => draft.fullName))
  })

  it('keeps the slices written before one that fails, and says why the rest were not written', async () => {
    const harness = await connected()
    // A real failure inside SQLite at the 300th contact, some slices in (as a full disk would stop it).
    const other = new DatabaseSync(harness.core.outbox.path)
    other.exec(`CREATE TRIGGER fail_later_slice BEFORE INSERT ON outbox_items
      WHEN (SELECT count(*) FROM outbox_items) >= 299 BEGIN SELECT RAISE(ABORT, 'stand-in failure'); END`)
    const drafts = many(450)

    const result = value(await harness.core.handlers.importContacts({ drafts }))
    other.exec('DROP TRIGGER fail_later_slice')
    other.close()

    // Every slice before the failing one is kept, in order; the failing one is undone whole.
    expect(result.count).toBeGreaterThanOrEqual(25)
    expect(result.count).toBeLessThan(299)
    expect(result.stopped).toEqual({
      code: 'storage',
      message:
        'The app could not read or write its outbox. Check free disk space and permissions, then try again. The outbox file is kept as it is.',
    })
    const kept = [...harness.core.outbox.readAll(Date.now()).items].sort((a, b) => a.seq - b.seq)
    expect(kept.map((item) => item.draft.fullName)).toEqual(
      drafts.slice(0, result.count).map((draft) => draft.fullName),
    )
    // The slices written are sent as usual, each once.
    await eventually(
      () => harness.core.outbox.counts(Date.now()).sent === result.count,
      30_000,
      'the written ones sent',
    )
    expect(new Set(sandbox.contacts.map((contact) => contact.full_name)).size).toBe(result.count)
    expect(sandbox.contacts).toHaveLength(result.count)
  })

  it('refuses the whole import, writing nothing, when even the first slice fails', async () => {
    const harness = await connected()
    const other = new DatabaseSync(harness.core.outbox.path)
    other.exec(
      `CREATE TRIGGER fail_all BEFORE INSERT ON outbox_items BEGIN SELECT RAISE(ABORT, 'stand-in failure'); END`,
    )
    const result = await harness.core.handlers.importContacts({ drafts: [person(1), person(2)] })
    other.exec('DROP TRIGGER fail_all')
    other.close()

    expect(result).toMatchObject({ ok: false, error: { code: 'storage' } })
    expect(harness.core.outbox.readAll(Date.now()).items).toHaveLength(0)
  })

  it('imports 12 rows and sends each exactly once to the sandbox', async () => {
    const harness = await connected()
    const drafts = Array.from({ length: 12 }, (_, i) => person(i + 1))
    expect(value(await harness.core.handlers.importContacts({ drafts }))).toEqual({ count: 12 })

    await eventually(
      () => sandbox.contacts.length >= 12,
      15_000,
      () => `12 contacts, have ${sandbox.contacts.length}`,
    )
    await eventually(() => harness.core.outbox.counts(Date.now()).sent === 12, 10_000, 'all 12 sent')
    const posts = sandbox.requests.filter((request) => request.method === 'POST' && /\/contacts/.test(request.path))
    expect(posts).toHaveLength(12)
    expect(sandbox.contacts.map((contact) => contact.full_name).sort()).toEqual(drafts.map((d) => d.fullName).sort())
    expect(sandbox.contacts.find((c) => c.full_name === 'Imported Person 7')?.contact_phones?.[0]?.number).toBe(
      '+14155550107',
    )
  })

  it('names, for each row, the newest contact of this organization it repeats, by email or number', async () => {
    const harness = await connected()
    expect(value(await harness.core.handlers.importContacts({ drafts: [person(1), person(2)] }))).toEqual({ count: 2 })
    await eventually(() => harness.core.outbox.counts(Date.now()).sent === 2, 15_000, 'both sent')

    const { matches } = value(
      await harness.core.handlers.findDuplicatesOfMany({
        contacts: [
          { email: 'PERSON1@example.com', phones: [] },
          { email: '', phones: ['+14155550102'] },
          { email: 'someone.new@example.com', phones: ['+14155550199'] },
        ],
      }),
    )
    expect(matches.map((match) => match && [match.fullName, match.state, match.serverId !== null])).toEqual([
      ['Imported Person 1', 'sent', true],
      ['Imported Person 2', 'sent', true],
      null,
    ])
    // The transports parse every input with the contract: a number not in E.164 is refused, not guessed at.
    const input = bridgeContract.findDuplicatesOfMany.input
    expect(input.safeParse({ contacts: [{ email: '', phones: ['415 555 0101'] }] }).success).toBe(false)
  })

  it('parses a UTF-16 file from the web preview’s file input and refuses one over 10 MB', async () => {
    const harness = await connected()
    const text = 'Name\tE-mail\r\nZoë O’Brien\tzoe@example.com\r\n'
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const table = value(
      await harness.core.handlers.parseCsvFile({ fileName: 'excel.txt', base64: utf16.toString('base64') }),
    )
    expect(table).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', headers: ['Name', 'E-mail'] })
    expect(table.rows).toEqual([['Zoë O’Brien', 'zoe@example.com']])

    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61).toString('base64')
    const refused = await harness.core.handlers.parseCsvFile({ fileName: 'big.csv', base64: big })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid' } })
    expect(value(await harness.core.handlers.openCsvFile(undefined))).toEqual({ kind: 'use_file_input' })
  })
})
