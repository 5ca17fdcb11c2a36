import { describe, expect, it } from 'vitest'
import type { CreateContactOutcome } from '../../src/main/core/cloverhound-client.ts'
import { decideOutcome, interruptedDecision } from '../../src/main/core/outbox/classify-outcome.ts'
import type { CreatedContact } from '../../src/shared/contact.ts'

const context = { host: 'cloud-staging.cloverhound.com', organizationId: 42 }
const contact: CreatedContact = { id: 9, organization_id: 42, full_name: 'Ada Lovelace' }
const decide = (outcome: CreateContactOutcome) => decideOutcome(outcome, context)

describe('decideOutcome: the item state after a send', () => {
  it('created → sent, keeping the server’s contact', () => {
    expect(decide({ kind: 'created', contact })).toEqual({ kind: 'sent', contact })
  })

  it('422 → needs_fix with the server’s field errors and words', () => {
    const errors = { email: ['Email is taken'], phones: [[], ['Number is invalid']], general: ['Check the form'] }
    const decision = decide({ kind: 'invalid', status: 422, errors })
    expect(decision).toEqual({
      kind: 'needs_fix',
      fieldErrors: errors,
      lastError: expect.stringContaining('Check the form'),
    })
  })

  it('422 without general words still says what to do', () => {
    const decision = decide({ kind: 'invalid', status: 422, errors: { fullName: ['Too long'] } })
    expect(decision).toMatchObject({ kind: 'needs_fix', lastError: expect.stringMatching(/Fix the fields/) })
  })

  it.each([
    ['unauthorized', /API key was not accepted/],
    ['forbidden', /organization 42/],
  ] as const)('%s → pause the queue for the profile, the item stays queued', (kind, words) => {
    const decision = decide({ kind })
    expect(decision).toMatchObject({
      kind: 'pause_auth',
      queueMessage: expect.stringMatching(/^Paused: .*Fix it in Settings\.$/),
    })
    expect(decision).toMatchObject({ queueMessage: expect.stringMatching(words) })
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

  it.each([500, 502, 503, 504, 408, 425])('%i → retry (transient)', (status) => {
    const decision = decide({ kind: 'server_error', status, retryAfterMs: undefined })
    expect(decision).toMatchObject({
      kind: 'retry',
      queue: 'running',
      lastError: expect.stringContaining(String(status)),
    })
  })

  it('a network failure before the request left → retry, and the queue is offline', () => {
    const decision = decide({
      kind: 'network',
      description: 'the server refused the connection',
      mayHaveReachedServer: false,
    })
    expect(decision).toMatchObject({ kind: 'retry', queue: 'offline', lastError: expect.stringContaining('refused') })
  })

  it('a reset after the body may have arrived → unconfirmed, never retried on its own', () => {
    const decision = decide({ kind: 'network', description: 'cut', mayHaveReachedServer: true })
    expect(decision).toMatchObject({ kind: 'unconfirmed', lastError: expect.stringMatching(/may have been created/) })
  })

  it('a timeout → unconfirmed', () => {
    expect(decide({ kind: 'timeout', mayHaveReachedServer: true })).toMatchObject({ kind: 'unconfirmed' })
  })

  it('an unexpected reply that may have created it (a 201 with a strange body, a 303) → unconfirmed', () => {
    const decision = decide({ kind: 'unexpected', status: 201, description: 'odd body', mayHaveReachedServer: true })
    expect(decision).toMatchObject({ kind: 'unconfirmed' })
  })

  it.each([404, 418, 301, 415])('a permanent refusal (%i) → needs_fix with words', (status) => {
    const decision = decide({
      kind: 'unexpected',
      status,
      description: `status ${status}`,
      mayHaveReachedServer: false,
    })
    expect(decision).toMatchObject({
      kind: 'needs_fix',
      lastError: expect.stringContaining(`status ${status}`),
      fieldErrors: { general: [expect.stringContaining(`status ${status}`)] },
    })
  })

  it('every outcome kind has a decision and every failure has words', () => {
    const outcomes: CreateContactOutcome[] = [
      { kind: 'invalid', status: 400, errors: {} },
      { kind: 'unauthorized' },
      { kind: 'forbidden' },
      { kind: 'rate_limited', retryAfterMs: undefined },
      { kind: 'server_error', status: 502, retryAfterMs: undefined },
      { kind: 'network', description: 'x', mayHaveReachedServer: false },
      { kind: 'timeout', mayHaveReachedServer: true },
      { kind: 'unexpected', status: undefined, description: 'x', mayHaveReachedServer: true },
    ]
    for (const outcome of outcomes) {
      const decision = decide(outcome)
      expect(decision.kind).not.toBe('sent')
      expect('lastError' in decision && decision.lastError.length > 10).toBe(true)
    }
  })

  it('a send cut off by the app closing → unconfirmed', () => {
    expect(interruptedDecision()).toMatchObject({ kind: 'unconfirmed', lastError: expect.stringMatching(/closed/) })
  })
})
