// What an ended exploration stores (docs/search.md), and its summaries while it waits, runs and
// once done: shared by an exploration in shards (explore-shards.ts, which the web's queue code
// imports, so nothing here may reach the simulation threads) and one run whole (explore.ts).
import { checkScenario } from "@/server/scenarios/validate";
import type { ExploreBounds } from "@/server/scenarios/explore-limits";
import { ENGINE_VERSION } from "@/server/sim/version";
import { withAddedFaults } from "@/server/sim/search/scenario-text";
import type { ExploreResult } from "@/server/sim/search/explore";
import type { RunOutcome } from "./queue";
import { runWeight } from "./fairness";

/** The summary of an exploration while it waits or runs: its bounds, then how far it got. */
export interface ExploreLiveSummary {
  kind: "explore";
  request: ExploreBounds;
  progress?: { explored: number; known: number; level: number };
  /**
   * An exploration in shards (server/worker/explore-shards.ts): the current round's shards (of
   * `level`), how many are done, and how many shards it has had in all.
   */
  shards?: { level: number; done: number; round: number; total: number };
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
  /** An exploration in shards: how many shards ran it, and the schedules they ran (parents run again included). */
  shards?: { count: number; runs: number; wallSeconds: number };
  /** Added when stored: the counterexample's version and the single run queued of it. */
  versionNumber?: number | null;
  versionError?: string;
  counterexampleRunId?: string;
}

/** The summary an exploration is queued with. */
export function queuedExploreSummary(request: ExploreBounds): ExploreLiveSummary {
  return { kind: "explore", request };
}

/**
 * What an ended exploration stores: its summary and, when a schedule with added faults fails, the
 * counterexample as the scenario's next version with a single run of it queued (both written in the
 * transaction that stores the outcome). `seconds`: the search's own time in its threads.
 */
export function exploreOutcome(
  run: { id: string; source: string; seed: number; scenarioId: string },
  request: ExploreBounds,
  result: ExploreResult & { seconds: number },
  extra: Partial<Pick<ExploreSummary, "shards">> = {},
): RunOutcome {
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
    ...extra,
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
}

