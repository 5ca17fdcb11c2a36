import type { CommandHandlers } from '../../shared/bridge-contract.ts'
import { CloverhoundClient, type FetchFunction } from './cloverhound-client.ts'
import { createCommandHandlers, type EmitEvent } from './command-handlers.ts'
import { Credentials } from './credentials.ts'
import type { Logger } from './logger.ts'
import type { SecretStore } from './secret-store.ts'
import { SettingsStore } from './settings-store.ts'

export interface CoreOptions {
  /** The app's own data folder (settings; later the outbox). */
  dataDir: string
  secrets: SecretStore
  fetch: FetchFunction
  emit: EmitEvent
  logger: Logger
}

export interface AppCore {
  handlers: CommandHandlers
  close(): Promise<void>
}

/** Wires the Electron-free core. Electron's main process and the web preview both start here. */
export async function createAppCore(options: CoreOptions): Promise<AppCore> {
  const credentials = new Credentials(new SettingsStore(options.dataDir), options.secrets)
  const client = new CloverhoundClient({ fetch: options.fetch })
  const handlers = createCommandHandlers({ credentials, client, emit: options.emit, logger: options.logger })
  return { handlers, close: async () => {} }
}
