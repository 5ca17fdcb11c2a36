/**
 * Scrubs anything secret or personal from a value before it is written to a log. Pure and
 * Electron-free, so it is tested for real; src/main/log.ts runs it on every message as an electron-log hook.
 *
 * Callers already log names and codes only (see logger.ts); this is the net under them, for
 * the day an error message or a detail carries a header, a key or a contact by mistake.
 */

export const REDACTED = '[REDACTED]'
const EMAIL = '[email]'
const PHONE = '[phone]'

/** Past these, a log line is not worth its cost (and deep or wide input is more likely hostile). */
const MAX_DEPTH = 8
const MAX_ITEMS = 100
const MAX_TEXT = 10_000

/** Key names whose values are secret whatever they hold, compared lower-case without `-`/`_`. */
const SECRET_KEY_SUFFIXES = [
  'key',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'token',
  'authorization',
  'auth',
  'cookie',
  'credential',
  'credentials',
  'signature',
]

/** True for `apiKey`, `api_key`, `x-api-key`, `key`, `clientSecret`, `Authorization`, `set-cookie`, … */
export function isSecretKey(name: string): boolean {
  const normalised = name.toLowerCase().replace(/[-_\s]/g, '')
  return SECRET_KEY_SUFFIXES.some((suffix) => normalised.endsWith(suffix))
}

/** Keys that hold contact data, which never goes to a log whatever it looks like. */
const PERSONAL_KEYS = new Set(['fullname', 'email', 'emailaddress', 'phone', 'phones', 'phonenumber', 'description'])

function isPersonalKey(name: string): boolean {
  return PERSONAL_KEYS.has(name.toLowerCase().replace(/[-_\s]/g, ''))
}

// The same names inside free text, as `name: value`, `name=value` or `"name":"value"`.
const KEY_NAME = String.raw`[A-Za-z0-9_-]*(?:key|secret|password|passwd|passphrase|token|authorization|auth|cookie|credentials?|signature)`
// An already-redacted value is left alone, so redacting twice changes nothing.
const NOT_REDACTED = String.raw`(?!\[REDACTED\])`

type Replacer = (match: string, name: string, separator: string, value: string) => string
/** Keeps the name, the separator and any quotes; only the value goes. */
const replaceValue: Replacer = (_match, name, separator, value) => {
  const quote = value.startsWith('"') || value.startsWith("'") ? value.charAt(0) : ''
  return `${name}${separator}${quote}${REDACTED}${quote}`
}

const TEXT_RULES: ReadonlyArray<readonly [RegExp, string | Replacer]> = [
  // Credentials inside a URL: https://id:key@host/…
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  // Header-style values that may hold spaces (`Authorization: Basic abc`) run to the end of the line.
  [
    new RegExp(
      String.raw`\b((?:proxy-)?authorization|(?:set-)?cookie)(["']?\s*[:=]\s*)("[^"\r\n]*"|'[^'\r\n]*'|${NOT_REDACTED}[^\s,}\]][^\r\n,}\]]*)`,
      'gi',
    ),
    replaceValue,
  ],
  // A scheme and its credentials anywhere in the text.
  [/\b(basic|bearer|digest|negotiate|ntlm)(\s+)[A-Za-z0-9._~+/-]+=*/gi, `$1$2${REDACTED}`],
  // key=value, key: value, "key": "value" (query strings, JSON text, error messages).
  [
    new RegExp(
      String.raw`(?<![A-Za-z0-9_-])(${KEY_NAME})(["']?\s*[:=]\s*)("[^"]*"|'[^']*'|${NOT_REDACTED}[^\s"',;&}\]]+)`,
      'gi',
    ),
    replaceValue,
  ],
  // Contact data never goes to a log: email addresses, then E.164 numbers (also URL-encoded or spaced).
  [/(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/gi, EMAIL],
  [/(?:\+|%2B)[1-9](?:[\s().-]{0,2}\d){6,14}(?!\d)/gi, PHONE],
  // Long hex runs (hashes, hex keys); UUIDs are split by hyphens into shorter runs and survive.
  [/(?<![A-Za-z0-9])[A-Fa-f0-9]{32,}(?![A-Za-z0-9])/g, REDACTED],
]

// Base64-looking runs: long, and mixing upper case, lower case and digits like random keys do.
const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g
const looksRandom = (run: string) => /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run)

