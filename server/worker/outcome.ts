// How a simulation that did not finish becomes a run's outcome: shared by plain runs and
// grading, so both tell users the same thing and retry the same failures.
import { RunnerError } from "@/server/runner";
import type { RunOutcome } from "./queue";

/** The outcome for a RunnerError; anything else is a bug and is rethrown. */
export function unfinishedOutcome(err: unknown, what: "run" | "grading"): RunOutcome {
  if (!(err instanceof RunnerError)) throw err;
  switch (err.code) {
    case "deadline":
    case "invalid-options":
      // The same scenario would do the same again: fail now, with the reason.
      return { ok: false, error: sentence(err.message), retryable: false };
    case "cancelled":
      return { ok: false, error: `The ${what} was interrupted and will be tried again.`, retryable: true };
    case "out-of-memory":
      // Deterministic: the same scenario needs the same memory on every attempt.
      return { ok: false, error: `${sentence(err.message)} Lower maxEvents, the number of nodes, or the requests kept outstanding.`, retryable: false };
    case "process-killed":
      // The system ended the isolated simulation, probably for memory; it may be the machine's
      // state rather than the scenario, so it is retried, and said each time.
      return { ok: false, error: sentence(err.message), retryable: true };
    case "worker-failed":
      // Possibly this machine (memory, a killed thread): another attempt may succeed.
      return { ok: false, error: sentence(err.message), retryable: true };
  }
}

function sentence(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1) + (s.endsWith(".") ? "" : ".");
}
