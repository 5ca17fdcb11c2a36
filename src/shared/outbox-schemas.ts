// What crosses the bridge about the outbox, as zod schemas: main checks with them, the renderer takes their
// types. The rules (states, moves, filters, words) are in outbox.ts, free of zod so the first paint needs none.
import { z } from 'zod'
import { contactDraftSchema, contactFieldErrorsSchema, createdContactSchema } from './contact.ts'
import { itemErrorSchema } from './item-error.ts'
import {
  ATTEMPTS_SHOWN_MAX,
  attemptOutcomes,
  BULK_BATCH_MAX,
  bulkActions,
  ITEMS_READ_MAX,
  outboxFilters,
  outboxStates,
  queueStates,
  SEARCH_QUERY_MAX,
  type BulkAction,
  type OutboxTarget,
} from './outbox.ts'
import { queueReasonSchema } from './queue-reason.ts'
import { connectionHealthSchema } from './settings.ts'

const isoTime = z.string().max(40)
const itemId = z.string().regex(/^[0-9a-f-]{36}$/, 'Not an outbox item id.')

export const outboxTargetSchema = z.object({
  baseUrl: z.string(),
  organizationId: z.number().int().positive(),
}) satisfies z.ZodType<OutboxTarget>

/** One saved contact and where it stands. What the renderer sees: never a key or a header. */
export const outboxItemSchema = z.object({
  id: itemId,
  /** Increases with every save; orders the list and pages it. */
  seq: z.number().int().nonnegative(),
  state: z.enum(outboxStates),
  draft: contactDraftSchema,
  target: outboxTargetSchema,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: isoTime.nullable(),
  /** The last failure, as a code and its facts; the renderer puts it in words. */
  lastError: itemErrorSchema.nullable(),
  /** The server's (or main's) messages per field and phone row, for needs_fix. */
  fieldErrors: contactFieldErrorsSchema.nullable(),
  /** The server's contact once sent (null when the user marked it sent by hand). */
  contact: createdContactSchema.nullable(),
  /** Waiting longer than the retention window: shown to the user, never dropped. */
  overdue: z.boolean(),
  createdAt: isoTime,
  updatedAt: isoTime,
})
export type OutboxItem = z.infer<typeof outboxItemSchema>

export const outboxPageRequestSchema = z.object({
  filter: z.enum(outboxFilters),
  /** The `seq` to continue below (newest first); omit for the first page. */
  before: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500),
  /** Search words (name, email, phone in any format, description, server id); blank or absent: everything. */
  query: z.string().max(SEARCH_QUERY_MAX).optional(),
})
export type OutboxPageRequest = z.infer<typeof outboxPageRequestSchema>

export const outboxPageSchema = z.object({
  items: z.array(outboxItemSchema),
  /**
   * Pass as `before` for the next page; null at the end. A search of common words checks a bounded part
   * of the history per page, so its page may be short, even empty, and still have a next one.
   */
  nextBefore: z.number().int().nullable(),
  /** How many items match the filter in all. */
  total: z.number().int().nonnegative(),
  /** A search that matches many items is not counted to the end: `total` is then how many are known so far. */
  totalAtLeast: z.boolean().optional(),
})
export type OutboxPage = z.infer<typeof outboxPageSchema>

