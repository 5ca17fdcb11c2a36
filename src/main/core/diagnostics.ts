import { arch, platform, release } from 'node:os'
import { formatDiagnostics, type Diagnostics, type DiagnosticsReport } from '../../shared/diagnostics.ts'
import type { SyncStatus } from '../../shared/outbox-schemas.ts'
import type { Credentials } from './credentials.ts'
import { collectSensitiveText, type SensitiveText } from './diagnostics-redaction.ts'
import { SCHEMA_VERSION } from './outbox/migrations.ts'
import type { OutboxStore } from './outbox/outbox-store-types.ts'
import type { RecentErrors } from './recent-errors.ts'
import { retentionView } from './retention.ts'
import { SETTINGS_FILE_VERSION } from './settings-store.ts'

const UNCHECKED = '[not shown: the outbox could not be read to check this text]'

/** What the host knows about itself; Electron's main passes all of it, the web preview what it has. */
export interface AppVersions {
  app?: string
  electron?: string
  chrome?: string
  node?: string
  os?: { platform: string; release: string; arch: string }
}

export interface DiagnosticsSources {
  versions: AppVersions
  credentials: Pick<Credentials, 'view' | 'profile' | 'retention' | 'connection'>
  store: Pick<OutboxStore, 'page'>
  worker: { status(): SyncStatus; readonly inFlight: number }
  recentErrors: RecentErrors
  now: () => number
}

/**
 * The report behind "Copy diagnostics". Every free-text string in it (only the recent errors carry
 * any) has been through redactText when it was logged and is scrubbed here again of the stored key
 * and of every name, email, phone and description in the outbox. The rest is numbers, states, yes/no
 * and versions by construction. A part that cannot be read is reported as such, not as a failure.
 */
export async function collectDiagnostics(sources: DiagnosticsSources): Promise<DiagnosticsReport> {
  const now = sources.now()
  const recent = sources.recentErrors.list()
  // Reading every contact costs a scan of the outbox, so only when there is free text to check.
  const sensitive = recent.length > 0 ? await sensitiveText(sources) : undefined
  // Text that could not be checked against the contacts is left out rather than trusted.
  const scrub = (text: string): string => (sensitive === null ? UNCHECKED : sensitive ? sensitive.scrub(text) : text)

  const report: Diagnostics = {
    generatedAt: new Date(now).toISOString(),
    app: { version: sources.versions.app ?? null },
    runtime: runtime(sources.versions),
    connection: await connection(sources.credentials),
    outbox: outbox(sources.worker),
    retention: await retention(sources.credentials),
    storage: { outboxSchemaVersion: SCHEMA_VERSION, settingsFileVersion: SETTINGS_FILE_VERSION },
    recentErrors: recent.map((entry) => ({
      at: new Date(entry.at).toISOString(),
      level: entry.level,
      message: scrub(entry.message),
      details: Object.fromEntries(
        Object.entries(entry.details).map(([key, value]) => [
          scrub(key),
          typeof value === 'string' ? scrub(value) : value,
        ]),
      ),
    })),
  }
  return { text: formatDiagnostics(report), report }
}

function runtime(versions: AppVersions): Diagnostics['runtime'] {
  const os = versions.os ?? { platform: platform(), release: release(), arch: arch() }
  return {
    electron: versions.electron ?? null,
    chrome: versions.chrome ?? null,
    node: versions.node ?? process.versions.node,
    platform: os.platform,
    osRelease: os.release,
    arch: os.arch,
  }
}

async function sensitiveText(sources: DiagnosticsSources): Promise<SensitiveText | null> {
  try {
    return await collectSensitiveText({
      connection: () => sources.credentials.connection(),
      store: sources.store,
      now: sources.now,
    })
  } catch {
    return null
  }
}

async function retention(credentials: DiagnosticsSources['credentials']): Promise<Diagnostics['retention']> {
  try {
    return retentionView(await credentials.retention())
  } catch {
    return null
  }
}

async function connection(credentials: DiagnosticsSources['credentials']): Promise<Diagnostics['connection']> {
  try {
    const [view, profile] = await Promise.all([credentials.view(), credentials.profile()])
    return {
      configured: view.configured,
      // The host only: a path could name a customer's tenant; the report does not need it.
      host: profile ? new URL(profile.baseUrl).host : null,
      organizationId: profile?.organizationId ?? null,
      hasApiKey: view.hasApiKey,
      keychainAvailable: view.keychain.available,
    }
  } catch {
    return null
  }
}

function outbox(worker: DiagnosticsSources['worker']): Diagnostics['outbox'] {
  try {
    const status = worker.status()
    return { counts: status.counts, overdue: status.overdue, syncState: status.state, inFlight: worker.inFlight }
  } catch {
    return null
  }
}
