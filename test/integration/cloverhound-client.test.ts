/**
 * The real API client against the sandbox API over real HTTP: one or more tests per outcome kind, run
 * with Node's fetch, with a fake of Electron's net.fetch over it (test/support), since the app sends
 * with the latter and the two report redirects and failures differently, and with that fake in main
 * for a client in the core's own process (the key put back by main), as the app runs it.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  CloverhoundClient,
  type ClientOptions,
  type CreateContactCall,
  type CreateContactOutcome,
  type FetchFunction,
} from '../../src/main/core/cloverhound-client.ts'
import type { ContactRequest } from '../../src/shared/contact.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import { fakeNetFetch, type NetFetchCall } from '../support/fake-net-fetch.ts'
import { fetchOverLine } from '../support/fetch-over-line.ts'

let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(async () => {
  await sandbox.close()
})
beforeEach(() => {
  sandbox.reset()
})

const body: ContactRequest = {
  full_name: 'Ada Lovelace',
  email: 'ada@example.com',
  description: 'Analytical Engine',
  contact_phones_attributes: [{ number: '+14155550132' }, { number: '+442079460958' }],
}

/** A call to the sandbox with its own credentials; override any part. */
function call(overrides: Partial<CreateContactCall> & { baseUrl?: string; organizationId?: number } = {}) {
  const { baseUrl, organizationId, ...rest } = overrides
  return {
    profile: {
      baseUrl: baseUrl ?? sandbox.url,
      organizationId: organizationId ?? sandbox.organizationId,
      apiKeyId: sandbox.apiKeyId,
    },
    apiKey: sandbox.apiKey,
    body,
    idempotencyKey: '5f0c6a3e-6a4b-4d7e-9a8c-2b1e0f9d3c71',
    ...rest,
  } satisfies CreateContactCall
}

/** Narrows an outcome to one kind, failing the test with the whole outcome when it is another. */
function expectKind<K extends CreateContactOutcome['kind']>(
  outcome: CreateContactOutcome,
  kind: K,
): Extract<CreateContactOutcome, { kind: K }> {
  expect(outcome, JSON.stringify(outcome)).toMatchObject({ kind })
  return outcome as Extract<CreateContactOutcome, { kind: K }>
}

interface Stack {
  fetch: FetchFunction
  /** What the fake net.fetch was asked (undefined for Node's fetch, which keeps no record). */
  calls?: NetFetchCall[]
}

const STACKS: Array<{ name: string; make: () => Stack }> = [
  { name: 'Node’s fetch', make: () => ({ fetch: globalThis.fetch }) },
  { name: 'Electron’s net.fetch (fake)', make: () => fakeNetFetch() },
  {
    // As the app runs: the client in the core's process, the request sent by main's net.fetch with the key.
    name: 'a core outside main, through main’s net.fetch (fake)',
    make: () => {
      const net = fakeNetFetch()
      return { fetch: fetchOverLine(net.fetch).fetch, calls: net.calls }
    },
  },
]

