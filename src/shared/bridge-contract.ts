import { z } from 'zod'
import type { Result } from './app-error.ts'
import type { CommandName, EventName } from './bridge-names.ts'
import { contactDraftSchema } from './contact.ts'
import { contactsExportInputSchema, contactsExportSchema, outboxAccessSchema } from './contacts-export.ts'
import {
  csvFileInputSchema,
  csvOpenSchema,
  csvRowsExportInputSchema,
  csvTableSchema,
  importContactsInputSchema,
  importContactsResultSchema,
} from './csv-import.ts'
import { diagnosticsReportSchema } from './diagnostics.ts'
import {
  duplicatesOfManySchema,
  duplicatesSchema,
  findDuplicatesInputSchema,
  findDuplicatesOfManyInputSchema,
} from './duplicates.ts'
import { saveDraftInputSchema, savedDraftSchema } from './draft.ts'
import {
  bulkCountsInputSchema,
  bulkCountsSchema,
  bulkInputSchema,
  bulkResultSchema,
  connectivityInputSchema,
  itemIdInputSchema,
  itemIdsInputSchema,
  outboxChangedSchema,
  outboxItemSchema,
  outboxItemsSchema,
  outboxPageRequestSchema,
  outboxAttemptsSchema,
  outboxPageSchema,
  sendNowInputSchema,
  syncStatusSchema,
  updateItemInputSchema,
} from './outbox-schemas.ts'
import { manageProfileInputSchema, switchProfileInputSchema } from './profiles.ts'
import { connectionTestSchema, settingsInputSchema, settingsViewSchema } from './settings.ts'

export * from './bridge-names.ts'

const noInput = z.undefined()

/**
 * The whole bridge: each command's input and output schema. Main parses every input with it
 * before a handler runs; the preload and the renderer derive their types from it.
 */
