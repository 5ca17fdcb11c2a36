import type { z } from 'zod'
import {
  flagAfterDaysSchema,
  keepHistoryDaysSchema,
  numberFromInput,
  type SettingsInput,
  type SettingsView,
} from '../../shared/settings.ts'
import { DEFAULT_RETENTION_DAYS } from '../../shared/settings-defaults.ts'
import type { SavedRetention } from './settings-store.ts'

export const DAY_MS = 24 * 60 * 60 * 1000

/** The outbox windows in force, in milliseconds. */
export interface RetentionWindows {
  /** Items still unsent after this long are flagged in the list and the status line (never dropped). */
  flagAfterMs: number
  /** Sent and discarded items stay in the history (and can be undone) this long. */
  keepHistoryMs: number
}

export const DEFAULT_RETENTION: RetentionWindows = {
  flagAfterMs: DEFAULT_RETENTION_DAYS.flagAfterDays * DAY_MS,
  keepHistoryMs: DEFAULT_RETENTION_DAYS.keepHistoryDays * DAY_MS,
}

/** What the user saved, else the defaults (createAppCore's options, else the app's). */
export function retentionWindows(saved: SavedRetention, defaults: RetentionWindows): RetentionWindows {
  return {
    flagAfterMs: saved.flagAfterDays !== undefined ? saved.flagAfterDays * DAY_MS : defaults.flagAfterMs,
    keepHistoryMs: saved.keepHistoryDays !== undefined ? saved.keepHistoryDays * DAY_MS : defaults.keepHistoryMs,
  }
}

export function retentionView(windows: RetentionWindows): SettingsView['retention'] {
  return { flagAfterDays: windows.flagAfterMs / DAY_MS, keepHistoryDays: windows.keepHistoryMs / DAY_MS }
}

export type RetentionInputCheck = { ok: true; value: SavedRetention } | { ok: false; fields: Record<string, string[]> }

/** The windows a settings form sent, checked; a window it left out is not part of the change. */
export function checkRetentionInput(
  input: Pick<SettingsInput, 'flagAfterDays' | 'keepHistoryDays'>,
): RetentionInputCheck {
  const value: SavedRetention = {}
  const fields: Record<string, string[]> = {}
  const check = (field: keyof SavedRetention, schema: z.ZodNumber, raw: number | string | undefined): void => {
    if (raw === undefined) return
    const parsed = schema.safeParse(numberFromInput(raw))
    if (parsed.success) value[field] = parsed.data
    else fields[field] = [...new Set(parsed.error.issues.map((issue) => issue.message))]
  }
  check('flagAfterDays', flagAfterDaysSchema, input.flagAfterDays)
  check('keepHistoryDays', keepHistoryDaysSchema, input.keepHistoryDays)
  return Object.keys(fields).length > 0 ? { ok: false, fields } : { ok: true, value }
}
