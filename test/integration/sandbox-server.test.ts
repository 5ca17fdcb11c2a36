import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startSandbox, type Sandbox, type SandboxContact } from '../../tools/sandbox/sandbox-server.ts'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
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

const basic = (id: string, key: string): string => `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`

interface PostOptions {
  path?: string
  authorization?: string | null
  contentType?: string
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** POSTs to the sandbox's contacts route with its own credentials unless told otherwise. */
function post(body: unknown, options: PostOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {
    'Content-Type': options.contentType ?? 'application/json',
    Accept: 'application/json',
    ...options.headers,
  }
  const authorization =
    options.authorization === undefined ? basic(sandbox.apiKeyId, sandbox.apiKey) : options.authorization
  if (authorization !== null) headers.Authorization = authorization
  return fetch(`${sandbox.url}${options.path ?? `/${sandbox.organizationId}/contacts`}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.signal,
  })
}

const admin = (method: string, route: string, body?: unknown): Promise<Response> =>
  fetch(`${sandbox.url}/__sandbox/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body) })

/** A 201 body; the shape itself is checked by the test that asserts it. */
const contactOf = async (response: Response): Promise<SandboxContact> => (await response.json()) as SandboxContact

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe('startSandbox', () => {
  it('listens on 127.0.0.1 with a random port, organization 4242 and fresh random credentials', async () => {
    const other = await startSandbox()
    try {
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}`)
      expect(sandbox.organizationId).toBe(4242)
      expect(other.port).not.toBe(sandbox.port)
      expect(other.apiKeyId).not.toBe(sandbox.apiKeyId)
      expect(other.apiKey).not.toBe(sandbox.apiKey)
      expect(sandbox.apiKey.length).toBeGreaterThanOrEqual(24)
    } finally {
      await other.close()
    }
  })

  it('uses the organization and credentials it is given', async () => {
    const other = await startSandbox({ organizationId: 7, apiKeyId: 'id-1', apiKey: 'secret:with:colons' })
    try {
      expect([other.organizationId, other.apiKeyId, other.apiKey]).toEqual([7, 'id-1', 'secret:with:colons'])
      const response = await fetch(`${other.url}/7/contacts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basic('id-1', 'secret:with:colons') },
        body: JSON.stringify({ full_name: 'Ada' }),
      })
      expect(response.status).toBe(201)
    } finally {
      await other.close()
    }
  })

  it('holds more organizations, each answering only to its own key: 201 there, 403 elsewhere, 401 for no key of its', async () => {
    const two = await startSandbox({
      organizations: [{ organizationId: 77, apiKeyId: 'staging-id', apiKey: 'staging' }],
    })
    try {
      const send = (path: string, id: string, key: string) =>
        fetch(`${two.url}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: basic(id, key) },
          body: JSON.stringify({ full_name: 'Ada Lovelace' }),
        })
      expect((await send('/77/contacts', 'staging-id', 'staging')).status).toBe(201)
      expect((await send(`/${two.organizationId}/contacts`, 'staging-id', 'staging')).status).toBe(403)
      expect((await send('/77/contacts', two.apiKeyId, two.apiKey)).status).toBe(403)
      expect((await send('/77/contacts', 'staging-id', two.apiKey)).status).toBe(401)
      expect(two.contacts.map((c) => c.organization_id)).toEqual([77])
      expect(two.requests.map((r) => r.apiKeyId)).toEqual(['staging-id', 'staging-id', two.apiKeyId, undefined])
      expect(two.organizations.map((o) => o.organizationId)).toEqual([two.organizationId, 77])
      await expect(startSandbox({ organizations: [{ organizationId: 4242 }] })).rejects.toThrow(/own id/)
    } finally {
      await two.close()
    }
  })

  it('refuses an API key ID with a colon, which Basic auth could never carry', async () => {
    await expect(startSandbox({ apiKeyId: 'a:b' })).rejects.toThrow(/colon/)
  })

  it('refuses connections once closed', async () => {
    const other = await startSandbox()
    await other.close()
    await expect(fetch(`${other.url}/4242/contacts`, { method: 'POST' })).rejects.toThrow()
  })
})

describe('201: creating a contact', () => {
  it('answers the spec’s full response shape, with null for absent email and description', async () => {
    const response = await post({ full_name: 'Ada Lovelace', contact_phones_attributes: [{ number: '+14155550132' }] })
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const contact: unknown = await response.json()
    expect(contact).toStrictEqual({
      id: 1,
      organization_id: 4242,
      full_name: 'Ada Lovelace',
      email: null,
      description: null,
      contact_phones: [
        {
          id: 1,
          contact_id: 1,
          organization_id: 4242,
          number: '+14155550132',
          phone_type: null,
          created_at: expect.stringMatching(ISO),
          updated_at: expect.stringMatching(ISO),
        },
      ],
      created_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    })
    expect(sandbox.contacts).toEqual([contact])
  })

  it('keeps email and description, gives ids that increase, and phone ids across contacts', async () => {
    const first = await contactOf(
      await post({ full_name: 'A', contact_phones_attributes: [{ number: '+12025550101' }] }),
    )
    const second = await contactOf(
      await post({
        full_name: 'B',
        email: 'b@example.com',
        description: 'Met at the fair',
        contact_phones_attributes: [{ number: '+442079460958' }, { number: '+12025550102' }],
      }),
    )
    expect(first.id).toBe(1)
    expect(second).toMatchObject({ id: 2, email: 'b@example.com', description: 'Met at the fair' })
    expect(second.contact_phones.map((p) => [p.id, p.contact_id])).toEqual([
      [2, 2],
      [3, 2],
    ])
  })

  it('ignores unknown top-level keys, as Rails strong parameters would', async () => {
    const response = await post({ full_name: 'Ada', admin: true, organization_id: 1 })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ full_name: 'Ada', organization_id: 4242 })
  })

  it('skips phone rows marked _destroy, as nested attributes do for new records', async () => {
    const response = await post({
      full_name: 'Ada',
      contact_phones_attributes: [{ number: 'junk', _destroy: true }, { number: '+14155550132' }],
    })
    expect(response.status).toBe(201)
    expect((await contactOf(response)).contact_phones).toHaveLength(1)
  })

  it('accepts a trailing slash and a charset on the content type', async () => {
    const response = await post(
      { full_name: 'Ada' },
      { path: '/4242/contacts/', contentType: 'application/json; charset=utf-8' },
    )
    expect(response.status).toBe(201)
  })

  it('logs each request with its method, path, lower-cased headers, raw body, parsed JSON, time and status', async () => {
    const before = Date.now()
    const text = '{"full_name":"Ada"}'
    await post(text, { headers: { 'X-Trace': 'abc' } })
    expect(sandbox.requests).toHaveLength(1)
    const [entry] = sandbox.requests
    expect(entry).toMatchObject({
      method: 'POST',
      path: '/4242/contacts',
      bodyText: text,
      json: { full_name: 'Ada' },
      status: 201,
    })
    expect(entry?.headers['x-trace']).toBe('abc')
    expect(entry?.headers['content-type']).toBe('application/json')
    expect(Date.parse(entry?.time ?? '')).toBeGreaterThanOrEqual(before - 5)
  })
})

describe('401: authentication', () => {
  it.each([
    ['missing', null],
    ['not Basic', `Bearer ${'x'.repeat(20)}`],
    ['not base64 of id:key', 'Basic !!!'],
    ['without a colon', `Basic ${Buffer.from('just-an-id').toString('base64')}`],
  ])('answers 401 with a JSON body when the Authorization header is %s', async (_label, authorization) => {
    const response = await post({ full_name: 'Ada' }, { authorization })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/)
    expect(await response.json()).toEqual({ error: expect.any(String) })
    expect(sandbox.contacts).toHaveLength(0)
  })

  it('answers 401 for a wrong key and for a wrong key ID', async () => {
    expect((await post({ full_name: 'A' }, { authorization: basic(sandbox.apiKeyId, 'wrong') })).status).toBe(401)
    expect((await post({ full_name: 'A' }, { authorization: basic('wrong', sandbox.apiKey) })).status).toBe(401)
  })

  it('checks credentials before the body, so a bad body with bad credentials is still 401', async () => {
    expect((await post('not json', { authorization: null, contentType: 'text/plain' })).status).toBe(401)
  })
})

describe('403: another organization', () => {
  it('answers 403 with a JSON body when the credentials are right but the path names another organization', async () => {
    const response = await post({ full_name: 'Ada' }, { path: '/4243/contacts' })
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({ error: expect.any(String) })
    expect(sandbox.contacts).toHaveLength(0)
  })

  it('answers 401, not 403, when the credentials are wrong too', async () => {
    expect((await post({ full_name: 'A' }, { path: '/4243/contacts', authorization: null })).status).toBe(401)
  })
})

describe('400, 404, 413, 415: requests that are not a contact', () => {
  it('answers 415 for a body that is not declared as JSON', async () => {
    const response = await post('full_name=Ada', { contentType: 'application/x-www-form-urlencoded' })
    expect(response.status).toBe(415)
    expect(await response.json()).toEqual({ error: expect.any(String) })
  })

  it('answers 400 for JSON that does not parse or is not an object', async () => {
    for (const body of ['{"full_name":', '["Ada"]', '"Ada"', 'null']) {
      const response = await post(body)
      expect(response.status, body).toBe(400)
      expect(await response.json()).toEqual({ error: expect.any(String) })
    }
  })

  it('answers 404 JSON for other paths and other methods', async () => {
    for (const [method, path] of [
      ['POST', '/contacts'],
      ['POST', '/4242/contacts/1'],
      ['POST', '/abc/contacts'],
      ['GET', '/4242/contacts'],
      ['PUT', '/4242/contacts'],
      ['GET', '/'],
    ] as const) {
      const response = await fetch(`${sandbox.url}${path}`, {
        method,
        headers: { Authorization: basic(sandbox.apiKeyId, sandbox.apiKey) },
      })
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(await response.json()).toEqual({ error: 'Not Found' })
    }
  })

  it('answers 413 for a body over the cap and creates nothing', async () => {
    const small = await startSandbox({ maxBodyBytes: 1024 })
    try {
      const response = await fetch(`${small.url}/4242/contacts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basic(small.apiKeyId, small.apiKey) },
        body: JSON.stringify({ full_name: 'A', description: 'x'.repeat(2048) }),
      })
      expect(response.status).toBe(413)
      expect(small.contacts).toHaveLength(0)
      expect(small.requests[0]?.bodyText.length).toBeLessThanOrEqual(1024)
    } finally {
      await small.close()
    }
  })

  it('caps bodies at 1 MiB by default', async () => {
    const response = await post({ full_name: 'A', description: 'x'.repeat(1024 * 1024) })
    expect(response.status).toBe(413)
  })
})

