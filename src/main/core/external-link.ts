/**
 * Which links may leave the app for the user's browser, and what of a refused one may be logged.
 * Pure rules; src/main/security-policy.ts asks the user and opens the link.
 */

/** An https URL with a host and no user name or password, or undefined. */
export function parseExternalUrl(rawUrl: string): URL | undefined {
  try {
    const url = new URL(rawUrl)
    return url.protocol === 'https:' && url.hostname !== '' && !url.username && !url.password ? url : undefined
  } catch {
    return undefined
  }
}

/** The scheme alone, in a bounded alphabet, so a hostile URL cannot write anything else into the log. */
export function schemeOf(rawUrl: string): string {
  const match = /^\s*([a-z][a-z0-9+.-]{0,31}):/i.exec(rawUrl)
  return match?.[1] ? match[1].toLowerCase() : 'none'
}
