/**
 * `node --experimental-strip-types scripts/make-single-connection-fixture.ts <out-dir>`, run from a checkout of the
 * single-connection release (before profiles): writes the settings.json and outbox.sqlite that release makes
 * when one contact is sent to a sandbox on port 47999 and one waits (the sandbox is closed by then), plus
 * keychain.json: the keychain accounts that release wrote (a throwaway sandbox key). The files in
 * test/integration/fixtures/single-connection were made this way.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createAppCore } from '../src/main/core/app-core.ts'
import { MemorySecretStore } from '../src/main/core/secret-store.ts'
import { silentLogger } from '../src/main/core/logger.ts'
import { startSandbox } from '../tools/sandbox/sandbox-server.ts'

const out = resolve(process.argv[2] ?? 'fixture-out')
const dataDir = mkdtempSync(join(tmpdir(), 'cloverhound-fixture-'))
const sandbox = await startSandbox({
  port: 47999,
  organizationId: 42,
  apiKeyId: 'fixture-key-id',
  apiKey: 'fixture-key',
})
/** Remembers every account written, to hand the keychain's content to the fixture. */
class RecordingSecretStore extends MemorySecretStore {
  readonly written = new Map<string, string>()
  override async set(account: string, secret: string): Promise<void> {
    this.written.set(account, secret)
    await super.set(account, secret)
  }
}
const secrets = new RecordingSecretStore()
const core = await createAppCore({
  dataDir,
  secrets,
  fetch,
  emit: () => {},
  logger: silentLogger,
})
const saved = await core.handlers.saveSettings({
  baseUrl: sandbox.url,
  organizationId: 42,
  apiKeyId: 'fixture-key-id',
  apiKey: 'fixture-key',
  deduplicatesRetries: true,
  flagAfterDays: 3,
  keepHistoryDays: 90,
})
if (!saved.ok) throw new Error(JSON.stringify(saved.error))
const draft = (name: string) => ({
  fullName: name,
  email: `${name.split(' ')[0]!.toLowerCase()}@example.test`,
  description: '',
  phones: [],
})
const save = async (name: string) => {
  const item = await core.handlers.saveContact(draft(name))
  if (!item.ok) throw new Error(JSON.stringify(item.error))
}
await save('Ada Sent')
while (sandbox.contacts.length === 0) await new Promise((done) => setTimeout(done, 50))
await new Promise((done) => setTimeout(done, 200))
await sandbox.close()
await save('Grace Waiting')
await new Promise((done) => setTimeout(done, 500))
await core.close()
writeFileSync(join(out, 'keychain.json'), `${JSON.stringify(Object.fromEntries(secrets.written), null, 2)}\n`)
copyFileSync(join(dataDir, 'settings.json'), join(out, 'settings.json'))
copyFileSync(join(dataDir, 'outbox.sqlite'), join(out, 'outbox.sqlite'))
rmSync(dataDir, { recursive: true, force: true })
console.log(`wrote ${out}/settings.json and outbox.sqlite`)
