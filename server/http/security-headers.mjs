// The security headers of every response, in one place: a Content-Security-Policy with a fresh
// nonce per page (proxy.ts), a fixed one for API answers, Permissions-Policy (next.config.js), and
// HSTS for requests that came over https (server/http/front.ts knows the connection).
// Plain JavaScript with no imports, so next.config.js can read it too (types: security-headers.d.mts).

/** How long a browser keeps to https once it has seen HSTS: one year. */
export const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;
export const HSTS_VALUE = `max-age=${HSTS_MAX_AGE_SECONDS}`;

/** Browser features no page here uses, switched off for the page and anything it embeds. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()", "autoplay=()", "camera=()", "display-capture=()", "geolocation=()", "gyroscope=()",
  "magnetometer=()", "microphone=()", "midi=()", "payment=()", "usb=()", "browsing-topics=()",
].join(", ");

/**
 * The policy of a page. Scripts only with this response's nonce (Next.js puts it on its own
 * script tags) or loaded by one ('strict-dynamic'); styles from the site and inline (React
 * writes style attributes, CodeMirror style elements); data and blob images for the diagrams'
 * exports; no framing by other sites (except the embeddable run player, opts.embed), no plugins,
 * forms only to this site.
 * @param {string} nonce
 * @param {{ dev: boolean, https: boolean, embed?: boolean }} opts
 */
export function pageContentSecurityPolicy(nonce, opts) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    opts.embed ? "frame-ancestors *" : "frame-ancestors 'self'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** Set by proxy.ts on requests for the embeddable player (and removed from any other), read by the root layout. */
export const EMBED_HEADER = "x-faultline-embed";

/** Paths whose pages other sites may frame: X-Frame-Options is not sent for them (next.config.js). */
export const EMBED_PATH_PREFIX = "/embed/";

/** The policy of an API answer (JSON, files): it is never a page, so it may do nothing at all. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
