// The New contact form's data as plain values: its text fields, phone rows and field errors.
import type { AppError } from '../../shared/app-error.ts'
import type { ContactFieldErrors } from '../../shared/contact.ts'

export type TextField = 'fullName' | 'email' | 'description'
/**
 * A phone row; the key keeps a row's DOM (and focus) with it when rows above are removed. `country`
 * is the row's own (undefined: it follows the form's default until a number is typed; '' for none);
 * `extensionNoted` is the extension line this row last added to Description.
 */
export type PhoneRow = { key: number; number: string; country?: string; extensionNoted?: string }

const TEXT_FIELDS: readonly TextField[] = ['fullName', 'email', 'description']

/** Puts an `invalid` error's messages at their fields; keys the form does not know go to the general list. */
export function errorsFromServer(error: AppError): ContactFieldErrors {
  const result: ContactFieldErrors = {}
  const general: string[] = []
  for (const [key, messages] of Object.entries(error.fields ?? {})) {
    if (messages.length === 0) continue
    if ((TEXT_FIELDS as readonly string[]).includes(key)) result[key as TextField] = messages
    else if (key === 'general') general.push(...messages)
    else general.push(...messages.map((m) => `${key}: ${m}`))
  }
  if (error.phones?.some((row) => row.length > 0)) result.phones = error.phones
  if (general.length > 0) result.general = general
  return result
}

/** A deep copy that works on reactive proxies too (structuredClone does not). */
export function copyErrors(from: ContactFieldErrors): ContactFieldErrors {
  const copy: ContactFieldErrors = {}
  for (const key of [...TEXT_FIELDS, 'general'] as const) {
    const messages = from[key]
    if (messages?.length) copy[key] = [...messages]
  }
  if (from.phones) copy.phones = from.phones.map((row) => [...row])
  return copy
}
