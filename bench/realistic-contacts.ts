// Contacts like the ones people type: varied names, an email most of the time, a sentence or three
// of description, one to three phones in national format. Deterministic, so runs compare.
import {
  validateContactDraft,
  type ContactDraft,
  type ContactRequest,
  type CreatedContact,
} from '../src/shared/contact.ts'

const FIRST = ['Ada', 'Grace', 'Katherine', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Radia', 'Ken']
const LAST = ['Lovelace', 'Hopper', 'Johnson', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Perlman', 'Thompson']
const COMPANIES = ['Analytical Engines Ltd', 'Harbor Logistics', 'Northwind Traders', 'Blue Ridge Dental', 'Acme Corp']
const SENTENCES = [
  'Called about the renewal of the support contract and asked for a quote by Friday.',
  'Prefers email; only call the mobile number after 4 pm Eastern.',
  'Met at the regional trade fair, interested in the premium plan for 40 seats.',
  'Escalated a billing question twice; handle with care and copy the account manager.',
  'Wants a callback next week to go through the onboarding checklist.',
  'Referred by an existing customer in the same building.',
]
const PHONE_FORMATS = [
  (n: number) => `(415) 555-${pad(n % 10_000)}`,
  (n: number) => `212-555-${pad((n * 7) % 10_000)}`,
  (n: number) => `+44 20 7946 ${pad((n * 13) % 10_000)}`,
]

const pad = (n: number): string => String(n).padStart(4, '0')

/** The form's draft for the i-th contact, as the renderer sends it to saveContact. */
export function realisticDraft(i: number): ContactDraft {
  const first = FIRST[i % FIRST.length]!
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!
  const company = COMPANIES[i % COMPANIES.length]!
  const sentences = 1 + (i % 3)
  const description = [
    `${company}.`,
    ...Array.from({ length: sentences }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]!),
  ].join(' ')
  const phones = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ number: PHONE_FORMATS[(i + k) % 3]!(i + k) }))
  return {
    fullName: `${first} ${last}`,
    // One in five has no email, as on a quick call.
    email: i % 5 === 4 ? '' : `${first}.${last}${i}@${company.split(' ')[0]!.toLowerCase()}.example`.toLowerCase(),
    description,
    phones,
    country: 'US',
  }
}

/**
 * The i-th draft with phones no other row shares (realisticDraft's neighbours share numbers, which an
 * import flags as possible duplicates): distinct for the first 10,000 rows.
 */
export function distinctDraft(i: number): ContactDraft {
  const draft = realisticDraft(i)
  return { ...draft, phones: draft.phones.map((_, k) => ({ number: PHONE_FORMATS[k]!(3 * i + k) })) }
}

/** The draft with the wire body main makes of it (the app's own validation, so the shape is the real one). */
export function realisticContact(i: number): { draft: ContactDraft; request: ContactRequest } {
  const draft = realisticDraft(i)
  const checked = validateContactDraft(draft)
  if (!checked.ok) throw new Error(`Bench contact ${i} does not validate: ${JSON.stringify(checked.errors)}`)
  return { draft, request: checked.request }
}

/** The 201 body the API answers for it (the sandbox's shape: ids, organization, phones with ids, times). */
export function createdContact(
  request: ContactRequest,
  id: number,
  organizationId: number,
  at: string,
): CreatedContact {
  return {
    id,
    organization_id: organizationId,
    full_name: request.full_name,
    email: request.email ?? null,
    description: request.description ?? null,
    contact_phones: (request.contact_phones_attributes ?? []).map((phone, k) => ({
      id: id * 4 + k,
      contact_id: id,
      organization_id: organizationId,
      number: phone.number,
      phone_type: null,
      created_at: at,
      updated_at: at,
    })),
    created_at: at,
    updated_at: at,
  }
}
