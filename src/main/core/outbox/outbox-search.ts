import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite'
import {
  DUPLICATE_MATCHES_MAX,
  type DuplicateKey,
  type DuplicateMatch,
  type DuplicateQuery,
} from '../../../shared/duplicates.ts'
import { isRecord, parseJson } from '../../../shared/json.ts'
import { OUTBOX_FILTER_STATES, outboxStates, type OutboxFilter } from '../../../shared/outbox.ts'
import type { OutboxTarget } from '../../../shared/outbox.ts'
import { ITEM_COLUMNS, type Row } from './outbox-rows.ts'
import { emailKey, phoneKey, prefixRange } from '../../../shared/search-terms.ts'

type Params = Record<string, SQLInputValue>

/**
 * A token with fewer terms than this drives a search: its items are read from the terms index and
 * checked for the other tokens. When every token is this common, the search walks items newest first
 * instead and checks each, which finds a page quickly precisely because so many match.
 */
const DRIVER_MAX = 5_000
/** Items per state a search of common tokens checks one by one before it narrows down by the index. */
const WALK_BUDGET = 2_000
/** How far common tokens are counted to choose the two rarest (an index range count: a few ms). */
const RARE_COUNT_MAX = 50_000
/**
 * A filter with no more items than this below the walk is checked item by item, by its states' index,
 * where intersecting two common tokens costs hundreds of ms.
 */
const STATE_WALK_MAX = 25_000
/**
 * What one page checks item by item below the walk (an item costs 2–5 µs at 1M items), newest first:
 * this many of each state of such a filter, or of a one-word token's items. The next page goes on below.
 */
const STATE_WALK_BUDGET = 2_500
const TERM_WALK_BUDGET = 3_000

export interface SearchRequest {
  filter: OutboxFilter
  /** From queryTokens: at least one. */
  tokens: readonly string[]
  before: number
  limit: number
}

export interface SearchRows {
  /** Up to limit + 1 rows, newest first: one more than asked tells whether another page follows. */
  rows: Row[]
  total: number
  /** True when `total` is only a lower bound (a search too common to count at each keystroke). */
  totalAtLeast: boolean
  /**
   * Set when the search stopped after its budget of work with items below this seq not checked yet:
   * the next page goes on from here, even when this one holds fewer rows than asked (or none).
   */
  resumeBefore: number | null
}

/**
 * Search and duplicate lookup over outbox_terms (schema 5). Every statement is an index range: the
 * terms' primary key (term, seq) for "which items have a term starting with …", the (seq, term)
 * index for "does this item have one", the items' primary key or state index for the rest.
 * Statements depend on the number of tokens and the filter, so they are prepared on first use.
 */
export class OutboxSearch {
  readonly #db: DatabaseSync
  readonly #cache = new Map<string, StatementSync>()

  constructor(db: DatabaseSync) {
    this.#db = db
    // Prepared now: proves at open that the table and its indices are there.
    this.#statement('estimate', ESTIMATE_SQL)
    this.#statement('duplicates', DUPLICATES_SQL)
  }

