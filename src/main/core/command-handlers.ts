import { randomUUID } from 'node:crypto'
import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers, EventName, EventPayload } from '../../shared/bridge-contract.ts'
import { validateContactDraft, type CreatedContact } from '../../shared/contact.ts'
import type { CloverhoundClient } from './cloverhound-client.ts'
import { keychainMessage, type Credentials } from './credentials.ts'
import { outcomeToError } from './outcome-errors.ts'
import type { Logger } from './logger.ts'
import { KeychainUnavailableError } from './secret-store.ts'

export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void

export interface CommandDependencies {
  credentials: Credentials
  client: CloverhoundClient
  emit: EmitEvent
  logger: Logger
  now?: () => number
  newIdempotencyKey?: () => string
}

/**
 * What each bridge command does, for any transport: the Electron IPC adapter and the web
 * preview both parse input with the contract first and then call these. Failures come back as
 * typed results; nothing here throws across the bridge.
 */
export function createCommandHandlers(deps: CommandDependencies): CommandHandlers {
  const now = deps.now ?? Date.now
  const newKey = deps.newIdempotencyKey ?? randomUUID
  const guard = <T>(name: string, run: () => Promise<Result<T>>) => guarded(name, deps.logger, run)

  return {
    getSettings: () => guard('getSettings', async () => ok(await deps.credentials.view())),

    saveSettings: (input) =>
      guard('saveSettings', async () => {
        const saved = await deps.credentials.save(input)
        if (!saved.ok) return fail('invalid', 'Some settings need fixing.', { fields: saved.fields })
        deps.emit('settingsChanged', saved.view)
        return ok(saved.view)
      }),

    removeApiKey: () =>
      guard('removeApiKey', async () => {
        const view = await deps.credentials.removeKey()
        deps.emit('settingsChanged', view)
        return ok(view)
      }),

    createContact: (draft) =>
      guard('createContact', async (): Promise<Result<CreatedContact>> => {
        const validation = validateContactDraft(draft)
        if (!validation.ok) {
          const { general, phones, ...fields } = validation.errors
          return fail('invalid', general?.join(' ') || 'Fix the fields marked below.', {
            fields: fields as Record<string, string[]>,
            ...(phones ? { phones } : {}),
          })
        }
        const connection = await deps.credentials.connection()
        if (!connection) {
          return fail('not_configured', 'Add the Organization ID, API key ID and API key in Settings, then save again.')
        }
        const outcome = await deps.client.createContact({
          ...connection,
          body: validation.request,
          idempotencyKey: newKey(),
        })
        if (outcome.kind === 'created') return ok(outcome.contact)
        deps.logger.warn('Contact not created', { outcome: outcome.kind })
        return {
          ok: false,
          error: outcomeToError(outcome, {
            host: new URL(connection.profile.baseUrl).host,
            organizationId: connection.profile.organizationId,
            now: now(),
          }),
        }
      }),
  }
}

/** The last line of defence: an unforeseen failure becomes a typed result with no internals. */
async function guarded<T>(command: string, logger: Logger, run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run()
  } catch (error) {
    logger.error('Command failed', { command, error: error instanceof Error ? error.name : typeof error })
    if (error instanceof KeychainUnavailableError) return fail('keychain_unavailable', keychainMessage(error))
    if (isFileSystemError(error)) {
      return fail('storage', 'The app could not write to its data folder. Check free disk space and permissions.')
    }
    return fail('internal', 'Something went wrong inside the app. Nothing you typed was lost; try again.')
  }
}

function isFileSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code)
}
