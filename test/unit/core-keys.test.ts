/**
 * The API key stays in main when the core runs elsewhere: KeyVault's handles and where it puts a key
 * back, and connectCore answering a scripted core's questions (what a core could ask that it must not get).
 */
import { describe, expect, it } from 'vitest'
import { basicAuthorization } from '../../src/main/core/cloverhound-client.ts'
import { apiKeyAccount, bindingDigest } from '../../src/main/core/credentials.ts'
import { connectCore } from '../../src/main/core/host/connect-core.ts'
import type { FromCore, MainLine, ToCore } from '../../src/main/core/host/core-messages.ts'
import { KEY_REFUSED, KeyVault } from '../../src/main/core/host/key-vault.ts'
import { silentLogger } from '../../src/main/core/logger.ts'
import { apiKeySchema } from '../../src/shared/settings.ts'
import { MemorySecretStore } from '../../src/main/core/secret-store.ts'

const HOME = { origin: 'https://cloud.cloverhound.example', apiKeyId: 'key-id-1' }
const KEY = 'sk-live-Ää-"quoted"\\-🔑'
const url = (origin: string) => `${origin}/42/contacts`
const auth = (apiKeyId: string, secret: string): Array<[string, string]> => [
  ['content-type', 'application/json'],
  ['authorization', basicAuthorization(apiKeyId, secret)],
]

describe('KeyVault', () => {
  it('hands out a handle that does not contain the key, the same one for the same key and server', () => {
    const vault = new KeyVault()
    const handle = vault.hide(KEY, bindingDigest(HOME))
    expect(handle).not.toContain('sk-live')
    expect(vault.hide(KEY, bindingDigest(HOME))).toBe(handle)
    expect(vault.hide(KEY, bindingDigest({ ...HOME, apiKeyId: 'other' }))).not.toBe(handle)
  })

  it('puts the key back only into a request to the server and key ID it was entered for', () => {
    const vault = new KeyVault()
    const handle = vault.hide(KEY, bindingDigest(HOME))
    expect(vault.authorize(url(HOME.origin), auth(HOME.apiKeyId, handle))).toEqual(auth(HOME.apiKeyId, KEY))
    // Another host, another port, another scheme, another key ID: refused before anything is sent.
    for (const [origin, apiKeyId] of [
      ['https://evil.example', HOME.apiKeyId],
      ['https://cloud.cloverhound.example:8443', HOME.apiKeyId],
      ['http://cloud.cloverhound.example', HOME.apiKeyId],
      [HOME.origin, 'key-id-2'],
    ] as const) {
      expect(() => vault.authorize(url(origin), auth(apiKeyId, handle))).toThrow(KEY_REFUSED)
    }
  })

  it('refuses a handle it never gave, a raw key, a key bound to no server and a header that is not Basic', () => {
    const vault = new KeyVault()
    const legacy = vault.hide('legacy-key', undefined)
    for (const headers of [
      auth(HOME.apiKeyId, 'cloverhound-key:00000000-0000-0000-0000-000000000000'),
      auth(HOME.apiKeyId, KEY),
      auth(HOME.apiKeyId, legacy),
      [['Authorization', 'Bearer something']] as Array<[string, string]>,
    ]) {
      expect(() => vault.authorize(url(HOME.origin), headers)).toThrow(KEY_REFUSED)
    }
    // No Authorization at all: nothing to put back, nothing to refuse.
    expect(vault.authorize(url(HOME.origin), [['accept', 'application/json']])).toEqual([
      ['accept', 'application/json'],
    ])
  })

  it('hides a typed key behind a handle bound to the server typed with it; one the schema refuses crosses as a stand-in', () => {
    const vault = new KeyVault()
    const typed = { baseUrl: `${HOME.origin}/`, organizationId: 42, apiKeyId: HOME.apiKeyId, apiKey: KEY }
    const hidden = vault.hideTypedKey(typed)
    expect(hidden).toEqual({ ...typed, apiKey: expect.stringMatching(/^cloverhound-key:/) })
    expect(vault.held(hidden.apiKey)).toEqual({ key: KEY, digest: bindingDigest(HOME) })
    // Typed with a server that is not one: no request takes it.
    const nowhere = vault.hideTypedKey({ ...typed, baseUrl: 'not a url' }).apiKey
    expect(() => vault.authorize(url(HOME.origin), auth(HOME.apiKeyId, nowhere))).toThrow(KEY_REFUSED)
    for (const apiKey of [undefined, '', '   '])
      expect(vault.hideTypedKey({ ...typed, apiKey })).toEqual({ ...typed, apiKey })
    // Refused for the same reason, with the same words, and nothing of the typed key in it.
    for (const apiKey of [`${KEY}\u0007`, `${KEY}${'y'.repeat(5_000)}`]) {
      const standIn = vault.hideTypedKey({ ...typed, apiKey }).apiKey ?? ''
      expect(standIn).not.toContain('sk-live')
      expect(apiKeySchema.safeParse(standIn).error?.issues[0]?.message).toBe(
        apiKeySchema.safeParse(apiKey).error?.issues[0]?.message,
      )
    }
  })

  it('scrubs every key it holds out of text', () => {
    const vault = new KeyVault()
    vault.hide(KEY, bindingDigest(HOME))
    expect(vault.scrub(`pasted ${KEY} into a description`)).toBe('pasted [REDACTED] into a description')
  })
})