  page(request: SearchRequest): SearchRows {
    const ranges = request.tokens.map(prefixRange)
    const estimates = ranges.map((range) =>
      Number(this.#statement('estimate', ESTIMATE_SQL).get({ ...range, cap: DRIVER_MAX })?.n ?? 0),
    )
    const smallest = Math.min(...estimates)
    const params: Params = { before: request.before, limit: request.limit + 1 }
    ranges.forEach((range, k) => Object.assign(params, { [`low${k}`]: range.low, [`high${k}`]: range.high }))
    const states = OUTBOX_FILTER_STATES[request.filter]
    if (smallest < DRIVER_MAX) {
      const driver = estimates.indexOf(smallest)
      const rows = this.#driven('rows', driver, ranges.length, states).all(params) as Row[]
      const { before: _before, limit: _limit, ...countParams } = params
      const total = Number(this.#driven('count', driver, ranges.length, states).get(countParams)?.n ?? 0)
      return { rows, total, totalAtLeast: false, resumeBefore: null }
    }
    return this.#common(request, ranges, params)
  }

  /** Items for this target (not discarded, not `excludeId`) with each email (any case) or number, newest first. */
  findDuplicates(target: OutboxTarget, query: DuplicateQuery, excludeId?: string): DuplicateKey[] {
    const statement = this.#statement('duplicates', DUPLICATES_SQL)
    const ask = (kind: DuplicateKey['kind'], value: string, key: string): DuplicateKey => ({
      kind,
      value,
      matches: statement
        .all({
          key,
          baseUrl: target.baseUrl,
          organizationId: target.organizationId,
          exclude: excludeId ?? '',
          limit: DUPLICATE_MATCHES_MAX,
        })
        .map((row) => toMatch(row as Row)),
    })
    const emails = unique(query.emails.map((email) => email.trim().toLowerCase()))
    const phones = unique(query.phones.map(phoneKey))
    return [
      ...emails.map((email) => ask('email', email, emailKey(email))),
      ...phones.map((phone) => ask('phone', phone, phone)),
    ]
  }

  /** Candidates from the driver token's terms; the other tokens, the filter and the page checked per item. */
  #driven(kind: 'rows' | 'count', driver: number, tokens: number, states: readonly string[]): StatementSync {
    const others = Array.from({ length: tokens }, (_, k) => k).filter((k) => k !== driver)
    const where = `seq IN (SELECT seq FROM outbox_terms WHERE term >= :low${driver} AND term < :high${driver})
      AND state IN (${stateList(states)})
      ${others.map(hasTerm).join(' ')}`
    const sql =
      kind === 'rows'
        ? `SELECT ${ITEM_COLUMNS} FROM outbox_items WHERE ${where} AND seq < :before ORDER BY seq DESC LIMIT :limit`
        : `SELECT count(*) AS n FROM outbox_items WHERE ${where}`
    return this.#statement(`${kind}:${driver}:${tokens}:${states.join(',')}`, sql)
  }

  /**
   * Every token is common. The newest WALK_BUDGET items of each state of the filter are checked first:
   * when matches are dense (one word being typed, a common name) that fills the page at once. Below
   * what that walk covered, the items having both of the two rarest tokens (an INTERSECT of two
   * index ranges) are checked for the rest: that finds sparse matches without checking every item.
   * Not counted to the end: `total` is what is known.
   */
  #common(request: SearchRequest, ranges: readonly unknown[], params: Params): SearchRows {
    const tokens = ranges.length
    const sources = request.filter === 'all' ? [null] : OUTBOX_FILTER_STATES[request.filter]
    const found = new Map<number, Row>()
    let floor = 0
    let resumeBefore: number | null = null
    for (const state of sources) {
      const which: Params = state === null ? {} : { state }
      const window = this.#window(state).get({ before: request.before, budget: WALK_BUDGET, ...which })
      const low = Number(window?.low ?? 0)
      for (const row of this.#walk(tokens, state).all({ ...params, ...which, low }) as Row[])
        found.set(Number(row.seq), row)
      // A window with fewer than WALK_BUDGET items reached the start: nothing of that state is left below it.
      if (Number(window?.n ?? 0) >= WALK_BUDGET) floor = Math.max(floor, low)
    }
    const complete = [...found.values()].filter((row) => Number(row.seq) >= floor)
    if (complete.length <= request.limit && floor > 0) {
      const below = this.#below(request, tokens, params, floor)
      for (const row of below.rows) found.set(Number(row.seq), row)
      resumeBefore = below.resumeBefore
    } else if (floor > 0) {
      for (const [seq] of found) if (seq < floor) found.delete(seq)
    }
    const rows = [...found.values()].sort((x, y) => Number(y.seq) - Number(x.seq)).slice(0, request.limit + 1)
    const short = rows.length <= request.limit
    return {
      rows,
      total: Math.min(rows.length, request.limit),
      totalAtLeast: !short || resumeBefore !== null,
      resumeBefore: short ? resumeBefore : null,
    }
  }

  /**
   * The matches below `floor`: a filter of few items there (needs you, to send) is walked to its end by
   * its states' index; otherwise a whole word's newest items are checked, and only where no token is a
   * whole word, the items having the two rarest tokens. A word's walk that does not fill the page stops
   * there (`resumeBefore`): one page never checks a year of common words at once.
   */
  #below(
    request: SearchRequest,
    tokens: number,
    params: Params,
    floor: number,
  ): { rows: Row[]; resumeBefore: number | null } {
    const states = OUTBOX_FILTER_STATES[request.filter]
    if (request.filter !== 'all') {
      const count = this.#statement('state-count', STATE_COUNT_SQL)
      const left = states.reduce(
        (sum, state) => sum + Number(count.get({ state, before: floor, cap: STATE_WALK_MAX + 1 })?.n ?? 0),
        0,
      )
      if (left <= STATE_WALK_MAX) return this.#stateWalk(tokens, states, params, floor)
    }
    const [a, b] = this.#rarestTwo(request.tokens)
    const word = this.#oneWord(a, params) ?? this.#oneWord(b, params)
    if (!word)
      return { rows: this.#sparse(tokens, a, b, states).all({ ...params, before: floor }) as Row[], resumeBefore: null }
    // One word's terms are in seq order: its newest TERM_WALK_BUDGET items are checked first.
    const window = this.#statement('term-window', TERM_WINDOW_SQL).get({
      term: word.term,
      before: floor,
      budget: TERM_WALK_BUDGET,
    })
    const low = Number(window?.low ?? 0)
    // The word's own range is not in the statement: the term stands for it.
    const { [`low${word.k}`]: _low, [`high${word.k}`]: _high, ...others } = params
    const rows = this.#termWalk(tokens, word.k, states).all({ ...others, term: word.term, before: floor, low }) as Row[]
    const reachedStart = Number(window?.n ?? 0) < TERM_WALK_BUDGET
    return { rows, resumeBefore: rows.length > request.limit || reachedStart ? null : low }
  }

  /**
   * The newest STATE_WALK_BUDGET items of each state below `floor`, each checked for every token. Below
   * the highest point where a state's budget ran out, not every state was checked: the rows there are
   * left to the next page, which goes on from that point (`resumeBefore`).
   */
  #stateWalk(
    tokens: number,
    states: readonly string[],
    params: Params,
    floor: number,
  ): { rows: Row[]; resumeBefore: number | null } {
    const walks = states.map((state) => {
      const window = this.#window(state).get({ before: floor, budget: STATE_WALK_BUDGET, state })
      const low = Number(window?.low ?? 0)
      const rows = this.#walk(tokens, state).all({ ...params, state, before: floor, low }) as Row[]
      return { rows, stoppedAt: Number(window?.n ?? 0) >= STATE_WALK_BUDGET ? low : 0 }
    })
    const resume = Math.max(0, ...walks.map((walk) => walk.stoppedAt))
    const rows = walks.flatMap((walk) => walk.rows).filter((row) => Number(row.seq) >= resume)
    return { rows, resumeBefore: resume > 0 ? resume : null }
  }

  /** Token k's one term when every term its range holds is the same word (two index seeks). */
  #oneWord(k: number, params: Params): { k: number; term: string } | null {
    const range = { low: params[`low${k}`] ?? null, high: params[`high${k}`] ?? null }
    const found = this.#statement('one-word', ONE_WORD_SQL).get(range)
    return typeof found?.first === 'string' && found.first === found.last ? { k, term: found.first } : null
  }

  /** The items from `low` to below `before` having the one word `term` (token `a`), checked for the others. */
  #termWalk(tokens: number, a: number, states: readonly string[]): StatementSync {
    const others = Array.from({ length: tokens }, (_, k) => k).filter((k) => k !== a)
    return this.#statement(
      `term-walk:${tokens}:${a}:${states.join(',')}`,
      // The term's entries drive, newest first, so the walk stops once the page is full.
      `SELECT ${ITEM_COLUMNS} FROM
          (SELECT seq AS term_seq FROM outbox_terms WHERE term = :term AND seq >= :low AND seq < :before) AS d
          CROSS JOIN outbox_items ON outbox_items.seq = d.term_seq
        WHERE state IN (${stateList(states)}) ${others.map(hasTerm).join(' ')}
        ORDER BY d.term_seq DESC LIMIT :limit`,
    )
  }

  /** The items (all, or one state by its index) from `low` to below `before`, each checked for every token. */
  #walk(tokens: number, state: string | null): StatementSync {
    const checks = Array.from({ length: tokens }, (_, k) => hasTerm(k)).join(' ')
    return this.#statement(
      `walk:${tokens}:${state === null ? 'all' : 'state'}`,
      state === null
        ? `SELECT ${ITEM_COLUMNS} FROM outbox_items WHERE seq < :before AND seq >= :low ${checks}
            ORDER BY seq DESC LIMIT :limit`
        : `SELECT ${ITEM_COLUMNS} FROM outbox_items INDEXED BY outbox_items_by_state
            WHERE state = :state AND seq < :before AND seq >= :low ${checks} ORDER BY seq DESC LIMIT :limit`,
    )
  }

  /** How many items the walk covered and the lowest seq among them. */
  #window(state: string | null): StatementSync {
    return this.#statement(
      `window:${state === null ? 'all' : 'state'}`,
      `SELECT count(*) AS n, coalesce(min(seq), 0) AS low FROM (${windowOf(state)})`,
    )
  }

  /**
   * Below the walk: the items having both token a and token b (an INTERSECT of two index ranges, so
   * its cost is bounded by those ranges, not by the items), checked for the others, the filter's
   * states and the page. One token: a and b are the same.
   */
  #sparse(tokens: number, a: number, b: number, states: readonly string[]): StatementSync {
    const others = Array.from({ length: tokens }, (_, k) => k).filter((k) => k !== a && k !== b)
    return this.#statement(
      `sparse:${tokens}:${a}:${b}:${states.join(',')}`,
      `SELECT ${ITEM_COLUMNS} FROM outbox_items
        WHERE seq IN (SELECT seq FROM outbox_terms WHERE term >= :low${a} AND term < :high${a}
          INTERSECT SELECT seq FROM outbox_terms WHERE term >= :low${b} AND term < :high${b})
          AND seq < :before AND state IN (${stateList(states)}) ${others.map(hasTerm).join(' ')}
        ORDER BY seq DESC LIMIT :limit`,
    )
  }

  /** The two tokens with the fewest terms (counted up to RARE_COUNT_MAX each; ties go to the longer). */
  #rarestTwo(tokens: readonly string[]): [number, number] {
    const estimate = this.#statement('estimate', ESTIMATE_SQL)
    const order = tokens
      .map((token, k) => ({
        k,
        length: token.length,
        n: Number(estimate.get({ ...prefixRange(token), cap: RARE_COUNT_MAX })?.n ?? 0),
      }))
      .sort((x, y) => x.n - y.n || y.length - x.length)
    const first = order[0]?.k ?? 0
    return [first, order[1]?.k ?? first]
  }

  #statement(key: string, sql: string): StatementSync {
    let statement = this.#cache.get(key)
    if (!statement) {
      statement = this.#db.prepare(sql)
      this.#cache.set(key, statement)
    }
    return statement
  }
}

