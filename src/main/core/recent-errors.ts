import { RECENT_ERROR_LIMIT } from '../../shared/diagnostics.ts'
// Pure and import-free (no electron), so the core may share the edge's log scrubber.
import { redactSecrets, redactText } from './redact.ts'
import type { Logger } from './logger.ts'

type Details = Record<string, string | number | boolean>

export interface RecordedError {
  at: number
  level: 'warn' | 'error'
  message: string
  details: Details
}

/** Longest message or detail kept; a log line is a hint for support, not a document. */
const MAX_TEXT = 500

/**
 * The last warnings and errors, in memory only, for the diagnostics report. Entries are scrubbed as
 * they come in (keys, headers, emails, phone numbers), so the buffer never holds what a log must not.
 */
export class RecentErrors {
  readonly #limit: number
  readonly #entries: RecordedError[] = []

  constructor(limit = RECENT_ERROR_LIMIT) {
    this.#limit = limit
  }

  record(level: RecordedError['level'], message: string, details: Details | undefined, at: number): void {
    this.#entries.push({ at, level, message: cleanText(message), details: cleanDetails(details) })
    if (this.#entries.length > this.#limit) this.#entries.splice(0, this.#entries.length - this.#limit)
  }

  /** Oldest first; copies, so a caller cannot change what is kept. */
  list(): RecordedError[] {
    return this.#entries.map((entry) => ({ ...entry, details: { ...entry.details } }))
  }
}

/** The injected logger, unchanged, with every warning and error also kept in `recent`. */
export function recordingLogger(logger: Logger, recent: RecentErrors, now: () => number): Logger {
  const keep = (level: RecordedError['level'], message: string, details?: Details): void => {
    try {
      recent.record(level, message, details, now())
    } catch {
      // Diagnostics must never cost the app its logging.
    }
  }
  return {
    info: (message, details) => logger.info(message, details),
    warn: (message, details) => {
      logger.warn(message, details)
      keep('warn', message, details)
    },
    error: (message, details) => {
      logger.error(message, details)
      keep('error', message, details)
    },
  }
}

function cleanText(text: string): string {
  // One line per entry in the report; control characters could forge extra lines.
  const flat = redactText(String(text))
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .trim()
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT)}…` : flat
}

function cleanDetails(details: Details | undefined): Details {
  if (!details) return {}
  // Secret and personal key names lose their values here (redactSecrets keeps the name, drops the value).
  const redacted = redactSecrets(details)
  const clean: Details = {}
  if (typeof redacted !== 'object' || redacted === null) return clean
  for (const [key, value] of Object.entries(redacted).slice(0, 20)) {
    clean[cleanText(key)] = typeof value === 'number' || typeof value === 'boolean' ? value : cleanText(String(value))
  }
  return clean
}
