import type { CountryCode } from 'libphonenumber-js'
import { z } from 'zod'
import { E164_PATTERN } from './e164.ts'
import { LIMITS } from './limits.ts'
import { hasControlChars } from './text.ts'
import { isCountryCode, normalizePhone, type PhoneNormalization, type PhoneReadingOptions } from './phone.ts'

/** What the form holds: text exactly as typed, phones not yet normalised. */
export const contactDraftSchema = z.object({
  fullName: z.string().max(LIMITS.description * 4),
  email: z.string().max(LIMITS.description * 4),
  description: z.string().max(LIMITS.description * 4),
  phones: z
    .array(
      z.object({
        number: z.string().max(LIMITS.description),
        /** ISO 3166 region this row's number is read in when typed without + and a country code. */
        country: z.string().max(2).optional(),
      }),
    )
    .max(LIMITS.phones * 5),
  /** The region for rows without their own: drafts saved before each row had one. */
  country: z.string().max(2).optional(),
})
export type ContactDraft = z.infer<typeof contactDraftSchema>

export function emptyDraft(): ContactDraft {
  return { fullName: '', email: '', description: '', phones: [] }
}

const fullNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter the contact’s full name.')
  .max(LIMITS.fullName, `Use at most ${LIMITS.fullName} characters.`)
  .refine((v) => !hasControlChars(v), 'Remove the invisible control characters.')

const emailSchema = z
  .string()
  .max(LIMITS.email, `Use at most ${LIMITS.email} characters.`)
  .pipe(z.email('Enter an email address like name@example.com.'))

/** The request body, named exactly as the API's "Create contact" spec names it. */
export const contactRequestSchema = z.strictObject({
  full_name: fullNameSchema,
  email: emailSchema.optional(),
  description: z
    .string()
    .max(LIMITS.description, `Use at most ${LIMITS.description} characters.`)
    .refine((v) => !hasControlChars(v, { multiline: true }), 'Remove the invisible control characters.')
    .optional(),
  contact_phones_attributes: z
    .array(z.strictObject({ number: z.string().regex(E164_PATTERN, 'Use E.164, like +14155550132.') }))
    .max(LIMITS.phones, `Add at most ${LIMITS.phones} phone numbers.`)
    .optional(),
})
export type ContactRequest = z.infer<typeof contactRequestSchema>

/** Per-field messages; `phones[i]` belongs to phone row i. */
export const contactFieldErrorsSchema = z.object({
  fullName: z.array(z.string()).optional(),
  email: z.array(z.string()).optional(),
  description: z.array(z.string()).optional(),
  phones: z.array(z.array(z.string())).optional(),
  general: z.array(z.string()).optional(),
})
export type ContactFieldErrors = z.infer<typeof contactFieldErrorsSchema>

export type DraftValidation = { ok: true; request: ContactRequest } | { ok: false; errors: ContactFieldErrors }

function messagesOf(result: z.ZodSafeParseResult<unknown>): string[] | undefined {
  return result.success ? undefined : [...new Set(result.error.issues.map((i) => i.message))]
}

/** What validation needs from the phone library (see phone.ts). */
export interface PhoneRules {
  isCountryCode(value: string): value is CountryCode
  normalizePhone(input: string, country?: CountryCode, options?: PhoneReadingOptions): PhoneNormalization
}

/**
 * Turns a draft into the wire request, or into messages at the fields that need fixing.
 * The renderer runs it before sending and main runs it again: main's answer is the one that counts.
 */
export function validateContactDraft(draft: ContactDraft): DraftValidation {
  return validateContactDraftWith(draft, { isCountryCode, normalizePhone })
}

/**
 * validateContactDraft with the phone rules passed in, for a caller that loads the phone library
 * lazily (the renderer): a bundle that uses only this keeps phone.ts and its metadata out.
 */
export function validateContactDraftWith(draft: ContactDraft, phone: PhoneRules): DraftValidation {
  const errors: ContactFieldErrors = {}
  const fullName = fullNameSchema.safeParse(draft.fullName)
  errors.fullName = messagesOf(fullName)

  const emailText = draft.email.trim()
  const email = emailText === '' ? undefined : emailSchema.safeParse(emailText)
  errors.email = email && messagesOf(email)

  const descriptionText = draft.description.trim()
  const description = contactRequestSchema.shape.description.safeParse(descriptionText || undefined)
  errors.description = messagesOf(description)

  const countries = draft.phones.map((row) => {
    const code = row.country ?? draft.country
    return code && phone.isCountryCode(code) ? code : undefined
  })
  // "Looks like a number in …": the other rows' countries are the likeliest.
  const hintCountries = countries.filter((code) => code !== undefined)
  /** Each number's row, in the order typed. */
  const rows = new Map<string, number>()
  const phoneErrors = draft.phones.map((row, index) => {
    // A row left empty (the form always offers one) is no number, not a mistake.
    if (row.number.trim() === '') return []
    const normalized = phone.normalizePhone(row.number, countries[index], { hintCountries })
    if (!normalized.ok) return [normalized.message]
    const earlier = rows.get(normalized.e164)
    if (earlier !== undefined) return [`This number is already in row ${earlier + 1}.`]
    rows.set(normalized.e164, index)
    return []
  })
  if (phoneErrors.some((e) => e.length > 0)) errors.phones = phoneErrors
  if (draft.phones.filter((row) => row.number.trim() !== '').length > LIMITS.phones)
    errors.general = [`Add at most ${LIMITS.phones} phone numbers.`]

  const failed = Object.values(errors).some((v) => v !== undefined)
  if (failed || !fullName.success) return { ok: false, errors: pruneErrors(errors) }

  const request: ContactRequest = { full_name: fullName.data }
  if (emailText !== '') request.email = emailText
  if (descriptionText !== '') request.description = descriptionText
  if (rows.size > 0) request.contact_phones_attributes = [...rows.keys()].map((number) => ({ number }))
  return { ok: true, request }
}

function pruneErrors(errors: ContactFieldErrors): ContactFieldErrors {
  return Object.fromEntries(Object.entries(errors).filter(([, v]) => v !== undefined)) as ContactFieldErrors
}

const timestamp = z.string().max(64)

/** A phone in the 201 body: strict on what the spec requires, tolerant of extra fields. */
export const createdPhoneSchema = z.object({
  id: z.number().int().nonnegative(),
  contact_id: z.number().int().nonnegative(),
  organization_id: z.number().int().nonnegative(),
  number: z.string().max(64),
  phone_type: z.string().max(64).nullable().optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
})

/** The 201 body of "Create contact". */
export const createdContactSchema = z.object({
  id: z.number().int().nonnegative(),
  organization_id: z.number().int().nonnegative(),
  full_name: z.string().max(LIMITS.description),
  email: z.string().max(LIMITS.description).nullable().optional(),
  description: z
    .string()
    .max(LIMITS.description * 4)
    .nullable()
    .optional(),
  contact_phones: z.array(createdPhoneSchema).max(1_000).optional(),
  created_at: timestamp.optional(),
  updated_at: timestamp.optional(),
})
export type CreatedContact = z.infer<typeof createdContactSchema>
