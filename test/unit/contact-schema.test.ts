import { describe, expect, it } from 'vitest'
import {
  contactRequestSchema,
  createdContactSchema,
  validateContactDraft,
  type ContactDraft,
} from '../../src/shared/contact.ts'

const draft = (overrides: Partial<ContactDraft> = {}): ContactDraft => ({
  fullName: 'Ada Lovelace',
  email: '',
  description: '',
  phones: [],
  country: 'US',
  ...overrides,
})

describe('validateContactDraft', () => {
  it('builds exactly the spec’s request, leaving empty optional fields out', () => {
    expect(validateContactDraft(draft())).toEqual({ ok: true, request: { full_name: 'Ada Lovelace' } })
    const full = validateContactDraft(
      draft({
        fullName: '  Ada Lovelace ',
        email: ' ada@example.com ',
        description: 'Met at the engine demo',
        phones: [{ number: '(415) 555-0132' }, { number: '+44 20 7946 0958' }],
      }),
    )
    expect(full).toEqual({
      ok: true,
      request: {
        full_name: 'Ada Lovelace',
        email: 'ada@example.com',
        description: 'Met at the engine demo',
        contact_phones_attributes: [{ number: '+14155550132' }, { number: '+442079460958' }],
      },
    })
  })

  it.each([
    ['right-to-left Arabic', 'محمد عبد الله'],
    ['Hebrew', 'דוד בן-גוריון'],
    ['emoji', 'Zoë 🦊 Müller'],
    ['CJK', '山田 太郎'],
    ['combining marks', 'Jose\u0301 Nun\u0303ez'],
  ])('accepts a %s name', (_, name) => {
    const result = validateContactDraft(draft({ fullName: name }))
    expect(result).toEqual({ ok: true, request: { full_name: name } })
  })

  it.each([' ', '\t\n ', '\u00a0\u2003'])('refuses a whitespace-only name (%j)', (name) => {
    const result = validateContactDraft(draft({ fullName: name }))
    expect(result).toEqual({ ok: false, errors: { fullName: ['Enter the contact’s full name.'] } })
  })

  it('refuses 10,000-character fields with a limit the user can read', () => {
    const long = 'x'.repeat(10_000)
    const result = validateContactDraft(draft({ fullName: long, email: `${long}@example.com`, description: long }))
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.fullName).toEqual(['Use at most 200 characters.'])
    expect(result.errors.email?.[0]).toMatch(/at most 254/)
    expect(result.errors.description).toEqual(['Use at most 5000 characters.'])
  })

  it('refuses control characters in the name but keeps newlines in the description', () => {
    expect(validateContactDraft(draft({ fullName: 'Ada\u0007' })).ok).toBe(false)
    expect(validateContactDraft(draft({ description: 'line one\nline two' }))).toEqual({
      ok: true,
      request: { full_name: 'Ada Lovelace', description: 'line one\nline two' },
    })
  })

  it('puts each phone error at its own row', () => {
    const result = validateContactDraft(
      draft({
        phones: [{ number: '+14155550132' }, { number: '12' }, { number: 'call me' }, { number: '(415) 555-0132' }],
      }),
    )
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.errors.phones?.[0]).toEqual([])
    expect(result.errors.phones?.[1]?.[0]).toMatch(/valid|recognise|country/)
    expect(result.errors.phones?.[2]?.[0]).toMatch(/digits/)
    expect(result.errors.phones?.[3]).toEqual(['This number is already in row 1.'])
  })

  it('reads national numbers in the chosen country', () => {
    const uk = validateContactDraft(draft({ phones: [{ number: '020 7946 0958' }], country: 'GB' }))
    expect(uk).toMatchObject({ ok: true, request: { contact_phones_attributes: [{ number: '+442079460958' }] } })
  })

  it('asks for a country code when no country is chosen', () => {
    const result = validateContactDraft(draft({ phones: [{ number: '020 7946 0958' }], country: undefined }))
    expect(result).toMatchObject({ ok: false, errors: { phones: [[expect.stringMatching(/country/)]] } })
  })

  it('refuses an invalid email', () => {
    expect(validateContactDraft(draft({ email: 'ada@' }))).toMatchObject({
      ok: false,
      errors: { email: [expect.any(String)] },
    })
  })
})

describe('contactRequestSchema', () => {
  it('refuses keys the spec does not name, including __proto__', () => {
    const hostile = JSON.parse('{"full_name":"Ada","__proto__":{"admin":true}}') as unknown
    expect(contactRequestSchema.safeParse(hostile).success).toBe(false)
    expect(({} as Record<string, unknown>).admin).toBeUndefined()
  })

  it('requires E.164 numbers', () => {
    expect(
      contactRequestSchema.safeParse({ full_name: 'A', contact_phones_attributes: [{ number: '4155550132' }] }).success,
    ).toBe(false)
    expect(
      contactRequestSchema.safeParse({ full_name: 'A', contact_phones_attributes: [{ number: '+14155550132' }] })
        .success,
    ).toBe(true)
  })
})

describe('createdContactSchema', () => {
  const created = {
    id: 7,
    organization_id: 42,
    full_name: 'Ada',
    email: null,
    description: null,
    contact_phones: [
      {
        id: 1,
        contact_id: 7,
        organization_id: 42,
        number: '+14155550132',
        phone_type: null,
        created_at: 'x',
        updated_at: 'y',
      },
    ],
    created_at: '2026-11-29T10:00:00Z',
    updated_at: '2026-11-29T10:00:00Z',
  }

  it('accepts the spec’s 201 body and drops fields it does not know', () => {
    const parsed = createdContactSchema.parse({
      ...created,
      extra: 'ignored',
      contact_phones: [{ ...created.contact_phones[0], more: 1 }],
    })
    expect(parsed).toEqual(created)
  })

  it.each(['id', 'organization_id', 'full_name'])('refuses a body without %s', (key) => {
    const { [key as keyof typeof created]: _, ...rest } = created
    expect(createdContactSchema.safeParse(rest).success).toBe(false)
  })

  it('refuses a phone without its required fields', () => {
    expect(createdContactSchema.safeParse({ ...created, contact_phones: [{ number: '+1' }] }).success).toBe(false)
  })
})
