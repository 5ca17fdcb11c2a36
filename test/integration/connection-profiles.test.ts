/**
 * Connection profiles through the real core: settings.json and outbox.sqlite on disk, the sync worker and the
 * sandbox over real HTTP with two organizations, each with its own key. Each profile's contacts go to its own
 * organization with its own key; a refused key pauses only its profile; the files of the single-connection
 * release (test/integration/fixtures/single-connection, made by scripts/make-single-connection-fixture.ts on that
 * release) become a first profile with nothing lost, the key still found in the same keychain account.
 */
import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiKeyAccount } from '../../src/main/core/credentials.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import type { SettingsView } from '../../src/shared/settings.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import {
  eventually,
  openHarness,
  save,
  tempDataDir,
  untilState,
  useHarnesses,
  value,
  type Harness,
} from './support/outbox-harness.ts'

const FIXTURE = join(import.meta.dirname, 'fixtures', 'single-connection')
const STAGING_ORG = 77

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ organizations: [{ organizationId: STAGING_ORG }] })
})
afterAll(async () => {
  await sandbox.close()
})
const { track } = useHarnesses(() => sandbox)
const staging = () => sandbox.organizations[1]!

async function setUp(harness: Harness, org: { organizationId: number; apiKeyId: string }, apiKey: string) {
  return value(
    await harness.core.handlers.saveSettings({
      baseUrl: sandbox.url,
      organizationId: org.organizationId,
      apiKeyId: org.apiKeyId,
      apiKey,
    }),
  )
}

/** Production (the sandbox's first organization) active, staging created beside it; returns their ids. */
async function twoProfiles(harness: Harness, stagingKey = staging().apiKey) {
  await setUp(harness, sandbox.organizations[0]!, sandbox.apiKey)
  value(await harness.core.handlers.manageProfile({ action: 'rename', id: 'default', name: 'Acme — production' }))
  const created = value(await harness.core.handlers.manageProfile({ action: 'create', name: 'Acme — staging' }))
  const stagingId = created.activeProfileId
  await setUp(harness, staging(), stagingKey)
  return { productionId: 'default', stagingId }
}

const basic = (id: string, key: string) => `Basic ${Buffer.from(`${id}:${key}`).toString('base64')}`

