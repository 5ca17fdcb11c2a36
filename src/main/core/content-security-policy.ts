/**
 * The renderer's Content Security Policy: only the app's own scripts, styles and images; no
 * network from the page at all (every request goes through main). Sent as a header and kept
 * identical to the meta tag in src/renderer/index.html (a test checks they match).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

/**
 * `npm run dev` only: Vite's dev server injects CSS as inline <style> and talks HMR over a
 * websocket. Used for the dev page's meta tag and header alike, so the two never disagree.
 */
export function devServerContentSecurityPolicy(policy: string): string {
  return policy
    .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
    .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*")
}
