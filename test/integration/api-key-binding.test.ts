/**
 * The API key goes only to the server it was entered for, proved with two sandbox APIs on two ports (two
 * origins) over real HTTP: the "other" one stands for a host a compromised renderer points the app at.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { basicAuthorization } from '../../src/main/core/cloverhound-client.ts'
import { KEY_FOR_THIS_SERVER } from '../../src/shared/settings.ts'
import { startSandbox, type Sandbox } from '../../tools/sandbox/sandbox-server.ts'
import {
  connect,
  eventually,
  expectQuiet,
  openHarness,
  save,
  stored,
  untilState,
  useHarnesses,
  value,
  type Harness,
} from './support/outbox-harness.ts'

const OWN_KEY = 'attackers-own-key'
let home: Sandbox
let other: Sandbox
const { track } = useHarnesses(() => home)

beforeEach(async () => {
  home = await startSandbox()
  // The other host accepts the key its owner brings, so what reaches it is plain to see.
  other = await startSandbox({ organizationId: home.organizationId, apiKeyId: home.apiKeyId, apiKey: OWN_KEY })
})

afterEach(async () => {
  await Promise.all([home.close(), other.close()])
})

const homeAuthorization = () => basicAuthorization(home.apiKeyId, home.apiKey)

/** What the hostile renderer sends: the other host, everything else as saved, and (unless given) no key. */
function pointAtOther(harness: Harness, apiKey?: string) {
  return harness.core.handlers.saveSettings({
    baseUrl: other.url,
    organizationId: home.organizationId,
    apiKeyId: home.apiKeyId,
    ...(apiKey === undefined ? {} : { apiKey }),
  })
}

describe('a change of host without a key', () => {
  it('is refused at the API key field; the next contact goes to the home host and the other gets nothing', async () => {
    const harness = track(await openHarness())
    await connect(harness, home)

    expect(await pointAtOther(harness)).toMatchObject({
      ok: false,
      error: { code: 'invalid', fields: { apiKey: [KEY_FOR_THIS_SERVER] } },
    })
    const item = await save(harness)
    await untilState(harness, item.id, 'sent')

    expect(home.requests.map((request) => request.headers.authorization)).toEqual([homeAuthorization()])
    expect(other.requests).toEqual([])
  })

  it('is refused for another port of the same host, which is another origin', async () => {
    const harness = track(await openHarness())
    await connect(harness, home)
    expect(other.url).not.toBe(home.url)
    expect(new URL(other.url).hostname).toBe(new URL(home.url).hostname)
    expect(await pointAtOther(harness)).toMatchObject({
      ok: false,
      error: { fields: { apiKey: [KEY_FOR_THIS_SERVER] } },
    })
    await expectQuiet(other)
  })
})

describe('contacts already in the outbox', () => {
  it('go only to their own host, and only with the key entered for it', async () => {
    const harness = track(await openHarness())
    await connect(harness, home)
    const { port, organizationId, apiKeyId, apiKey } = home
    await home.close()
    const held = [await save(harness), await save(harness)]
    for (const item of held) {
      await eventually(() => stored(harness, item.id).attempts >= 1 && stored(harness, item.id).state === 'queued')
    }

    // The hostile renderer brings its own key for its own host: it gets that key and nothing saved before.
    value(await pointAtOther(harness, OWN_KEY))
    const fresh = await save(harness)
    await untilState(harness, fresh.id, 'sent')
    value(await harness.core.handlers.sendNow({}))
    await expectQuiet(other)
    const heldKeys = held.map((item) => stored(harness, item.id).idempotencyKey)
    expect(other.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      stored(harness, fresh.id).idempotencyKey,
    ])
    expect(other.requests.map((request) => request.headers.authorization)).toEqual([
      basicAuthorization(apiKeyId, OWN_KEY),
    ])
    expect(held.map((item) => stored(harness, item.id).state)).toEqual(['queued', 'queued'])
    expect(harness.core.worker.status()).toMatchObject({ held: 2 })

    // Back home, the key has to be entered again; then the held contacts go there, once each.
    home = await startSandbox({ port, organizationId, apiKeyId, apiKey })
    expect(await harness.core.handlers.saveSettings({ baseUrl: home.url, organizationId, apiKeyId })).toMatchObject({
      ok: false,
      error: { fields: { apiKey: [KEY_FOR_THIS_SERVER] } },
    })
    await connect(harness, home)
    for (const item of held) await untilState(harness, item.id, 'sent')
    expect(home.requests.map((request) => request.headers['idempotency-key']).sort()).toEqual([...heldKeys].sort())
    expect(home.requests.every((request) => request.headers.authorization === homeAuthorization())).toBe(true)
    expect(other.requests.some((request) => request.headers.authorization === homeAuthorization())).toBe(false)
  })
})