describe('422: Rails-style field errors', () => {
  it('reports blank name, invalid email and a non-E.164 phone row, keyed like the spec example', async () => {
    const response = await post({
      full_name: '   ',
      email: 'not-an-email',
      contact_phones_attributes: [{ number: '+14155550132' }, { number: '(415) 555-0132' }],
    })
    expect(response.status).toBe(422)
    expect(await response.json()).toStrictEqual({
      full_name: ["can't be blank"],
      email: ['is invalid'],
      'contact_phones_attributes[1].number': ['is not a valid E.164 number'],
    })
    expect(sandbox.contacts).toHaveLength(0)
  })

  it.each([
    ['missing', {}],
    ['null', { full_name: null }],
    ['empty', { full_name: '' }],
    ['whitespace only', { full_name: ' \t\n ' }],
  ])('says full_name can’t be blank when it is %s', async (_label, body) => {
    const response = await post(body)
    expect(response.status).toBe(422)
    expect(await response.json()).toEqual({ full_name: ["can't be blank"] })
  })

  it('rejects fields that are not strings', async () => {
    const response = await post({ full_name: 42, email: ['a@b.c'], description: { text: 'x' } })
    expect(response.status).toBe(422)
    expect(await response.json()).toEqual({
      full_name: ['must be a string'],
      email: ['must be a string'],
      description: ['must be a string'],
    })
  })

  it('checks E.164 strictly: plus, non-zero first digit, 2 to 15 digits, nothing else', async () => {
    const numbers = ['+14155550132', '4155550132', '+04155550132', '+1', '+1234567890123456', '+1 415 555 0132']
    const response = await post({ full_name: 'A', contact_phones_attributes: numbers.map((number) => ({ number })) })
    expect(await response.json()).toEqual({
      'contact_phones_attributes[1].number': ['is not a valid E.164 number'],
      'contact_phones_attributes[2].number': ['is not a valid E.164 number'],
      'contact_phones_attributes[3].number': ['is not a valid E.164 number'],
      'contact_phones_attributes[4].number': ['is not a valid E.164 number'],
      'contact_phones_attributes[5].number': ['is not a valid E.164 number'],
    })
  })

  it('reports malformed phone rows and lists', async () => {
    const rows = await post({
      full_name: 'A',
      contact_phones_attributes: ['+14155550132', { number: 14155550132 }, {}, { id: 3, number: '+14155550132' }],
    })
    expect(await rows.json()).toEqual({
      'contact_phones_attributes[0]': ['is invalid'],
      'contact_phones_attributes[1].number': ['must be a string'],
      'contact_phones_attributes[2].number': ["can't be blank"],
      'contact_phones_attributes[3].id': ['is only for updates'],
    })
    const list = await post({ full_name: 'A', contact_phones_attributes: { number: '+14155550132' } })
    expect(await list.json()).toEqual({ contact_phones_attributes: ['must be an array'] })
  })

  it('accepts a null email and description as absent', async () => {
    const response = await post({ full_name: 'A', email: null, description: null })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ email: null, description: null })
  })
})

