/**
 * The sandbox's reading of a "Create contact" body, modelled on what a Rails app with nested
 * attributes would do: unknown keys are ignored, presence means "not blank", and errors come back
 * as `{ attribute: [message] }` with phone rows indexed by their position in the request.
 */

/** E.164: a plus, a non-zero digit, at most 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/

/** Ruby's URI::MailTo::EMAIL_REGEXP, which Rails apps commonly validate emails with. */
export const EMAIL_PATTERN =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/

export const MESSAGES = {
  blank: "can't be blank",
  notString: 'must be a string',
  invalidEmail: 'is invalid',
  invalidNumber: 'is not a valid E.164 number',
  notArray: 'must be an array',
  invalidRow: 'is invalid',
  idOnCreate: 'is only for updates',
} as const

export interface ContactInput {
  fullName: string
  email: string | null
  description: string | null
  numbers: string[]
}

export type FieldErrors = Record<string, string[]>

export type ContactValidation = { ok: true; input: ContactInput } | { ok: false; errors: FieldErrors }

export function validateContact(body: Record<string, unknown>): ContactValidation {
  const errors: FieldErrors = {}
  const fail = (key: string, message: string): void => void (errors[key] ??= []).push(message)

  const fullName = body.full_name
  if (typeof fullName !== 'string' && fullName !== undefined && fullName !== null) fail('full_name', MESSAGES.notString)
  else if (typeof fullName !== 'string' || fullName.trim() === '') fail('full_name', MESSAGES.blank)

  const email = optionalString(body.email)
  if (email === false) fail('email', MESSAGES.notString)
  else if (email !== null && !EMAIL_PATTERN.test(email)) fail('email', MESSAGES.invalidEmail)

  const description = optionalString(body.description)
  if (description === false) fail('description', MESSAGES.notString)

  const numbers: string[] = []
  const rows = body.contact_phones_attributes ?? []
  if (!Array.isArray(rows)) fail('contact_phones_attributes', MESSAGES.notArray)
  else {
    rows.forEach((row: unknown, index) => {
      const key = `contact_phones_attributes[${index}]`
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return fail(key, MESSAGES.invalidRow)
      const { number, id, _destroy } = row as Record<string, unknown>
      // accepts_nested_attributes_for(allow_destroy: true) skips a new row marked for destruction.
      if (_destroy === true || _destroy === 'true' || _destroy === '1' || _destroy === 1) return
      if (id !== undefined && id !== null) fail(`${key}.id`, MESSAGES.idOnCreate)
      if (number === undefined || number === null || (typeof number === 'string' && number.trim() === '')) {
        fail(`${key}.number`, MESSAGES.blank)
      } else if (typeof number !== 'string') fail(`${key}.number`, MESSAGES.notString)
      else if (!E164_PATTERN.test(number)) fail(`${key}.number`, MESSAGES.invalidNumber)
      else numbers.push(number)
    })
  }

  if (Object.keys(errors).length > 0 || typeof fullName !== 'string' || email === false || description === false) {
    return { ok: false, errors }
  }
  return { ok: true, input: { fullName, email, description, numbers } }
}

/** A string, null for absent or null, or false for anything else. */
function optionalString(value: unknown): string | null | false {
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : false
}
