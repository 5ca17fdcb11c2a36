import type * as KeytarModule from 'keytar'
import { KeychainUnavailableError, type SecretStore } from './secret-store.ts'

type Keytar = typeof KeytarModule

/** What a Linux user installs for a keyring; the README gives the same command. */
export const LINUX_KEYRING_INSTALL = 'sudo apt install gnome-keyring libsecret-1-0'

const LINUX_HELP =
  'No keychain is available. Install and unlock a Secret Service keyring (for example GNOME Keyring: ' +
  `\`${LINUX_KEYRING_INSTALL}\`), sign in to a desktop session, then try again. ` +
  'Your contacts stay on this computer until then.'
const GENERIC_HELP =
  'The system keychain could not be reached. Unlock it (or allow Cloverhound Contacts to use it) and try again. ' +
  'Your contacts stay on this computer until then.'

/**
 * The OS keychain through keytar (Keychain on macOS, Credential Vault on Windows, the
 * Secret Service on Linux). keytar is loaded on first use so a missing or broken keychain
 * becomes a message, not a crash at start-up.
 */
export class KeytarSecretStore implements SecretStore {
  #keytar: Promise<Keytar> | undefined
  readonly #service: string
  readonly #load: () => Promise<Keytar>

  constructor(service: string, load: () => Promise<Keytar> = async () => (await import('keytar')).default) {
    this.#service = service
    this.#load = load
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.#call((k) => k.getPassword(this.#service, account))) ?? undefined
  }

  async set(account: string, secret: string): Promise<void> {
    await this.#call((k) => k.setPassword(this.#service, account, secret))
  }

  async delete(account: string): Promise<void> {
    await this.#call((k) => k.deletePassword(this.#service, account))
  }

  async #call<T>(operation: (keytar: Keytar) => Promise<T>): Promise<T> {
    let keytar: Keytar
    try {
      this.#keytar ??= this.#load()
      keytar = await this.#keytar
    } catch {
      this.#keytar = undefined
      throw new KeychainUnavailableError(helpText())
    }
    try {
      return await operation(keytar)
    } catch (error) {
      // keytar rejects with plain strings or Errors whose text may name D-Bus; never the secret.
      throw new KeychainUnavailableError(helpText(), { cause: error })
    }
  }
}

function helpText(): string {
  return process.platform === 'linux' ? LINUX_HELP : GENERIC_HELP
}
