import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { isSecretKey, REDACTED, redactSecrets, redactText } from '../../src/main/core/redact.ts'

const KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc'
const BASIC = Buffer.from(`key-id:${KEY}`).toString('base64')

/** Everything a log line could show of a value, including what JSON would drop. */
function shown(value: unknown): string {
  return inspect(value, { depth: Infinity, showHidden: false, breakLength: Infinity })
}

function expectClean(value: unknown, ...secrets: string[]) {
  const text = shown(redactSecrets(value))
  for (const secret of [KEY, BASIC, ...secrets]) expect(text).not.toContain(secret)
}

describe('redactText', () => {
  it.each([
    ['an Authorization header', `Authorization: Basic ${BASIC}`, 'Authorization: [REDACTED]'],
    ['a lower-case header in JSON', `{"authorization":"Bearer ${KEY}","x":1}`, '{"authorization":"[REDACTED]","x":1}'],
    ['a proxy header', `Proxy-Authorization: Basic ${BASIC}`, 'Proxy-Authorization: [REDACTED]'],
    ['a Basic token in prose', `sent Basic ${BASIC} to the API`, 'sent Basic [REDACTED] to the API'],
    ['a Bearer token in prose', `bearer ${KEY}`, 'bearer [REDACTED]'],
    ['a query parameter', `GET /contacts?api_key=${KEY}&page=2`, 'GET /contacts?api_key=[REDACTED]&page=2'],
    ['credentials in a URL', `https://key-id:${KEY}@cloud.example.com/1`, 'https://[REDACTED]@cloud.example.com/1'],
    ['key: value', `apiKey: ${KEY}`, 'apiKey: [REDACTED]'],
    ['key=value', 'password=hunter2', 'password=[REDACTED]'],
    ['a quoted value with spaces', 'secret: "correct horse battery"', 'secret: "[REDACTED]"'],
    ['a single-quoted value', "token='abc def'", "token='[REDACTED]'"],
    ['an x-api-key header', 'x-api-key: abc', 'x-api-key: [REDACTED]'],
    ['a cookie', 'Cookie: session=abc; theme=dark', 'Cookie: [REDACTED]'],
    ['a long random run', `saw ${KEY} in the body`, 'saw [REDACTED] in the body'],
    ['a hex key', `hash 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b`, 'hash [REDACTED]'],
    ['an email address', 'sent for ada.lovelace+crm@example.co.uk today', 'sent for [email] today'],
    ['an encoded email address', 'email=ada%40example.com', 'email=[email]'],
    ['an E.164 number', 'phone +14155550132 failed', 'phone [phone] failed'],
    ['a spaced international number', 'call +44 20 7946 0958', 'call [phone]'],
    ['an encoded number', 'number=%2B14155550132', 'number=[phone]'],
  ])('removes %s', (_label, input, expected) => {
    expect(redactText(input)).toBe(expected)
  })

  it.each([
    'Refused a bridge call from an untrusted sender',
    'keychain: unavailable',
    'state paused_auth since 2026-11-29T16:45:02+05:30',
    'item 123e4567-e89b-12d3-a456-426614174000 queued',
    'POST /42/contacts answered 422',
    'ERR_CONNECTION_REFUSED',
    'organization 12345678',
  ])('keeps %j, which holds nothing secret', (input) => {
    expect(redactText(input)).toBe(input)
  })

  it('is idempotent', () => {
    const once = redactText(`Authorization: Basic ${BASIC}; apiKey=${KEY}; ada@example.com; +14155550132`)
    expect(redactText(once)).toBe(once)
  })

  it('stays fast on long hostile text', () => {
    const started = performance.now()
    for (const input of ['_a'.repeat(50_000), 'a'.repeat(100_000), 'a.'.repeat(50_000), `${'+1'.repeat(50_000)}`]) {
      expect(redactText(input).length).toBeLessThan(11_000)
    }
    expect(performance.now() - started).toBeLessThan(2_000)
  })
})

describe('isSecretKey', () => {
  it.each([
    'apiKey',
    'api_key',
    'API-KEY',
    'key',
    'x-api-key',
    'clientSecret',
    'password',
    'accessToken',
    'Authorization',
  ])('treats %s as secret', (name) => {
    expect(isSecretKey(name)).toBe(true)
  })

  it.each(['apiKeyId', 'keychain', 'command', 'error', 'status', 'organizationId', 'scheme'])(
    'treats %s as safe',
    (name) => {
      expect(isSecretKey(name)).toBe(false)
    },
  )
})

