/**
 * Search and possible duplicates on real SQLite files: each field, numbers in any format, filters and
 * paging, the terms table kept in step by the item's own transactions, and migration 5's backfill.
 */
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../src/main/core/outbox/migrations.ts'
import type { NewOutboxItem, OutboxStore } from '../../src/main/core/outbox/outbox-store-types.ts'
import type { ContactRequest } from '../../src/shared/contact.ts'
import type { OutboxFilter, OutboxTarget } from '../../src/shared/outbox.ts'
import {
  CREATED,
  DAY_MS,
  T0,
  TARGET,
  freshStore,
  must,
  openStore,
  tempFolder,
} from './support/outbox-store-fixtures.ts'

const OTHER_ORG: OutboxTarget = { baseUrl: TARGET.baseUrl, organizationId: 43 }

function contact(request: ContactRequest, target: OutboxTarget = TARGET): NewOutboxItem {
  return {
    draft: {
      fullName: request.full_name,
      email: request.email ?? '',
      description: request.description ?? '',
      phones: (request.contact_phones_attributes ?? []).map((phone) => ({ number: phone.number })),
    },
    request,
    target,
    profileId: 'default',
  }
}

const ADA: ContactRequest = {
  full_name: 'Ada Lovelace',
  email: 'Ada@Analytical.example',
  description: 'Wants a callback about the Difference Engine',
  contact_phones_attributes: [{ number: '+14155550132' }],
}
const GRACE: ContactRequest = {
  full_name: 'Grace Hopper',
  email: 'grace@navy.example',
  description: 'Prefers email',
  contact_phones_attributes: [{ number: '+442079460958' }],
}
const RENE: ContactRequest = { full_name: 'René Descartes', description: 'Cogito' }

function names(store: OutboxStore, query: string, filter: OutboxFilter = 'all'): string[] {
  return store.page({ filter, limit: 100, query }, T0).items.map((item) => item.draft.fullName)
}

function filled(): { store: OutboxStore; path: string; ids: Record<string, string> } {
  const { store, path } = freshStore()
  const ada = store.enqueue(contact(ADA), T0)
  const grace = store.enqueue(contact(GRACE), T0 + 1)
  const rene = store.enqueue(contact(RENE), T0 + 2)
  return { store, path, ids: { ada: ada.id, grace: grace.id, rene: rene.id } }
}

