import { z } from 'zod'
import { outboxStates, queueStates } from './outbox.ts'

/** How many warnings and errors the report keeps, newest last. */
export const RECENT_ERROR_LIMIT = 20

const detailValue = z.union([z.string(), z.number(), z.boolean()])

export const recentErrorSchema = z.object({
  at: z.string(),
  level: z.enum(['warn', 'error']),
  /** Redacted in main: never a key, a header or contact data. */
  message: z.string(),
  details: z.record(z.string(), detailValue),
})
export type RecentError = z.infer<typeof recentErrorSchema>

/**
 * What support needs to understand a problem, and nothing personal: versions, counts, states and
 * yes/no facts, the API's host (not its path), and the recent warnings and errors, redacted in main.
 */
export const diagnosticsSchema = z.object({
  generatedAt: z.string(),
  app: z.object({ version: z.string().nullable() }),
  runtime: z.object({
    electron: z.string().nullable(),
    chrome: z.string().nullable(),
    node: z.string().nullable(),
    platform: z.string(),
    osRelease: z.string(),
    arch: z.string(),
  }),
  /** Null when the settings or the keychain could not be read (the error is in recentErrors). */
  connection: z
    .object({
      configured: z.boolean(),
      host: z.string().nullable(),
      organizationId: z.number().nullable(),
      hasApiKey: z.boolean(),
      keychainAvailable: z.boolean(),
    })
    .nullable(),
  /** Null when the outbox could not be read. */
  outbox: z
    .object({
      counts: z.record(z.enum(outboxStates), z.number().int().nonnegative()),
      overdue: z.number().int().nonnegative(),
      syncState: z.enum(queueStates),
      inFlight: z.number().int().nonnegative(),
    })
    .nullable(),
  retention: z.object({ flagAfterDays: z.number(), keepHistoryDays: z.number() }).nullable(),
  storage: z.object({ outboxSchemaVersion: z.number().int(), settingsFileVersion: z.number().int() }),
  recentErrors: z.array(recentErrorSchema).max(RECENT_ERROR_LIMIT),
})
export type Diagnostics = z.infer<typeof diagnosticsSchema>

/** The report as text for the clipboard, and the facts it was made from. */
export const diagnosticsReportSchema = z.object({ text: z.string(), report: diagnosticsSchema })
export type DiagnosticsReport = z.infer<typeof diagnosticsReportSchema>

const yesNo = (value: boolean): string => (value ? 'yes' : 'no')
const orUnknown = (value: string | number | null): string => (value === null ? 'unknown' : String(value))
const days = (value: number): string => `${value} day${value === 1 ? '' : 's'}`

/** Plain text that reads well pasted into an email or a ticket. */
export function formatDiagnostics(report: Diagnostics): string {
  const { runtime, connection, outbox, retention, storage } = report
  const lines = [
    'Cloverhound Contacts diagnostics',
    `Generated: ${report.generatedAt}`,
    '',
    `App version: ${orUnknown(report.app.version)}`,
    `Electron: ${runtime.electron ?? 'not running in Electron'}`,
    `Chrome: ${orUnknown(runtime.chrome)}`,
    `Node: ${orUnknown(runtime.node)}`,
    `OS: ${runtime.platform} ${runtime.osRelease} (${runtime.arch})`,
    '',
  ]
  if (connection) {
    lines.push(
      `Connection set up: ${yesNo(connection.configured)}`,
      `API host: ${connection.host ?? 'not set'}`,
      `Organization ID: ${connection.organizationId ?? 'not set'}`,
      `API key stored: ${yesNo(connection.hasApiKey)}`,
      `System keychain available: ${yesNo(connection.keychainAvailable)}`,
    )
  } else {
    lines.push('Connection: could not be read')
  }
  lines.push('')
  if (outbox) {
    lines.push(
      `Sync state: ${outbox.syncState} (${outbox.inFlight} in flight)`,
      `Outbox: ${outboxStates.map((state) => `${state} ${outbox.counts[state] ?? 0}`).join(', ')}`,
      `Overdue: ${outbox.overdue}`,
    )
  } else {
    lines.push('Outbox: could not be read')
  }
  lines.push(
    retention ? `Flag unsent contacts after: ${days(retention.flagAfterDays)}` : 'Retention: could not be read',
    ...(retention ? [`Keep sent history for: ${days(retention.keepHistoryDays)}`] : []),
    `Data folder: outbox schema ${storage.outboxSchemaVersion}, settings file version ${storage.settingsFileVersion}`,
    '',
  )
  if (report.recentErrors.length === 0) {
    lines.push('Recent errors: none')
  } else {
    lines.push(`Recent errors (last ${report.recentErrors.length}, oldest first):`)
    for (const entry of report.recentErrors) {
      const details = Object.entries(entry.details).map(([key, value]) => `${key}=${String(value)}`)
      lines.push(`  ${entry.at} ${entry.level} ${entry.message}${details.length ? ` (${details.join(', ')})` : ''}`)
    }
  }
  return `${lines.join('\n')}\n`
}
