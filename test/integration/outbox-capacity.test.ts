/**
 * The cap on contacts waiting to be sent, through the real core and a real outbox file: a page
 * that saves in a loop fills it up to MAX_WAITING_ITEMS and no further, with words for the user.
 */
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { createAppCore, OUTBOX_FILE_NAME, type AppCore } from '../../src/main/core/app-core.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { MAX_WAITING_ITEMS, OUTBOX_FULL_MESSAGE } from '../../src/main/core/outbox/outbox-capacity.ts'
import { openOutboxStore } from '../../src/main/core/outbox/sqlite-outbox-store.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'
import { DAY_MS, T0, TARGET, draftFor, requestFor, tempFolder } from './support/outbox-store-fixtures.ts'

let core: AppCore | undefined

// Runs before the fixtures' own clean-up (hooks unwind in reverse), which removes the folder.
afterEach(async () => {
  await core?.close()
  core = undefined
})

/** `count` items in `state`, written in one statement: 50,000 durable saves one by one would take minutes. */
function fill(path: string, state: 'needs_fix' | 'sent', count: number): void {
  const db = new DatabaseSync(path)
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
     INSERT INTO outbox_items (id, idempotency_key, profile_id, target_base_url, target_organization_id, state,
       draft_json, request_json, created_at, updated_at)
     SELECT :state || '-' || i, :state || '-key-' || i, 'default', :baseUrl, :organizationId, :state,
       :draft, :request, :at, :at FROM n`,
  ).run({
    count,
    state,
    baseUrl: TARGET.baseUrl,
    organizationId: TARGET.organizationId,
    draft: JSON.stringify(draftFor('Filler')),
    request: JSON.stringify(requestFor('Filler')),
    at: T0,
  })
  db.close()
}

async function coreWith(waiting: number, sent = 0): Promise<AppCore> {
  const dataDir = tempFolder()
  const path = join(dataDir, OUTBOX_FILE_NAME)
  openOutboxStore({ path, flagAfterMs: 7 * DAY_MS }).close()
  fill(path, 'needs_fix', waiting)
  if (sent > 0) fill(path, 'sent', sent)
  core = await createAppCore({
    dataDir,
    secrets: new MemorySecretStore(),
    // Offline: what is saved stays waiting.
    fetch: async () => {
      throw new TypeError('fetch failed')
    },
    emit: () => {},
    logger: silentLogger,
    keepSentMs: 10_000 * DAY_MS,
  })
  const saved = await core.handlers.saveSettings({
    baseUrl: TARGET.baseUrl,
    organizationId: TARGET.organizationId,
    apiKeyId: 'key-id',
    apiKey: 'key',
  })
  expect(saved.ok).toBe(true)
  return core
}

describe('the outbox cap', () => {
  it(`saves up to ${MAX_WAITING_ITEMS.toLocaleString('en')} waiting contacts, then refuses with words`, async () => {
    const { handlers } = await coreWith(MAX_WAITING_ITEMS - 1)
    const last = await handlers.saveContact(draftFor('Ada Lovelace'))
    expect(last.ok).toBe(true)
    const refused = await handlers.saveContact(draftFor('Grace Hopper'))
    expect(refused).toEqual({ ok: false, error: { code: 'storage', message: OUTBOX_FULL_MESSAGE } })
    expect(OUTBOX_FULL_MESSAGE).toContain('50,000')
    const all = await handlers.listOutbox({ filter: 'waiting', limit: 1 })
    expect(all.ok && all.value.total).toBe(MAX_WAITING_ITEMS)
  })

  it('counts only what waits: sent history does not fill it, and discarding one makes room', async () => {
    const { handlers } = await coreWith(MAX_WAITING_ITEMS, 1_000)
    expect((await handlers.saveContact(draftFor('Ada Lovelace'))).ok).toBe(false)
    expect((await handlers.discardOutboxItem({ id: 'needs_fix-1' })).ok).toBe(true)
    expect((await handlers.saveContact(draftFor('Ada Lovelace'))).ok).toBe(true)
  })
})
