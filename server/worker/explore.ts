// An exploration job (a Run of kind "explore", its bounds in its summary from the start) queued
// before explorations were cut into shards (explore-shards.ts): every schedule of up to K added
// faults among the first N messages, run whole in one simulation thread. The shortest failing
// schedule is stored, in the transaction that stores the outcome, as the scenario's next version
// (shrunkFromRunId names this job), and a single run of it is queued (docs/search.md).
import { runExplore } from "@/server/runner";
import { checkScenario } from "@/server/scenarios/validate";
import type { ClaimedRun, RunOutcome } from "./queue";
import type { SimulateOptions } from "./simulate";
import { unfinishedOutcome } from "./outcome";
import { exploreOutcome, type ExploreLiveSummary } from "./explore-outcome";

export type { ExploreLiveSummary, ExploreSummary } from "./explore-outcome";
export { exploreOutcome, queuedExploreSummary } from "./explore-outcome";

/** An exploration queued before explorations were cut into shards: the whole search in one slot. */
export async function exploreRun(run: ClaimedRun, opts: SimulateOptions): Promise<RunOutcome> {
  const checked = checkScenario(run.source);
  const request = run.exploreRequest ?? null;
  if (!checked.ok || !request || !run.scenarioId) {
    return { ok: false, error: "This scenario version cannot be explored here: it no longer passes validation.", retryable: false };
  }
  if (checked.scenario.protocol.kind === "custom") {
    return { ok: false, error: "Exploration runs request-response and the built-in protocols; a program (protocol.kind custom) cannot be explored yet.", retryable: false };
  }
  try {
    const result = await runExplore(
      checked.scenario,
      { faults: request.faults, depth: request.depth, kinds: request.kinds, maxSchedules: request.maxSchedules, seed: run.seed },
      {
        deadlineMs: opts.deadlineMs,
        signal: opts.signal,
        memoryMb: opts.memoryMb,
        nice: opts.nice,
        isolate: opts.isolate,
        onProgress: (p) => {
          opts.onDetail?.({ kind: "explore", request, progress: p } satisfies ExploreLiveSummary);
          opts.onProgress(p.known > 0 ? p.explored / p.known : 0);
        },
      },
    );
    return exploreOutcome({ id: run.id, source: run.source, seed: run.seed, scenarioId: run.scenarioId }, request, result);
  } catch (err) {
    return unfinishedOutcome(err, "run");
  }
}
