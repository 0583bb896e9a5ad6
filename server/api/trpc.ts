// tRPC setup, in the order a request meets it:
// 1. the context (database, signed-in user), 2. the error formatter (field paths for
// the client, nothing internal), 3. procedures: public, protected (signed in).
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import { randomUUID } from "node:crypto";
import { db, dbProvider, type Db } from "@/server/db";
import type { DbProvider } from "@/server/db/client";
import { getSessionUser, type SessionUser } from "@/server/auth/options";
import { ScenarioInvalidError } from "./errors";

// 1. Context ---------------------------------------------------------------------
export interface Context {
  db: Db;
  dbProvider: DbProvider;
  user: SessionUser | null;
  /** The client's address, for rate limits. */
  ip: string;
}

export async function createContext(opts: { headers: Headers }): Promise<Context> {
  const user = await getSessionUser();
  const ip = opts.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || opts.headers.get("x-real-ip") || "local";
  return { db, dbProvider, user, ip };
}

// 2. Errors -----------------------------------------------------------------------
const INTERNAL_MESSAGE = "Something went wrong on our side. It has been logged";

const t = initTRPC.context<Context>().create({
  isDev: false, // never send stacks to clients, in any mode
  errorFormatter({ shape, error, path }) {
    const cause = error.cause;
    let message = shape.message;
    if (error.code === "INTERNAL_SERVER_ERROR") {
      // A bug, not the user's doing: log it whole, give the client only an id to quote.
      const errorId = randomUUID().slice(0, 8);
      console.error(`[trpc] ${path ?? "?"} failed (error ${errorId}):`, cause ?? error);
      message = `${INTERNAL_MESSAGE} (error ${errorId}).`;
    }
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // Input that failed its zod schema: messages by field path.
        fieldErrors: cause instanceof ZodError ? fieldErrorsOf(cause) : null,
        // A scenario document with problems: each with its path and line.
        scenarioProblems: cause instanceof ScenarioInvalidError ? cause.problems : null,
      },
    };
  },
});

export function fieldErrorsOf(error: ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".") || "_";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

// 3. Procedures --------------------------------------------------------------------
export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure;

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to do this." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/** Ids in inputs: bounded strings, so a wrong id is "not found", never a crash. */
export const zId = z.string().trim().min(1, "an id is required").max(64, "not a valid id");
export const zShareToken = z.string().trim().max(64).optional();