export function redactText(text: string): string {
  let result = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…[truncated]` : text
  for (const [pattern, replacement] of TEXT_RULES) {
    result =
      typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement)
  }
  return result.replace(BASE64_RUN, (run) => (looksRandom(run) ? REDACTED : run))
}

/**
 * Returns a copy of `value` safe to log: strings scrubbed, values under secret-looking keys
 * replaced, Errors reduced to name, message and code (no stack: docs/architecture.md "Logs" keeps traces out of
 * logs), and cycles, depth and width bounded. Never throws, never mutates its input.
 */
export function redactSecrets(value: unknown): unknown {
  return redactValue(value, new WeakSet(), 0)
}

function redactValue(value: unknown, ancestors: WeakSet<object>, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return redactText(value)
    case 'number':
    case 'boolean':
    case 'undefined':
    case 'bigint':
      return value
    case 'symbol':
      return redactText(value.toString())
    case 'function':
      return '[Function]'
  }
  if (value === null) return null
  const object = value as object
  if (ancestors.has(object)) return '[Circular]'
  if (depth >= MAX_DEPTH) return '[Too deep]'
  ancestors.add(object)
  try {
    return redactObject(object, ancestors, depth + 1)
  } catch {
    return '[Unreadable]' // a Proxy or getter that throws
  } finally {
    ancestors.delete(object)
  }
}

function redactObject(object: object, ancestors: WeakSet<object>, depth: number): unknown {
  const recurse = (item: unknown) => redactValue(item, ancestors, depth)
  if (object instanceof Date) return new Date(object.getTime())
  // Boxed primitives would otherwise be copied character by character, out of the text rules' reach.
  if (object instanceof String) return redactText(object.valueOf())
  if (object instanceof Number || object instanceof Boolean) return object.valueOf()
  if (object instanceof URL) return redactText(object.href)
  if (object instanceof RegExp) return redactText(String(object))
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return `[binary ${object.byteLength} bytes]`
  if (Array.isArray(object)) return redactList(object, recurse)
  if (object instanceof Set) return redactList([...object], recurse)
  if (object instanceof Map) {
    const entries: Array<[unknown, unknown]> = []
    for (const [key, item] of object) {
      if (entries.length >= MAX_ITEMS) break
      entries.push([recurse(key), typeof key === 'string' ? redactEntry(key, item, recurse) : recurse(item)])
    }
    return new Map(entries)
  }
  if (object instanceof Error) return redactError(object, recurse)
  return redactRecord(object, recurse)
}

function redactList(items: readonly unknown[], recurse: (item: unknown) => unknown): unknown[] {
  const copy = items.slice(0, MAX_ITEMS).map(recurse)
  if (items.length > MAX_ITEMS) copy.push(`[… ${items.length - MAX_ITEMS} more]`)
  return copy
}

function redactRecord(object: object, recurse: (item: unknown) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  const keys = Object.keys(object)
  for (const key of keys.slice(0, MAX_ITEMS)) {
    let item: unknown
    try {
      item = (object as Record<string, unknown>)[key]
    } catch {
      item = '[Unreadable]'
    }
    // defineProperty: a "__proto__" key stays a plain key instead of replacing the copy's prototype.
    Object.defineProperty(copy, redactText(key), {
      value: redactEntry(key, item, recurse),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  if (keys.length > MAX_ITEMS) copy['…'] = `${keys.length - MAX_ITEMS} more keys`
  return copy
}

/** A secret key keeps its name (log the key, never the value); only flags and empties pass through. */
function redactEntry(key: string, item: unknown, recurse: (item: unknown) => unknown): unknown {
  if (!isSecretKey(key) && !isPersonalKey(key)) return recurse(item)
  return typeof item === 'boolean' || item === null || item === undefined ? item : REDACTED
}

function redactError(error: Error, recurse: (item: unknown) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = {
    ...redactRecord(error, recurse),
    name: redactText(String(error.name)),
    message: redactText(String(error.message)),
  }
  // `cause` and AggregateError's `errors` are not enumerable, so read them on purpose.
  if (error.cause !== undefined) copy.cause = recurse(error.cause)
  if (error instanceof AggregateError) copy.errors = recurse(error.errors)
  return copy
}
