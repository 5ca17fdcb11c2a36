import { z } from 'zod'

const noParams = z.object({})
const host = z.string()
/** Short words about the network or the reply, made where the failure is read (cloverhound-client.ts). */
const reason = z.string()

/**
 * Why an outbox item's last attempt failed: a code and the facts its words need. The store keeps
 * this (as JSON), the renderer's outbox-copy.ts turns it into words. A new code is one entry here
 * and one in that copy's map, which the type checker holds complete.
 */
export const itemErrorSchema = z.discriminatedUnion('code', [
  /** 422 (or another refusal of the content): the server's own general messages, if it gave any. */
  z.object({ code: z.literal('rejected'), params: z.object({ messages: z.array(z.string()) }) }),
  z.object({ code: z.literal('unauthorized'), params: noParams }),
  /** The item's server has no key entered for it (the key is bound to another origin): nothing was sent. */
  z.object({ code: z.literal('no_key_for_server'), params: z.object({ host }) }),
  z.object({ code: z.literal('forbidden'), params: z.object({ organizationId: z.number().int() }) }),
  z.object({ code: z.literal('rate_limited'), params: noParams }),
  z.object({ code: z.literal('server_error'), params: z.object({ status: z.number().int() }) }),
  /** Nothing reached the server: it is sent when the way is open again. */
  z.object({ code: z.literal('network_unreachable'), params: z.object({ host, reason }) }),
  /** The connection broke after the request went out: it may have been created. */
  z.object({ code: z.literal('connection_lost'), params: z.object({ host }) }),
  z.object({ code: z.literal('timeout'), params: z.object({ host }) }),
  z.object({ code: z.literal('unexpected_reply'), params: z.object({ host, reason, mayExist: z.boolean() }) }),
  /** The user undid Mark as sent: the choice is theirs again. */
  z.object({ code: z.literal('mark_as_sent_undone'), params: noParams }),
  /** The app closed or stopped while the request was in flight. */
  z.object({ code: z.literal('interrupted'), params: noParams }),
  /** Part of the row no longer reads back from the file (never stored: found on reading). */
  z.object({ code: z.literal('unreadable'), params: noParams }),
  /** Words stored by a version of the app from before codes (outbox schema 1), shown as they were. */
  z.object({ code: z.literal('legacy'), params: z.object({ text: z.string() }) }),
])
export type ItemError = z.infer<typeof itemErrorSchema>
export type ItemErrorCode = ItemError['code']
export type ItemErrorParams<C extends ItemErrorCode> = Extract<ItemError, { code: C }>['params']

export function itemError<C extends ItemErrorCode>(
  code: C,
  params: ItemErrorParams<C>,
): Extract<ItemError, { code: C }> {
  return { code, params } as Extract<ItemError, { code: C }>
}
