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

/** A limit was reached; trying again after `retryAfterSeconds` may succeed (sent as Retry-After). */
export class RateLimitedError extends Error {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
    this.name = "RateLimitedError";
  }
}

export function tooMany(message: string, retryAfterSeconds: number): TRPCError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message, cause: new RateLimitedError(message, seconds) });
}

/** A scenario document with problems: the client shows each at its field. */
export class ScenarioInvalidError extends Error {
  /** `field`: the input field that held the document ("source", "starterSource", …). */
  constructor(readonly problems: ScenarioProblemView[], readonly field = "source") {
    super(
      problems.length === 1
        ? `${field}: ${formatProblem(problems[0]!)}`
        : `${field}: ${formatProblem(problems[0]!)} (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})`,
    );
    this.name = "ScenarioInvalidError";
  }
}

/** "faults[2].node: unknown node C9 (line 18)" */
export function formatProblem(p: ScenarioProblemView): string {
  return `${p.path ? `${p.path}: ` : ""}${p.message}${p.line ? ` (line ${p.line})` : ""}`;
}

export function scenarioInvalid(problems: ScenarioProblemView[], field = "source"): TRPCError {
  const cause = new ScenarioInvalidError(problems, field);
  return new TRPCError({ code: "BAD_REQUEST", message: cause.message, cause });
}
