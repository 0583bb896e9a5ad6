// What every route handler checks before its own work: a state-changing request comes from
// this site (Origin), and a request body is no larger than the route takes, read incrementally
// and refused with 413 the moment it passes the limit, never read whole first.
import { env } from "@/server/env";

/** Methods that change nothing; every other method is checked for its origin. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type Guarded = { ok: true; body: Uint8Array<ArrayBuffer> | null } | { ok: false; response: Response };

export interface GuardOptions {
  /** The largest body this route takes, in bytes (0: none). */
  bodyBytesMax: number;
}

/**
 * Checks the origin of a state-changing request and reads its body within the limit. The body
 * comes back as bytes (null for a safe method) for the handler to use in place of the stream.
 */
export async function guardRequest(req: Request, opts: GuardOptions): Promise<Guarded> {
  if (!SAFE_METHODS.has(req.method.toUpperCase())) {
    const refusal = foreignOriginRefusal(req);
    if (refusal) return { ok: false, response: refusal };
  }
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > opts.bodyBytesMax) return { ok: false, response: tooLarge(opts.bodyBytesMax) };
  // Safe methods have no body a handler reads (the web front refuses one outright).
  if (SAFE_METHODS.has(req.method.toUpperCase())) return { ok: true, body: null };
  const body = await readBodyWithin(req, opts.bodyBytesMax);
  if (body === null) return { ok: false, response: tooLarge(opts.bodyBytesMax) };
  return { ok: true, body };
}

/** The body's bytes, or null as soon as it passes `bytesMax` (the rest is never read). */
export async function readBodyWithin(req: Request, bytesMax: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > bytesMax) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

export function tooLarge(bytesMax: number): Response {
  const message = bytesMax === 0 ? "This address takes no request body." : `The request body is larger than this address takes (${formatBytes(bytesMax)}).`;
  // Connection: close, so the server does not read the rest of the body only to discard it.
  return new Response(`${message}\n`, { status: 413, headers: { "content-type": "text/plain; charset=utf-8", connection: "close" } });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * 403 when a browser sent this request from another site. Browsers send Origin with every POST
 * (and Sec-Fetch-Site with every request); a foreign or "null" origin, or a cross-site fetch, is
 * refused. Requests with neither header come from programs, not from a page in someone's
 * browser, and cannot carry a victim's cookies by accident: they are allowed.
 */
export function foreignOriginRefusal(req: Request): Response | null {
  const origin = req.headers.get("origin");
  const site = req.headers.get("sec-fetch-site");
  const ok = origin !== null ? isOwnOrigin(origin, req) : site === null || site === "same-origin" || site === "none";
  if (ok) return null;
  return new Response("This request came from another site; it was refused.\n", { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
}

function isOwnOrigin(origin: string, req: Request): boolean {
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false; // "null" and anything else that is not an origin
  }
  // The public address (NEXTAUTH_URL), or the host the browser addressed (a page cannot forge Host).
  const own = [req.headers.get("host"), safeHost(req.url), env.NEXTAUTH_URL ? safeHost(env.NEXTAUTH_URL) : null];
  return own.some((h) => h !== null && h.toLowerCase() === host.toLowerCase());
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/**
 * True when a JSON text nests arrays and objects deeper than `depthMax`. A cheap scan before
 * JSON.parse, which takes about a second for a few MiB of nothing but brackets.
 */
export function jsonNestingExceeds(bytes: Uint8Array, depthMax: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > depthMax) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
