// One domain error for problems a user can cause, turned into the right tRPC code in
// one place (server/api/trpc.ts). Anything else that escapes a handler is a bug: it is
// logged with an id and the client gets only that id, never a stack, SQL or a path.
import { TRPCError } from "@trpc/server";
import type { ScenarioProblemView } from "@/server/scenarios/validate";

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: `${what} not found` });
}

export function forbidden(message: string): TRPCError {
  return new TRPCError({ code: "FORBIDDEN", message });
}

export function badRequest(message: string): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message });
}

export function tooMany(message: string): TRPCError {
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message });
}

/** A scenario document with problems: the client shows each at its field. */
export class ScenarioInvalidError extends Error {
  constructor(readonly problems: ScenarioProblemView[]) {
    super(problems.length === 1 ? `${problems[0]!.path || "scenario"}: ${problems[0]!.message}` : `The scenario has ${problems.length} problems`);
    this.name = "ScenarioInvalidError";
  }
}

export function scenarioInvalid(problems: ScenarioProblemView[]): TRPCError {
  const cause = new ScenarioInvalidError(problems);
  return new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
}
