import { randomUUID } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppCore } from '../../src/main/core/app-core.ts'
import { APP_ID } from '../../src/main/core/app-id.ts'
import { KeytarSecretStore } from '../../src/main/core/keytar-secret-store.ts'
import { KeychainUnavailableError } from '../../src/main/core/secret-store.ts'
import { silentLogger } from '../../src/main/core/logger.ts'

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
    expect(await new KeytarSecretStore(service).get('default')).toBe(secret)

    const removed = await core.handlers.removeApiKey(undefined)
    results.push(removed, await core.handlers.getSettings(undefined))
    expect(removed).toMatchObject({ ok: true, value: { hasApiKey: false, configured: false } })
    expect(await new KeytarSecretStore(service).get('default')).toBeUndefined()

    expect(JSON.stringify(results)).not.toContain(secret)
    await core.close()
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
