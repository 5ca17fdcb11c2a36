/**
 * E.164: a plus, a non-zero digit, at most 15 digits in all. Apart from phone.ts so the contact
 * schemas can check it without pulling in the phone library's metadata.
 */
export const E164_PATTERN = /^\+[1-9]\d{1,14}$/
