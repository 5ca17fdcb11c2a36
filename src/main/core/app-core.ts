import { join } from 'node:path'
import type { CommandHandlers, EmitEvent } from '../../shared/bridge-contract.ts'
import { CloverhoundClient, type FetchFunction } from './cloverhound-client.ts'
import { createCommandHandlers } from './command-handlers.ts'
import { ConnectionHealth } from './connection-health.ts'
import { Credentials } from './credentials.ts'
import { collectDiagnostics, type AppVersions } from './diagnostics.ts'
import { errorName, type Logger } from './logger.ts'
import type { BackoffOptions } from './outbox/backoff.ts'
import type { OutboxStore } from './outbox/outbox-store-types.ts'
import { OutboxUnavailableError, openOutboxStore, openReadOnlyOutboxStore } from './outbox/sqlite-outbox-store.ts'
import { SyncWorker } from './outbox/sync-worker.ts'
import type { WorkerTimers } from './outbox/worker-timers.ts'
import { RecentErrors, recordingLogger } from './recent-errors.ts'
import { DraftStore } from './draft-store.ts'
import { DEFAULT_RETENTION, type RetentionWindows } from './retention.ts'
import type { SecretStore } from './secret-store.ts'
import { SettingsStore } from './settings-store.ts'

/** Items still unsent after this long are flagged in the list and the status line (never dropped). */
export const DEFAULT_FLAG_AFTER_MS = DEFAULT_RETENTION.flagAfterMs
/** Sent and discarded items stay in the history (and can be undone) this long. */
export const DEFAULT_KEEP_SENT_MS = DEFAULT_RETENTION.keepHistoryMs
export const OUTBOX_FILE_NAME = 'outbox.sqlite'

export interface CoreOptions {
  /** The app's own data folder: settings.json, outbox.sqlite and draft.json. Opening the outbox creates it, owner-only. */
  dataDir: string
  secrets: SecretStore
  fetch: FetchFunction
  emit: EmitEvent
  logger: Logger
  /** The platform's connectivity hint (Electron's net.isOnline); requests have the last word. */
  isOnline?: () => boolean
  /** Versions for the diagnostics report; what is missing is filled from this process (Node, OS). */
  versions?: AppVersions
  /** Defaults for the outbox windows; the user's choice in Settings wins. */
  flagAfterMs?: number
  keepSentMs?: number
  /** Per request; a request past it is `unconfirmed`. */
  requestTimeoutMs?: number
  maxInFlight?: number
  /** How long close() lets in-flight sends finish before cutting them off. */
  stopGraceMs?: number
  /** For tests: the clock, timers, jitter and backoff the worker uses. */
  now?: () => number
  timers?: WorkerTimers
  random?: () => number
  backoff?: BackoffOptions
}

export interface AppCore {
  handlers: CommandHandlers
  /** For tests and diagnostics; the renderer reaches these only through `handlers`. */
  outbox: OutboxStore
  worker: SyncWorker
  /** The injected logger, also keeping recent warnings and errors for diagnostics; the edge may log through it too. */
  logger: Logger
  /** Stops the worker (in-flight sends finish or become unconfirmed), then closes the outbox. */
  close(): Promise<void>
}

/** Wires the Electron-free core. Electron's main process and the web preview both start here. */
export async function createAppCore(options: CoreOptions): Promise<AppCore> {
  const now = options.now ?? Date.now
  const recentErrors = new RecentErrors()
  const logger = recordingLogger(options.logger, recentErrors, now)
  const retentionDefaults: RetentionWindows = {
    flagAfterMs: options.flagAfterMs ?? DEFAULT_FLAG_AFTER_MS,
    keepHistoryMs: options.keepSentMs ?? DEFAULT_KEEP_SENT_MS,
  }
  const settings = new SettingsStore(options.dataDir)
  const credentials = new Credentials(settings, options.secrets, { retentionDefaults })
  // An unreadable settings file must not keep the outbox closed: its windows fall back to the defaults.
  const retention = await credentials.retention().catch((error: unknown) => {
    logger.warn('Settings unreadable at start-up; using the default outbox windows', { error: errorName(error) })
    return retentionDefaults
  })
  const client = new CloverhoundClient({ fetch: options.fetch, timeoutMs: options.requestTimeoutMs, now })
  const health = new ConnectionHealth(now)
  const outbox = openOutbox(
    { path: join(options.dataDir, OUTBOX_FILE_NAME), flagAfterMs: retention.flagAfterMs },
    logger,
  )
  if (!outbox.readOnly) {
    // A request in flight when the app died may have reached the server: the user decides.
    const interrupted = outbox.recoverInterrupted(now())
    if (interrupted > 0) logger.warn('Sends interrupted by a crash are now unconfirmed', { count: interrupted })
    const pruned = outbox.pruneHistory(now() - retention.keepHistoryMs)
    if (pruned > 0) logger.info('Old sent and discarded items removed', { count: pruned })
  }

  const worker = new SyncWorker({
    store: outbox,
    client,
    health,
    credentials,
    now,
    timers: options.timers,
    random: options.random,
    isOnline: options.isOnline,
    logger,
    maxInFlight: options.maxInFlight,
    stopGraceMs: options.stopGraceMs,
    backoff: options.backoff,
    onChange: (ids) => options.emit('outboxChanged', { ids }),
    onStatus: (status) => options.emit('syncStatusChanged', status),
  })
  const handlers = createCommandHandlers({
    credentials,
    settings,
    secrets: options.secrets,
    store: outbox,
    worker,
    drafts: new DraftStore(options.dataDir, now),
    emit: options.emit,
    logger,
    diagnostics: () =>
      collectDiagnostics({
        versions: options.versions ?? {},
        credentials,
        store: outbox,
        worker,
        recentErrors,
        now,
      }),
    client,
    health,
    now,
  })
  // Nothing is sent from a read-only outbox: a send could not be recorded, so it might go twice.
  if (outbox.readOnly) void worker.stop()
  else worker.start()

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= worker.stop().finally(() => outbox.close())
    return closing
  }
  return { handlers, outbox, worker, logger, close }
}

/**
 * The outbox, or, when its file is damaged, the same file read-only: the app still starts, shows what
 * the file holds and can export it, and nothing is written into it. Anything else that keeps the outbox
 * from opening (a newer version, a full disk, no permission) stops the start with its own words.
 */
function openOutbox(options: { path: string; flagAfterMs: number }, logger: Logger): OutboxStore {
  try {
    return openOutboxStore(options)
  } catch (error) {
    if (!(error instanceof OutboxUnavailableError) || error.problem !== 'damaged') throw error
    let store: OutboxStore
    try {
      store = openReadOnlyOutboxStore(options)
    } catch {
      throw error
    }
    logger.error('The outbox file failed its check; it is open read-only', { problem: error.problem })
    return store
  }
}
