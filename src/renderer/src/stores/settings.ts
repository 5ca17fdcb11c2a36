import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppError } from '../../../shared/app-error.ts'
import type { ConnectionTest, SettingsView } from '../../../shared/settings.ts'
import { DEFAULT_BASE_URL } from '../../../shared/settings-defaults.ts'
import { bridge, callBridge } from '../bridge.ts'
import { useBridgeMirror } from '../composables/use-bridge-mirror.ts'
import { codeNotLoaded } from '../failure-copy.ts'
import type { SettingsField, SettingsFieldErrors, SettingsForm } from './settings-form-check.ts'

export type {
  KeyState,
  RetentionField,
  SettingsField,
  SettingsFieldErrors,
  SettingsForm,
} from './settings-form-check.ts'

/** The form's checks build zod schemas: fetched on the first save, so the first paint waits for none of them. */
const loadFormCheck = () => import('./settings-form-check.ts')

/** Said when that code cannot be fetched (a web preview whose server stopped). */
const FORM_CHECK_MISSING = codeNotLoaded('its settings checks')

/** Where "Copy diagnostics" stands: `manual` when the clipboard refused and the text is shown to copy by hand. */
export type DiagnosticsState = 'idle' | 'loading' | 'copied' | 'manual'

/** The last Test connection: `untested` when the form held changes not saved yet (only saved settings are tested). */
export interface ConnectionTestState {
  state: 'idle' | 'testing' | 'done'
  result: ConnectionTest | null
  failure: AppError | null
  untested: boolean
}

const NO_TEST: ConnectionTestState = { state: 'idle', result: null, failure: null, untested: false }