describe.each(STACKS)('$name', ({ make }) => {
  let stack: Stack
  beforeEach(() => {
    stack = make()
  })

  const client = (options: Partial<ClientOptions> = {}): CloverhoundClient =>
    new CloverhoundClient({ fetch: stack.fetch, timeoutMs: 5_000, ...options })

  describe('created', () => {
    it('sends exactly the spec JSON with Basic auth, JSON content type and accept, and the Idempotency-Key', async () => {
      const outcome = await client().createContact(call())
      const { contact } = expectKind(outcome, 'created')

      expect(sandbox.requests).toHaveLength(1)
      const [request] = sandbox.requests
      expect(request?.method).toBe('POST')
      expect(request?.path).toBe(`/${sandbox.organizationId}/contacts`)
      expect(request?.json).toStrictEqual({
        full_name: 'Ada Lovelace',
        email: 'ada@example.com',
        description: 'Analytical Engine',
        contact_phones_attributes: [{ number: '+14155550132' }, { number: '+442079460958' }],
      })
      const expectedAuth = `Basic ${Buffer.from(`${sandbox.apiKeyId}:${sandbox.apiKey}`, 'utf8').toString('base64')}`
      expect(request?.headers.authorization).toBe(expectedAuth)
      expect(request?.headers['content-type']).toBe('application/json')
      expect(request?.headers.accept).toBe('application/json')
      expect(request?.headers['idempotency-key']).toBe('5f0c6a3e-6a4b-4d7e-9a8c-2b1e0f9d3c71')

      expect(contact).toEqual(sandbox.contacts[0])
      expect(contact).toMatchObject({ id: 1, organization_id: sandbox.organizationId, full_name: 'Ada Lovelace' })
      expect(contact.contact_phones?.map((phone) => phone.number)).toEqual(['+14155550132', '+442079460958'])
    })

    it('sends a minimal contact without the optional fields, and reads back nulls', async () => {
      const outcome = await client().createContact(call({ body: { full_name: 'Bo' }, idempotencyKey: undefined }))
      const { contact } = expectKind(outcome, 'created')
      expect(sandbox.requests[0]?.json).toStrictEqual({ full_name: 'Bo' })
      expect(sandbox.requests[0]?.headers).not.toHaveProperty('idempotency-key')
      expect(contact).toMatchObject({ email: null, description: null, contact_phones: [] })
    })

    it('sends no cookies and follows no redirect: credentials omit, redirect error', async () => {
      expectKind(await client().createContact(call()), 'created')
      // Only the fake keeps a record; Node's fetch has no cookie jar to leak from anyway.
      if (stack.calls)
        expect(stack.calls).toEqual([expect.objectContaining({ credentials: 'omit', redirect: 'error' })])
    })

    it('a server that ignores Idempotency-Key (the default) creates a second contact for a repeat', async () => {
      const first = expectKind(await client().createContact(call()), 'created')
      const second = expectKind(await client().createContact(call()), 'created')
      expect(second.contact.id).not.toBe(first.contact.id)
      expect(sandbox.contacts).toHaveLength(2)
    })

    it('a server that honours Idempotency-Key gets the same contact for a repeat and creates no duplicate', async () => {
      sandbox.honoursIdempotencyKey = true
      const first = expectKind(await client().createContact(call()), 'created')
      const second = expectKind(await client().createContact(call()), 'created')
      expect(second.contact.id).toBe(first.contact.id)
      expect(sandbox.contacts).toHaveLength(1)
      expect(sandbox.requests).toHaveLength(2)
    })

    it('keeps an API key with a colon intact: only the first colon separates ID from key', async () => {
      const other = await startSandbox({ apiKeyId: 'id', apiKey: 'key:with:colons' })
      try {
        const outcome = await client().createContact({
          profile: { baseUrl: other.url, organizationId: other.organizationId, apiKeyId: 'id' },
          apiKey: 'key:with:colons',
          body,
        })
        expectKind(outcome, 'created')
      } finally {
        await other.close()
      }
    })
  })

  describe('invalid', () => {
    it('maps the server’s 422 per field and per phone row', async () => {
      const invalid = {
        full_name: '   ',
        email: 'not-an-email',
        contact_phones_attributes: [
          { number: '+14155550132' },
          { number: '555-0132' },
          { number: '+15'.padEnd(20, '5') },
        ],
      } satisfies ContactRequest
      const outcome = await client().createContact(call({ body: invalid }))
      expect(expectKind(outcome, 'invalid')).toEqual({
        kind: 'invalid',
        status: 422,
        errors: {
          fullName: ["Can't be blank"],
          email: ['Is invalid'],
          phones: [[], ['Is not a valid E.164 number'], ['Is not a valid E.164 number']],
        },
      })
      expect(sandbox.contacts).toHaveLength(0)
    })

    it('reads a plain-text 400 as a general message', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 400, body: 'Malformed contact' }] })
      const outcome = await client().createContact(call())
      expect(expectKind(outcome, 'invalid')).toEqual({
        kind: 'invalid',
        status: 400,
        errors: { general: ['Malformed contact'] },
      })
    })

    it('survives a hostile 422 body: capped strings only, and no prototype pollution', async () => {
      const huge = 'x'.repeat(10_000)
      const hostile =
        '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, ' +
        `"errors": [${JSON.stringify(huge)}, ${JSON.stringify(`\u0000\u001b[31m${huge}`)}, ` +
        `${Array.from({ length: 200 }, (_, i) => JSON.stringify(`message ${i}`)).join(', ')}, ` +
        `{"field": "__proto__", "message": "polluted"}, {"field": "email", "message": ${JSON.stringify(huge)}}], ` +
        `"full_name": [${JSON.stringify(huge)}, {"toString": "boom"}, 42]}`
      sandbox.faults.set({ nextStatuses: [{ status: 422, body: hostile }] })

      const { errors } = expectKind(await client().createContact(call()), 'invalid')

      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      expect(Object.prototype).not.toHaveProperty('polluted')
      expect(Object.getPrototypeOf(errors)).toBe(Object.prototype)
      expect(
        Object.keys(errors).every((key) => ['fullName', 'email', 'description', 'phones', 'general'].includes(key)),
      ).toBe(true)
      const messages = [...(errors.general ?? []), ...(errors.fullName ?? []), ...(errors.email ?? [])]
      expect(messages.length).toBeGreaterThan(0)
      for (const message of messages) {
        expect(typeof message).toBe('string')
        expect(message.length).toBeLessThanOrEqual(300)
        // eslint-disable-next-line no-control-regex
        expect(message).not.toMatch(/[\u0000-\u001f]/)
      }
      expect(errors.general?.length).toBeLessThanOrEqual(20)
      expect(errors.fullName).toEqual([`X${'x'.repeat(298)}…`])
    })
  })

  describe('unauthorized and forbidden', () => {
    it('a wrong key is unauthorized', async () => {
      const outcome = await client().createContact(call({ apiKey: 'not-the-key' }))
      expect(outcome).toEqual({ kind: 'unauthorized' })
      expect(sandbox.contacts).toHaveLength(0)
    })

    it('another organization is forbidden', async () => {
      const outcome = await client().createContact(call({ organizationId: sandbox.organizationId + 1 }))
      expect(outcome).toEqual({ kind: 'forbidden' })
      expect(sandbox.requests[0]?.path).toBe(`/${sandbox.organizationId + 1}/contacts`)
    })
  })

  describe('rate_limited', () => {
    const NOW = Date.parse('2030-01-01T00:00:00Z')

    it('reads Retry-After in seconds', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 429, retryAfter: '7' }] })
      expect(await client().createContact(call())).toEqual({ kind: 'rate_limited', retryAfterMs: 7_000 })
    })

    it('reads Retry-After as an HTTP date, against the injected clock', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 429, retryAfter: new Date(NOW + 90_000).toUTCString() }] })
      expect(await client({ now: () => NOW }).createContact(call())).toEqual({
        kind: 'rate_limited',
        retryAfterMs: 90_000,
      })
    })

    it('has no hint without Retry-After', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 429 }] })
      expect(await client().createContact(call())).toEqual({ kind: 'rate_limited', retryAfterMs: undefined })
    })
  })

  describe('server_error', () => {
    it.each([503, 408, 425, 501, 505, 511])(
      '%i says it did not process the request: a server error',
      async (status) => {
        sandbox.faults.set({ nextStatuses: [{ status }] })
        expect(await client().createContact(call())).toEqual({ kind: 'server_error', status, retryAfterMs: undefined })
      },
    )

    it('a 503 is still a 503 with an outage page too large to read', async () => {
      const page = `<html>${'<p>Down for maintenance</p>'.repeat(100_000)}</html>`
      sandbox.faults.set({ nextStatuses: [{ status: 503, retryAfter: '30', body: page }] })
      expect(await client().createContact(call())).toEqual({ kind: 'server_error', status: 503, retryAfterMs: 30_000 })
    })

    it('a 503 with Retry-After carries the hint, and nothing was created', async () => {
      sandbox.faults.set({
        nextStatuses: [{ status: 503, retryAfter: '30', body: '<html>Down for maintenance</html>' }],
      })
      expect(await client().createContact(call())).toEqual({ kind: 'server_error', status: 503, retryAfterMs: 30_000 })
      expect(sandbox.contacts).toHaveLength(0)
    })
  })

  describe('failed_after_send: a 5xx after the body was sent may follow a commit', () => {
    it.each([500, 502, 504, 507, 520])('%i may have created it', async (status) => {
      sandbox.faults.set({ nextStatuses: [{ status, retryAfter: '3' }] })
      expect(await client().createContact(call())).toEqual({ kind: 'failed_after_send', status, retryAfterMs: 3_000 })
    })

    it.each([500, 502, 504])('the sandbox saved it, then answered %i: the client says it may exist', async (status) => {
      sandbox.faults.set({ afterCommit: [{ status }] })
      expect(await client().createContact(call())).toMatchObject({ kind: 'failed_after_send', status })
      expect(sandbox.contacts).toHaveLength(1)
    })

    it('a 500 with a body too large to read is the same 500', async () => {
      const page = `<html>${'Internal error. '.repeat(200_000)}</html>`
      sandbox.faults.set({ afterCommit: [{ status: 500, body: page }] })
      expect(await client({ maxResponseBytes: 1_024 }).createContact(call())).toEqual({
        kind: 'failed_after_send',
        status: 500,
        retryAfterMs: undefined,
      })
    })
  })

  describe('no_contact and conflict: answers a repeat cannot settle', () => {
    it.each([202, 204, 206])('a %i after the contact was saved is a success with no contact', async (status) => {
      sandbox.faults.set({ afterCommit: [{ status }] })
      expect(await client().createContact(call())).toEqual({ kind: 'no_contact', status })
      expect(sandbox.contacts).toHaveLength(1)
    })

    it('a 409 is a conflict: an earlier attempt, or a contact like it, may exist', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 409, body: '{"error":"Idempotency-Key in use"}' }] })
      expect(await client().createContact(call())).toEqual({ kind: 'conflict' })
    })
  })

  describe('network', () => {
    it('nothing listening: refused, and certainly never reached the server', async () => {
      const gone = await startSandbox()
      await gone.close()
      const outcome = await client().createContact(call({ baseUrl: gone.url }))
      expect(outcome).toEqual({
        kind: 'network',
        description: 'the server refused the connection',
        mayHaveReachedServer: false,
      })
    })

    it('connection dropped after the body was read: may have reached the server', async () => {
      sandbox.faults.set({ dropAfterRead: 1 })
      const outcome = await client().createContact(call())
      expect(expectKind(outcome, 'network')).toMatchObject({ mayHaveReachedServer: true })
      expect(sandbox.requests[0]).toMatchObject({ json: body, fault: 'dropped' })
    })

    it('the sandbox saved it, then dropped the connection: may have reached the server', async () => {
      sandbox.faults.set({ afterCommit: [{ drop: true }] })
      const outcome = await client().createContact(call())
      expect(expectKind(outcome, 'network')).toMatchObject({ mayHaveReachedServer: true })
      expect(sandbox.contacts).toHaveLength(1)
    })

    it('a name that does not resolve never reached a server', async () => {
      const outcome = await client().createContact(call({ baseUrl: 'http://no-such-host.invalid' }))
      expect(outcome).toEqual({
        kind: 'network',
        description: 'the server’s name could not be found',
        mayHaveReachedServer: false,
      })
    })

    it('a certificate this computer does not trust: nothing sent, and said so', async () => {
      const server = await startSelfSignedServer()
      try {
        expect(await client().createContact(call({ baseUrl: server.url }))).toEqual({ kind: 'untrusted_certificate' })
        expect(server.requests()).toBe(0)
      } finally {
        await server.close()
      }
    })

    it('a server closing connections on arrival cannot be told from a reset: may have reached it', async () => {
      sandbox.faults.set({ down: true })
      const outcome = await client().createContact(call())
      expect(expectKind(outcome, 'network')).toMatchObject({ mayHaveReachedServer: true })
      expect(sandbox.contacts).toHaveLength(0)
    })
  })

  describe('timeout', () => {
    it('a server that reads the request and never answers times out, and may have received it', async () => {
      sandbox.faults.set({ hang: true })
      const started = performance.now()
      const outcome = await client({ timeoutMs: 300 }).createContact(call())
      expect(outcome).toEqual({ kind: 'timeout', mayHaveReachedServer: true })
      expect(performance.now() - started).toBeLessThan(3_000)
      expect(sandbox.requests[0]).toMatchObject({ json: body, fault: 'hang' })
    })

    it('latency past the timeout is a timeout too', async () => {
      sandbox.faults.set({ latencyMs: 1_000 })
      expect(await client({ timeoutMs: 200 }).createContact(call())).toEqual({
        kind: 'timeout',
        mayHaveReachedServer: true,
      })
    })
  })

  describe('unexpected', () => {
    it('an unknown status (418) is unexpected and says its status', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 418 }] })
      expect(await client().createContact(call())).toEqual({
        kind: 'unexpected',
        status: 418,
        description: 'the server answered with status 418',
        mayHaveReachedServer: false,
      })
    })

    it('a 404 (wrong base URL) points at the Base URL and Organization ID', async () => {
      const outcome = await client().createContact(call({ baseUrl: `${sandbox.url}/api/v1` }))
      expect(expectKind(outcome, 'unexpected')).toMatchObject({
        status: 404,
        description: expect.stringMatching(/Base URL/),
      })
    })

    it('a 201 whose body is not JSON is unexpected, and may have created the contact', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 201, body: 'Created!' }] })
      const outcome = await client().createContact(call())
      expect(expectKind(outcome, 'unexpected')).toMatchObject({ status: 201, mayHaveReachedServer: true })
    })

    it('a 201 whose JSON is not a contact is unexpected, and may have created the contact', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 201, body: '{"ok":true,"id":"abc"}' }] })
      const outcome = await client().createContact(call())
      expect(expectKind(outcome, 'unexpected')).toMatchObject({ status: 201, mayHaveReachedServer: true })
    })

    it('a reply declared larger than maxResponseBytes is refused unread', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 201, body: JSON.stringify({ padding: 'x'.repeat(5_000) }) }] })
      const outcome = await client({ maxResponseBytes: 1_024 }).createContact(call())
      expect(expectKind(outcome, 'unexpected')).toMatchObject({
        status: 201,
        description: expect.stringMatching(/too large/),
        mayHaveReachedServer: true,
      })
    })

    it('a reply that grows past maxResponseBytes without a Content-Length is cut off while streaming', async () => {
      const withoutLength: FetchFunction = async (input, init) => {
        const response = await stack.fetch(input, init)
        const headers = new Headers(response.headers)
        headers.delete('content-length')
        return new Response(response.body, { status: response.status, headers })
      }
      sandbox.faults.set({ nextStatuses: [{ status: 201, body: JSON.stringify({ padding: 'x'.repeat(50_000) }) }] })
      const outcome = await client({ fetch: withoutLength, maxResponseBytes: 1_024 }).createContact(call())
      expect(expectKind(outcome, 'unexpected')).toMatchObject({ description: expect.stringMatching(/too large/) })
    })

    it.each([301, 302, 303, 307, 308])(
      'a %i redirect is not followed: redirected, one request only',
      async (status) => {
        const location = `${sandbox.url}/${sandbox.organizationId}/contacts`
        sandbox.faults.set({ nextStatuses: [{ status, headers: { Location: location } }] })
        expect(await client().createContact(call())).toEqual({ kind: 'redirected' })
        expect(sandbox.requests).toHaveLength(1)
        expect(sandbox.contacts).toHaveLength(0)
      },
    )

    it('a 3xx without a Location, which neither stack treats as a redirect, is redirected too', async () => {
      sandbox.faults.set({ nextStatuses: [{ status: 300 }] })
      expect(await client().createContact(call())).toEqual({ kind: 'redirected' })
    })
  })
})

