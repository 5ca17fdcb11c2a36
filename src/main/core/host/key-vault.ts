import { randomUUID } from 'node:crypto'
import { LIMITS } from '../../../shared/limits.ts'
import { apiKeyBinding, apiKeySchema } from '../../../shared/settings.ts'
import { basicAuthorization } from '../cloverhound-client.ts'
import { bindingDigest } from '../credentials.ts'
import { REDACTED } from '../redact.ts'

const HANDLE_PREFIX = 'cloverhound-key:'
/** A digest no server and no keychain account has (those are 64 hex digits). */
const NO_SERVER = 'no-server'

/** Chromium's name for a request the client itself blocked: the network's classification reads it as "not sent". */
export const KEY_REFUSED = 'net::ERR_BLOCKED_BY_CLIENT'

interface HeldKey {
  key: string
  /** bindingDigest of the server and key ID the key was entered for; undefined: none (a key from before binding). */
  digest: string | undefined
}

/**
 * Main's keys, held back from a core that runs in another process: the core gets a handle in place of
 * each key (from the keychain, or typed into Settings), and main puts the key back only into the
 * Authorization header of a request to the server and key ID it was entered for, or into the keychain.
 */
export class KeyVault {
  readonly #byHandle = new Map<string, HeldKey>()
  readonly #handleOf = new Map<string, string>()

  /** The handle that stands for `key` (the same one each time for the same key and binding). */
  hide(key: string, digest: string | undefined): string {
    const id = `${digest ?? ''}\n${key}`
    let handle = this.#handleOf.get(id)
    if (!handle) {
      handle = `${HANDLE_PREFIX}${randomUUID()}`
      this.#handleOf.set(id, handle)
      this.#byHandle.set(handle, { key, digest })
    }
    return handle
  }

  held(handle: string): HeldKey | undefined {
    return this.#byHandle.get(handle)
  }

  /** Every key handed out as a handle this run: what main scrubs from anything the core reports. */
  keys(): string[] {
    return [...this.#byHandle.values()].map(({ key }) => key)
  }

  /**
   * Settings' input with its typed key replaced by a handle bound to the server and key ID typed with it.
   * A key the schema refuses crosses as a stand-in the schema refuses for the same reason, so the core
   * says why in its own words without seeing it.
   */
  hideTypedKey<T extends { baseUrl: string; apiKeyId: string; apiKey?: string }>(input: T): T {
    const { apiKey } = input
    // Blank keeps the stored key; all blanks is no secret either.
    if (!apiKey || apiKey.trim() === '') return input
    if (!apiKeySchema.safeParse(apiKey).success) return { ...input, apiKey: refusedStandIn(apiKey) }
    const binding = apiKeyBinding(input)
    // Typed with no valid server, it belongs to none: no request and no keychain account will take it.
    return { ...input, apiKey: this.hide(apiKey, binding ? bindingDigest(binding) : NO_SERVER) }
  }

  /**
   * A request's headers with the key back in its Authorization, when the handle there is one of ours and
   * was entered for this request's server and key ID. Anything else is refused before it is sent.
   */
  authorize(url: string, headers: Array<[string, string]>): Array<[string, string]> {
    const index = headers.findIndex(([name]) => name.toLowerCase() === 'authorization')
    if (index === -1) return headers
    const basic = parseBasic(headers[index]![1])
    const held = basic && this.#byHandle.get(basic.password)
    const digest = basic && bindingDigest({ origin: new URL(url).origin, apiKeyId: basic.user })
    if (!held || held.digest === undefined || held.digest !== digest) throw new Error(KEY_REFUSED)
    const authorized = [...headers]
    authorized[index] = [headers[index]![0], basicAuthorization(basic.user, held.key)]
    return authorized
  }

  /** `text` with every key this vault holds replaced. */
  scrub(text: string): string {
    return this.keys().reduce((scrubbed, key) => scrubbed.split(key).join(REDACTED), text)
  }
}

/** A value apiKeySchema refuses as it refuses `key`: too long, or with a control character. */
function refusedStandIn(key: string): string {
  return key.length > LIMITS.apiKey ? 'x'.repeat(LIMITS.apiKey + 1) : '\u0007'
}

function parseBasic(header: string): { user: string; password: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header)
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon === -1 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}
