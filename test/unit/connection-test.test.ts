/**
 * Test connection: the probe (a blank full_name, which the spec says the server refuses with 422) and what
 * each answer means. The core is real (settings file, SQLite outbox, worker, command handlers), the keychain
 * in memory, and `fetch` a scripted server that answers the probe with the status each case needs.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppCore, type AppCore } from '../../src/main/core/app-core.ts'
import { basicAuthorization } from '../../src/main/core/cloverhound-client.ts'
import { ConnectionHealth } from '../../src/main/core/connection-health.ts'
import { PROBE_BODY, probeVerdict } from '../../src/main/core/connection-test.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import type { ConnectionTestVerdict } from '../../src/shared/settings.ts'

const HOME = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id' }
const KEY = 'sk-home-0123456789'
const CONTACT = { id: 77, organization_id: 42, full_name: '' }

interface Seen {
  url: string
  method: string | undefined
  headers: Headers
  body: unknown
  redirect: RequestInit['redirect']
}

type Answer = (init: RequestInit) => Response | Promise<Response>

const folders: string[] = []
const cores: AppCore[] = []

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true })
})

/** A core whose server answers every request with the next of `answers` (the last one repeats). */
async function openCore(answers: Answer[], options: { requestTimeoutMs?: number } = {}) {
  const seen: Seen[] = []
  const dataDir = await mkdtemp(join(tmpdir(), 'cloverhound-connection-test-'))
  folders.push(dataDir)
  const core = await createAppCore({
    dataDir,
    secrets: new MemorySecretStore(),
    fetch: async (url, init) => {
      seen.push({
        url,
        method: init.method,
        headers: new Headers(init.headers),
        body: JSON.parse(String(init.body)),
        redirect: init.redirect,
      })
      const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!
      return answer(init)
    },
    emit: () => {},
    logger: silentLogger,
    requestTimeoutMs: options.requestTimeoutMs,
  })
  cores.push(core)
  return { core, seen }
}

async function configured(answers: Answer[], options: { requestTimeoutMs?: number } = {}) {
  const opened = await openCore(answers, options)
  const saved = await opened.core.handlers.saveSettings({ ...HOME, apiKey: KEY })
  expect(saved.ok).toBe(true)
  return opened
}

const status = (code: number, body: unknown = {}, headers: Record<string, string> = {}): Answer => {
  return () => Response.json(body, { status: code, headers })
}
const refused = (code: string): Answer => {
  return () => Promise.reject(new TypeError('fetch failed', { cause: { code } }))
}

