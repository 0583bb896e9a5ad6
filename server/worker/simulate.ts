// PLACEHOLDER until server/runner lands (replaced in this same change series).
import type { ClaimedRun, RunOutcome } from "./queue";

export interface SimulateOptions {
  deadlineMs: number;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
}

export async function simulateRun(_run: ClaimedRun, _opts: SimulateOptions): Promise<RunOutcome> {
  return { ok: false, error: "simulator not wired yet", retryable: false };
}