describe('two profiles for two organizations', () => {
  it('sends each contact to its own profile’s organization with that profile’s key', async () => {
    sandbox.reset()
    const harness = track(await openHarness())
    const { productionId, stagingId } = await twoProfiles(harness)
    const toStaging = await save(harness, { fullName: 'Stella Staging' })
    value(await harness.core.handlers.switchProfile({ id: productionId }))
    const toProduction = await save(harness, { fullName: 'Percy Production' })
    await untilState(harness, toStaging.id, 'sent')
    await untilState(harness, toProduction.id, 'sent')

    expect(harness.core.outbox.get(toStaging.id, Date.now())?.profileId).toBe(stagingId)
    expect(harness.core.outbox.get(toProduction.id, Date.now())?.profileId).toBe(productionId)
    const byName = (name: string) => sandbox.contacts.find((c) => c.full_name === name)
    expect(byName('Stella Staging')?.organization_id).toBe(STAGING_ORG)
    expect(byName('Percy Production')?.organization_id).toBe(sandbox.organizationId)
    const created = sandbox.requests.filter((r) => r.status === 201)
    expect(created.map((r) => [r.path, r.headers.authorization]).sort()).toEqual(
      [
        [`/${sandbox.organizationId}/contacts`, basic(sandbox.apiKeyId, sandbox.apiKey)],
        [`/${STAGING_ORG}/contacts`, basic(staging().apiKeyId, staging().apiKey)],
      ].sort(),
    )
  })

  it('a refused key pauses only its profile: the other keeps sending, and the status counts the stopped one', async () => {
    sandbox.reset()
    const harness = track(await openHarness())
    const { productionId, stagingId } = await twoProfiles(harness, 'not-the-staging-key')
    const refused = await save(harness, { fullName: 'Stella Refused' })
    await eventually(() => harness.core.worker.status().state === 'paused_auth', 10_000, 'staging to pause')
    value(await harness.core.handlers.switchProfile({ id: productionId }))
    const first = await save(harness, { fullName: 'Percy One' })
    const second = await save(harness, { fullName: 'Percy Two' })
    await untilState(harness, first.id, 'sent')
    await untilState(harness, second.id, 'sent')

    expect(harness.core.outbox.get(refused.id, Date.now())?.state).toBe('queued')
    expect(sandbox.requests.filter((r) => r.status === 401)).toHaveLength(1)
    const status = await eventually(() => {
      const now = harness.core.worker.status()
      return now.otherProfilesStopped === 1 ? now : undefined
    })
    expect(status).toMatchObject({ state: 'running', otherProfilesStopped: 1 })

    value(await harness.core.handlers.switchProfile({ id: stagingId }))
    await eventually(() => harness.core.worker.status().state === 'paused_auth', 10_000, 'staging paused when active')
    // The right key for staging resumes it, and only its contact goes to its organization.
    await setUp(harness, staging(), staging().apiKey)
    await untilState(harness, refused.id, 'sent')
    expect(sandbox.contacts.find((c) => c.full_name === 'Stella Refused')?.organization_id).toBe(STAGING_ORG)
  })

  it('keeps what the server said about each profile across switches: Settings shows the active one’s', async () => {
    sandbox.reset()
    const harness = track(await openHarness())
    const { productionId, stagingId } = await twoProfiles(harness, 'not-the-staging-key')
    await save(harness, { fullName: 'Stella Refused' })
    await eventually(() => harness.core.worker.status().connection?.refused === 'key', 10_000, 'staging refused')
    value(await harness.core.handlers.switchProfile({ id: productionId }))
    const sent = await save(harness, { fullName: 'Percy Sent' })
    await untilState(harness, sent.id, 'sent')
    const production = await eventually(() => harness.core.worker.status().connection?.lastSuccessAt ?? undefined)

    value(await harness.core.handlers.switchProfile({ id: stagingId }))
    await eventually(() => harness.core.worker.status().connection?.refused === 'key', 10_000, 'staging’s refusal back')
    expect(harness.core.worker.status().connection?.lastSuccessAt).toBeNull()
    value(await harness.core.handlers.switchProfile({ id: productionId }))
    await eventually(
      () => harness.core.worker.status().connection?.lastSuccessAt === production,
      10_000,
      'production’s line back',
    )
    expect(harness.core.worker.status().connection?.refused).toBeNull()
  })
})

describe('managing profiles', () => {
  it('duplicates the connection without the key, keeps names unique, and refuses a delete while contacts wait', async () => {
    sandbox.reset()
    const harness = track(await openHarness())
    const { stagingId } = await twoProfiles(harness, 'not-the-staging-key')
    const copy = value(
      await harness.core.handlers.manageProfile({ action: 'duplicate', id: stagingId, name: 'Acme — staging 2' }),
    )
    expect(copy.profile).toMatchObject({ organizationId: STAGING_ORG, apiKeyId: staging().apiKeyId })
    expect(copy.hasApiKey).toBe(false)

    const taken = await harness.core.handlers.manageProfile({
      action: 'rename',
      id: stagingId,
      name: ' acme — PRODUCTION ',
    })
    expect(taken).toMatchObject({
      ok: false,
      error: { fields: { name: [expect.stringContaining('Another profile')] } },
    })
    const blank = await harness.core.handlers.manageProfile({ action: 'create', name: '   ' })
    expect(blank).toMatchObject({ ok: false, error: { fields: { name: [expect.stringContaining('name')] } } })

    value(await harness.core.handlers.switchProfile({ id: stagingId }))
    const waiting = await save(harness, { fullName: 'Stella Waiting' })
    await eventually(() => harness.core.worker.status().state === 'paused_auth', 10_000, 'staging to pause')
    const refused = await harness.core.handlers.manageProfile({ action: 'delete', id: stagingId })
    expect(refused).toMatchObject({
      ok: false,
      error: { fields: { moveTo: [expect.stringContaining('1 contact saved under “Acme — staging”')] } },
    })

    // Moved to production, it goes to production's organization with production's key, and staging's key is gone.
    const after = value(
      await harness.core.handlers.manageProfile({ action: 'delete', id: stagingId, moveTo: 'default' }),
    )
    expect(after.profiles.map((p) => p.name)).toEqual(['Acme — production', 'Acme — staging 2'])
    expect(after.activeProfileId).toBe('default')
    await untilState(harness, waiting.id, 'sent')
    const sent = sandbox.requests.find((r) => r.status === 201)!
    expect(sent.path).toBe(`/${sandbox.organizationId}/contacts`)
    expect(sent.apiKeyId).toBe(sandbox.apiKeyId)
    const account = apiKeyAccount(stagingId, { origin: sandbox.url, apiKeyId: staging().apiKeyId })
    expect(await harness.secrets.get(account)).toBeUndefined()
  })
})