describe('Idempotency-Key', () => {
  it('is ignored by default, as the spec documents no idempotency: a repeat creates a second contact', async () => {
    const headers = { 'Idempotency-Key': 'b3c1f0de-0000-4000-8000-000000000002' }
    expect(sandbox.honoursIdempotencyKey).toBe(false)
    const first = await contactOf(await post({ full_name: 'Ada' }, { headers }))
    const second = await contactOf(await post({ full_name: 'Ada' }, { headers }))
    expect(second.id).not.toBe(first.id)
    expect(sandbox.contacts.map((c) => c.full_name)).toEqual(['Ada', 'Ada'])
    expect(sandbox.requests.map((r) => r.contactId)).toEqual([first.id, second.id])
  })

  it('once switched on, honours keys seen while it was off, and reset() switches it back', async () => {
    const headers = { 'Idempotency-Key': 'seen-before' }
    const first = await contactOf(await post({ full_name: 'Ada' }, { headers }))
    sandbox.honoursIdempotencyKey = true
    expect((await contactOf(await post({ full_name: 'Ada' }, { headers }))).id).toBe(first.id)
    sandbox.reset()
    expect(sandbox.honoursIdempotencyKey).toBe(false)
  })

  it('honouring: answers a repeated key with the same 201 contact and creates nothing more, logging both requests', async () => {
    sandbox.honoursIdempotencyKey = true
    const headers = { 'Idempotency-Key': 'b3c1f0de-0000-4000-8000-000000000001' }
    const first = await post({ full_name: 'Ada' }, { headers })
    const second = await post({ full_name: 'Ada' }, { headers })
    expect([first.status, second.status]).toEqual([201, 201])
    expect(await second.json()).toEqual(await first.json())
    expect(sandbox.contacts).toHaveLength(1)
    expect(sandbox.requests).toHaveLength(2)
    expect(sandbox.requests.map((r) => r.headers['idempotency-key'])).toEqual([
      headers['Idempotency-Key'],
      headers['Idempotency-Key'],
    ])
  })

  it('creates a contact per distinct key, and per request without a key', async () => {
    await post({ full_name: 'A' }, { headers: { 'Idempotency-Key': 'one' } })
    await post({ full_name: 'A' }, { headers: { 'Idempotency-Key': 'two' } })
    await post({ full_name: 'A' })
    await post({ full_name: 'A' })
    expect(sandbox.contacts.map((c) => c.id)).toEqual([1, 2, 3, 4])
  })

  it('honouring: does not spend a key on a request that failed validation', async () => {
    sandbox.honoursIdempotencyKey = true
    const headers = { 'Idempotency-Key': 'retry-after-fix' }
    expect((await post({ full_name: '' }, { headers })).status).toBe(422)
    expect((await post({ full_name: 'Ada' }, { headers })).status).toBe(201)
    expect(sandbox.contacts).toHaveLength(1)
  })

  it('honouring: creates one contact when the same key arrives twice at once', async () => {
    sandbox.honoursIdempotencyKey = true
    sandbox.faults.set({ latencyMs: 50 })
    const headers = { 'Idempotency-Key': 'concurrent' }
    const [a, b] = await Promise.all([post({ full_name: 'A' }, { headers }), post({ full_name: 'A' }, { headers })])
    expect((await contactOf(a)).id).toBe((await contactOf(b)).id)
    expect(sandbox.contacts).toHaveLength(1)
  })
})

