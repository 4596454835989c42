/**
 * Response headers of every console file. The page loads nothing but its own script and
 * stylesheet and talks only to its own origin, so the policy can be strict: no inline
 * script or style, no framing, no plugins, no base-tag tricks (CSP Level 3).
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY', // for browsers that predate frame-ancestors
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};