describe('Test connection: what each answer to the probe means', () => {
  it.each<[string, ConnectionTestVerdict, Answer, RegExp]>([
    ['422', 'working', status(422, { full_name: ["can't be blank"] }), /^Connection works: .*Nothing was created\./],
    ['401', 'key_refused', status(401), /^Key not accepted: api\.example\.test refused this API key ID and API key/],
    ['403', 'organization_refused', status(403), /^Organization not allowed: .* organization 42 \(403\)/],
    ['201', 'created', status(201, CONTACT), /created a contact with a blank name \(#77\)/],
    ['400', 'unexpected', status(400), /status 400 instead of the 422/],
    ['404', 'unexpected', status(404), /no such organization or address; check the Base URL and Organization ID/],
    ['302', 'unexpected', status(302, {}, { Location: 'https://elsewhere.test/' }), /redirects elsewhere/],
    ['500', 'server_error', status(500), /had a problem \(status 500\)/],
    [
      '503 with Retry-After',
      'waiting',
      status(503, {}, { 'Retry-After': '30' }),
      /busy \(503\); try again in 30 seconds/,
    ],
    ['429', 'waiting', status(429, {}, { 'Retry-After': '1' }), /slow down \(429\); try again in 1 second\./],
    ['refused', 'unreachable', refused('ECONNREFUSED'), /^Could not reach api\.example\.test: the server refused/],
    ['unknown host', 'unreachable', refused('ENOTFOUND'), /name could not be found/],
    ['bad certificate', 'unreachable', refused('DEPTH_ZERO_SELF_SIGNED_CERT'), /certificate is not trusted/],
  ])('%s → %s', async (_name, verdict, answer, words) => {
    const { core, seen } = await configured([answer])
    const result = await core.handlers.testConnection(undefined)

    expect(result).toMatchObject({ ok: true, value: { verdict, host: 'api.example.test', organizationId: 42 } })
    if (result.ok) expect(result.value.message).toMatch(words)
    expect(seen).toHaveLength(1)
  })

  it('a server that never answers is said plainly', async () => {
    // As fetch does: nothing comes back until the request's signal gives up on it.
    const silent: Answer = (init) =>
      new Promise<Response>((_resolve, reject) =>
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )
    const { core } = await configured([silent], { requestTimeoutMs: 50 })
    const result = await core.handlers.testConnection(undefined)
    expect(result).toMatchObject({ ok: true, value: { verdict: 'unreachable' } })
    if (result.ok) expect(result.value.message).toContain('did not answer in time')
  })

  it('sends the blank contact the spec must refuse, with the stored key, to the saved server, no Idempotency-Key', async () => {
    const { core, seen } = await configured([status(422)])
    await core.handlers.testConnection(undefined)

    const [probe] = seen
    expect(probe).toMatchObject({ url: 'https://api.example.test/42/contacts', method: 'POST', redirect: 'error' })
    expect(probe!.body).toEqual(PROBE_BODY)
    expect(PROBE_BODY).toEqual({ full_name: '' })
    expect(probe!.headers.get('authorization')).toBe(basicAuthorization(HOME.apiKeyId, KEY))
    expect(probe!.headers.has('idempotency-key')).toBe(false)
    expect(core.outbox.counts(Date.now())).toMatchObject({ queued: 0, sent: 0 })
  })

  it('with no key stored, says what to do and asks no server', async () => {
    const { core, seen } = await openCore([status(422)])
    await core.handlers.saveSettings(HOME)
    const result = await core.handlers.testConnection(undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured' } })
    if (!result.ok) expect(result.error.message).toContain('No API key is stored for api.example.test')
    expect(seen).toEqual([])
  })

  it('with nothing saved, says to fill in the settings', async () => {
    const { core, seen } = await openCore([status(422)])
    const result = await core.handlers.testConnection(undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'not_configured' } })
    expect(seen).toEqual([])
  })
})

describe('Test connection and the sync status', () => {
  it('a pass is when the connection last worked; a refusal says which part was refused', async () => {
    const { core } = await configured([status(422), status(403), status(401)])
    const connection = async () => {
      const result = await core.handlers.getSyncStatus(undefined)
      return result.ok ? result.value.connection : undefined
    }
    expect(await connection()).toEqual({ lastSuccessAt: null, refused: null })

    await core.handlers.testConnection(undefined)
    const passed = await connection()
    expect(passed?.refused).toBeNull()
    expect(Date.parse(passed!.lastSuccessAt!)).toBeLessThanOrEqual(Date.now())

    await core.handlers.testConnection(undefined)
    expect(await connection()).toEqual({ lastSuccessAt: passed!.lastSuccessAt, refused: 'organization' })
    await core.handlers.testConnection(undefined)
    expect(await connection()).toMatchObject({ refused: 'key' })
  })

  it('saving settings forgets what the server said about the old ones', async () => {
    const { core } = await configured([status(401)])
    await core.handlers.testConnection(undefined)
    await core.handlers.saveSettings({ ...HOME, apiKey: 'sk-another-key' })
    const result = await core.handlers.getSyncStatus(undefined)
    expect(result).toMatchObject({ ok: true, value: { connection: { lastSuccessAt: null, refused: null } } })
  })

  it('the sender’s own 201 counts as the connection working', async () => {
    const { core } = await configured([status(201, { id: 5, organization_id: 42, full_name: 'Ada Lovelace' })])
    await core.handlers.saveContact({ fullName: 'Ada Lovelace', email: '', description: '', phones: [] })
    await expect
      .poll(async () => {
        const result = await core.handlers.getSyncStatus(undefined)
        return result.ok ? result.value.connection.lastSuccessAt : null
      })
      .not.toBeNull()
  })

  it('a pass lifts a pause the sender hit, so waiting contacts go', async () => {
    const { core, seen } = await configured([
      status(401),
      status(422),
      status(201, { id: 9, organization_id: 42, full_name: 'Grace Hopper' }),
    ])
    await core.handlers.saveContact({ fullName: 'Grace Hopper', email: '', description: '', phones: [] })
    await expect
      .poll(async () => (await core.handlers.getSyncStatus(undefined)).ok && core.worker.status().state)
      .toBe('paused_auth')
    expect(core.worker.status().connection.refused).toBe('key')

    const result = await core.handlers.testConnection(undefined)
    expect(result).toMatchObject({ ok: true, value: { verdict: 'working' } })
    await expect.poll(() => core.outbox.counts(Date.now()).sent).toBe(1)
    expect(seen.map((request) => (request.body as { full_name: string }).full_name)).toEqual([
      'Grace Hopper',
      '',
      'Grace Hopper',
    ])
  })
})

describe('ConnectionHealth', () => {
  it('ignores an answer to settings that were replaced while it was on its way', () => {
    const health = new ConnectionHealth(() => Date.UTC(2030, 0, 1))
    const stamp = health.stamp('work')
    health.reset('work')
    health.record('work', { kind: 'unauthorized' }, stamp)
    expect(health.view('work')).toEqual({ lastSuccessAt: null, refused: null })
    health.record('work', { kind: 'unauthorized' }, health.stamp('work'))
    expect(health.view('work')).toEqual({ lastSuccessAt: null, refused: 'key' })
  })

  it('learns nothing about the key from a server error or a broken connection', () => {
    const health = new ConnectionHealth()
    health.record('work', { kind: 'forbidden' }, health.stamp('work'))
    health.record('work', { kind: 'server_error', status: 502, retryAfterMs: undefined }, health.stamp('work'))
    health.record('work', { kind: 'network', description: 'x', mayHaveReachedServer: false }, health.stamp('work'))
    expect(health.view('work')).toEqual({ lastSuccessAt: null, refused: 'organization' })
  })

  it('keeps each profile’s answers apart: one profile’s refusal or new settings leave the other’s as they were', () => {
    const health = new ConnectionHealth(() => Date.UTC(2030, 0, 1))
    health.record('production', { kind: 'invalid', status: 422, errors: {} }, health.stamp('production'))
    health.record('staging', { kind: 'unauthorized' }, health.stamp('staging'))
    health.reset('staging')
    expect(health.view('production')).toEqual({ lastSuccessAt: '2030-01-01T00:00:00.000Z', refused: null })
    expect(health.view('staging')).toEqual({ lastSuccessAt: null, refused: null })
  })
})

describe('probeVerdict', () => {
  it('a 422 proves the settings whatever fields the server names', () => {
    const where = { host: 'h.test', organizationId: 1 }
    expect(probeVerdict({ kind: 'invalid', status: 422, errors: { general: ['Bad'] } }, where).verdict).toBe('working')
  })

  it('a timeout is unreachable, not a refusal', () => {
    const where = { host: 'h.test', organizationId: 1 }
    expect(probeVerdict({ kind: 'timeout', mayHaveReachedServer: true }, where)).toEqual({
      verdict: 'unreachable',
      message: 'h.test did not answer in time. Check the Base URL and the network, then try again.',
    })
  })
})