/** Machine facts only (codes, counts, ISO times): the renderer makes the words, in the user's locale. */
export const syncStatusSchema = z.object({
  state: z.enum(queueStates),
  /** For `not_configured` and `paused_auth`: why, as a code; null otherwise. */
  reason: queueReasonSchema.nullable(),
  /** The current connection's host, for "Could not reach …"; null without a connection. */
  host: z.string().nullable(),
  /** For `waiting`: when sending resumes (ISO 8601). */
  until: isoTime.nullable(),
  /** The earliest next try of a queued item for the current connection (ISO 8601). */
  nextAttemptAt: isoTime.nullable(),
  counts: z.record(z.enum(outboxStates), z.number().int().nonnegative()),
  /** queued + sending + needs_fix + unconfirmed: everything not finished. */
  waiting: z.number().int().nonnegative(),
  /** queued + sending: "waiting to send". */
  toSend: z.number().int().nonnegative(),
  /** needs_fix + unconfirmed: "needs you". */
  needsYou: z.number().int().nonnegative(),
  /** Queued items whose profile now points at another organization than they were saved for: sent only after an edit or a move. */
  held: z.number().int().nonnegative(),
  /** Queued items every profile can send as they are: what **Send now** can send. */
  sendable: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  /** The active profile's connection, as the server last judged it. */
  connection: connectionHealthSchema,
  /** Other profiles whose contacts wait because their key or organization was refused or is missing: "needs attention". */
  otherProfilesStopped: z.number().int().nonnegative(),
})
export type SyncStatus = z.infer<typeof syncStatusSchema>

export const itemIdInputSchema = z.object({ id: itemId })

export const itemIdsInputSchema = z.object({ ids: z.array(itemId).min(1).max(ITEMS_READ_MAX) })
/** The items that exist, in the order asked, each once; an id that is gone is left out. */
export const outboxItemsSchema = z.object({ items: z.array(outboxItemSchema).max(ITEMS_READ_MAX) })
export const updateItemInputSchema = z.object({ id: itemId, draft: contactDraftSchema })
export const sendNowInputSchema = z.object({ id: itemId.optional() })
export const connectivityInputSchema = z.object({ online: z.boolean() })

export const outboxChangedSchema = z.object({
  /** Items whose row changed; empty means "reload the list". */
  ids: z.array(itemId),
})

/** One request for an item, as the outbox recorded it with the state change it caused. */
export const outboxAttemptSchema = z.object({
  /** 1 for the item's first attempt; keeps counting across edits. */
  n: z.number().int().positive(),
  startedAt: isoTime,
  /** Null while the request is in flight. */
  endedAt: isoTime.nullable(),
  /** Null while in flight, or when the stored code is not one this app knows. */
  outcome: z.enum(attemptOutcomes).nullable(),
  /** Why it failed, as the item's lastError was then. */
  error: itemErrorSchema.nullable(),
})
export type OutboxAttempt = z.infer<typeof outboxAttemptSchema>

export const outboxAttemptsSchema = z.object({
  /** Newest first. */
  attempts: z.array(outboxAttemptSchema).max(ATTEMPTS_SHOWN_MAX),
  /** How many there are in all. */
  total: z.number().int().nonnegative(),
})
export type OutboxAttempts = z.infer<typeof outboxAttemptsSchema>

/** Up to BULK_BATCH_MAX ids, or everything in a filter one batch at a time (newest first, below `before`). */
export const bulkInputSchema = z.union([
  z.strictObject({ action: z.enum(bulkActions), ids: z.array(itemId).min(1).max(BULK_BATCH_MAX) }),
  z.strictObject({
    action: z.enum(bulkActions),
    filter: z.enum(outboxFilters),
    before: z.number().int().nonnegative().optional(),
  }),
])
export type BulkInput = z.infer<typeof bulkInputSchema>

export const bulkResultSchema = z.object({
  /** The items the action moved, for Undo. */
  done: z.array(itemId).max(BULK_BATCH_MAX),
  /** Ids given that the action no longer applied to (they had moved on, or are gone). */
  skipped: z.number().int().nonnegative(),
  /** For a filter: pass as `before` for the next batch; null when the filter has no more. */
  nextBefore: z.number().int().nullable(),
  /** bulkResultWords for this batch. */
  message: z.string(),
})
export type BulkResult = z.infer<typeof bulkResultSchema>

export const bulkCountsInputSchema = z.object({ filter: z.enum(outboxFilters) })
/** How many items of a filter each bulk action would move now. */
export const bulkCountsSchema = z.object(
  Object.fromEntries(bulkActions.map((action) => [action, z.number().int().nonnegative()])) as Record<
    BulkAction,
    z.ZodNumber
  >,
)
export type BulkCounts = z.infer<typeof bulkCountsSchema>
