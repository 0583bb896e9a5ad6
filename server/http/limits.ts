// Limits of the web process's HTTP handling, in one place (docs/security.md lists them all).
// A request beyond one is refused before it costs memory or time.
// (Imports nothing: the browser's tRPC client reads TRPC_BATCH_CALLS_MAX from here.)

/** Calls one tRPC request may batch; the browser's client splits larger batches itself. */
export const TRPC_BATCH_CALLS_MAX = 10;

/**
 * Body of a tRPC request: a scenario document (at most SERVICE_LIMITS.maxDocumentBytes) with room
 * for JSON escaping, or a batch of small calls.
 */
export const TRPC_BODY_BYTES_MAX = 1024 * 1024;

/**
 * Body of a request that saves an assignment: its starter and up to GRADING_TESTS_MAX hidden
 * scenarios, each at most SERVICE_LIMITS.maxDocumentBytes, with room for JSON escaping.
 */
export const ASSIGNMENT_BODY_BYTES_MAX = 8 * 1024 * 1024;
const ASSIGNMENT_PROCEDURES = new Set(["assignment.create", "assignment.update"]);

/** Nesting of a tRPC request's JSON (the deepest legitimate input, an assignment, nests 5 deep). */
export const TRPC_JSON_DEPTH_MAX = 32;

/** Body of a sign-in, sign-out or other next-auth request: a form with an email, a password and a token. */
export const AUTH_BODY_BYTES_MAX = 16 * 1024;

/** Time to receive a whole request, headers and body (Node's default is 5 minutes). */
export const REQUEST_RECEIVE_MS_MAX = 60_000;
/** Time to receive a request's headers. */
export const REQUEST_HEADERS_MS_MAX = 20_000;

/** The largest body a request to `pathname` may carry: 0 for every address that takes none. */
export function bodyBytesMaxFor(pathname: string): number {
  if (pathname.startsWith("/api/trpc/")) {
    let procedures: string[];
    try {
      procedures = decodeURIComponent(pathname.slice("/api/trpc/".length)).split(",");
    } catch {
      return TRPC_BODY_BYTES_MAX;
    }
    return procedures.some((p) => ASSIGNMENT_PROCEDURES.has(p)) ? ASSIGNMENT_BODY_BYTES_MAX : TRPC_BODY_BYTES_MAX;
  }
  if (pathname.startsWith("/api/auth/")) return AUTH_BODY_BYTES_MAX;
  return 0;
}
