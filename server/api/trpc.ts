// tRPC setup, in the order a request meets it:
// 1. the context (database, signed-in user, client address), 2. the error formatter (field
// paths for the client, readable messages, nothing internal), 3. procedures: public (input
// holds no NUL), protected (signed in).
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { randomUUID } from "node:crypto";
import { db, dbProvider, type Db } from "@/server/db";
import type { DbProvider } from "@/server/db/client";
import { getSessionUser, type SessionUser } from "@/server/auth/options";
import { clientAddressOf } from "@/server/http/client-address";
import { RateLimitedError, ScenarioInvalidError, formatProblem } from "./errors";
import { findNul, inputIssue, NUL_MESSAGE } from "./input";
import { TRPC_BATCH_CALLS_MAX } from "@/server/http/limits";

// 1. Context ---------------------------------------------------------------------
export interface Context {
  db: Db;
  dbProvider: DbProvider;
  user: SessionUser | null;
  /** The client's address, for rate limits (server/http/client-address.ts says which one). */
  ip: string;
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const user = await getSessionUser();
  return { db, dbProvider, user, ip: clientAddressOf(opts.headers) };
}

// 2. Errors -----------------------------------------------------------------------
const INTERNAL_MESSAGE = "Something went wrong on our side. It has been logged";

const t = initTRPC.context<Context>().create({
  isDev: false, // never send stacks to clients, in any mode
  errorFormatter({ shape, error, path }) {
    const cause = error.cause;
    let message = shape.message;
    let fieldErrors: Record<string, string[]> | null = null;
    if (error.code === "INTERNAL_SERVER_ERROR") {
      // A bug, not the user's doing: log it whole, give the client only an id to quote.
      const errorId = randomUUID().slice(0, 8);
      console.error(`[trpc] ${path ?? "?"} failed (error ${errorId}):`, cause ?? error);
      message = `${INTERNAL_MESSAGE} (error ${errorId}).`;
    } else if (cause instanceof ZodError) {
      // Input that failed its schema: by field path, and a message that names the first field
      // (tRPC's own message would be the issues as JSON).
      fieldErrors = fieldErrorsOf(cause);
      message = summaryOf(fieldErrors);
    } else if (error.message === "Batch call exceeds maximum size") {
      message = `One request may batch at most ${TRPC_BATCH_CALLS_MAX} calls.`;
    } else if (cause instanceof ScenarioInvalidError) {
      fieldErrors = { [cause.field]: cause.problems.map(formatProblem) };
    }
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors,
        // A scenario document with problems: each with its path and line.
        scenarioProblems: cause instanceof ScenarioInvalidError ? cause.problems : null,
        // A rate limit: when to try again (also sent as the Retry-After header).
        retryAfterSeconds: cause instanceof RateLimitedError ? cause.retryAfterSeconds : null,
      },
    };
  },
});

type Issue = z.core.$ZodIssue;

/** Messages by field path ("tests.1.points"); "input" when the whole input is wrong. */
export function fieldErrorsOf(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const { path, message } of flattenIssues(error.issues, [])) {
    const key = path.map(String).join(".") || "input";
    (out[key] ??= []).push(message);
  }
  return out;
}

function summaryOf(fieldErrors: Record<string, string[]>): string {
  const entries = Object.entries(fieldErrors);
  const count = entries.reduce((n, [, m]) => n + m.length, 0);
  const [key, messages] = entries[0] ?? ["input", ["is not valid"]];
  return `${key}: ${messages[0]}${count > 1 ? ` (and ${count - 1} more problem${count > 2 ? "s" : ""})` : ""}`;
}

/**
 * Issues with their full paths. A union's "Invalid input" says nothing: it is replaced by the
 * issues of the alternative the input came closest to (fewest missing fields, then fewest issues).
 */
function flattenIssues(issues: readonly Issue[], prefix: PropertyKey[]): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const missing = (branch: readonly Issue[]) => branch.filter((i) => i.code === "invalid_type" && (i as { input?: unknown }).input === undefined).length;
      const best = [...issue.errors].sort((a, b) => missing(a) - missing(b) || a.length - b.length)[0]!;
      out.push(...flattenIssues(best, path));
    } else if (issue.code === "invalid_union" && "options" in issue && Array.isArray(issue.options)) {
      out.push({ path, message: `one of ${(issue.options as unknown[]).map(String).join(", ")}` });
    } else {
      out.push({ path, message: readable(issue) });
    }
  }
  return out;
}

/** zod's default wording made plain: "required", "expected text, got number". */
function readable(issue: Issue): string {
  if (!issue.message.startsWith("Invalid input")) return issue.message;
  if (issue.code === "invalid_type") {
    if (/received undefined$/.test(issue.message)) return "required";
    const expected = issue.expected === "string" ? "text" : issue.expected;
    return `expected ${expected}, got ${issue.message.replace(/^.*received /, "")}`;
  }
  return issue.message.replace(/^Invalid input:? ?/, "") || "not valid";
}

// 3. Procedures --------------------------------------------------------------------
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Every procedure's input, before its schema: no string or key may hold U+0000 (PostgreSQL cannot
 * store it). One rule for all inputs, including ones added later, with the path of the offending field.
 */
const inputHoldsNoNul = t.middleware(async ({ getRawInput, next }) => {
  const nulAt = findNul(await getRawInput());
  if (nulAt) throw new TRPCError({ code: "BAD_REQUEST", message: NUL_MESSAGE, cause: inputIssue(nulAt, NUL_MESSAGE) });
  return next();
});

export const publicProcedure = t.procedure.use(inputHoldsNoNul);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Ids in inputs: bounded strings, so a wrong id is "not found", never a crash. */
export const zId = z.string().trim().min(1, "an id is required").max(64, "not a valid id");
export const zShareToken = z.string().trim().max(64).optional();
