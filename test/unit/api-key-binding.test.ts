/**
 * A stored API key belongs to the server (origin) and API key ID it was entered for. The hostile
 * renderer's moves go through the same command handlers the bridge calls; the core is real (settings
 * file, SQLite outbox, sync worker), the keychain in memory, and `fetch` a recorder standing for two hosts.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppCore } from '../../src/main/core/app-core.ts'
import { basicAuthorization } from '../../src/main/core/cloverhound-client.ts'
import { apiKeyAccount, Credentials, DEFAULT_PROFILE_ID, type Connection } from '../../src/main/core/credentials.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { openOutboxStore } from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import { SyncWorker } from '../../src/main/core/outbox/sync-worker.ts'
import { requestCredentials } from '../../src/main/core/outbox/worker-connection.ts'
import { KeychainUnavailableError, MemorySecretStore, type SecretStore } from '../../src/main/core/secret-store.ts'
import { SettingsStore } from '../../src/main/core/settings-store.ts'
import { validateContactDraft } from '../../src/shared/contact.ts'
import { apiKeyBinding, KEY_FOR_THIS_SERVER, sameApiKeyBinding, type SettingsInput } from '../../src/shared/settings.ts'
import { useTempFolders } from '../support/temp-folders.ts'

const HOME = { baseUrl: 'https://api.example.test', organizationId: 42, apiKeyId: 'key-id' }
const HOME_KEY = 'sk-home-0123456789'
const OTHER = 'https://collector.attacker.test'
const DRAFT = { fullName: 'Ada Lovelace', email: '', description: '', phones: [] }

const { tempFolder, closeAfter } = useTempFolders('binding')

interface Sent {
  origin: string
  authorization: string | undefined
  idempotencyKey: string | undefined
}

/** Every host answers 201 unless it is `down` (then the connection is refused); what each request carried is kept. */
function recordingFetch(sent: Sent[], down: Set<string>) {
  let id = 0
  return async (input: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers)
    const origin = new URL(input).origin
    sent.push({
      origin,
      authorization: headers.get('authorization') ?? undefined,
      idempotencyKey: headers.get('idempotency-key') ?? undefined,
    })
    if (down.has(origin)) throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    id += 1
    return Response.json({ id, organization_id: 42, full_name: 'Ada Lovelace' }, { status: 201 })
  }
}

async function openCore(options: { dataDir?: string; secrets?: SecretStore } = {}) {
  const sent: Sent[] = []
  const down = new Set<string>()
  const dataDir = options.dataDir ?? (await tempFolder())
  const secrets = options.secrets ?? new MemorySecretStore()
  const core = await createAppCore({
    dataDir,
    secrets,
    fetch: recordingFetch(sent, down),
    emit: () => {},
    logger: silentLogger,
  })
  closeAfter(core)
  return { core, sent, down, dataDir, secrets }
}

const settings = (input: Partial<SettingsInput> = {}): SettingsInput => ({ ...HOME, ...input })

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('the binding', () => {
  it('is the origin (scheme, host, port) and the key ID; the path and the organization do not change it', () => {
    const home = apiKeyBinding(HOME)
    expect(home).toEqual({ origin: 'https://api.example.test', apiKeyId: 'key-id' })
    expect(
      sameApiKeyBinding(home, apiKeyBinding({ baseUrl: 'https://API.example.test:443/v2/', apiKeyId: ' key-id ' })),
    ).toBe(true)
    for (const other of [
      { baseUrl: 'https://api.example.test:8443', apiKeyId: 'key-id' },
      { baseUrl: 'https://api.example.test.attacker.test', apiKeyId: 'key-id' },
      { baseUrl: 'http://localhost', apiKeyId: 'key-id' },
      { baseUrl: 'https://api.example.test', apiKeyId: 'key-id-2' },
    ]) {
      expect(sameApiKeyBinding(home, apiKeyBinding(other)), JSON.stringify(other)).toBe(false)
    }
    expect(apiKeyBinding({ baseUrl: 'http://api.example.test', apiKeyId: 'key-id' })).toBeUndefined()
    expect(sameApiKeyBinding(undefined, undefined)).toBe(false)
  })
})