describe('search', () => {
  it('finds by each field: name, email, phone, description and the server id', () => {
    const { store, ids } = filled()
    expect(names(store, 'lovel')).toEqual(['Ada Lovelace'])
    expect(names(store, 'hopper grace')).toEqual(['Grace Hopper'])
    expect(names(store, 'grace@navy')).toEqual(['Grace Hopper'])
    expect(names(store, 'analytical.example')).toEqual(['Ada Lovelace'])
    expect(names(store, 'difference')).toEqual(['Ada Lovelace'])
    // Accents and case do not matter.
    expect(names(store, 'rene')).toEqual(['René Descartes'])
    expect(names(store, 'DESCARTES')).toEqual(['René Descartes'])
    // The server's id once sent.
    must(store.markSending(ids.ada!, T0 + 10))
    must(store.markSent(ids.ada!, { ...CREATED, id: 77123 }, T0 + 11))
    expect(names(store, '77123')).toEqual(['Ada Lovelace'])
    expect(names(store, '#7712')).toEqual(['Ada Lovelace'])
  })

  it('finds a phone typed in any format: with spaces, dashes, brackets, +, or the national trunk prefix', () => {
    const { store } = filled()
    for (const typed of ['415 555 0132', '(415) 555-0132', '+1 415 555 0132', '14155550132', '415.555'])
      expect(names(store, typed), typed).toEqual(['Ada Lovelace'])
    for (const typed of ['020 7946 0958', '+44 20 7946 0958', '2079460958'])
      expect(names(store, typed), typed).toEqual(['Grace Hopper'])
    // A number among words: its parts are one number.
    expect(names(store, 'ada 415 555')).toEqual(['Ada Lovelace'])
    expect(names(store, '999 555 0132')).toEqual([])
  })

  it('needs every word, and combines with the filter tab', () => {
    const { store, ids } = filled()
    expect(names(store, 'ada hopper')).toEqual([])
    // "engine", "example", "email": not René, who has no word starting with e.
    expect(names(store, 'e')).toEqual(['Grace Hopper', 'Ada Lovelace'])
    must(store.markSending(ids.grace!, T0 + 10))
    must(
      store.markNeedsFix(
        ids.grace!,
        { lastError: { code: 'rejected', params: { messages: [] } }, fieldErrors: null },
        T0 + 11,
      ),
    )
    expect(names(store, 'e', 'needs_you')).toEqual(['Grace Hopper'])
    expect(names(store, 'e', 'to_send')).toEqual(['Ada Lovelace'])
    expect(names(store, 'grace', 'to_send')).toEqual([])
    // A blank query is no search.
    expect(store.page({ filter: 'all', limit: 100, query: '   ' }, T0).total).toBe(3)
  })

  it('pages through many matches newest first without repeats, and counts them', () => {
    const { store } = freshStore()
    for (let i = 0; i < 230; i++) store.enqueue(contact({ ...RENE, full_name: `Person ${i}` }), T0 + i)
    store.enqueue(contact(ADA), T0 + 500)
    const seen: string[] = []
    let before: number | undefined
    let pages = 0
    for (;;) {
      const page = store.page({ filter: 'all', limit: 100, query: 'person', ...(before ? { before } : {}) }, T0)
      if (pages === 0) expect(page.total).toBe(230)
      seen.push(...page.items.map((item) => item.draft.fullName))
      pages += 1
      if (page.nextBefore === null) break
      before = page.nextBefore
    }
    expect(pages).toBe(3)
    expect(seen).toEqual(Array.from({ length: 230 }, (_, i) => `Person ${229 - i}`))
  })
})

describe('search of common words (thousands of items each)', () => {
  // Past the sizes where a rare word drives the search: the newest items are walked, then the rest are
  // found by the filter's state index (few items), a whole word's terms newest first, or an intersection.
  function commonWords(): OutboxStore {
    const { store } = freshStore()
    const many = (name: string, description: string, n: number): NewOutboxItem[] =>
      Array.from({ length: n }, () => contact({ full_name: name, description }))
    store.enqueueMany(many('Ada Both', 'alpha beta', 3), T0)
    store.enqueueMany([...many('Alpha Only', 'alpha', 6_000), ...many('Beta Only', 'betamax', 6_000)], T0 + 1)
    return store
  }

  /** Every match, page after page; and how many pages came back short with another to follow. */
  function everyMatch(store: OutboxStore, filter: OutboxFilter, query: string): { names: string[]; short: number } {
    const found: string[] = []
    let short = 0
    let before: number | undefined
    for (;;) {
      const page = store.page({ filter, limit: 100, query, ...(before ? { before } : {}) }, T0)
      found.push(...page.items.map((item) => item.draft.fullName))
      if (page.nextBefore === null) return { names: found, short }
      if (page.items.length < 100) short += 1
      before = page.nextBefore
    }
  }

  it.each(['all', 'to_send', 'waiting'] as const)('finds the few old items having both, under %s', (filter) => {
    const store = commonWords()
    for (const query of ['alpha beta', 'alph bet', 'alpha betamax']) {
      const expected = query === 'alpha betamax' ? [] : ['Ada Both', 'Ada Both', 'Ada Both']
      expect(everyMatch(store, filter, query).names, `${query} under ${filter}`).toEqual(expected)
    }
  })

  // All has too many items to walk to the end: the word "alpha" drives, 3,000 of its items a page.
  // To send holds 12,003 items: few enough to walk by its states' index, too many for one page.
  it.each(['all', 'to_send'] as const)(
    'checks a bounded part of the history per page under %s: a short page says where the search goes on',
    (filter) => {
      const store = commonWords()
      const { names, short } = everyMatch(store, filter, 'alpha beta')
      expect(names).toEqual(['Ada Both', 'Ada Both', 'Ada Both'])
      expect(short).toBeGreaterThan(0)
      const first = store.page({ filter, limit: 100, query: 'alpha beta' }, T0)
      expect(first.items).toEqual([])
      expect(first.nextBefore).not.toBeNull()
      expect(first.totalAtLeast).toBe(true)
    },
  )

  it('fills a page of dense matches newest first, and pages on without repeats', () => {
    const store = commonWords()
    const first = store.page({ filter: 'all', limit: 100, query: 'alpha only' }, T0)
    expect(first.items).toHaveLength(100)
    expect(first.totalAtLeast).toBe(true)
    const second = store.page({ filter: 'all', limit: 100, query: 'alpha only', before: first.nextBefore! }, T0)
    const seqs = [...first.items, ...second.items].map((item) => item.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x))
    expect(new Set(seqs).size).toBe(200)
  })
})

