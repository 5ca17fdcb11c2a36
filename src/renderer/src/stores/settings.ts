import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { z } from 'zod'
import type { AppError } from '../../../shared/app-error.ts'
import {
  apiKeyIdSchema,
  apiKeySchema,
  baseUrlSchema,
  DEFAULT_BASE_URL,
  organizationIdSchema,
  type SettingsInput,
  type SettingsView,
} from '../../../shared/settings.ts'
import { bridge, callBridge } from '../bridge.ts'

export type SettingsField = 'baseUrl' | 'organizationId' | 'apiKeyId' | 'apiKey'
export type SettingsForm = Record<SettingsField, string>
export type SettingsFieldErrors = Partial<Record<SettingsField, string[]>>

const FIELDS: readonly SettingsField[] = ['baseUrl', 'organizationId', 'apiKeyId', 'apiKey']

export const useSettingsStore = defineStore('settings', () => {
  const view = ref<SettingsView | null>(null)
  const form = ref<SettingsForm>({ baseUrl: '', organizationId: '', apiKeyId: '', apiKey: '' })
  const fieldErrors = ref<SettingsFieldErrors>({})
  const failure = ref<AppError | null>(null)
  /** A short confirmation after saving or removing, announced politely. */
  const notice = ref('')
  const loading = ref(false)
  const saving = ref(false)
  const removing = ref(false)

  /** What the form was last filled with, so news from main never overwrites unsaved typing. */
  let filled: Omit<SettingsForm, 'apiKey'> = { baseUrl: '', organizationId: '', apiKeyId: '' }
  let unsubscribe: (() => void) | null = null

  function isDirty(): boolean {
    return (
      form.value.baseUrl !== filled.baseUrl ||
      form.value.organizationId !== filled.organizationId ||
      form.value.apiKeyId !== filled.apiKeyId
    )
  }

  function applyView(next: SettingsView, { force = false } = {}): void {
    const keepTyping = !force && isDirty()
    view.value = next
    if (keepTyping) return
    filled = {
      baseUrl: next.profile.baseUrl || DEFAULT_BASE_URL,
      organizationId: next.profile.organizationId === null ? '' : String(next.profile.organizationId),
      apiKeyId: next.profile.apiKeyId,
    }
    form.value = { ...filled, apiKey: form.value.apiKey }
  }

  function setField(field: SettingsField, value: string): void {
    form.value[field] = value
    notice.value = ''
    if (fieldErrors.value[field]) fieldErrors.value = { ...fieldErrors.value, [field]: undefined }
  }

  async function load(): Promise<void> {
    loading.value = true
    try {
      const result = await callBridge(() => bridge.getSettings())
      if (result.ok) applyView(result.value)
      else failure.value = result.error
    } finally {
      loading.value = false
    }
  }

  /** Listens for changes made elsewhere (another window, the outbox) and loads the current settings. */
  function start(): () => void {
    if (!unsubscribe) {
      try {
        unsubscribe = bridge.on('settingsChanged', (next) => applyView(next))
      } catch {
        unsubscribe = () => {}
      }
    }
    void load()
    return unsubscribe
  }

  async function save(): Promise<boolean> {
    if (saving.value) return false
    notice.value = ''
    failure.value = null
    const checked = checkForm(form.value)
    if (!checked.ok) {
      fieldErrors.value = checked.fields
      return false
    }
    fieldErrors.value = {}
    saving.value = true
    try {
      const result = await callBridge(() => bridge.saveSettings(checked.input))
      if (!result.ok) {
        failure.value = result.error
        if (result.error.fields) fieldErrors.value = pickFieldErrors(result.error.fields)
        return false
      }
      form.value.apiKey = ''
      applyView(result.value, { force: true })
      notice.value = 'Settings saved.'
      return true
    } finally {
      saving.value = false
    }
  }

  async function removeKey(): Promise<boolean> {
    if (removing.value || !view.value?.hasApiKey) return false
    notice.value = ''
    failure.value = null
    removing.value = true
    try {
      const result = await callBridge(() => bridge.removeApiKey())
      if (!result.ok) {
        failure.value = result.error
        return false
      }
      applyView(result.value)
      notice.value = 'The API key was removed from the system keychain.'
      return true
    } finally {
      removing.value = false
    }
  }

  return { view, form, fieldErrors, failure, notice, loading, saving, removing, setField, load, start, save, removeKey }
})

type CheckedForm = { ok: true; input: SettingsInput } | { ok: false; fields: SettingsFieldErrors }

/** The same checks main makes, so most mistakes show at their field without a round trip. */
export function checkForm(form: SettingsForm): CheckedForm {
  const fields: SettingsFieldErrors = {}
  const organizationText = form.organizationId.trim()
  const organizationId = /^\d+$/.test(organizationText) ? Number(organizationText) : Number.NaN
  const checks: [SettingsField, z.ZodSafeParseResult<unknown> | null][] = [
    ['baseUrl', baseUrlSchema.safeParse(form.baseUrl)],
    ['organizationId', organizationIdSchema.safeParse(organizationId)],
    ['apiKeyId', apiKeyIdSchema.safeParse(form.apiKeyId)],
    // An empty key keeps the stored one.
    ['apiKey', form.apiKey === '' ? null : apiKeySchema.safeParse(form.apiKey)],
  ]
  for (const [field, result] of checks) {
    if (result && !result.success) fields[field] = [...new Set(result.error.issues.map((i) => i.message))]
  }
  if (Object.keys(fields).length > 0) return { ok: false, fields }
  return {
    ok: true,
    input: {
      baseUrl: form.baseUrl,
      organizationId,
      apiKeyId: form.apiKeyId,
      ...(form.apiKey === '' ? {} : { apiKey: form.apiKey }),
    },
  }
}

function pickFieldErrors(fields: Record<string, string[]>): SettingsFieldErrors {
  const result: SettingsFieldErrors = {}
  for (const field of FIELDS) {
    const messages = fields[field]
    if (messages?.length) result[field] = messages
  }
  return result
}