describe('the hostile renderer, through the bridge commands', () => {
  it('cannot point the stored key at its own host: refused at the API key field, and nothing reaches that host', async () => {
    const { core, sent, dataDir } = await openCore()
    expect(await core.handlers.saveSettings(settings({ apiKey: HOME_KEY }))).toMatchObject({ ok: true })

    const moved = await core.handlers.saveSettings(settings({ baseUrl: OTHER }))
    expect(moved).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'Some settings need fixing.', fields: { apiKey: [KEY_FOR_THIS_SERVER] } },
    })
    expect(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')).profiles[0].connection).toEqual(HOME)

    expect(await core.handlers.saveContact(DRAFT)).toMatchObject({ ok: true })
    await until(() => sent.length === 1, 'the contact to be sent')
    expect(sent).toEqual([
      {
        origin: HOME.baseUrl,
        authorization: basicAuthorization('key-id', HOME_KEY),
        idempotencyKey: expect.any(String),
      },
    ])
  })

  it('cannot keep the key under another API key ID either', async () => {
    const { core } = await openCore()
    await core.handlers.saveSettings(settings({ apiKey: HOME_KEY }))
    const renamed = await core.handlers.saveSettings(settings({ apiKeyId: 'someone-else' }))
    expect(renamed).toMatchObject({ ok: false, error: { fields: { apiKey: [KEY_FOR_THIS_SERVER] } } })
  })

  it('with a key of its own, gets only that key: contacts saved for the first host stay queued for it', async () => {
    const { core, sent, down } = await openCore()
    await core.handlers.saveSettings(settings({ apiKey: HOME_KEY }))
    down.add(HOME.baseUrl) // the home server is down: the contact waits in the outbox
    const waiting = await core.handlers.saveContact(DRAFT)
    if (!waiting.ok) throw new Error(waiting.error.message)
    await until(() => sent.length === 1, 'the first attempt')

    expect(await core.handlers.saveSettings(settings({ baseUrl: OTHER, apiKey: 'attackers-own' }))).toMatchObject({
      ok: true,
    })
    const fresh = await core.handlers.saveContact(DRAFT)
    if (!fresh.ok) throw new Error(fresh.error.message)
    await until(() => sent.some((request) => request.origin === OTHER), 'the new contact to be sent')
    await core.handlers.sendNow({})
    await new Promise((resolve) => setTimeout(resolve, 100))

    const toOther = sent.filter((request) => request.origin === OTHER)
    expect(toOther).toHaveLength(1)
    expect(toOther[0]).toMatchObject({ authorization: basicAuthorization('key-id', 'attackers-own') })
    expect(toOther[0]!.idempotencyKey).not.toBe(sent[0]!.idempotencyKey)
    expect(sent.filter((request) => request.authorization === basicAuthorization('key-id', HOME_KEY))).toEqual([
      { origin: HOME.baseUrl, authorization: expect.any(String), idempotencyKey: sent[0]!.idempotencyKey },
    ])
    expect(await core.handlers.getOutboxItem({ id: waiting.value.id })).toMatchObject({
      ok: true,
      value: { state: 'queued' },
    })
    expect(core.worker.status()).toMatchObject({ held: 1 })
  })

  it('lets the organization or the path change with a blank key: same server, same key', async () => {
    const { core, sent } = await openCore()
    await core.handlers.saveSettings(settings({ apiKey: HOME_KEY }))
    expect(
      await core.handlers.saveSettings(settings({ baseUrl: 'https://api.example.test/v2/', organizationId: 7 })),
    ).toMatchObject({ ok: true, value: { hasApiKey: true, configured: true } })
    await core.handlers.saveContact(DRAFT)
    await until(() => sent.length === 1, 'the contact to be sent')
    expect(sent[0]).toMatchObject({ origin: HOME.baseUrl, authorization: basicAuthorization('key-id', HOME_KEY) })
  })
})

