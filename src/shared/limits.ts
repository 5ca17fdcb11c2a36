/**
 * Field limits. The API documents none, so these are generous bounds that keep a
 * runaway paste (or a hostile bridge call) from reaching the server or the disk.
 */
export const LIMITS = {
  fullName: 200,
  email: 254, // RFC 5321 path limit
  description: 5_000,
  phones: 20,
  phoneInput: 40,
  baseUrl: 2_048,
  apiKeyId: 200,
  apiKey: 4_096,
} as const
