import type { AppError, Result } from '../../shared/app-error.ts'
import type { BridgeApi, EventName, EventPayload } from '../../shared/bridge-contract.ts'

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
  saveContact: (draft) => api().saveContact(draft),
  listOutbox: (input) => api().listOutbox(input),
  getOutboxItem: (input) => api().getOutboxItem(input),
  getOutboxItems: (input) => api().getOutboxItems(input),
  getSyncStatus: () => api().getSyncStatus(),
  sendNow: (input) => api().sendNow(input),
  updateOutboxItem: (input) => api().updateOutboxItem(input),
  sendAgain: (input) => api().sendAgain(input),
  markAsSent: (input) => api().markAsSent(input),
  discardOutboxItem: (input) => api().discardOutboxItem(input),
  restoreOutboxItem: (input) => api().restoreOutboxItem(input),
  reportConnectivity: (input) => api().reportConnectivity(input),
  getDiagnostics: () => api().getDiagnostics(),
  getOutboxAccess: () => api().getOutboxAccess(),
  exportContacts: (input) => api().exportContacts(input),
  listOutboxAttempts: (input) => api().listOutboxAttempts(input),
  countOutboxBulk: (input) => api().countOutboxBulk(input),
  applyOutboxBulk: (input) => api().applyOutboxBulk(input),
  getDraft: () => api().getDraft(),
  saveDraft: (input) => api().saveDraft(input),
  discardDraft: () => api().discardDraft(),
  undoMarkAsSent: (input) => api().undoMarkAsSent(input),
  testConnection: () => api().testConnection(),
  findDuplicates: (input) => api().findDuplicates(input),
  findDuplicatesOfMany: (input) => api().findDuplicatesOfMany(input),
  switchProfile: (input) => api().switchProfile(input),
  manageProfile: (input) => api().manageProfile(input),
  openCsvFile: () => api().openCsvFile(),
  parseCsvFile: (input) => api().parseCsvFile(input),
  importContacts: (input) => api().importContacts(input),
  saveCsvRows: (input) => api().saveCsvRows(input),
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

/** Subscribes to an event from main; a missing bridge (a test, a broken preload) means no events, not a crash. */
export function listen<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  try {
    return bridge.on(event, listener)
  } catch {
    return () => {}
  }
}
