import type { z } from 'zod'
import {
  apiKeyBinding,
  apiKeyIdSchema,
  apiKeySchema,
  baseUrlSchema,
  ENTER_API_KEY,
  flagAfterDaysSchema,
  keepHistoryDaysSchema,
  KEY_FOR_THIS_SERVER,
  numberFromInput,
  organizationIdSchema,
  sameApiKeyBinding,
  type SettingsInput,
} from '../../../shared/settings.ts'

export type SettingsField = 'baseUrl' | 'organizationId' | 'apiKeyId' | 'apiKey' | RetentionField
export type RetentionField = 'flagAfterDays' | 'keepHistoryDays'
export type SettingsForm = Record<SettingsField, string>
export type SettingsFieldErrors = Partial<Record<SettingsField, string[]>>

const RETENTION_FIELDS: readonly RetentionField[] = ['flagAfterDays', 'keepHistoryDays']
const FIELDS: readonly SettingsField[] = ['baseUrl', 'organizationId', 'apiKeyId', 'apiKey', ...RETENTION_FIELDS]

type CheckedForm = { ok: true; input: SettingsInput } | { ok: false; fields: SettingsFieldErrors }

/** Whether a key is stored, and whether one could be (the keychain works). */
export interface KeyState {
  stored: boolean
  storable: boolean
}

/**
 * The same checks main makes, so most mistakes show at their field without a round trip. A retention
 * window equal to `unchanged` (what the form was filled with) is neither checked nor sent. A blank API key
 * keeps the stored one, so it is refused when none is stored (and the keychain could take one), and when the
 * server or key ID differs from `unchanged`'s.
 */
export function checkForm(
  form: SettingsForm,
  unchanged: Partial<Omit<SettingsForm, 'apiKey'>> = {},
  key: KeyState = { stored: false, storable: false },
): CheckedForm {
  const fields: SettingsFieldErrors = {}
  const organizationText = form.organizationId.trim()
  const organizationId = /^\d+$/.test(organizationText) ? Number(organizationText) : Number.NaN
  const changed = (field: RetentionField) => form[field].trim() !== unchanged[field]?.trim()
  const flagAfterDays = changed('flagAfterDays') ? numberFromInput(form.flagAfterDays) : undefined
  const keepHistoryDays = changed('keepHistoryDays') ? numberFromInput(form.keepHistoryDays) : undefined
  const checks: [SettingsField, z.ZodSafeParseResult<unknown> | null][] = [
    ['baseUrl', baseUrlSchema.safeParse(form.baseUrl)],
    ['organizationId', organizationIdSchema.safeParse(organizationId)],
    ['apiKeyId', apiKeyIdSchema.safeParse(form.apiKeyId)],
    // An empty key keeps the stored one.
    ['apiKey', form.apiKey === '' ? null : apiKeySchema.safeParse(form.apiKey)],
    ['flagAfterDays', flagAfterDays === undefined ? null : flagAfterDaysSchema.safeParse(flagAfterDays)],
    ['keepHistoryDays', keepHistoryDays === undefined ? null : keepHistoryDaysSchema.safeParse(keepHistoryDays)],
  ]
  for (const [field, result] of checks) {
    if (result && !result.success) fields[field] = [...new Set(result.error.issues.map((i) => i.message))]
  }
  const next = apiKeyBinding(form)
  const saved = apiKeyBinding({ baseUrl: unchanged.baseUrl ?? '', apiKeyId: unchanged.apiKeyId ?? '' })
  if (form.apiKey === '' && key.stored && next && !sameApiKeyBinding(saved, next)) fields.apiKey = [KEY_FOR_THIS_SERVER]
  if (form.apiKey === '' && !key.stored && key.storable) fields.apiKey = [ENTER_API_KEY]
  if (Object.keys(fields).length > 0) return { ok: false, fields }
  return {
    ok: true,
    input: {
      baseUrl: form.baseUrl,
      organizationId,
      apiKeyId: form.apiKeyId,
      ...(form.apiKey === '' ? {} : { apiKey: form.apiKey }),
      ...(flagAfterDays === undefined ? {} : { flagAfterDays }),
      ...(keepHistoryDays === undefined ? {} : { keepHistoryDays }),
    },
  }
}

export function pickFieldErrors(fields: Record<string, string[]>): SettingsFieldErrors {
  const result: SettingsFieldErrors = {}
  for (const field of FIELDS) {
    const messages = fields[field]
    if (messages?.length) result[field] = messages
  }
  return result
}