describe('Credentials', () => {
  async function open(secrets: SecretStore = new MemorySecretStore(), dataDir?: string) {
    const dir = dataDir ?? (await tempFolder())
    return { credentials: new Credentials(new SettingsStore(dir), secrets), dir, secrets }
  }

  it('moves to a new server with its key, and removes the old server’s key from the keychain', async () => {
    const secrets = new MemorySecretStore()
    const { credentials } = await open(secrets)
    await credentials.save(settings({ apiKey: HOME_KEY }))
    const saved = await credentials.save(settings({ baseUrl: OTHER, apiKey: 'other-key' }))
    expect(saved).toMatchObject({ ok: true, view: { hasApiKey: true, configured: true } })

    const connection = await credentials.connection()
    expect(connection).toEqual({
      profile: { ...HOME, baseUrl: OTHER },
      apiKey: 'other-key',
      boundTo: { origin: OTHER, apiKeyId: 'key-id' },
    })
    expect(await secrets.get(apiKeyAccount(DEFAULT_PROFILE_ID, apiKeyBinding(HOME)!))).toBeUndefined()
  })

  it('saves a new server without a key when none is stored, and then has no key for it', async () => {
    const { credentials } = await open()
    await credentials.save(settings())
    expect(await credentials.save(settings({ baseUrl: OTHER }))).toMatchObject({
      ok: true,
      view: { hasApiKey: false, configured: false },
    })
    expect(await credentials.connection()).toBeUndefined()
  })

  it('removes the key of the saved server', async () => {
    const { credentials } = await open()
    await credentials.save(settings({ apiKey: HOME_KEY }))
    expect(await credentials.removeKey()).toMatchObject({ hasApiKey: false, configured: false })
    expect(await credentials.connection()).toBeUndefined()
    // With no key left behind, the server may change without one.
    expect(await credentials.save(settings({ baseUrl: OTHER }))).toMatchObject({ ok: true })
  })
})

describe('upgrading from a release that kept one key per profile', () => {
  /** settings.json and the keychain exactly as the previous release wrote them. */
  async function previousRelease(options: { settingsFile?: object | null } = {}) {
    const dir = await tempFolder()
    const file = options.settingsFile === undefined ? { version: 1, profile: HOME } : options.settingsFile
    if (file) await writeFile(join(dir, 'settings.json'), `${JSON.stringify(file, null, 2)}\n`)
    const secrets = new MemorySecretStore()
    await secrets.set(DEFAULT_PROFILE_ID, HOME_KEY)
    return { dir, secrets }
  }

  it('binds the stored key to the server in the settings file at first read, and keeps sending with it', async () => {
    const { dir, secrets } = await previousRelease()
    const { core, sent } = await openCore({ dataDir: dir, secrets })
    expect(await core.handlers.getSettings(undefined)).toMatchObject({ ok: true, value: { hasApiKey: true } })
    expect(await secrets.get(DEFAULT_PROFILE_ID)).toBeUndefined()
    expect(await secrets.get(apiKeyAccount(DEFAULT_PROFILE_ID, apiKeyBinding(HOME)!))).toBe(HOME_KEY)

    await core.handlers.saveContact(DRAFT)
    await until(() => sent.length === 1, 'the contact to be sent')
    expect(sent[0]).toMatchObject({ origin: HOME.baseUrl, authorization: basicAuthorization('key-id', HOME_KEY) })
    expect(await core.handlers.saveSettings(settings({ baseUrl: OTHER }))).toMatchObject({
      ok: false,
      error: { fields: { apiKey: [KEY_FOR_THIS_SERVER] } },
    })
  })

  it('refuses a new host on the very first save too, before anything else read the key', async () => {
    const { dir, secrets } = await previousRelease()
    const credentials = new Credentials(new SettingsStore(dir), secrets)
    expect(await credentials.save(settings({ baseUrl: OTHER }))).toMatchObject({
      ok: false,
      fields: { apiKey: [KEY_FOR_THIS_SERVER] },
    })
  })

  it.each([
    ['no settings file', null],
    ['a settings file without a profile', { version: 1 }],
  ])('trusts the key to no server with %s, and removes it', async (_, settingsFile) => {
    const { dir, secrets } = await previousRelease({ settingsFile })
    const credentials = new Credentials(new SettingsStore(dir), secrets)
    expect(await credentials.view()).toMatchObject({ hasApiKey: false })
    expect(await secrets.get(DEFAULT_PROFILE_ID)).toBeUndefined()
    await credentials.save(settings({ baseUrl: OTHER }))
    expect(await credentials.connection()).toBeUndefined()
  })

  it('never binds the old key to a host saved while the keychain was locked', async () => {
    const { dir, secrets } = await previousRelease()
    const keychain = new LockableSecretStore(secrets)
    keychain.locked = true
    const credentials = new Credentials(new SettingsStore(dir), keychain)
    // Nothing can be read to refuse it, and nothing can be sent from a locked keychain either.
    expect(await credentials.save(settings({ baseUrl: OTHER }))).toMatchObject({ ok: true })

    keychain.locked = false
    expect(await credentials.connection()).toBeUndefined()
    expect(await secrets.get(DEFAULT_PROFILE_ID)).toBeUndefined()
    expect(
      await secrets.get(apiKeyAccount(DEFAULT_PROFILE_ID, apiKeyBinding({ ...HOME, baseUrl: OTHER })!)),
    ).toBeUndefined()
  })
})

