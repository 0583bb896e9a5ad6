// A shrink job (a Run of kind "shrink", parentRunId the failing single run): shrinks that run's
// scenario at its seed in a worker thread and stores the result as the scenario's next version,
// with its faults spelled out, in the transaction that stores the outcome (docs/search.md).
import { runShrink } from "@/server/runner";
import { checkScenario } from "@/server/scenarios/validate";
import { ENGINE_VERSION } from "@/server/sim";
import { spelledOutDocument } from "@/server/sim/search/document";
import { SHRINK_DEFAULT_STEPS } from "@/server/sim/search/shrink";
import type { ClaimedRun, RunOutcome } from "./queue";
import type { SimulateOptions } from "./simulate";
import { unfinishedOutcome } from "./outcome";

/** What a shrink run's summary holds (the run page's shrink panel reads it). */
export interface ShrinkSummary {
  kind: "shrink";
  fromRunId: string;
  seed: number;
  failing: boolean;
  check: string | null;
  before?: { faults: number; events: number };
  after?: { faults: number; events: number };
  steps: number;
  exhausted?: boolean;
  /** Added when stored: the new version's number (null, with versionError, when none could be added). */
  versionNumber?: number | null;
  versionError?: string;
}

export async function shrinkRun(run: ClaimedRun, opts: SimulateOptions): Promise<RunOutcome> {
  const checked = checkScenario(run.source);
  if (!checked.ok || !run.parentRunId || !run.scenarioId) {
    return { ok: false, error: "This scenario version cannot be shrunk here: it no longer passes validation.", retryable: false };
  }
  try {
    const result = await runShrink(checked.scenario, {
      seed: run.seed,
      maxSteps: SHRINK_DEFAULT_STEPS,
      deadlineMs: opts.deadlineMs,
      signal: opts.signal,
      memoryMb: opts.memoryMb,
      nice: opts.nice,
      isolate: opts.isolate,
      onProgress: (p) => opts.onProgress(p.step / p.budget),
    });
    const base = { kind: "shrink" as const, fromRunId: run.parentRunId, seed: run.seed, check: result.check, steps: result.steps };
    if (!result.failing) {
      const summary: ShrinkSummary = { ...base, failing: false };
      return { ok: true, engine: ENGINE_VERSION, verdict: "pass", summary, eventCount: null, trace: null };
    }
    const summary: ShrinkSummary = { ...base, failing: true, before: result.before, after: result.after, exhausted: result.exhausted };
    const source = spelledOutDocument(run.source, result.scenario, {
      seed: run.seed,
      workloadKept: result.workloadKept,
      note: `Shrunk from run ${run.parentRunId} (seed ${run.seed}): still fails ${result.check} with ${result.after.faults} of ${result.before.faults} faults.`,
    });
    return {
      ok: true,
      engine: ENGINE_VERSION,
      verdict: "fail",
      summary,
      eventCount: null,
      trace: null,
      newVersion: { scenarioId: run.scenarioId, source, name: result.scenario.name, note: `shrunk from run ${run.parentRunId}`, shrunkFromRunId: run.parentRunId },
    };
  } catch (err) {
    return unfinishedOutcome(err, "run");
  }
}