describe('the terms stay in step with the items, in the same transactions', () => {
  it('an edit replaces what the item is found by', () => {
    const { store, ids } = filled()
    must(store.updateDraft(ids.ada!, { ...contact({ ...ADA, full_name: 'Augusta King' }), target: TARGET }, T0 + 5))
    expect(names(store, 'lovelace')).toEqual([])
    expect(names(store, 'augusta')).toEqual(['Augusta King'])
  })

  it('a discarded item is found under Discarded and is no duplicate; pruning removes its terms', () => {
    const { store, path, ids } = filled()
    must(store.discard(ids.ada!, T0 + 5))
    expect(names(store, 'lovelace', 'discarded')).toEqual(['Ada Lovelace'])
    expect(names(store, 'lovelace', 'to_send')).toEqual([])
    const dupes = store.findDuplicates(TARGET, { emails: ['ada@analytical.example'], phones: [] })
    expect(dupes).toEqual([{ kind: 'email', value: 'ada@analytical.example', matches: [] }])
    expect(store.pruneHistory(T0 + 30 * DAY_MS)).toBe(1)
    store.close()
    const db = new DatabaseSync(path)
    const seqs = db
      .prepare('SELECT DISTINCT seq FROM outbox_terms')
      .all()
      .map((row) => row.seq)
    const items = db
      .prepare('SELECT seq FROM outbox_items ORDER BY seq')
      .all()
      .map((row) => row.seq)
    db.close()
    expect([...seqs].sort()).toEqual(items)
  })

  it('a term that cannot be written takes the item with it: one transaction, all or nothing', () => {
    const { store, path, ids } = filled()
    const db = new DatabaseSync(path)
    // Stands in for a full disk just as the terms are written.
    db.exec(`CREATE TRIGGER refuse_term BEFORE INSERT ON outbox_terms WHEN NEW.term = 'babbage'
      BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    db.close()
    expect(() => store.enqueue(contact({ ...RENE, full_name: 'Charles Babbage' }), T0 + 5)).toThrow()
    expect(store.counts(T0).queued).toBe(3)
    expect(names(store, 'charles')).toEqual([])
    // An edit that fails the same way keeps the old draft and the old terms.
    expect(() =>
      store.updateDraft(ids.ada!, { ...contact({ ...ADA, full_name: 'Babbage' }), target: TARGET }, T0 + 6),
    ).toThrow()
    expect(names(store, 'lovelace')).toEqual(['Ada Lovelace'])
    expect(store.get(ids.ada!, T0)?.draft.fullName).toBe('Ada Lovelace')
  })
})

describe('possible duplicates', () => {
  it('match the email without regard to case and each E.164 number, newest first, for the same organization only', () => {
    const { store, ids } = filled()
    const again = store.enqueue(
      contact({ full_name: 'A. Lovelace', contact_phones_attributes: [{ number: '+14155550132' }] }),
      T0 + 3,
    )
    store.enqueue(contact(ADA, OTHER_ORG), T0 + 4)
    const keys = store.findDuplicates(TARGET, {
      emails: [' ADA@analytical.EXAMPLE '],
      phones: ['+14155550132', '+15555550000'],
    })
    expect(keys).toEqual([
      {
        kind: 'email',
        value: 'ada@analytical.example',
        matches: [expect.objectContaining({ id: ids.ada, fullName: 'Ada Lovelace', state: 'queued', serverId: null })],
      },
      {
        kind: 'phone',
        value: '+14155550132',
        matches: [expect.objectContaining({ id: again.id }), expect.objectContaining({ id: ids.ada })],
      },
      { kind: 'phone', value: '+15555550000', matches: [] },
    ])
    // The other organization sees only its own.
    const there = store.findDuplicates(OTHER_ORG, { emails: ['ada@analytical.example'], phones: [] })
    expect(there[0]!.matches).toHaveLength(1)
    expect(there[0]!.matches[0]!.id).not.toBe(ids.ada)
    // Not across base URLs either.
    expect(
      store.findDuplicates(
        { ...TARGET, baseUrl: 'https://other.example.test' },
        { emails: ['ada@analytical.example'], phones: [] },
      )[0]!.matches,
    ).toEqual([])
  })

  it('name a sent contact with its server id, and leave out the item being edited', () => {
    const { store, ids } = filled()
    must(store.markSending(ids.ada!, T0 + 10))
    must(store.markSent(ids.ada!, { ...CREATED, id: 4711 }, T0 + 11))
    const [email] = store.findDuplicates(TARGET, { emails: ['ada@analytical.example'], phones: [] })
    expect(email!.matches).toEqual([{ id: ids.ada, state: 'sent', fullName: 'Ada Lovelace', serverId: 4711 }])
    expect(
      store.findDuplicates(TARGET, { emails: ['ada@analytical.example'], phones: [] }, { excludeId: ids.ada })[0]!
        .matches,
    ).toEqual([])
  })
})

describe('migration 5', () => {
  it('backfills the terms of every row of an existing version-3 file', () => {
    const path = `${tempFolder()}/outbox.sqlite`
    const old = new DatabaseSync(path)
    for (const migration of MIGRATIONS.filter((m) => m.version <= 3)) old.exec(migration.sql)
    old.exec('PRAGMA user_version = 3')
    const insert = old.prepare(`INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url,
        target_organization_id, state, draft_json, request_json, attempts, contact_json, created_at, updated_at)
      VALUES (?, ?, 'default', ?, ?, ?, ?, ?, 1, ?, ?, ?)`)
    const rows = [
      ['00000000-0000-4000-8000-000000000001', 'sent', contact(ADA), JSON.stringify({ ...CREATED, id: 31337 })],
      ['00000000-0000-4000-8000-000000000002', 'queued', contact(GRACE), null],
    ] as const
    for (const [id, state, item, created] of rows) {
      const draft = JSON.stringify(item.draft)
      insert.run(
        id,
        `key-${id}`,
        TARGET.baseUrl,
        TARGET.organizationId,
        state,
        draft,
        JSON.stringify(item.request),
        created,
        T0,
        T0,
      )
    }
    // A row whose wire body no longer reads is still found by its draft's text.
    insert.run(
      '00000000-0000-4000-8000-000000000003',
      'key-3',
      TARGET.baseUrl,
      TARGET.organizationId,
      'needs_fix',
      JSON.stringify(contact(RENE).draft),
      '{not json',
      null,
      T0,
      T0,
    )
    old.close()

    const store = openStore(path)
    expect(names(store, '31337')).toEqual(['Ada Lovelace'])
    expect(names(store, '020 7946 0958')).toEqual(['Grace Hopper'])
    expect(names(store, 'descartes')).toEqual(['René Descartes'])
    expect(
      store
        .findDuplicates(TARGET, { emails: ['grace@navy.example'], phones: ['+14155550132'] })
        .map((key) => key.matches.map((m) => m.fullName)),
    ).toEqual([['Grace Hopper'], ['Ada Lovelace']])
  })
})
