import electronLog from 'electron-log/main'
import type { Hook, LogMessage, MainLogger, Transport } from 'electron-log'
import type { Logger } from './core/logger.ts'
import { closeUncheckedChannel } from './ipc-adapter.ts'
import { redactSecrets } from './core/redact.ts'

/** electron-log listens on this channel as soon as it is imported; see createMainLogger. */
export const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__'

/**
 * Runs before every transport: each part of the message is scrubbed by redactSecrets, so no
 * transport (file, console) ever sees a key, a header value, an email address or a phone number.
 */
export const redactHook: Hook = (message: LogMessage) => ({ ...message, data: message.data.map(redactSecrets) })

/**
 * The core's Logger over electron-log's main logger, which writes to the OS's log folder
 * (`main.log`, rotated at 1 MB; the locations per OS are in the README).
 */
export function createMainLogger(log: MainLogger = electronLog): Logger {
  if (!log.hooks.includes(redactHook)) log.hooks.push(redactHook)
  // Main's log lines stay in main: no copies to renderer consoles, no remote endpoint.
  for (const name of ['ipc', 'remote'] as const) {
    // Optional: electron-log leaves out the IPC transport where it cannot work.
    const transport: Transport | null | undefined = log.transports[name]
    if (transport) transport.level = false
  }
  log.transports.file.level = 'info'
  // initialize() is never called (it would add a preload to every session), so the renderer has no
  // logging channel to speak through: close the one electron-log opened without a sender check.
  closeUncheckedChannel(ELECTRON_LOG_CHANNEL)
  const write =
    (level: 'info' | 'warn' | 'error') => (message: string, details?: Record<string, string | number | boolean>) =>
      details === undefined ? log[level](message) : log[level](message, details)
  return { info: write('info'), warn: write('warn'), error: write('error') }
}
