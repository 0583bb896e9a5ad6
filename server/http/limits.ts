// Limits of the web process's HTTP handling, in one place (docs/security.md lists them all).
// A request beyond one is refused before it costs memory or time.

/** Calls one tRPC request may batch; the browser's client splits larger batches itself. */
export const TRPC_BATCH_CALLS_MAX = 10;
