import { isRecord } from '../../src/shared/json.ts'

/** A reply sent instead of the API's own, as a proxy, load balancer or rate limiter in front of it might. */
export interface CannedResponse {
  status: number
  /** Sent as `Retry-After` (seconds or an HTTP date, passed through as given). */
  retryAfter?: string
  /** Sent as is; JSON unless it does not parse. Defaults to `{ "error": "<reason phrase>" }`. */
  body?: string
  /** Extra headers, e.g. `Location` for a redirect. */
  headers?: Record<string, string>
}

/**
 * What a server that saved the contact does instead of answering 201: a canned reply (a 500 from the app
 * after its commit, a gateway's 502 or 504), dropping the connection, or never answering.
 */
export type AfterCommit = CannedResponse | { drop: true } | { hang: true }

/** What goes wrong, and how, for requests to the API (admin routes are never affected). */
export interface FaultState {
  /** Wait this long after reading each request before handling it. */
  latencyMs: number
  /** Replies used one per request, in order, before auth or validation run; nothing is created. */
  nextStatuses: CannedResponse[]
  /**
   * Used one per request the API would answer 201 (a new contact, or a repeat it recognises by its
   * Idempotency-Key), in order: the contact is saved, then this happens instead of the 201.
   */
  afterCommit: AfterCommit[]
  /** The next N requests are read in full, create nothing and get their connection destroyed. */
  dropAfterRead: number
  /** Requests are read and never answered (until the client gives up or the sandbox closes). */
  hang: boolean
  /** Requests get their connection closed as soon as their head arrives, before the body is read. */
  down: boolean
}

export type FaultPatch = Partial<FaultState>

const KEYS = ['latencyMs', 'nextStatuses', 'afterCommit', 'dropAfterRead', 'hang', 'down']
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Node refuses header values with line breaks or NUL; better a 400 at set-up than a crash mid-test.
const HEADER_VALUE = /^[^\r\n\0]*$/

const noFaults = (): FaultState => ({
  latencyMs: 0,
  nextStatuses: [],
  afterCommit: [],
  dropAfterRead: 0,
  hang: false,
  down: false,
})

/** Checks a patch from a test or from `POST /__sandbox/faults`; throws a TypeError that says what is wrong. */
export function parseFaultPatch(input: unknown): FaultPatch {
  if (!isRecord(input)) throw new TypeError('faults must be a JSON object')
  const unknown = Object.keys(input).filter((key) => !KEYS.includes(key))
  if (unknown.length > 0) throw new TypeError(`unknown fault(s): ${unknown.join(', ')}; known: ${KEYS.join(', ')}`)
  const patch: FaultPatch = {}
  const { latencyMs, nextStatuses, afterCommit, dropAfterRead, hang, down } = input
  if (latencyMs !== undefined) patch.latencyMs = integer(latencyMs, 'latencyMs', 0, 600_000)
  if (dropAfterRead !== undefined) patch.dropAfterRead = integer(dropAfterRead, 'dropAfterRead', 0, 1_000_000)
  if (hang !== undefined) patch.hang = boolean(hang, 'hang')
  if (down !== undefined) patch.down = boolean(down, 'down')
  if (nextStatuses !== undefined) {
    if (!Array.isArray(nextStatuses)) throw new TypeError('nextStatuses must be an array')
    patch.nextStatuses = nextStatuses.map((entry, index) => cannedResponse(entry, `nextStatuses[${index}]`))
  }
  if (afterCommit !== undefined) {
    if (!Array.isArray(afterCommit)) throw new TypeError('afterCommit must be an array')
    patch.afterCommit = afterCommit.map((entry, index) => afterCommitFault(entry, `afterCommit[${index}]`))
  }
  return patch
}

/** The sandbox's switchable faults; change them at any time, they apply from the next request on. */
export class Faults {
  #state: FaultState = noFaults()

  /** A copy of the faults in force. */
  get current(): FaultState {
    return structuredClone(this.#state)
  }

  /** Changes only the faults given; `nextStatuses` and `afterCommit` replace their queues. */
  set(patch: FaultPatch): FaultState {
    // parseFaultPatch builds fresh objects, so later changes to the caller's patch cannot leak in.
    Object.assign(this.#state, parseFaultPatch(patch))
    return this.current
  }

  clear(): void {
    this.#state = noFaults()
  }

  /** Used by the server: the canned reply for this request, if one is queued. */
  takeCannedResponse(): CannedResponse | undefined {
    return this.#state.nextStatuses.shift()
  }

  /** Used by the server, once a contact is saved: what to do instead of answering 201, if anything. */
  takeAfterCommit(): AfterCommit | undefined {
    return this.#state.afterCommit.shift()
  }

  /** Used by the server: whether this request is one to drop. */
  takeDrop(): boolean {
    if (this.#state.dropAfterRead <= 0) return false
    this.#state.dropAfterRead -= 1
    return true
  }
}

function afterCommitFault(input: unknown, where: string): AfterCommit {
  if (isRecord(input) && input.drop === true && Object.keys(input).length === 1) return { drop: true }
  if (isRecord(input) && input.hang === true && Object.keys(input).length === 1) return { hang: true }
  if (isRecord(input) && (input.drop !== undefined || input.hang !== undefined)) {
    throw new TypeError(`${where} must be { "drop": true }, { "hang": true } or a reply like { "status": 502 }`)
  }
  return cannedResponse(input, where)
}

function cannedResponse(input: unknown, where: string): CannedResponse {
  if (!isRecord(input)) throw new TypeError(`${where} must be an object like { "status": 503 }`)
  const canned: CannedResponse = { status: integer(input.status, `${where}.status`, 200, 599) }
  if (input.retryAfter !== undefined) canned.retryAfter = headerValue(input.retryAfter, `${where}.retryAfter`)
  if (input.body !== undefined) {
    if (typeof input.body !== 'string') throw new TypeError(`${where}.body must be a string`)
    canned.body = input.body
  }
  if (input.headers !== undefined) {
    if (!isRecord(input.headers)) throw new TypeError(`${where}.headers must be an object of strings`)
    canned.headers = {}
    for (const [name, value] of Object.entries(input.headers)) {
      if (!HEADER_NAME.test(name)) throw new TypeError(`${where}.headers: "${name}" is not a header name`)
      canned.headers[name] = headerValue(value, `${where}.headers.${name}`)
    }
  }
  return canned
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be a whole number from ${min} to ${max}`)
  }
  return value
}

function boolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be true or false`)
  return value
}

function headerValue(value: unknown, name: string): string {
  if (typeof value !== 'string' || !HEADER_VALUE.test(value)) throw new TypeError(`${name} must be a one-line string`)
  return value
}
