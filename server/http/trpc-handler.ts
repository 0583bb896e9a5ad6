// The tRPC endpoint's request handling, apart from Next.js so tests drive exactly what the
// route runs (app/api/trpc/[trpc]/route.ts only supplies the real context): batches bounded,
// and every rate limit's answer carries Retry-After.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { TRPCError } from "@trpc/server";
import { appRouter } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";
import { RateLimitedError } from "@/server/api/errors";
import { TRPC_BATCH_CALLS_MAX } from "./limits";

export const TRPC_ENDPOINT = "/api/trpc";

/** Retry-After for a TOO_MANY_REQUESTS that did not say when (none should). */
const RETRY_AFTER_DEFAULT_SECONDS = 60;

export function handleTrpcRequest(req: Request, createContext: () => Context | Promise<Context>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req,
    router: appRouter,
    createContext,
    maxBatchSize: TRPC_BATCH_CALLS_MAX,
    responseMeta: ({ errors }) => {
      const seconds = retryAfterOf(errors);
      return seconds === null ? {} : { headers: new Headers({ "retry-after": String(seconds) }) };
    },
  });
}

/** The longest wait any rate-limited call of the request asks for, or null when none was limited. */
function retryAfterOf(errors: TRPCError[]): number | null {
  let seconds: number | null = null;
  for (const err of errors) {
    if (err.code !== "TOO_MANY_REQUESTS") continue;
    const s = err.cause instanceof RateLimitedError ? err.cause.retryAfterSeconds : RETRY_AFTER_DEFAULT_SECONDS;
    seconds = Math.max(seconds ?? 0, s);
  }
  return seconds;
}
