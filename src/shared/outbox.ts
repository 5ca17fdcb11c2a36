import { z } from 'zod'
import { contactDraftSchema, contactFieldErrorsSchema, createdContactSchema } from './contact.ts'
import { connectionHealthSchema } from './settings.ts'

/** An item's life; see DESIGN.md "The outbox". */
export const outboxStates = ['queued', 'sending', 'sent', 'needs_fix', 'unconfirmed', 'discarded'] as const
export type OutboxState = (typeof outboxStates)[number]

/** States the user still has to see through: "waiting" in the UI's count. */
export const WAITING_STATES: readonly OutboxState[] = ['queued', 'sending', 'needs_fix', 'unconfirmed']

const isoTime = z.string().max(40)
const itemId = z.string().regex(/^[0-9a-f-]{36}$/, 'Not an outbox item id.')

/** Where an item goes: fixed when it is saved, so a later change of Settings cannot redirect it silently. */
export const outboxTargetSchema = z.object({
  baseUrl: z.string(),
  organizationId: z.number().int().positive(),
})
export type OutboxTarget = z.infer<typeof outboxTargetSchema>

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
  /** The last failure, in words a user can act on. */
  lastError: z.string().nullable(),
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

export const outboxFilters = ['waiting', 'sent', 'discarded', 'all'] as const
export type OutboxFilter = (typeof outboxFilters)[number]

export const outboxPageRequestSchema = z.object({
  filter: z.enum(outboxFilters),
  /** The `seq` to continue below (newest first); omit for the first page. */
  before: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(500),
})
export type OutboxPageRequest = z.infer<typeof outboxPageRequestSchema>

export const outboxPageSchema = z.object({
  items: z.array(outboxItemSchema),
  /** Pass as `before` for the next page; null at the end. */
  nextBefore: z.number().int().nullable(),
  /** How many items match the filter in all. */
  total: z.number().int().nonnegative(),
})
export type OutboxPage = z.infer<typeof outboxPageSchema>

/** The queue as a whole, per connection profile. */
export const queueStates = ['running', 'offline', 'paused_auth', 'waiting', 'not_configured'] as const
export type QueueState = (typeof queueStates)[number]

export const syncStatusSchema = z.object({
  state: z.enum(queueStates),
  /** What the status line says, e.g. "Offline — 3 contacts will be sent when the connection is back." */
  message: z.string(),
  /** For `waiting`: when sending resumes (ISO 8601). */
  until: isoTime.nullable(),
  counts: z.record(z.enum(outboxStates), z.number().int().nonnegative()),
  /** queued + sending + needs_fix + unconfirmed. */
  waiting: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  connection: connectionHealthSchema,
})
export type SyncStatus = z.infer<typeof syncStatusSchema>

export const itemIdInputSchema = z.object({ id: itemId })
export const updateItemInputSchema = z.object({ id: itemId, draft: contactDraftSchema })
export const sendNowInputSchema = z.object({ id: itemId.optional() })
export const connectivityInputSchema = z.object({ online: z.boolean() })

export const outboxChangedSchema = z.object({
  /** Items whose row changed; empty means "reload the list". */
  ids: z.array(itemId),
})
