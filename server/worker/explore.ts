// An exploration job (a Run of kind "explore", its bounds in its summary from the start): every
// schedule of up to K added faults among the first N messages, run in a simulation thread. The
// shortest failing schedule is stored, in the transaction that stores the outcome, as the scenario's
// next version (shrunkFromRunId names this job), and a single run of it is queued (docs/search.md).
import { runExplore } from "@/server/runner";
import { checkScenario } from "@/server/scenarios/validate";
import type { ExploreBounds } from "@/server/scenarios/explore-limits";
import { ENGINE_VERSION } from "@/server/sim";
import { withAddedFaults } from "@/server/sim/search/scenario-text";
import type { ExploreResult } from "@/server/sim/search/explore";
import type { ClaimedRun, RunOutcome } from "./queue";
import type { SimulateOptions } from "./simulate";
import { unfinishedOutcome } from "./outcome";
import { runWeight } from "./fairness";

/** The summary of an exploration while it waits or runs: its bounds, then how far it got. */
export interface ExploreLiveSummary {
  kind: "explore";
  request: ExploreBounds;
  progress?: { explored: number; known: number; level: number };
}

/** A finished exploration's summary (the run page's explore panel reads it). */
export interface ExploreSummary {
  kind: "explore";
  request: ExploreBounds;
  seed: number;
  explored: number;
  byLevel: number[];
  repeatedTraces: number;
  failing: number;
  complete: boolean;
  stoppedBy: ExploreResult["stoppedBy"];
  seconds: number;
  schedulesPerSecond: number;
  shortest: { faults: Record<string, unknown>[]; describe: string[]; failed: { name: string; message: string | null }[]; events: number } | null;
  /** Added when stored: the counterexample's version and the single run queued of it. */
  versionNumber?: number | null;
  versionError?: string;
  counterexampleRunId?: string;
}

/** The summary an exploration is queued with. */
export function queuedExploreSummary(request: ExploreBounds): ExploreLiveSummary {
  return { kind: "explore", request };
}

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
    // The search's own time, in its thread: not the thread's start, nor waiting for a core to start it.
    const seconds = result.seconds;
    const s = result.shortest;
    const summary: ExploreSummary = {
      kind: "explore",
      request,
      seed: run.seed,
      explored: result.explored,
      byLevel: result.byLevel,
      repeatedTraces: result.repeatedTraces,
      failing: result.failing,
      complete: result.complete,
      stoppedBy: result.stoppedBy,
      seconds: Number(seconds.toFixed(3)),
      schedulesPerSecond: seconds > 0 ? Math.round(result.explored / seconds) : 0,
      shortest: s
        ? {
            faults: s.faults.map((f) => f.entry),
            describe: s.faults.map((f) => f.describe),
            failed: s.summary.checks.filter((c) => !c.ok && s.failed.includes(c.name)).map((c) => ({ name: c.name, message: c.message ?? null })),
            events: s.summary.events,
          }
        : null,
    };
    const base = { ok: true as const, engine: ENGINE_VERSION, summary, eventCount: null, trace: null };
    if (!s) return { ...base, verdict: "pass" };
    if (s.faults.length === 0) return { ...base, verdict: "fail" };
    const source = withAddedFaults(run.source, s.faults, {
      seed: run.seed,
      note: `explore (run ${run.id}): ${s.faults.length} fault${s.faults.length === 1 ? "" : "s"} that make${s.faults.length === 1 ? "s" : ""} ${s.failed.join(", ")} fail`,
    });
    const again = checkScenario(source);
    if (!again.ok) return { ...base, verdict: "fail", summary: { ...summary, versionNumber: null, versionError: `The counterexample could not be saved as a version: ${again.problems[0]?.path}: ${again.problems[0]?.message}` } };
    return {
      ...base,
      verdict: "fail",
      newVersion: {
        scenarioId: run.scenarioId,
        source,
        name: again.facts.name,
        note: `found by exploring (run ${run.id})`,
        shrunkFromRunId: run.id,
        queueRun: { seed: run.seed, weight: runWeight(again.scenario, 1) },
      },
    };
  } catch (err) {
    return unfinishedOutcome(err, "run");
  }
}
