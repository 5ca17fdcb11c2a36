const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000

/** `Retry-After` as delta-seconds or an HTTP date → milliseconds from `now`, capped at a day. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS)
  // HTTP dates are GMT; the obsolete asctime form omits the zone, which Date.parse reads as local.
  const date = Date.parse(/GMT|UTC|[+-]\d{4}$/.test(text) ? text : `${text} GMT`)
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS)
}
