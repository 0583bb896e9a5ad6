// What every check gives: whether it held, why not in words, and the events that show it.
// Checks read a run's history and trace, never node internals.

export interface CheckResult {
  name: string;
  ok: boolean;
  /** Why it failed, in words. */
  message?: string;
  /** Indices of the trace events that show the failure. */
  witness?: number[];
  /** safety: something bad never happens; liveness: something good eventually does. */
  type?: "safety" | "liveness";
}