/** How many terms start with a token, counted no further than `cap`. */
const ESTIMATE_SQL = `SELECT count(*) AS n FROM
  (SELECT 1 FROM outbox_terms WHERE term >= :low AND term < :high LIMIT :cap)`

/** The first and last term a token's range holds (one index seek each): the same one when the token is one whole word. */
const ONE_WORD_SQL = `SELECT (SELECT min(term) FROM outbox_terms WHERE term >= :low AND term < :high) AS first,
  (SELECT max(term) FROM outbox_terms WHERE term >= :low AND term < :high) AS last`

/** How many items the newest `budget` of a term below `before` are, and the lowest seq among them. */
const TERM_WINDOW_SQL = `SELECT count(*) AS n, coalesce(min(seq), 0) AS low FROM
  (SELECT seq FROM outbox_terms WHERE term = :term AND seq < :before ORDER BY seq DESC LIMIT :budget)`

/** How many items of a state lie below `before`, counted no further than `cap` (its index range). */
const STATE_COUNT_SQL = `SELECT count(*) AS n FROM (SELECT 1 FROM outbox_items INDEXED BY outbox_items_by_state
  WHERE state = :state AND seq < :before LIMIT :cap)`

// Newest first along the key's (term, seq) range; the item by its primary key.
const DUPLICATES_SQL = `SELECT i.id, i.state, i.draft_json, i.request_json, i.contact_json
  FROM outbox_terms AS t JOIN outbox_items AS i ON i.seq = t.seq
  WHERE t.term = :key AND i.target_base_url = :baseUrl AND i.target_organization_id = :organizationId
    AND i.state <> 'discarded' AND i.id <> :exclude
  ORDER BY t.seq DESC LIMIT :limit`

