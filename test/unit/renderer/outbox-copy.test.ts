import { describe, expect, it } from 'vitest'
import { itemError, itemErrorSchema, type ItemError } from '../../../src/shared/item-error.ts'
import { itemErrorWords } from '../../../src/shared/item-error-words.ts'
import { actionLabel, allowedActions } from '../../../src/renderer/src/outbox-copy.ts'

const HOST = 'cloud-staging.cloverhound.com'
const MAY_EXIST = 'It may have been created: check Cloverhound, then choose “Send again” or “Mark as sent”.'

describe('an item’s last error in words', () => {
  it.each<[ItemError, string]>([
    [
      itemError('rejected', { messages: ['Email is taken.', 'Try another.'] }),
      'The server did not accept this contact: Email is taken. Try another.',
    ],
    [
      itemError('rejected', { messages: [] }),
      'The server did not accept this contact. Fix the fields marked and it will be sent again.',
    ],
    [
      itemError('unauthorized', {}),
      'The API key ID or API key was not accepted (401). Fix it in Settings; this contact stays queued.',
    ],
    [
      itemError('forbidden', { organizationId: 42 }),
      'This API key may not create contacts in organization 42 (403). Fix it in Settings; this contact stays queued.',
    ],
    [itemError('rate_limited', {}), 'The server asked to slow down (too many requests). The app will try again later.'],
    [
      itemError('server_error', { status: 502 }),
      'The Cloverhound server had a problem (status 502). The app will try again.',
    ],
    [
      itemError('network_unreachable', { host: HOST, reason: 'the server refused the connection' }),
      `Could not reach ${HOST}: the server refused the connection. It will be sent when the connection is back.`,
    ],
    [
      itemError('connection_lost', { host: HOST }),
      `The connection to ${HOST} broke after the contact was sent. ${MAY_EXIST}`,
    ],
    [itemError('timeout', { host: HOST }), `${HOST} took too long to answer. ${MAY_EXIST}`],
    [
      itemError('unexpected_reply', { host: HOST, reason: 'status 404', mayExist: false }),
      `Unexpected reply from ${HOST}: status 404.`,
    ],
    [
      itemError('unexpected_reply', { host: HOST, reason: 'the server’s reply was cut off', mayExist: true }),
      `Unexpected reply from ${HOST}: the server’s reply was cut off. ${MAY_EXIST}`,
    ],
    [itemError('interrupted', {}), `The app closed while this contact was being sent. ${MAY_EXIST}`],
    [
      itemError('unreadable', {}),
      'Part of this contact could not be read back from the outbox file. It is kept exactly as it was saved; check it and save it again, or discard it.',
    ],
    [itemError('legacy', { text: 'Words an older version stored.' }), 'Words an older version stored.'],
  ])('%j', (error, words) => {
    expect(itemErrorWords(error)).toBe(words)
  })

  it('has words for every code the bridge carries', () => {
    const codes = itemErrorSchema.options.map((option) => option.shape.code.value)
    expect(codes.length).toBeGreaterThan(10)
    const sample: Record<string, unknown> = {
      messages: [],
      organizationId: 1,
      status: 500,
      host: HOST,
      reason: 'x',
      mayExist: true,
      text: 'x',
      cause: 'status',
    }
    for (const option of itemErrorSchema.options) {
      const params = Object.fromEntries(Object.keys(option.shape.params.shape).map((key) => [key, sample[key]]))
      const error = option.parse({ code: option.shape.code.value, params }) as ItemError
      expect(itemErrorWords(error).length, error.code).toBeGreaterThan(0)
    }
  })
})

describe('the actions an item offers', () => {
  it('are ids with the buttons’ names', () => {
    expect(allowedActions('unconfirmed').map(actionLabel)).toEqual(['Send again', 'Mark as sent', 'Discard'])
    expect(allowedActions('queued').map(actionLabel)).toEqual(['Send now', 'Edit', 'Discard'])
  })
})
