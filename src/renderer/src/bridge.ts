import type { AppError, Result } from '../../shared/app-error.ts'
import type { BridgeApi } from '../../shared/bridge-contract.ts'

/**
 * The one module that touches `window.api`. It looks the api up on every call rather than once
 * at import, so tests and the web preview can install theirs after this module has loaded.
 */
function api(): BridgeApi {
  const found = (window as { api?: BridgeApi }).api
  if (!found) {
    throw new Error(
      'window.api is missing: the renderer must be loaded by the app’s preload script or the web preview.',
    )
  }
  return found
}

export const bridge: BridgeApi = {
  getSettings: () => api().getSettings(),
  saveSettings: (input) => api().saveSettings(input),
  removeApiKey: () => api().removeApiKey(),
  createContact: (draft) => api().createContact(draft),
  on: (event, listener) => api().on(event, listener),
}

const UNREACHABLE: AppError = {
  code: 'internal',
  message: 'The app could not reach its background process. Try again; if it keeps happening, restart the app.',
}

/** Runs a bridge call so that a rejected promise (a closed window, a missing preload) becomes a typed failure too. */
export async function callBridge<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run()
  } catch {
    return { ok: false, error: UNREACHABLE }
  }
}