describe('redactSecrets', () => {
  it('replaces values under secret keys at any depth, keeping the key names', () => {
    const input = {
      command: 'saveSettings',
      apiKey: KEY,
      request: { headers: { Authorization: `Basic ${BASIC}`, 'Content-Type': 'application/json' } },
      profiles: [{ api_key: KEY, organizationId: 7 }],
    }
    expect(redactSecrets(input)).toEqual({
      command: 'saveSettings',
      apiKey: REDACTED,
      request: { headers: { Authorization: REDACTED, 'Content-Type': 'application/json' } },
      profiles: [{ api_key: REDACTED, organizationId: 7 }],
    })
  })

  it('keeps flags and empties under secret keys: they say whether, never what', () => {
    expect(redactSecrets({ hasApiKey: true, apiKey: null, token: undefined, password: 1234 })).toEqual({
      hasApiKey: true,
      apiKey: null,
      token: undefined,
      password: REDACTED,
    })
  })

  it('removes contact data under its own keys, whatever it looks like', () => {
    const draft = {
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      description: 'met at the conference',
      phones: [{ number: '+14155550132' }],
    }
    expect(redactSecrets(draft)).toEqual({
      fullName: REDACTED,
      email: REDACTED,
      description: REDACTED,
      phones: REDACTED,
    })
  })

  it('scrubs strings inside arrays, Maps and Sets', () => {
    const input = [
      `Bearer ${KEY}`,
      new Map<unknown, unknown>([
        ['password', 'hunter2'],
        ['note', 'ada@example.com'],
        [1, `token=${KEY}`],
      ]),
      new Set([`apiKey=${KEY}`]),
    ]
    const output = redactSecrets(input) as [string, Map<unknown, unknown>, unknown[]]
    expect(output[0]).toBe('Bearer [REDACTED]')
    expect([...output[1]]).toEqual([
      ['password', REDACTED],
      ['note', '[email]'],
      [1, 'token=[REDACTED]'],
    ])
    expect(output[2]).toEqual(['apiKey=[REDACTED]'])
  })

  it('reduces an Error to name, message and code, scrubbed, with no stack', () => {
    const error = Object.assign(new TypeError(`request failed: apiKey=${KEY} for ada@example.com`), {
      code: 'E_AUTH',
      config: { headers: { Authorization: `Basic ${BASIC}` } },
    })
    const output = redactSecrets(error) as Record<string, unknown>
    expect(output).toEqual({
      name: 'TypeError',
      message: 'request failed: apiKey=[REDACTED] for [email]',
      code: 'E_AUTH',
      config: { headers: { Authorization: REDACTED } },
    })
    expect(shown(output)).not.toContain('at ')
  })

  it('follows an Error cause and an AggregateError', () => {
    const cause = new Error(`token: ${KEY}`)
    const error = new AggregateError([new Error('phone +14155550132')], 'several failed', { cause })
    expect(redactSecrets(error)).toMatchObject({
      name: 'AggregateError',
      cause: { name: 'Error', message: 'token: [REDACTED]' },
      errors: [{ name: 'Error', message: 'phone [phone]' }],
    })
  })

  it('ends circular objects and arrays instead of hanging', () => {
    const node: Record<string, unknown> = { name: 'root', apiKey: KEY }
    node.self = node
    node.children = [node, { parent: node }]
    const list: unknown[] = ['a']
    list.push(list)
    const output = redactSecrets({ node, list }) as { node: Record<string, unknown>; list: unknown[] }
    expect(output.node.self).toBe('[Circular]')
    expect(output.node.children).toEqual(['[Circular]', { parent: '[Circular]' }])
    expect(output.list).toEqual(['a', '[Circular]'])
    expectClean({ node, list })
  })

  it('prints a value shared by two branches twice, since it is not a cycle', () => {
    const shared = { token: KEY }
    expect(redactSecrets({ a: shared, b: shared })).toEqual({ a: { token: REDACTED }, b: { token: REDACTED } })
  })

  it('an Error whose cause is itself', () => {
    const error = new Error(`apiKey=${KEY}`)
    error.cause = error
    expect(redactSecrets(error)).toMatchObject({ cause: '[Circular]' })
  })

  it('bounds depth and width', () => {
    let deep: Record<string, unknown> = { secret: KEY }
    for (let i = 0; i < 1_000; i++) deep = { next: deep }
    expect(shown(redactSecrets(deep))).toContain('[Too deep]')
    expectClean(deep)

    const wide = Array.from({ length: 10_000 }, (_, i) => `token=${KEY}${i}`)
    const output = redactSecrets(wide) as unknown[]
    expect(output.length).toBeLessThanOrEqual(101)
    expect(output.at(-1)).toMatch(/more/)
  })

  it('survives getters and proxies that throw, and reports them as unreadable', () => {
    const getter = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error(`apiKey=${KEY}`)
      },
    })
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys')
        },
      },
    )
    expect(redactSecrets(getter)).toEqual({ ok: 1, boom: '[Unreadable]' })
    expect(redactSecrets({ proxy })).toEqual({ proxy: '[Unreadable]' })
  })

  it('keeps a __proto__ key as data and pollutes nothing', () => {
    const input = JSON.parse(`{"__proto__": {"polluted": "${KEY}"}, "a": 1}`) as unknown
    const output = redactSecrets(input) as Record<string, unknown>
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.keys(output)).toEqual(['__proto__', 'a'])
    expectClean(input)
  })

  it('scrubs keys as well as values', () => {
    expect(redactSecrets({ 'ada@example.com': 1 })).toEqual({ '[email]': 1 })
  })

  it('handles every other kind of value without throwing', () => {
    const values: unknown[] = [
      null,
      undefined,
      0,
      Number.NaN,
      10n,
      true,
      Symbol(`token=${KEY}`),
      () => KEY,
      new Date(0),
      new URL(`https://id:${KEY}@example.com/?api_key=${KEY}`),
      new RegExp(KEY),
      Buffer.from(KEY),
      new Uint8Array(4),
      new ArrayBuffer(8),
      new String(`apiKey=${KEY}`),
      new Number(4),
      Promise.resolve(KEY),
      new WeakMap(),
      Object.create(null),
    ]
    for (const value of values) expect(() => redactSecrets(value)).not.toThrow()
    expectClean(values)
    expect(redactSecrets(Buffer.from(KEY))).toBe(`[binary ${KEY.length} bytes]`)
    expect(redactSecrets(new Date(0))).toEqual(new Date(0))
  })

  it('never changes its input', () => {
    const input = { apiKey: KEY, nested: [`Bearer ${KEY}`], error: new Error(`token=${KEY}`) }
    const before = shown(input)
    redactSecrets(input)
    expect(shown(input)).toBe(before)
  })
})