/** connectCore over a line whose far end is this test, playing the core. */
function scriptedCore() {
  const heard: ToCore[] = []
  let toMain: (message: FromCore) => void = () => {}
  const line: MainLine = {
    post: (message) => void heard.push(message),
    listen: (listener) => void (toMain = listener),
    onGone: () => {},
    end: () => {},
  }
  const secrets = new MemorySecretStore()
  const started = connectCore(line, {
    core: { dataDir: '/nowhere' },
    secrets,
    fetch: () => Promise.reject(new Error('no network here')),
    emit: () => {},
    logger: silentLogger,
  })
  toMain({ kind: 'ready' })
  const ask = async (id: number, request: Extract<FromCore, { kind: 'secret' }>['request']) => {
    toMain({ kind: 'secret', id, request })
    await new Promise((resolve) => setTimeout(resolve, 0))
    return heard.find(
      (message): message is Extract<ToCore, { kind: 'secret-answer' }> =>
        message.kind === 'secret-answer' && message.id === id,
    )
  }
  const answer = (id: number, result: unknown) => toMain({ kind: 'result', id, result } as FromCore)
  return { started, secrets, ask, heard, answer }
}

describe('connectCore answering a core’s questions for keys', () => {
  const account = apiKeyAccount('default', HOME)

  it('answers a read with a handle, never the key', async () => {
    const { started, secrets, ask } = scriptedCore()
    await started
    await secrets.set(account, KEY)
    const answer = await ask(1, { op: 'get', account })
    expect(answer?.value).toMatch(/^cloverhound-key:/)
    expect(JSON.stringify(answer)).not.toContain('sk-live')
  })

  it('stores a handle’s key under its own server’s account, and refuses another server’s or a key it never gave', async () => {
    const { started, secrets, ask } = scriptedCore()
    await started
    await secrets.set('default', KEY)
    // A key from before binding: the core moves it to the account it now belongs to.
    const legacy = (await ask(1, { op: 'get', account: 'default' }))?.value as string
    expect(await ask(2, { op: 'set', account, secret: legacy })).toEqual(
      expect.not.objectContaining({ error: expect.anything() }),
    )
    expect(await secrets.get(account)).toBe(KEY)

    const bound = (await ask(3, { op: 'get', account }))?.value as string
    const elsewhere = apiKeyAccount('default', { origin: 'https://evil.example', apiKeyId: HOME.apiKeyId })
    expect((await ask(4, { op: 'set', account: elsewhere, secret: bound }))?.error?.message).toMatch(/another server/)
    expect((await ask(5, { op: 'set', account, secret: 'a key typed in the core' }))?.error?.message).toMatch(
      /did not give it/,
    )
    expect(await secrets.get(elsewhere)).toBeUndefined()
  })

  it('scrubs its keys out of a diagnostics report, whatever brought one into the core (a server echoing it, say)', async () => {
    const { started, secrets, ask, heard, answer } = scriptedCore()
    const core = await started
    await secrets.set(account, KEY)
    await ask(1, { op: 'get', account })
    const reporting = core.handlers.getDiagnostics(undefined)
    const asked = heard.find((message) => message.kind === 'command' && message.name === 'getDiagnostics')
    answer((asked as { id: number }).id, { ok: true, value: { text: `401: bad key ${KEY}`, report: { note: [KEY] } } })
    expect(await reporting).toEqual({
      ok: true,
      value: { text: '401: bad key [REDACTED]', report: { note: ['[REDACTED]'] } },
    })
  })
})
