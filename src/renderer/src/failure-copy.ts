import type { AppError, AppErrorCode } from '../../shared/app-error.ts'

/** Failures the user fixes in Settings, so the failure panel offers a way there. */
const SETTINGS_CODES: ReadonlySet<AppErrorCode> = new Set([
  'not_configured',
  'keychain_unavailable',
  'unauthorized',
  'forbidden',
])

const TITLES: Partial<Record<AppErrorCode, string>> = {
  invalid: 'Some details need fixing',
  not_configured: 'Connection not set up',
  keychain_unavailable: 'System keychain unavailable',
  unauthorized: 'API key not accepted',
  forbidden: 'Not allowed in this organization',
  rate_limited: 'The server is busy',
  server_error: 'The server had a problem',
  network: 'Could not reach the server',
  timeout: 'The server did not answer in time',
}

export function failureTitle(code: AppErrorCode): string {
  return TITLES[code] ?? 'The contact was not saved'
}

export function failureOpensSettings(code: AppErrorCode): boolean {
  return SETTINGS_CODES.has(code)
}

/** A part of the app's own code that could not be fetched (`what`: "its phone number rules"); nothing typed is lost. */
export function codeNotLoaded(what: string): AppError {
  return {
    code: 'internal',
    message: `The app could not load ${what}. Try again; if it keeps happening, restart the app.`,
  }
}