const hasTerm = (k: number): string =>
  `AND EXISTS (SELECT 1 FROM outbox_terms AS t INDEXED BY outbox_terms_by_item
    WHERE t.seq = outbox_items.seq AND t.term >= :low${k} AND t.term < :high${k})`

/** The newest WALK_BUDGET items below :before, of one state (by its index) or of all. */
function windowOf(state: string | null): string {
  return state === null
    ? `SELECT seq FROM outbox_items WHERE seq < :before ORDER BY seq DESC LIMIT :budget`
    : `SELECT seq FROM outbox_items INDEXED BY outbox_items_by_state
        WHERE state = :state AND seq < :before ORDER BY seq DESC LIMIT :budget`
}

function stateList(states: readonly string[]): string {
  return states.map((state) => `'${knownState(state)}'`).join(', ')
}

/** States go into the SQL text (so each filter gets its own plan): only the app's own names may. */
function knownState(state: string): string {
  if (!(outboxStates as readonly string[]).includes(state)) throw new Error(`Not an outbox state: ${state}`)
  return state
}

function toMatch(row: Row): DuplicateMatch {
  const request = record(row.request_json)
  const draft = record(row.draft_json)
  const contact = record(row.contact_json)
  const name = typeof request.full_name === 'string' ? request.full_name : draft.fullName
  const state = outboxStates.find((known) => known === row.state) ?? 'unconfirmed'
  return {
    id: String(row.id),
    state,
    fullName: typeof name === 'string' ? name.trim() : '',
    serverId: typeof contact.id === 'number' ? contact.id : null,
  }
}

function record(value: unknown): Record<string, unknown> {
  const json = typeof value === 'string' ? parseJson(value) : undefined
  return isRecord(json) ? json : {}
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))]
}
