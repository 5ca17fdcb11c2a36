import { z } from 'zod'

/**
 * Every failure that crosses a process boundary is one of these codes plus words a user can
 * act on; the renderer decides how to show it. Never a stack trace, never a secret.
 */
export const appErrorCodes = [
  'bad_request', // the bridge call itself was malformed
  'invalid', // the contact or settings need fixing (fields say where)
  'not_configured', // no connection profile or no API key yet
  'keychain_unavailable',
  'unauthorized', // 401
  'forbidden', // 403
  'rate_limited', // 429
  'server_error', // 5xx
  'network', // no connection, DNS, refused, reset
  'timeout',
  'unexpected', // any other status or a body we cannot read
  'storage', // the local data folder failed
  'internal',
] as const
export type AppErrorCode = (typeof appErrorCodes)[number]

export const appErrorSchema = z.object({
  code: z.enum(appErrorCodes),
  message: z.string(),
  /** Per-field messages keyed by the form's field names. */
  fields: z.record(z.string(), z.array(z.string())).optional(),
  /** Per phone row messages, by row index. */
  phones: z.array(z.array(z.string())).optional(),
  /** When a rate-limited request may be tried again (ISO 8601). */
  retryAt: z.string().optional(),
})
export type AppError = z.infer<typeof appErrorSchema>

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: appErrorSchema }),
  ])
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (
  code: AppErrorCode,
  message: string,
  extra: Omit<AppError, 'code' | 'message'> = {},
): Result<never> => ({
  ok: false,
  error: { code, message, ...extra },
})
