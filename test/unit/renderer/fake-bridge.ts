import { vi } from 'vitest'
import type { Result } from '../../../src/shared/app-error.ts'
import type { BridgeApi, EventPayload } from '../../../src/shared/bridge-contract.ts'
import type { ContactDraft, CreatedContact } from '../../../src/shared/contact.ts'
import { normalizePhone, isCountryCode } from '../../../src/shared/phone.ts'
import type { SettingsInput, SettingsView } from '../../../src/shared/settings.ts'

export const configuredView = (overrides: Partial<SettingsView> = {}): SettingsView => ({
  profile: { baseUrl: 'https://cloud-staging.cloverhound.com', organizationId: 42, apiKeyId: 'key-id-1' },
  configured: true,
  hasApiKey: true,
  keychain: { available: true },
  ...overrides,
})

/** What a server would answer for a draft: ids, and each phone in E.164. */
export function createdFrom(draft: ContactDraft, id = 1001): CreatedContact {
  const country = draft.country && isCountryCode(draft.country) ? draft.country : undefined
  return {
    id,
    organization_id: 42,
    full_name: draft.fullName.trim(),
    email: draft.email.trim() || null,
    description: draft.description.trim() || null,
    contact_phones: draft.phones.map((phone, index) => {
      const normalized = normalizePhone(phone.number, country)
      return {
        id: 5000 + index,
        contact_id: id,
        organization_id: 42,
        number: normalized.ok ? normalized.e164 : phone.number,
        phone_type: 'mobile',
      }
    }),
    created_at: '2025-01-01T00:00:00Z',
  }
}

/**
 * A stand-in for `window.api` (main is tested on its own): the commands are spies with
 * believable default answers, and `emit` plays an event from main.
 */
export function installFakeBridge(initial: SettingsView = configuredView()) {
  let view = initial
  const listeners = new Set<(payload: SettingsView) => void>()

  const on = ((event: 'settingsChanged', listener: (payload: SettingsView) => void) => {
    if (event !== 'settingsChanged') return () => {}
    listeners.add(listener)
    return () => listeners.delete(listener)
  }) as BridgeApi['on']

  const api = {
    getSettings: vi.fn(async (): Promise<Result<SettingsView>> => ({ ok: true, value: view })),
    saveSettings: vi.fn(async (input: SettingsInput): Promise<Result<SettingsView>> => {
      view = {
        ...view,
        profile: {
          baseUrl: input.baseUrl.trim(),
          organizationId: Number(input.organizationId),
          apiKeyId: input.apiKeyId,
        },
        hasApiKey: view.hasApiKey || Boolean(input.apiKey),
      }
      view = { ...view, configured: view.hasApiKey }
      return { ok: true, value: view }
    }),
    removeApiKey: vi.fn(async (): Promise<Result<SettingsView>> => {
      view = { ...view, hasApiKey: false, configured: false }
      return { ok: true, value: view }
    }),
    createContact: vi.fn(async (draft: ContactDraft): Promise<Result<CreatedContact>> => ({
      ok: true,
      value: createdFrom(draft),
    })),
    on: vi.fn(on),
  } satisfies BridgeApi

  Object.defineProperty(window, 'api', { value: api, configurable: true, writable: true })

  return {
    api,
    emit(payload: EventPayload<'settingsChanged'>) {
      view = payload
      for (const listener of listeners) listener(payload)
    },
  }
}

/** A promise the test settles when it wants to, to look at the app mid-request. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return { promise, resolve }
}
