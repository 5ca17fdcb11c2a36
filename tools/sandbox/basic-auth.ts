import { createHash, timingSafeEqual } from 'node:crypto'

/** Whether an `Authorization` header is HTTP Basic for exactly this key ID and key (RFC 7617). */
export function basicCredentialsMatch(authorization: string | undefined, apiKeyId: string, apiKey: string): boolean {
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(authorization ?? '')
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : ''
  // The ID cannot hold a colon, so the first one ends it; the key may hold more.
  const colon = decoded.indexOf(':')
  if (colon < 0) return false
  const idMatches = sameSecret(decoded.slice(0, colon), apiKeyId)
  const keyMatches = sameSecret(decoded.slice(colon + 1), apiKey)
  return idMatches && keyMatches
}

/** Compares fixed-length digests so the time taken says nothing about how much of a secret matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}
