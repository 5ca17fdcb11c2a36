import type { ContactFieldErrors } from '../../shared/contact.ts'
import { isRecord } from '../../shared/json.ts'

const MAX_MESSAGES = 20
const MAX_MESSAGE_LENGTH = 300

const FIELD_NAMES = new Map<string, 'fullName' | 'email' | 'description'>([
  ['full_name', 'fullName'],
  ['fullname', 'fullName'],
  ['name', 'fullName'],
  ['email', 'email'],
  ['description', 'description'],
])
/** Rails puts errors about the whole record under `base`: they read as general messages. */
const GENERAL_KEYS = new Set(['base', 'general', 'contact'])

/** `contact_phones_attributes[1].number`, `contact_phones.1.number`, `contact_phones[1]` … */
const PHONE_KEY = /^contact_phones(?:_attributes)?(?:\[(\d+)\]|\.(\d+))?(?:\.(\w+))?$/

/**
 * Reads a 422 body of any shape into messages per field and per phone row. The API does not
 * document its error format, so this accepts Rails-style `{ field: [msg] }`, `{ errors: … }`,
 * `{ error | message }`, arrays of strings or `{ field, message }`, and plain text — and trusts
 * none of it: only strings survive, trimmed and capped.
 */
export function parseServerErrors(body: unknown, rawText = ''): ContactFieldErrors {
  const errors: Required<Pick<ContactFieldErrors, 'general'>> & ContactFieldErrors = { general: [] }
  collect(body, errors, 0)
  if (isEmpty(errors)) {
    const text = clean(rawText)
    // Markup or a JSON shape we could not read is no message for a person.
    const readable = text && !/^[<{[]/.test(text)
    errors.general.push(readable ? text : 'The server did not accept this contact.')
  }
  return prune(errors)
}

function collect(node: unknown, errors: ContactFieldErrors & { general: string[] }, depth: number): void {
  if (depth > 4 || node === null || node === undefined) return
  if (typeof node === 'string') return add(errors, undefined, node)
  if (Array.isArray(node)) {
    for (const entry of node.slice(0, MAX_MESSAGES)) {
      if (isRecord(entry) && (typeof entry.field === 'string' || typeof entry.attribute === 'string')) {
        const field = String(entry.field ?? entry.attribute)
        for (const message of messagesIn(entry.message ?? entry.messages ?? entry.error)) add(errors, field, message)
      } else collect(entry, errors, depth + 1)
    }
    return
  }
  if (!isRecord(node)) return
  for (const [key, value] of Object.entries(node).slice(0, 50)) {
    if (key === 'errors' || key === 'error' || key === 'message' || key === 'messages' || key === 'detail') {
      collect(value, errors, depth + 1)
    } else if (key === 'status' || key === 'code' || key === 'type' || key === 'title') {
      continue
    } else {
      for (const message of messagesIn(value)) add(errors, key, message)
    }
  }
}

function add(errors: ContactFieldErrors & { general: string[] }, field: string | undefined, message: string): void {
  const text = clean(message)
  if (!text) return
  const target = field === undefined ? undefined : FIELD_NAMES.get(field.toLowerCase())
  if (target) {
    push((errors[target] ??= []), capitalize(text))
    return
  }
  const phone = field === undefined ? null : PHONE_KEY.exec(field)
  if (phone) {
    const index = Number(phone[1] ?? phone[2])
    if (Number.isInteger(index) && index < 100) {
      const rows = (errors.phones ??= [])
      while (rows.length <= index) rows.push([])
      push(rows[index]!, capitalize(text))
    } else push(errors.general, `Phone numbers: ${text}`)
    return
  }
  const general = field === undefined || GENERAL_KEYS.has(field.toLowerCase())
  push(errors.general, general ? capitalize(text) : clean(`${humanize(field)}: ${text}`))
}

function messagesIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}

function push(list: string[], message: string): void {
  if (list.length < MAX_MESSAGES && !list.includes(message)) list.push(message)
}

function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').trim()
  return flat.length > MAX_MESSAGE_LENGTH ? `${flat.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : flat
}

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
const humanize = (key: string): string => capitalize(clean(key).replace(/[_.]+/g, ' ').slice(0, 60))

function isEmpty(errors: ContactFieldErrors & { general: string[] }): boolean {
  return !errors.fullName && !errors.email && !errors.description && !errors.phones && errors.general.length === 0
}

function prune(errors: ContactFieldErrors & { general: string[] }): ContactFieldErrors {
  const result: ContactFieldErrors = {}
  if (errors.fullName) result.fullName = errors.fullName
  if (errors.email) result.email = errors.email
  if (errors.description) result.description = errors.description
  if (errors.phones) result.phones = errors.phones
  if (errors.general.length > 0) result.general = errors.general
  return result
}