describe('admin routes', () => {
  it('GET /__sandbox/requests returns the request log as JSON, without admin calls in it', async () => {
    await post({ full_name: 'Ada' })
    const response = await admin('GET', 'requests')
    expect(response.status).toBe(200)
    const log = await response.json()
    expect(log).toEqual(JSON.parse(JSON.stringify(sandbox.requests)))
    expect(log).toHaveLength(1)
  })

  it('GET /__sandbox/contacts returns the contacts created', async () => {
    await post({ full_name: 'Ada' })
    expect(await (await admin('GET', 'contacts')).json()).toEqual(sandbox.contacts)
  })

  it('POST /__sandbox/reset forgets requests, contacts, keys and faults, and restarts ids', async () => {
    await post({ full_name: 'Ada' }, { headers: { 'Idempotency-Key': 'k' } })
    sandbox.faults.set({ latencyMs: 5 })
    expect((await admin('POST', 'reset')).status).toBe(204)
    expect(sandbox.requests).toHaveLength(0)
    expect(sandbox.contacts).toHaveLength(0)
    expect(sandbox.faults.current.latencyMs).toBe(0)
    sandbox.honoursIdempotencyKey = true
    const again = await post({ full_name: 'Bo' }, { headers: { 'Idempotency-Key': 'k' } })
    expect(await again.json()).toMatchObject({ id: 1, full_name: 'Bo' })
  })

  it('reset() drops a request still waiting out its latency, so it cannot take a reply queued after the reset', async () => {
    sandbox.faults.set({ latencyMs: 300 })
    const left = post({ full_name: 'Left behind' })
    await expect.poll(() => sandbox.requests.length).toBe(1)
    sandbox.reset()
    sandbox.faults.set({ nextStatuses: [{ status: 418, body: '{"error":"teapot"}' }] })
    await expect(left).rejects.toThrow()
    expect((await post({ full_name: 'Ada' })).status).toBe(418)
    expect(sandbox.contacts).toHaveLength(0)
  })

  it('GET and POST /__sandbox/idempotency read and switch honouring the key; anything else is a 400', async () => {
    expect(await (await admin('GET', 'idempotency')).json()).toEqual({ honoured: false })
    const switched = await admin('POST', 'idempotency', { honoured: true })
    expect([switched.status, await switched.json()]).toEqual([200, { honoured: true }])
    expect(sandbox.honoursIdempotencyKey).toBe(true)
    for (const body of [{ honoured: 'yes' }, {}, { honoured: true, extra: 1 }, 'true']) {
      expect((await admin('POST', 'idempotency', body)).status, JSON.stringify(body)).toBe(400)
    }
    expect(sandbox.honoursIdempotencyKey).toBe(true)
  })

  it('POST /__sandbox/faults changes only the faults given and answers the faults in force', async () => {
    await admin('POST', 'faults', { latencyMs: 5 })
    const response = await admin('POST', 'faults', { nextStatuses: [{ status: 503, retryAfter: '2' }] })
    expect(response.status).toBe(200)
    const expected = {
      latencyMs: 5,
      nextStatuses: [{ status: 503, retryAfter: '2' }],
      afterCommit: [],
      dropAfterRead: 0,
      hang: false,
      down: false,
    }
    expect(await response.json()).toEqual(expected)
    expect(sandbox.faults.current).toEqual(expected)
    expect(await (await admin('GET', 'faults')).json()).toEqual(expected)
  })

  it('POST /__sandbox/faults answers 400 with a reason for anything it does not understand', async () => {
    for (const body of [
      'nope',
      { latency: 5 },
      { latencyMs: -1 },
      { nextStatuses: [{ status: 99 }] },
      { nextStatuses: [{ status: 503, retryAfter: 'a\r\nSet-Cookie: x' }] },
      { hang: 'yes' },
      { afterCommit: [{ drop: 'yes' }] },
      { afterCommit: [{ drop: true, status: 500 }] },
      { afterCommit: { status: 500 } },
    ]) {
      const response = await admin('POST', 'faults', body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(await response.json()).toEqual({ error: expect.any(String) })
    }
    expect(sandbox.faults.current.nextStatuses).toEqual([])
  })

  it('DELETE /__sandbox/faults clears every fault', async () => {
    sandbox.faults.set({
      latencyMs: 5,
      hang: true,
      down: true,
      dropAfterRead: 2,
      nextStatuses: [{ status: 500 }],
      afterCommit: [{ drop: true }],
    })
    expect((await admin('DELETE', 'faults')).status).toBe(204)
    expect(sandbox.faults.current).toEqual({
      latencyMs: 0,
      nextStatuses: [],
      afterCommit: [],
      dropAfterRead: 0,
      hang: false,
      down: false,
    })
  })

  it('answers 403 to a request whose Host is not this machine (a DNS-rebinding page)', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(`${sandbox.url}/__sandbox/requests`, { headers: { Host: `evil.example:${sandbox.port}` } }, (res) => {
        res.resume()
        resolve(res.statusCode)
      })
        .on('error', reject)
        .end()
    })
    expect(status).toBe(403)
  })

  it('answers 404 for unknown admin routes', async () => {
    expect((await admin('GET', 'nothing')).status).toBe(404)
  })

  it('programmatic set() validates too', () => {
    expect(() => sandbox.faults.set({ latencyMs: 1.5 })).toThrow(TypeError)
  })
})