describe('the fake net.fetch, as Electron’s own source has it', () => {
  it('rejects a manual redirect ("Redirect was cancelled") and an error one, instead of returning the 3xx', async () => {
    const { fetch: netFetch } = fakeNetFetch()
    const location = `${sandbox.url}/elsewhere`
    sandbox.faults.set({ nextStatuses: [302, 302].map((status) => ({ status, headers: { Location: location } })) })
    const url = `${sandbox.url}/${sandbox.organizationId}/contacts`
    await expect(netFetch(url, { method: 'POST', body: '{}', redirect: 'manual' })).rejects.toThrow(
      /^Redirect was cancelled$/,
    )
    await expect(netFetch(url, { method: 'POST', body: '{}', redirect: 'error' })).rejects.toThrow(
      /^Attempted to redirect, but redirect policy was 'error'$/,
    )
  })

  it('sends credentials (cookies) unless told to omit them, and names failures net::ERR_…', async () => {
    const { fetch: netFetch, calls } = fakeNetFetch()
    await netFetch(`${sandbox.url}/nothing`)
    expect(calls[0]?.credentials).toBe('include')
    const gone = await startSandbox()
    await gone.close()
    const refused = await netFetch(gone.url).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(Error)
    expect(refused).toMatchObject({ message: 'net::ERR_CONNECTION_REFUSED' })
    expect(refused).not.toHaveProperty('cause')
  })
})

/** An https server with a certificate made on the spot and trusted by nobody; counts the requests it gets. */
async function startSelfSignedServer(): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'cloverhound-tls-'))
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ])
  let requests = 0
  const server = createHttpsServer({ key: await readFile(key), cert: await readFile(cert) }, (_req, res) => {
    requests += 1
    res.writeHead(201).end('{}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}`,
    requests: () => requests,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
