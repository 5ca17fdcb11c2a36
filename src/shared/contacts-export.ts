import { z } from 'zod'
import { outboxFilters, SEARCH_QUERY_MAX } from './outbox.ts'

/** Whether the outbox takes changes: read-only when its file failed the check at open (see open-outbox-database.ts). */
export const outboxAccessSchema = z.object({
  readOnly: z.boolean(),
  /** What the user reads while it is read-only: what happened, and that Export contacts (CSV) keeps what is in it. */
  message: z.string().nullable(),
})
export type OutboxAccess = z.infer<typeof outboxAccessSchema>

const exported = {
  /** Items written to the file. */
  count: z.number().int().nonnegative(),
  /** False when part of a damaged file could not be read: the export holds everything else. */
  complete: z.boolean(),
}

/**
 * Export contacts (CSV). The core answers `file` (the CSV text); in Electron, main asks where to save
 * it and answers `saved` or `cancelled` instead, so the text never needs the renderer. The web
 * preview passes `file` on, and the renderer offers it as a download.
 */
export const contactsExportSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), fileName: z.string(), csv: z.string(), ...exported }),
  z.object({ kind: z.literal('saved'), path: z.string(), ...exported }),
  z.object({ kind: z.literal('cancelled') }),
])
export type ContactsExport = z.infer<typeof contactsExportSchema>

/** Export CSV's scope: one of the Outbox's filters (History is `sent`), or every item when none is given. */
export const contactsExportInputSchema = z
  .object({
    filter: z.enum(outboxFilters).optional(),
    /** The Outbox's search words: only the items the list shows for them. */
    query: z.string().max(SEARCH_QUERY_MAX).optional(),
  })
  .optional()
export type ContactsExportInput = z.infer<typeof contactsExportInputSchema>