describe('faults', () => {
  it('latencyMs delays every API answer and still creates', async () => {
    sandbox.faults.set({ latencyMs: 150 })
    const started = performance.now()
    const response = await post({ full_name: 'Ada' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(response.status).toBe(201)
  })

  it('nextStatuses answers the next requests in order, with Retry-After and body, then the API resumes', async () => {
    sandbox.faults.set({
      nextStatuses: [
        { status: 429, retryAfter: '7' },
        { status: 503, retryAfter: 'Wed, 21 Oct 2065 07:28:00 GMT', body: 'maintenance' },
        { status: 302, headers: { Location: '/elsewhere' } },
      ],
    })
    const first = await post({ full_name: 'A' })
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7'])
    expect(await first.json()).toEqual({ error: 'Too Many Requests' })
    const second = await post({ full_name: 'A' })
    expect([second.status, second.headers.get('retry-after')]).toEqual([503, 'Wed, 21 Oct 2065 07:28:00 GMT'])
    expect(second.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(await second.text()).toBe('maintenance')
    const third = await fetch(`${sandbox.url}/4242/contacts`, { method: 'POST', redirect: 'manual' })
    expect([third.status, third.headers.get('location')]).toEqual([302, '/elsewhere'])
    expect((await post({ full_name: 'A' })).status).toBe(201)
    expect(sandbox.contacts).toHaveLength(1)
    expect(sandbox.requests.map((r) => r.fault)).toEqual(['canned', 'canned', 'canned', undefined])
  })

  it('canned replies come before auth: a rate limiter answers whoever asks', async () => {
    sandbox.faults.set({ nextStatuses: [{ status: 429 }] })
    expect((await post({ full_name: 'A' }, { authorization: null })).status).toBe(429)
  })

  it('dropAfterRead reads the whole body, creates nothing and destroys the connection, N times', async () => {
    sandbox.faults.set({ dropAfterRead: 2 })
    await expect(post({ full_name: 'A' })).rejects.toThrow()
    await expect(post({ full_name: 'B' })).rejects.toThrow()
    expect((await post({ full_name: 'C' })).status).toBe(201)
    expect(sandbox.contacts.map((c) => c.full_name)).toEqual(['C'])
    expect(sandbox.requests.map((r) => [r.json, r.fault])).toEqual([
      [{ full_name: 'A' }, 'dropped'],
      [{ full_name: 'B' }, 'dropped'],
      [{ full_name: 'C' }, undefined],
    ])
  })

  it('hang reads the request and never answers; clearing it serves the next request', async () => {
    sandbox.faults.set({ hang: true })
    await expect(post({ full_name: 'A' }, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i)
    expect(sandbox.requests[0]).toMatchObject({ json: { full_name: 'A' }, fault: 'hang' })
    expect(sandbox.requests[0]?.status).toBeUndefined()
    sandbox.faults.set({ hang: false })
    expect((await post({ full_name: 'B' })).status).toBe(201)
  })

  it('down closes API connections on arrival while admin routes keep answering, so another process can lift it', async () => {
    expect((await admin('POST', 'faults', { down: true })).status).toBe(200)
    await expect(post({ full_name: 'A' })).rejects.toThrow()
    expect(sandbox.contacts).toHaveLength(0)
    expect(sandbox.requests[0]).toMatchObject({ fault: 'down', bodyText: '' })
    expect((await admin('POST', 'faults', { down: false })).status).toBe(200)
    expect((await post({ full_name: 'A' })).status).toBe(201)
  })

  it('afterCommit saves the contact, then answers 500/502/504 or 204 instead of the 201, in order', async () => {
    const outage = `<html>${'Service trouble. '.repeat(100_000)}</html>`
    sandbox.faults.set({
      afterCommit: [{ status: 502 }, { status: 500, body: outage }, { status: 504, retryAfter: '5' }, { status: 204 }],
    })
    const answers = []
    for (const name of ['A', 'B', 'C', 'D', 'E']) answers.push(await post({ full_name: name }))
    expect(answers.map((r) => r.status)).toEqual([502, 500, 504, 204, 201])
    expect(answers[2]?.headers.get('retry-after')).toBe('5')
    expect((await answers[1]!.text()).length).toBe(outage.length)
    expect(sandbox.contacts.map((c) => c.full_name)).toEqual(['A', 'B', 'C', 'D', 'E'])
    expect(sandbox.requests.map((r) => [r.fault, r.status, r.contactId])).toEqual([
      ['after_commit', 502, 1],
      ['after_commit', 500, 2],
      ['after_commit', 504, 3],
      ['after_commit', 204, 4],
      [undefined, 201, 5],
    ])
  })

  it('afterCommit drop and hang save the contact, then cut the connection or never answer', async () => {
    sandbox.faults.set({ afterCommit: [{ drop: true }, { hang: true }] })
    await expect(post({ full_name: 'A' })).rejects.toThrow()
    await expect(post({ full_name: 'B' }, { signal: AbortSignal.timeout(300) })).rejects.toThrow(/abort|timeout/i)
    expect(sandbox.contacts.map((c) => c.full_name)).toEqual(['A', 'B'])
    expect(sandbox.requests.map((r) => [r.fault, r.status])).toEqual([
      ['after_commit', undefined],
      ['after_commit', undefined],
    ])
  })

  it('afterCommit waits for a request that creates: refusals and canned replies do not use it up', async () => {
    sandbox.faults.set({ afterCommit: [{ status: 500 }], nextStatuses: [{ status: 503 }] })
    expect((await post({ full_name: 'A' })).status).toBe(503)
    expect((await post({ full_name: '' })).status).toBe(422)
    expect((await post({ full_name: 'A' }, { authorization: null })).status).toBe(401)
    expect((await post({ full_name: 'A' })).status).toBe(500)
    expect(sandbox.contacts).toHaveLength(1)
  })

  it('afterCommit applies to a repeat the server recognises too, when it honours the key', async () => {
    sandbox.honoursIdempotencyKey = true
    const headers = { 'Idempotency-Key': 'again' }
    expect((await post({ full_name: 'A' }, { headers })).status).toBe(201)
    sandbox.faults.set({ afterCommit: [{ status: 502 }] })
    expect((await post({ full_name: 'A' }, { headers })).status).toBe(502)
    expect(sandbox.contacts).toHaveLength(1)
  })

  it('close() ends hung requests instead of waiting for them', async () => {
    const other = await startSandbox()
    other.faults.set({ hang: true })
    const pending = fetch(`${other.url}/4242/contacts`, { method: 'POST', body: '{}' })
    await expect.poll(() => other.requests.length).toBe(1)
    await other.close()
    await expect(pending).rejects.toThrow()
  })
})

describe('npm run sandbox (scripts/sandbox.ts)', () => {
  it('prints the four lines, serves the API and the admin routes, and exits cleanly on SIGTERM', async () => {
    const args = ['scripts/sandbox.ts', '--port', '0', '--org', '77', '--key-id', 'cli-id', '--key', 'cli-key']
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const lines: string[] = []
      for await (const line of createInterface({ input: child.stdout })) {
        lines.push(line)
        if (lines.length === 4) break
      }
      expect(lines[0]).toMatch(/^Sandbox API: http:\/\/127\.0\.0\.1:\d+$/)
      expect(lines.slice(1)).toEqual(['Organization ID: 77', 'API key ID: cli-id', 'API key: cli-key'])
      const url = lines[0]!.slice('Sandbox API: '.length)
      const created = await fetch(`${url}/77/contacts`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: basic('cli-id', 'cli-key') },
        body: JSON.stringify({ full_name: 'Ada' }),
      })
      expect(created.status).toBe(201)
      await fetch(`${url}/__sandbox/faults`, {
        method: 'POST',
        body: JSON.stringify({ nextStatuses: [{ status: 503 }] }),
      })
      expect((await fetch(`${url}/77/contacts`, { method: 'POST' })).status).toBe(503)
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      expect(await exited).toEqual([0, null])
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })

  it('--honour-idempotency-key switches honouring on, and says so', async () => {
    const args = [
      'scripts/sandbox.ts',
      '--port',
      '0',
      '--key-id',
      'cli-id',
      '--key',
      'cli-key',
      '--honour-idempotency-key',
    ]
    const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    try {
      const lines: string[] = []
      for await (const line of createInterface({ input: child.stdout })) {
        lines.push(line)
        if (line.startsWith('Idempotency-Key:')) break
      }
      expect(lines.at(-1)).toBe('Idempotency-Key: honoured')
      const url = lines[0]!.slice('Sandbox API: '.length)
      expect(await (await fetch(`${url}/__sandbox/idempotency`)).json()).toEqual({ honoured: true })
    } finally {
      const exited = once(child, 'exit')
      child.kill('SIGTERM')
      await exited
    }
  })

  it('explains a bad option and exits with status 2', async () => {
    const child = spawn(process.execPath, ['scripts/sandbox.ts', '--port', 'many'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const [code] = await once(child, 'exit')
    expect(code).toBe(2)
    expect(stderr).toMatch(/--port must be a whole number/)
  })
})
