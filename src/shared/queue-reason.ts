import { z } from 'zod'

const host = z.string()

/**
 * Why the whole queue is not sending, as a code and the facts its words need: the core decides,
 * the renderer's sync-words.ts says it (one place for each condition's words, as item-error.ts is
 * for an item's last error).
 */
export const queueReasonSchema = z.discriminatedUnion('code', [
  /** not_configured: no Base URL and organization saved yet. */
  z.object({ code: z.literal('no_connection'), params: z.object({}) }),
  /** not_configured: the connection is saved but its API key is not. */
  z.object({ code: z.literal('no_api_key'), params: z.object({ host }) }),
  /** not_configured: the OS keychain cannot be read right now; Settings tells how to fix it. */
  z.object({ code: z.literal('keychain_unavailable'), params: z.object({}) }),
  /** not_configured: settings.json or the keychain failed in a way that is not the keychain being away. */
  z.object({ code: z.literal('settings_unreadable'), params: z.object({}) }),
  /** paused_auth: 401. */
  z.object({ code: z.literal('key_refused'), params: z.object({}) }),
  /** paused_auth: 403 for this organization. */
  z.object({ code: z.literal('organization_refused'), params: z.object({ organizationId: z.number().int() }) }),
  /** paused_auth: an item's server has no key entered for it. */
  z.object({ code: z.literal('no_key_for_server'), params: z.object({ host }) }),
])
export type QueueReason = z.infer<typeof queueReasonSchema>
export type QueueReasonCode = QueueReason['code']
export type QueueReasonParams<C extends QueueReasonCode> = Extract<QueueReason, { code: C }>['params']

export function queueReason<C extends QueueReasonCode>(
  code: C,
  params: QueueReasonParams<C>,
): Extract<QueueReason, { code: C }> {
  return { code, params } as Extract<QueueReason, { code: C }>
}
