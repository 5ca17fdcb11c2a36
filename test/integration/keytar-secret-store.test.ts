import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppCore } from '../../src/main/core/app-core.ts'
import { APP_ID } from '../../src/main/core/app-id.ts'
import { basicAuthorization } from '../../src/main/core/cloverhound-client.ts'
import { apiKeyAccount, DEFAULT_PROFILE_ID } from '../../src/main/core/credentials.ts'
import { KeytarSecretStore } from '../../src/main/core/keytar-secret-store.ts'
import { KeychainUnavailableError } from '../../src/main/core/secret-store.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { apiKeyBinding, KEY_FOR_THIS_SERVER } from '../../src/shared/settings.ts'
import { startSandbox } from '../../tools/sandbox/sandbox-server.ts'
import { openHarness, removeDir, save, untilState, value } from './support/outbox-harness.ts'

// Only inside the throwaway keyring that scripts/with-keyring.ts starts (Linux, CI).
const privateKeyring = process.env.CLOVERHOUND_TEST_KEYRING === 'private' && process.platform === 'linux'

describe.skipIf(!privateKeyring)('the real OS keychain (private D-Bus session)', () => {
  const service = `${APP_ID}.test.${randomUUID()}`

  it('stores, reads back and deletes a key through keytar', async () => {
    const store = new KeytarSecretStore(service)
    expect(await store.get('default')).toBeUndefined()
    await store.set('default', 'sk-live-ÄÖ-🔑')
    expect(await store.get('default')).toBe('sk-live-ÄÖ-🔑')
    await store.delete('default')
    expect(await store.get('default')).toBeUndefined()
  })

  it('sets, reports and clears a key through the bridge commands without ever returning it', async () => {
    const secret = `secret-${randomUUID()}`
    const core = await createAppCore({
      dataDir: mkdtempSync(join(tmpdir(), 'cloverhound-settings-')),
      secrets: new KeytarSecretStore(service),
      fetch: () => Promise.reject(new Error('no network in this test')),
      emit: () => {},
      logger: silentLogger,
    })
    const results: unknown[] = []
    const before = await core.handlers.getSettings(undefined)
    results.push(before)
    expect(before).toMatchObject({ ok: true, value: { hasApiKey: false, keychain: { available: true } } })

    const saved = await core.handlers.saveSettings({
      baseUrl: 'https://cloud-staging.cloverhound.com/',
      organizationId: '42',
      apiKeyId: 'key-id',
      apiKey: secret,
    })
    results.push(saved)
    expect(saved).toMatchObject({ ok: true, value: { hasApiKey: true, configured: true } })
    const account = apiKeyAccount(DEFAULT_PROFILE_ID, {
      origin: 'https://cloud-staging.cloverhound.com',
      apiKeyId: 'key-id',
    })
    expect(await new KeytarSecretStore(service).get(account)).toBe(secret)
    expect(await new KeytarSecretStore(service).get(DEFAULT_PROFILE_ID)).toBeUndefined()

    // The stored key does not follow a new host: the keychain entry stays as it was.
    const moved = await core.handlers.saveSettings({
      baseUrl: 'https://collector.example.net',
      organizationId: '42',
      apiKeyId: 'key-id',
    })
    results.push(moved)
    expect(moved).toMatchObject({ ok: false, error: { fields: { apiKey: [KEY_FOR_THIS_SERVER] } } })
    expect(await new KeytarSecretStore(service).get(account)).toBe(secret)

    const removed = await core.handlers.removeApiKey(undefined)
    results.push(removed, await core.handlers.getSettings(undefined))
    expect(removed).toMatchObject({ ok: true, value: { hasApiKey: false, configured: false } })
    expect(await new KeytarSecretStore(service).get(account)).toBeUndefined()

    expect(JSON.stringify(results)).not.toContain(secret)
    await core.close()
  })

  it('keeps a key stored by the previous release working after the upgrade, bound to its server', async () => {
    const sandbox = await startSandbox()
    const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-upgrade-'))
    const legacyService = `${APP_ID}.test.${randomUUID()}`
    try {
      // What the previous release left: settings.json (version 1, no binding) and the key under the profile id.
      const profile = { baseUrl: sandbox.url, organizationId: sandbox.organizationId, apiKeyId: sandbox.apiKeyId }
      writeFileSync(join(dataDir, 'settings.json'), `${JSON.stringify({ version: 1, profile }, null, 2)}\n`)
      await new KeytarSecretStore(legacyService).set(DEFAULT_PROFILE_ID, sandbox.apiKey)

      const harness = await openHarness({ dataDir, secrets: new KeytarSecretStore(legacyService) })
      const { core } = harness
      try {
        expect(value(await core.handlers.getSettings(undefined))).toMatchObject({ hasApiKey: true, configured: true })
        const item = await save(harness)
        await untilState(harness, item.id, 'sent')
        expect(sandbox.requests.map((request) => request.headers.authorization)).toEqual([
          basicAuthorization(sandbox.apiKeyId, sandbox.apiKey),
        ])

        const keychain = new KeytarSecretStore(legacyService)
        expect(await keychain.get(DEFAULT_PROFILE_ID)).toBeUndefined()
        expect(await keychain.get(apiKeyAccount(DEFAULT_PROFILE_ID, apiKeyBinding(profile)!))).toBe(sandbox.apiKey)
        expect(
          await core.handlers.saveSettings({ ...profile, baseUrl: 'https://collector.example.net' }),
        ).toMatchObject({ ok: false, error: { fields: { apiKey: [KEY_FOR_THIS_SERVER] } } })
        expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).profile).toEqual(profile)
        await core.handlers.removeApiKey(undefined)
      } finally {
        await core.close()
      }
    } finally {
      await sandbox.close()
      await removeDir(dataDir)
    }
  })
})

describe('a machine without a keychain', () => {
  it('turns a keytar that cannot load into a message the user can act on', async () => {
    const store = new KeytarSecretStore(`${APP_ID}.test`, () =>
      Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    )
    const failure = await store.get('default').catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(KeychainUnavailableError)
    expect((failure as Error).message).toMatch(/keyring|keychain/i)
    expect((failure as Error).message).not.toContain('X11')
  })

  it('reports the keychain as unavailable in settings instead of failing', async () => {
    const core = await createAppCore({
      dataDir: mkdtempSync(join(tmpdir(), 'cloverhound-settings-')),
      secrets: new KeytarSecretStore('x', () => Promise.reject(new Error('no Secret Service'))),
      fetch: () => Promise.reject(new Error('unused')),
      emit: () => {},
      logger: silentLogger,
    })
    const view = await core.handlers.getSettings(undefined)
    expect(view).toMatchObject({ ok: true, value: { hasApiKey: false, keychain: { available: false } } })
    const saved = await core.handlers.saveSettings({
      baseUrl: 'https://cloud-staging.cloverhound.com',
      organizationId: 42,
      apiKeyId: 'id',
      apiKey: 'k',
    })
    expect(saved).toMatchObject({ ok: false, error: { code: 'keychain_unavailable' } })
    await core.close()
  })
})
