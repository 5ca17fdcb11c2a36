/**
 * Where main writes what happened. Callers pass names, codes and counts — never a key, a
 * header or contact data — so any sink (console, electron-log) is safe to use.
 */
export interface Logger {
  info(message: string, details?: Record<string, string | number | boolean>): void
  warn(message: string, details?: Record<string, string | number | boolean>): void
  error(message: string, details?: Record<string, string | number | boolean>): void
}

export const consoleLogger: Logger = {
  info: (message, details) => console.info(message, details ?? ''),
  warn: (message, details) => console.warn(message, details ?? ''),
  error: (message, details) => console.error(message, details ?? ''),
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }

/** What a log may say about an error: its name (TypeError, AbortError…), never its message, which can carry data. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error
}
