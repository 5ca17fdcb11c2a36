import { fail, ok, type Result } from '../../shared/app-error.ts'
import type { CommandHandlers, EmitEvent, EventPayload } from '../../shared/bridge-contract.ts'
import type { DiagnosticsReport } from '../../shared/diagnostics.ts'
import type { CloverhoundClient } from './cloverhound-client.ts'
import type { ConnectionHealth } from './connection-health.ts'
import { testConnection } from './connection-test.ts'
import { keychainMessage, type Credentials } from './credentials.ts'
import type { DraftStore } from './draft-store.ts'
import { createExportCommands } from './export-commands.ts'
import { createImportCommands } from './import-commands.ts'
import { errorName, type Logger } from './logger.ts'
import { createOutboxCommands, type OutboxCommandDependencies } from './outbox-commands.ts'
import { createProfileCommands } from './profile-commands.ts'
import type { SecretStore } from './secret-store.ts'
import type { SettingsStore } from './settings-store.ts'
import { outboxStorageWords } from './outbox/outbox-errors.ts'
import type { RetentionWindows } from './retention.ts'
import { KeychainUnavailableError } from './secret-store.ts'
import { SettingsFileError } from './settings-store.ts'

export interface CommandDependencies {
  credentials: Credentials
  /** The profile list (settings.json) and the keychain, for the profile commands. */
  settings: SettingsStore
  secrets: SecretStore
  store: OutboxCommandDependencies['store']
  worker: OutboxCommandDependencies['worker']
  /** The form's unsaved draft (draft.json). */
  drafts: DraftStore
  emit: EmitEvent
  logger: Logger
  /** The redacted report behind "Copy diagnostics" (see diagnostics.ts). */
  diagnostics: () => Promise<DiagnosticsReport>
  /** For Test connection: the API client, and what the server last said about the connection. */
  client: Pick<CloverhoundClient, 'createContact'>
  health: ConnectionHealth
  now?: () => number
}

/**
 * What each bridge command does, for any transport: the Electron IPC adapter and the web
 * preview both parse input with the contract first and then call these. Failures come back as
 * typed results; nothing here throws across the bridge.
 */
export function createCommandHandlers(deps: CommandDependencies): CommandHandlers {
  const now = deps.now ?? Date.now
  const guard = <T>(name: string, run: () => Promise<Result<T>>) => guarded(name, deps.logger, run)
  // New settings may be the fix a paused or unconfigured queue was waiting for: that profile's queue tries again.
  const settingsChanged = (view: EventPayload<'settingsChanged'>): void => {
    deps.health.reset(view.activeProfileId)
    deps.emit('settingsChanged', view)
    deps.worker.kick('credentials', view.activeProfileId)
  }
  // Another profile active, or the list changed: no key changed, so no refusal (and no health line) is forgotten.
  const profilesChanged = (view: EventPayload<'settingsChanged'>): void => {
    deps.emit('settingsChanged', view)
    deps.worker.kick('profiles')
  }
  // Saved windows apply at once: overdue flags follow the new window, and a shorter history is
  // pruned now rather than at the next start.
  const applyRetention = (windows: RetentionWindows): void => {
    const flagChanged = deps.store.flagAfterMs !== windows.flagAfterMs
    deps.store.flagAfterMs = windows.flagAfterMs
    const pruned = deps.store.pruneHistory(now() - windows.keepHistoryMs)
    if (pruned > 0) deps.logger.info('Old sent and discarded items removed', { count: pruned })
    if (!flagChanged && pruned === 0) return
    deps.emit('outboxChanged', { ids: [] })
    deps.worker.publishStatus()
  }

  const outbox = createOutboxCommands(
    { store: deps.store, worker: deps.worker, credentials: deps.credentials, emit: deps.emit, now },
    guard,
  )

  return {
    getSettings: () => guard('getSettings', async () => ok(await deps.credentials.view())),

    saveSettings: (input) =>
      guard('saveSettings', async () => {
        const saved = await deps.credentials.save(input)
        if (!saved.ok) return fail('invalid', 'Some settings need fixing.', { fields: saved.fields })
        applyRetention(saved.retention)
        settingsChanged(saved.view)
        return ok(saved.view)
      }),

    removeApiKey: () =>
      guard('removeApiKey', async () => {
        const view = await deps.credentials.removeKey()
        settingsChanged(view)
        return ok(view)
      }),

    getDiagnostics: () => guard('getDiagnostics', async () => ok(await deps.diagnostics())),

    testConnection: () =>
      guard('testConnection', async () => {
        const { credentials, health, client } = deps
        const result = await testConnection({
          client,
          profileId: () => credentials.activeProfileId(),
          connection: (profileId) => credentials.connection(profileId),
          profile: (profileId) => credentials.profile(profileId),
          health,
          now,
        })
        const accepted = result.ok && (result.value.verdict === 'working' || result.value.verdict === 'created')
        // A queue paused by a refusal resumes once the server accepts the same settings again.
        if (accepted && deps.worker.status().state === 'paused_auth') {
          deps.worker.kick('credentials', await deps.credentials.activeProfileId())
        } else deps.worker.publishStatus()
        return result
      }),

    ...createProfileCommands(
      {
        settings: deps.settings,
        secrets: deps.secrets,
        credentials: deps.credentials,
        store: deps.store,
        now,
        changed: (view, moved) => {
          if (moved.length > 0) deps.emit('outboxChanged', { ids: moved })
          profilesChanged(view)
        },
      },
      guard,
    ),
    ...outbox,
    ...createExportCommands({ store: deps.store, now }, guard),
    ...createImportCommands(
      { store: deps.store, worker: deps.worker, credentials: deps.credentials, emit: deps.emit, now },
      guard,
    ),
    saveContact: async (draft) => draftSettled(await outbox.saveContact(draft), () => deps.drafts.contactSaved()),
    updateOutboxItem: async (input) =>
      draftSettled(await outbox.updateOutboxItem(input), () => deps.drafts.editSaved(input.id)),

    getDraft: () => guard('getDraft', async () => ok(await deps.drafts.read())),
    saveDraft: ({ draft, phoneCountry }) =>
      guard('saveDraft', async () => ok(await deps.drafts.save(draft, phoneCountry))),
    discardDraft: () => guard('discardDraft', async () => ok(await deps.drafts.discard())),
  }

  /** Once the contact is durable in the outbox its draft is not unsaved any more; failing to say so loses nothing. */
  async function draftSettled<T>(result: Result<T>, settle: () => Promise<unknown>): Promise<Result<T>> {
    if (!result.ok) return result
    await settle().catch((error: unknown) => {
      deps.logger.warn('The saved contact’s draft could not be cleared', { error: errorName(error) })
    })
    return result
  }
}

/** The last line of defence: an unforeseen failure becomes a typed result with no internals. */
async function guarded<T>(command: string, logger: Logger, run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run()
  } catch (error) {
    logger.error('Command failed', { command, error: errorName(error) })
    if (error instanceof KeychainUnavailableError) return fail('keychain_unavailable', keychainMessage(error))
    if (error instanceof SettingsFileError) return fail('storage', error.message)
    const storage = outboxStorageWords(error)
    if (storage !== undefined) return fail('storage', storage)
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