describe('the sender', () => {
  const target = { baseUrl: HOME.baseUrl, organizationId: 42 }
  const bound: Connection = { profile: HOME, apiKey: HOME_KEY, boundTo: apiKeyBinding(HOME)! }

  it('sends to the item’s own server, with the key only when it was entered for that server', () => {
    expect(requestCredentials({ baseUrl: 'https://api.example.test/v2', organizationId: 7 }, bound)).toEqual({
      profile: { baseUrl: 'https://api.example.test/v2', organizationId: 7, apiKeyId: 'key-id' },
      apiKey: HOME_KEY,
    })
    expect(requestCredentials({ baseUrl: OTHER, organizationId: 42 }, bound)).toBeUndefined()
    expect(requestCredentials(target, { ...bound, boundTo: { origin: OTHER, apiKeyId: 'key-id' } })).toBeUndefined()
  })

  it('holds an item whose server has no key, with words, even if the credentials hand over another server’s key', async () => {
    const dir = await tempFolder()
    const store = openOutboxStore({ path: join(dir, 'outbox.sqlite'), flagAfterMs: 7 * 86_400_000 })
    const checked = validateContactDraft(DRAFT)
    if (!checked.ok) throw new Error('bad draft')
    const item = store.enqueue({ draft: DRAFT, request: checked.request, target, profileId: 'default' }, Date.now())
    const calls: unknown[] = []
    // A Credentials gone wrong: the profile says one server, the key was entered for another.
    const lying: Connection = { ...bound, boundTo: { origin: OTHER, apiKeyId: 'key-id' } }
    const worker = new SyncWorker({
      store,
      client: {
        createContact: async (call) => {
          calls.push(call)
          return { kind: 'created', contact: { id: 1, organization_id: 42, full_name: 'Ada Lovelace' } }
        },
      },
      credentials: { connection: async () => lying, profile: async () => HOME },
    })
    worker.start()
    await until(() => (store.get(item.id, Date.now())?.lastError ?? null) !== null, 'the item to be held')
    await worker.stop()

    expect(calls).toEqual([])
    expect(store.get(item.id, Date.now())).toMatchObject({
      state: 'queued',
      lastError: { code: 'no_key_for_server', params: { host: 'api.example.test' } },
    })
    expect(worker.status()).toMatchObject({
      state: 'paused_auth',
      reason: { code: 'no_key_for_server', params: { host: 'api.example.test' } },
    })
    store.close()
  })
})

/** A keychain that can be locked: every call then fails as keytar's does. */
class LockableSecretStore implements SecretStore {
  locked = false
  readonly inner: SecretStore
  constructor(inner: SecretStore) {
    this.inner = inner
  }
  #check(): void {
    if (this.locked) throw new KeychainUnavailableError('The system keychain is locked.')
  }
  async get(account: string) {
    this.#check()
    return this.inner.get(account)
  }
  async set(account: string, secret: string) {
    this.#check()
    return this.inner.set(account, secret)
  }
  async delete(account: string) {
    this.#check()
    return this.inner.delete(account)
  }
}
