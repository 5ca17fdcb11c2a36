import { describe, expect, it } from 'vitest'
import type { CreateContactOutcome } from '../../src/main/core/cloverhound-client.ts'
import { decideOutcome, interruptedDecision } from '../../src/main/core/outbox/decide-outcome.ts'
import type { CreatedContact } from '../../src/shared/contact.ts'
import { itemErrorSchema } from '../../src/shared/item-error.ts'

const context = { host: 'cloud-staging.cloverhound.com', organizationId: 42, serverDeduplicates: false }
const contact: CreatedContact = { id: 9, organization_id: 42, full_name: 'Ada Lovelace' }
const decide = (outcome: CreateContactOutcome) => decideOutcome(outcome, context)
const decideDeduplicated = (outcome: CreateContactOutcome) =>
  decideOutcome(outcome, { ...context, serverDeduplicates: true })

describe('decideOutcome: the item state after a send', () => {
  it('created → sent, keeping the server’s contact', () => {
    expect(decide({ kind: 'created', contact })).toEqual({ kind: 'sent', contact })
  })

  it('422 → needs_fix with the server’s field errors, and its general words in the code’s facts', () => {
    const errors = { email: ['Email is taken'], phones: [[], ['Number is invalid']], general: ['Check the form'] }
    const decision = decide({ kind: 'invalid', status: 422, errors })
    expect(decision).toEqual({
      kind: 'needs_fix',
      fieldErrors: errors,
      lastError: { code: 'rejected', params: { messages: ['Check the form'] } },
    })
  })

  it('422 without general words is still `rejected`, with no messages', () => {
    const decision = decide({ kind: 'invalid', status: 422, errors: { fullName: ['Too long'] } })
    expect(decision).toMatchObject({ kind: 'needs_fix', lastError: { code: 'rejected', params: { messages: [] } } })
  })

  it.each([
    ['unauthorized', { code: 'key_refused', params: {} }, { code: 'unauthorized', params: {} }],
    [
      'forbidden',
      { code: 'organization_refused', params: { organizationId: 42 } },
      { code: 'forbidden', params: { organizationId: 42 } },
    ],
  ] as const)('%s → pause the queue for the profile, the item stays queued', (kind, queueReason, lastError) => {
    expect(decide({ kind })).toEqual({ kind: 'pause_auth', lastError, queueReason })
  })

  it('429 with Retry-After → retry, and the queue waits until then', () => {
    expect(decide({ kind: 'rate_limited', retryAfterMs: 30_000 })).toMatchObject({
      kind: 'retry',
      retryAfterMs: 30_000,
      queue: 'waiting',
    })
  })

  it('429 without Retry-After → retry with backoff; the queue keeps running', () => {
    expect(decide({ kind: 'rate_limited', retryAfterMs: undefined })).toMatchObject({ kind: 'retry', queue: 'running' })
  })

  it('503 with Retry-After → the queue waits; other 5xx honour Retry-After per item only', () => {
    expect(decide({ kind: 'server_error', status: 503, retryAfterMs: 5_000 })).toMatchObject({ queue: 'waiting' })
    expect(decide({ kind: 'server_error', status: 500, retryAfterMs: 5_000 })).toMatchObject({
      kind: 'retry',
      retryAfterMs: 5_000,
      queue: 'running',
    })
  })

  it.each([503, 408, 425, 501])('%i, which says it was not processed → retry (transient)', (status) => {
    const decision = decide({ kind: 'server_error', status, retryAfterMs: undefined })
    expect(decision).toMatchObject({
      kind: 'retry',
      queue: 'running',
      lastError: { code: 'server_error', params: { status } },
    })
  })

  it.each([500, 502, 504])('%i after the body was sent → unconfirmed, with words that say which', (status) => {
    expect(decide({ kind: 'failed_after_send', status, retryAfterMs: undefined })).toEqual({
      kind: 'unconfirmed',
      lastError: { code: 'failed_after_send', params: { host: context.host, status } },
    })
  })

  it('with the server deduplicating retries, a 5xx after sending is retried, keeping its Retry-After', () => {
    expect(decideDeduplicated({ kind: 'failed_after_send', status: 502, retryAfterMs: 4_000 })).toEqual({
      kind: 'retry',
      retryAfterMs: 4_000,
      queue: 'running',
      lastError: { code: 'resending_deduplicated', params: { host: context.host, status: 502, cause: 'status' } },
    })
  })

  it('with the server deduplicating retries, a cut after sending and a timeout are retried too', () => {
    expect(decideDeduplicated({ kind: 'network', description: 'cut', mayHaveReachedServer: true })).toMatchObject({
      kind: 'retry',
      lastError: { code: 'resending_deduplicated', params: { status: null, cause: 'connection_lost' } },
    })
    expect(decideDeduplicated({ kind: 'timeout', mayHaveReachedServer: true })).toMatchObject({
      kind: 'retry',
      lastError: { code: 'resending_deduplicated', params: { status: null, cause: 'timeout' } },
    })
  })

  it.each([
    [
      { kind: 'no_contact', status: 202 },
      { code: 'reply_without_contact', params: { host: context.host, status: 202 } },
    ],
    [
      { kind: 'no_contact', status: 204 },
      { code: 'reply_without_contact', params: { host: context.host, status: 204 } },
    ],
    [{ kind: 'conflict' }, { code: 'conflict', params: { host: context.host } }],
  ] as const)('%o → unconfirmed, deduplicating or not: a repeat would get the same answer', (outcome, lastError) => {
    expect(decide(outcome)).toEqual({ kind: 'unconfirmed', lastError })
    expect(decideDeduplicated(outcome)).toEqual({ kind: 'unconfirmed', lastError })
  })

  it('a redirect → needs_fix (the Base URL), nothing was sent', () => {
    expect(decideDeduplicated({ kind: 'redirected' })).toEqual({
      kind: 'needs_fix',
      lastError: { code: 'redirected', params: { host: context.host } },
      fieldErrors: null,
    })
  })

  it('an untrusted certificate → retry later with its own words, and the queue is not called offline', () => {
    expect(decide({ kind: 'untrusted_certificate' })).toEqual({
      kind: 'retry',
      lastError: { code: 'certificate_untrusted', params: { host: context.host } },
      retryAfterMs: undefined,
      queue: 'running',
    })
  })

  it('deduplicating changes nothing for failures before sending or refusals', () => {
    const outcomes: CreateContactOutcome[] = [
      { kind: 'network', description: 'the server refused the connection', mayHaveReachedServer: false },
      { kind: 'server_error', status: 503, retryAfterMs: undefined },
      { kind: 'unexpected', status: 201, description: 'odd body', mayHaveReachedServer: true },
      { kind: 'unexpected', status: 404, description: 'status 404', mayHaveReachedServer: false },
    ]
    for (const outcome of outcomes) expect(decideDeduplicated(outcome)).toEqual(decide(outcome))
  })

  it('a network failure before the request left → retry, and the server is unreachable', () => {
    const decision = decide({
      kind: 'network',
      description: 'the server refused the connection',
      mayHaveReachedServer: false,
    })
    expect(decision).toMatchObject({
      kind: 'retry',
      queue: 'unreachable',
      lastError: {
        code: 'network_unreachable',
        params: { host: context.host, reason: 'the server refused the connection' },
      },
    })
  })

  it('a reset after the body may have arrived → unconfirmed, never retried on its own', () => {
    const decision = decide({ kind: 'network', description: 'cut', mayHaveReachedServer: true })
    expect(decision).toMatchObject({
      kind: 'unconfirmed',
      lastError: { code: 'connection_lost', params: { host: context.host } },
    })
  })

  it('a timeout → unconfirmed', () => {
    expect(decide({ kind: 'timeout', mayHaveReachedServer: true })).toMatchObject({
      kind: 'unconfirmed',
      lastError: { code: 'timeout', params: { host: context.host } },
    })
  })

  it('an unexpected reply that may have created it (a 201 with a strange body, a 303) → unconfirmed', () => {
    const decision = decide({ kind: 'unexpected', status: 201, description: 'odd body', mayHaveReachedServer: true })
    expect(decision).toMatchObject({
      kind: 'unconfirmed',
      lastError: { code: 'unexpected_reply', params: { host: context.host, reason: 'odd body', mayExist: true } },
    })
  })

  it.each([404, 418, 301, 415])('a permanent refusal (%i) → needs_fix, with no field errors to show', (status) => {
    const decision = decide({
      kind: 'unexpected',
      status,
      description: `status ${status}`,
      mayHaveReachedServer: false,
    })
    expect(decision).toEqual({
      kind: 'needs_fix',
      lastError: {
        code: 'unexpected_reply',
        params: { host: context.host, reason: `status ${status}`, mayExist: false },
      },
      fieldErrors: null,
    })
  })

  it('every outcome kind has a decision and every failure a code the bridge accepts', () => {
    const outcomes: CreateContactOutcome[] = [
      { kind: 'invalid', status: 400, errors: {} },
      { kind: 'unauthorized' },
      { kind: 'forbidden' },
      { kind: 'rate_limited', retryAfterMs: undefined },
      { kind: 'server_error', status: 502, retryAfterMs: undefined },
      { kind: 'network', description: 'x', mayHaveReachedServer: false },
      { kind: 'timeout', mayHaveReachedServer: true },
      { kind: 'unexpected', status: undefined, description: 'x', mayHaveReachedServer: true },
      { kind: 'failed_after_send', status: 500, retryAfterMs: undefined },
      { kind: 'no_contact', status: 204 },
      { kind: 'conflict' },
      { kind: 'redirected' },
      { kind: 'untrusted_certificate' },
    ]
    for (const outcome of [...outcomes, ...outcomes.map((o) => ({ ...o, dedupe: true }))]) {
      const decision = 'dedupe' in outcome ? decideDeduplicated(outcome) : decide(outcome)
      expect(decision.kind).not.toBe('sent')
      expect('lastError' in decision && itemErrorSchema.safeParse(decision.lastError).success).toBe(true)
    }
  })

  it('a send cut off by the app closing → unconfirmed', () => {
    expect(interruptedDecision()).toEqual({ kind: 'unconfirmed', lastError: { code: 'interrupted', params: {} } })
  })
})
