/**
 * The names of the bridge's commands and events, with no dependencies, so the sandboxed
 * preload can import them without pulling in the schemas.
 */
export const commandNames = [
  'getSettings',
  'saveSettings',
  'removeApiKey',
  'saveContact',
  'listOutbox',
  'getOutboxItem',
  'getOutboxItems',
  'getSyncStatus',
  'sendNow',
  'updateOutboxItem',
  'sendAgain',
  'markAsSent',
  'discardOutboxItem',
  'restoreOutboxItem',
  'reportConnectivity',
  'getDiagnostics',
  'getOutboxAccess',
  'exportContacts',
  'listOutboxAttempts',
  'countOutboxBulk',
  'applyOutboxBulk',
  'getDraft',
  'saveDraft',
  'discardDraft',
  'undoMarkAsSent',
  'testConnection',
  'findDuplicates',
  'findDuplicatesOfMany',
  'switchProfile',
  'manageProfile',
  'openCsvFile',
  'parseCsvFile',
  'importContacts',
  'saveCsvRows',
] as const
export type CommandName = (typeof commandNames)[number]

export const eventNames = ['settingsChanged', 'outboxChanged', 'syncStatusChanged'] as const
export type EventName = (typeof eventNames)[number]

export const commandChannel = (name: CommandName): string => `cloverhound:command:${name}`
export const eventChannel = (name: EventName): string => `cloverhound:event:${name}`

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (commandNames as readonly string[]).includes(value)
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value)
}