describe('the single-connection release’s files', () => {
  it('become the first profile with nothing lost, and its waiting contact goes with the key it saved', async () => {
    const fixtureSettings = JSON.parse(await readFile(join(FIXTURE, 'settings.json'), 'utf8'))
    const keychain = JSON.parse(await readFile(join(FIXTURE, 'keychain.json'), 'utf8')) as Record<string, string>
    const old = fixtureSettings.profile
    // The release saved its connection for a sandbox on this port, with this key.
    const release = await startSandbox({
      port: new URL(old.baseUrl).port ? Number(new URL(old.baseUrl).port) : 0,
      organizationId: old.organizationId,
      apiKeyId: old.apiKeyId,
      apiKey: Object.values(keychain)[0]!,
    })
    try {
      const dataDir = await tempDataDir()
      await copyFile(join(FIXTURE, 'settings.json'), join(dataDir, 'settings.json'))
      await copyFile(join(FIXTURE, 'outbox.sqlite'), join(dataDir, 'outbox.sqlite'))
      const secrets = new MemorySecretStore()
      for (const [account, secret] of Object.entries(keychain)) await secrets.set(account, secret)
      const harness = track(await openHarness({ dataDir, secrets }))

      const view: SettingsView = value(await harness.core.handlers.getSettings(undefined))
      expect(view).toMatchObject({
        activeProfileId: 'default',
        profiles: [{ id: 'default', name: 'Organization 42', organizationId: 42, host: new URL(old.baseUrl).host }],
        profile: { ...old },
        configured: true,
        hasApiKey: true,
        retention: fixtureSettings.retention,
      })
      const page = value(await harness.core.handlers.listOutbox({ filter: 'all', limit: 10 }))
      expect(page.items.map((i) => [i.draft.fullName, i.state]).sort()).toEqual([
        ['Ada Sent', 'sent'],
        ['Grace Waiting', expect.stringMatching(/queued|sending|sent/)],
      ])
      const grace = page.items.find((i) => i.draft.fullName === 'Grace Waiting')!
      await untilState(harness, grace.id, 'sent')
      expect(release.requests.at(-1)?.headers.authorization).toBe(basic(old.apiKeyId, Object.values(keychain)[0]!))
      // The same keychain account holds the key: nothing was moved or copied.
      expect(Object.keys(keychain)).toEqual([
        apiKeyAccount('default', { origin: new URL(old.baseUrl).origin, apiKeyId: old.apiKeyId }),
      ])

      // The next save writes version 2 with the same connection and windows.
      value(await harness.core.handlers.manageProfile({ action: 'rename', id: 'default', name: 'Acme' }))
      const written = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8'))
      expect(written).toEqual({
        version: 2,
        profiles: [{ id: 'default', name: 'Acme', connection: old }],
        activeProfileId: 'default',
        retention: fixtureSettings.retention,
        apiKeyBound: true,
      })
    } finally {
      await release.close()
    }
  })
})
