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
