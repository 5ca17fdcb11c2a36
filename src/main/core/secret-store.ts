import type { KeyStorage } from '../../shared/settings.ts'

/**
 * Where API keys live. The only implementation that touches disk is the OS keychain;
 * nothing here ever logs or returns a key except `get`, which only the API client calls.
 */
export interface SecretStore {
  /** Where the secrets live; a store that does not say is the OS keychain. */
  readonly storage?: KeyStorage
  get(account: string): Promise<string | undefined>
  set(account: string, secret: string): Promise<void>
  delete(account: string): Promise<void>
}

/** Thrown by a store that cannot reach a keychain at all; `message` tells the user what to do. */
export class KeychainUnavailableError extends Error {
  override readonly name = 'KeychainUnavailableError'
}

/** For tests and the web preview's `--in-memory-secrets`: forgets everything on exit. */
export class MemorySecretStore implements SecretStore {
  readonly storage = 'memory'
  readonly #secrets = new Map<string, string>()

  async get(account: string): Promise<string | undefined> {
    return this.#secrets.get(account)
  }

  async set(account: string, secret: string): Promise<void> {
    this.#secrets.set(account, secret)
  }

  async delete(account: string): Promise<void> {
    this.#secrets.delete(account)
  }
}
