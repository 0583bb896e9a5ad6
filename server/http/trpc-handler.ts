// The tRPC endpoint's request handling, apart from Next.js so tests drive exactly what the
// route runs (app/api/trpc/[trpc]/route.ts only supplies the real context): mutations only from
// this site, bodies bounded and never read past their limit, JSON nesting bounded before it is
// parsed, batches bounded, and every rate limit's answer carries Retry-After.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { TRPCError } from "@trpc/server";
import { TRPC_ERROR_CODES_BY_KEY, type TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { appRouter } from "@/server/api/root";
import type { Context } from "@/server/api/trpc";
import { RateLimitedError } from "@/server/api/errors";
import { bodyBytesMaxFor, TRPC_BATCH_CALLS_MAX, TRPC_JSON_DEPTH_MAX } from "./limits";
import { guardRequest, jsonNestingExceeds } from "./guard";

export const TRPC_ENDPOINT = "/api/trpc";

/** Retry-After for a TOO_MANY_REQUESTS that did not say when (none should). */
const RETRY_AFTER_DEFAULT_SECONDS = 60;

export async function handleTrpcRequest(req: Request, createContext: () => Context | Promise<Context>): Promise<Response> {
  const guarded = await guardRequest(req, { bodyBytesMax: bodyBytesMaxFor(new URL(req.url).pathname) });
  if (!guarded.ok) {
    // The same refusal, in the shape the tRPC client reads (a batch maps it to every call).
    const { status } = guarded.response;
    const code: TRPC_ERROR_CODE_KEY = status === 413 ? "PAYLOAD_TOO_LARGE" : status === 403 ? "FORBIDDEN" : "BAD_REQUEST";
    return errorResponse(code, status, (await guarded.response.text()).trim(), guarded.response.headers);
  }
  if (guarded.body && jsonNestingExceeds(guarded.body, TRPC_JSON_DEPTH_MAX)) {
    return errorResponse("BAD_REQUEST", 400, `The request nests deeper than ${TRPC_JSON_DEPTH_MAX} levels.`);
  }
  const inner = guarded.body ? new Request(req.url, { method: req.method, headers: req.headers, body: guarded.body }) : req;
  return fetchRequestHandler({
    endpoint: TRPC_ENDPOINT,
    req: inner,
    router: appRouter,
    createContext,
    maxBatchSize: TRPC_BATCH_CALLS_MAX,
    responseMeta: ({ errors }) => {
      const seconds = retryAfterOf(errors);
      return seconds === null ? {} : { headers: new Headers({ "retry-after": String(seconds) }) };
    },
  });
}

function errorResponse(code: TRPC_ERROR_CODE_KEY, status: number, message: string, headers?: Headers): Response {
  const body = {
    error: {
      message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus: status, path: null, fieldErrors: null, scenarioProblems: null, retryAfterSeconds: null },
    },
  };
  const out = new Headers(headers);
  out.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status, headers: out });
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