export const bridgeContract = {
  getSettings: { input: noInput, output: settingsViewSchema },
  saveSettings: { input: settingsInputSchema, output: settingsViewSchema },
  removeApiKey: { input: noInput, output: settingsViewSchema },
  /** Writes the contact durably to the outbox (then the sync worker sends it); returns the saved item. */
  saveContact: { input: contactDraftSchema, output: outboxItemSchema },
  listOutbox: { input: outboxPageRequestSchema, output: outboxPageSchema },
  getOutboxItem: { input: itemIdInputSchema, output: outboxItemSchema },
  /** Several items in one call (the rows a burst of changes named); ids that are gone are left out. */
  getOutboxItems: { input: itemIdsInputSchema, output: outboxItemsSchema },
  getSyncStatus: { input: noInput, output: syncStatusSchema },
  /** One item, or every due item when no id is given. */
  sendNow: { input: sendNowInputSchema, output: syncStatusSchema },
  /** needs_fix or queued: replace the draft (validated again) and queue it. */
  updateOutboxItem: { input: updateItemInputSchema, output: outboxItemSchema },
  /** unconfirmed → queued, same Idempotency-Key: the user accepts a possible duplicate. */
  sendAgain: { input: itemIdInputSchema, output: outboxItemSchema },
  /** unconfirmed → sent, without the server's contact. */
  markAsSent: { input: itemIdInputSchema, output: outboxItemSchema },
  discardOutboxItem: { input: itemIdInputSchema, output: outboxItemSchema },
  /** Undo a discard: back to the state it was discarded from. */
  restoreOutboxItem: { input: itemIdInputSchema, output: outboxItemSchema },
  /** The renderer's online/offline events; a hint, corrected by what requests actually do. */
  reportConnectivity: { input: connectivityInputSchema, output: syncStatusSchema },
  /** A redacted report for support (versions, counts, recent errors); never a key or contact data. */
  getDiagnostics: { input: noInput, output: diagnosticsReportSchema },
  /** Read-only when the outbox file is damaged: nothing is written into it, and Export contacts keeps what it holds. */
  getOutboxAccess: { input: noInput, output: outboxAccessSchema },
  /** Every item that still reads (or those of one filter), as CSV: a file to save (Electron asks where) or to download (web preview). */
  exportContacts: { input: contactsExportInputSchema, output: contactsExportSchema },
  /** An item's attempts, newest first, each with its outcome. */
  listOutboxAttempts: { input: itemIdInputSchema, output: outboxAttemptsSchema },
  /** How many items of a filter each bulk action would move now: the count its confirmation names. */
  countOutboxBulk: { input: bulkCountsInputSchema, output: bulkCountsSchema },
  /** One bulk action on up to BULK_BATCH_MAX ids, or on the next batch of a filter: one transaction. */
  applyOutboxBulk: { input: bulkInputSchema, output: bulkResultSchema },
  /** The form's unsaved draft and last phone country, as main last wrote them. */
  getDraft: { input: noInput, output: savedDraftSchema },
  /** Replaces the unsaved draft (written durably before it answers). */
  saveDraft: { input: saveDraftInputSchema, output: savedDraftSchema },
  /** Drops the unsaved draft; the last phone country stays. */
  discardDraft: { input: noInput, output: savedDraftSchema },
  /** sent (marked by the user) → unconfirmed: undoes Mark as sent. */
  undoMarkAsSent: { input: itemIdInputSchema, output: outboxItemSchema },
  /** Asks the server whether the saved Base URL, organization and key work, creating nothing (connection-test.ts). */
  testConnection: { input: noInput, output: connectionTestSchema },
  /** Earlier items of the current organization with the form's email or any of its numbers (possible duplicates). */
  findDuplicates: { input: findDuplicatesInputSchema, output: duplicatesSchema },
  /** Import CSV's history check: for each checked row, the newest earlier contact of this organization it may repeat. */
  findDuplicatesOfMany: { input: findDuplicatesOfManyInputSchema, output: duplicatesOfManySchema },
  /** Makes another connection profile the active one: new contacts go to it, Settings edit it. */
  switchProfile: { input: switchProfileInputSchema, output: settingsViewSchema },
  /** Create, duplicate (without the key), rename or delete a profile (refused while its contacts wait, unless moved). */
  manageProfile: { input: manageProfileInputSchema, output: settingsViewSchema },
  /** Import CSV's open step: Electron's dialog in main, which reads and parses the file; elsewhere "use the file input". */
  openCsvFile: { input: noInput, output: csvOpenSchema },
  /** A file the page's file input read (size checked here), parsed into a table. */
  parseCsvFile: { input: csvFileInputSchema, output: csvTableSchema },
  /** Import N contacts: every draft checked again (one invalid and none is written), then written in slices, in order. */
  importContacts: { input: importContactsInputSchema, output: importContactsResultSchema },
  /** Rows the preview could not take, as a CSV with an error column (Electron asks where to save it). */
  saveCsvRows: { input: csvRowsExportInputSchema, output: contactsExportSchema },
} as const satisfies Record<CommandName, { input: z.ZodType; output: z.ZodType }>

export const eventContract = {
  settingsChanged: settingsViewSchema,
  outboxChanged: outboxChangedSchema,
  syncStatusChanged: syncStatusSchema,
} as const satisfies Record<EventName, z.ZodType>

export type CommandInput<N extends CommandName> = z.input<(typeof bridgeContract)[N]['input']>
export type CommandOutput<N extends CommandName> = z.output<(typeof bridgeContract)[N]['output']>
export type EventPayload<E extends EventName> = z.output<(typeof eventContract)[E]>

type CommandFunction<N extends CommandName> =
  CommandInput<N> extends undefined
    ? () => Promise<Result<CommandOutput<N>>>
    : (input: CommandInput<N>) => Promise<Result<CommandOutput<N>>>

/** `window.api`: one function per command, plus `on` for events (returns an unsubscribe). */
export type BridgeApi = { [N in CommandName]: CommandFunction<N> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void
}

/** What a transport (IPC or the web preview) calls after validating the input. */
export type CommandHandlers = {
  [N in CommandName]: (input: z.output<(typeof bridgeContract)[N]['input']>) => Promise<Result<CommandOutput<N>>>
}

/** What a transport (IPC or the web preview) gives main's core to push an event to every renderer. */
export type EmitEvent = <E extends EventName>(event: E, payload: EventPayload<E>) => void