export const useSettingsStore = defineStore('settings', () => {
  const view = ref<SettingsView | null>(null)
  const form = ref<SettingsForm>({
    baseUrl: '',
    organizationId: '',
    apiKeyId: '',
    apiKey: '',
    flagAfterDays: '',
    keepHistoryDays: '',
  })
  /** "Server deduplicates retries (Idempotency-Key)", a checkbox beside the text fields. */
  const deduplicatesRetries = ref(false)
  const fieldErrors = ref<SettingsFieldErrors>({})
  const failure = ref<AppError | null>(null)
  /** A short confirmation after saving or removing, announced politely. */
  const notice = ref('')
  const loading = ref(false)
  const saving = ref(false)
  const removing = ref(false)
  const diagnostics = ref<{ state: DiagnosticsState; text: string; failure: AppError | null }>({
    state: 'idle',
    text: '',
    failure: null,
  })
  const connectionTest = ref<ConnectionTestState>({ ...NO_TEST })
  /** Bumped per test, so only the newest one's answer is shown (a save starts another). */
  let testRun = 0

  /** What the form was last filled with, so news from main never overwrites unsaved typing. */
  let filled: Omit<SettingsForm, 'apiKey'> = {
    baseUrl: '',
    organizationId: '',
    apiKeyId: '',
    flagAfterDays: '',
    keepHistoryDays: '',
  }
  let filledDeduplicates = false
  /** Follows changes made elsewhere (another window, the outbox) and loads the current settings. */
  const { load, start, stop } = useBridgeMirror({
    handlers: { settingsChanged: (next) => applyView(next) },
    read: () => bridge.getSettings(),
    apply: (view) => applyView(view),
    failure,
    loading,
  })

  function isDirty(): boolean {
    if (deduplicatesRetries.value !== filledDeduplicates) return true
    return (Object.keys(filled) as Array<keyof typeof filled>).some((field) => form.value[field] !== filled[field])
  }

  function applyView(next: SettingsView, { force = false } = {}): void {
    // Typing meant for one profile never stays in the form of another (a switch from the menu, another window).
    const otherProfile = view.value !== null && view.value.activeProfileId !== next.activeProfileId
    if (otherProfile) form.value.apiKey = ''
    const keepTyping = !force && !otherProfile && isDirty()
    view.value = next
    if (keepTyping) return
    filled = {
      baseUrl: next.profile.baseUrl || DEFAULT_BASE_URL,
      organizationId: next.profile.organizationId === null ? '' : String(next.profile.organizationId),
      apiKeyId: next.profile.apiKeyId,
      flagAfterDays: String(next.retention.flagAfterDays),
      keepHistoryDays: String(next.retention.keepHistoryDays),
    }
    form.value = { ...filled, apiKey: form.value.apiKey }
    filledDeduplicates = next.profile.deduplicatesRetries
    deduplicatesRetries.value = filledDeduplicates
  }

  function setField(field: SettingsField, value: string): void {
    form.value[field] = value
    notice.value = ''
    if (fieldErrors.value[field]) fieldErrors.value = { ...fieldErrors.value, [field]: undefined }
  }

  function setDeduplicatesRetries(value: boolean): void {
    deduplicatesRetries.value = value
    notice.value = ''
  }

  async function save(): Promise<boolean> {
    if (saving.value) return false
    notice.value = ''
    failure.value = null
    saving.value = true
    try {
      const check = await loadFormCheck().catch(() => null)
      if (!check) {
        failure.value = FORM_CHECK_MISSING
        return false
      }
      // A window the user did not touch is not sent, so it keeps following the app's default.
      const checked = check.checkForm(form.value, filled, {
        stored: view.value?.hasApiKey ?? false,
        storable: view.value?.keychain.available ?? false,
      })
      if (!checked.ok) {
        fieldErrors.value = checked.fields
        return false
      }
      fieldErrors.value = {}
      // The last test was of the settings being replaced; the save tests the new ones.
      testRun += 1
      connectionTest.value = { ...NO_TEST }
      const input = { ...checked.input, deduplicatesRetries: deduplicatesRetries.value }
      const result = await callBridge(() => bridge.saveSettings(input))
      if (!result.ok) {
        failure.value = result.error
        if (result.error.fields) fieldErrors.value = check.pickFieldErrors(result.error.fields)
        return false
      }
      form.value.apiKey = ''
      applyView(result.value, { force: true })
      notice.value = 'Settings saved.'
      // Saved settings are proven at once; incomplete ones have nothing to test yet.
      if (result.value.configured) void testConnection()
      else connectionTest.value = { ...NO_TEST }
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
      connectionTest.value = { ...NO_TEST }
      notice.value =
        result.value.keyStorage === 'memory'
          ? 'The API key was removed.'
          : 'The API key was removed from the system keychain.'
      return true
    } finally {
      removing.value = false
    }
  }

  /** Asks main to prove the saved settings against the server; the answer stays shown until the next test. */
  async function testConnection(): Promise<void> {
    const run = ++testRun
    const untested = isDirty() || form.value.apiKey !== ''
    connectionTest.value = { state: 'testing', result: null, failure: null, untested }
    const result = await callBridge(() => bridge.testConnection())
    if (run !== testRun) return
    connectionTest.value = result.ok
      ? { state: 'done', result: result.value, failure: null, untested }
      : { state: 'done', result: null, failure: result.error, untested }
  }

  /** Fetches the redacted report from main and puts it on the clipboard, or on screen when the clipboard refuses. */
  async function copyDiagnostics(): Promise<boolean> {
    if (diagnostics.value.state === 'loading') return false
    diagnostics.value = { state: 'loading', text: '', failure: null }
    const result = await callBridge(() => bridge.getDiagnostics())
    if (!result.ok) {
      diagnostics.value = { state: 'idle', text: '', failure: result.error }
      return false
    }
    const { text } = result.value
    try {
      // Electron grants clipboard writes to the app's own page only (security-policy.ts); a browser may refuse: the text is then shown to copy.
      await navigator.clipboard.writeText(text)
      diagnostics.value = { state: 'copied', text: '', failure: null }
      return true
    } catch {
      diagnostics.value = { state: 'manual', text, failure: null }
      return false
    }
  }

  /** Leaving Settings forgets the last report and its feedback; the report is cheap to make again. */
  function clearDiagnostics(): void {
    if (diagnostics.value.state !== 'loading') diagnostics.value = { state: 'idle', text: '', failure: null }
  }

  /** Another profile is active: its settings replace the form, typing and all, so nothing typed for one lands in another. */
  function showProfile(next: SettingsView): void {
    form.value.apiKey = ''
    fieldErrors.value = {}
    notice.value = ''
    failure.value = null
    testRun += 1
    connectionTest.value = { ...NO_TEST }
    applyView(next, { force: true })
  }

  return {
    view,
    form,
    deduplicatesRetries,
    fieldErrors,
    failure,
    notice,
    loading,
    saving,
    removing,
    diagnostics,
    connectionTest,
    setField,
    setDeduplicatesRetries,
    load,
    showProfile,
    start,
    stop,
    save,
    removeKey,
    testConnection,
    copyDiagnostics,
    clearDiagnostics,
  }
})
