// Explorations in shards on the run queue (docs/queue.md "Explorations in shards", docs/search.md).
// The search goes level by level (server/sim/search/explore-shards.ts): each round of a level is a
// set of RunShard rows, ranges of the level's candidates that any worker slot on any machine claims
// exactly as a sweep's shards (same claim, lease, fencing token; a dead worker loses only its
// shard). The worker that stores a round's last shard merges the round into the search's state
// (Run.searchState) and queues the next round's shards, or, when the search has ended, stores the
// outcome: the summary, and the counterexample's version with its single run, in one transaction
// (finishRun). Every step is a compare-and-set on the run, so two workers finishing the last shards
// together advance it once.
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import type { Scenario } from "@/server/sim";
import {
  exploreMergeKnown,
  exploreMergeResult,
  mergeExploreRound,
  planExploreRound,
  startExploreMerge,
  type ExploreMergeState,
  type ExploreSlice,
  type ExploreSliceOptions,
  type ExploreSliceResult,
} from "@/server/sim/search/explore-shards";
import type { ExploreBounds } from "@/server/scenarios/explore-limits";
import { declaredEventsBound, WEIGHT_EVENTS_PER_UNIT } from "./fairness";
import { finishRun } from "./queue";
import { exploreOutcome, type ExploreLiveSummary } from "./explore-outcome";
import { SHARD_WEIGHT_UNITS } from "./shards";

/** Candidates of one shard at most: about a quarter of a second of a small scenario's schedules on one core. */
export const EXPLORE_SHARD_SCHEDULES_MAX = 250;
/** ...and at least this many, so that a shard's claim and its parents' runs again stay a small part of it. */
export const EXPLORE_SHARD_SCHEDULES_MIN = 10;

/** What an exploration shard runs (RunShard.input). */
export interface ExploreShardInput {
  options: ExploreSliceOptions;
  slice: ExploreSlice;
}

/** What a done exploration shard stores (RunShard.partial): its slice's result and its own time. */
export type ExploreShardPartial = ExploreSliceResult & { seconds: number };

/** An exploration's state between rounds (Run.searchState). */
export interface ExploreShardsState {
  merge: ExploreMergeState;
  /** Candidates per shard, from the scenario's declared work. */
  perShard: number;
  /** The index of the current round's first shard. */
  roundFirst: number;
  /** The shards' own time and runs so far (parents run again included). */
  seconds: number;
  runs: number;
}

/** Candidates per shard: about SHARD_WEIGHT_UNITS of declared work, within the bounds above. */
export function schedulesPerShard(scenario: Scenario): number {
  const perSchedule = declaredEventsBound(scenario) / WEIGHT_EVENTS_PER_UNIT;
  const bySize = Math.floor(SHARD_WEIGHT_UNITS / Math.max(perSchedule, 1e-9));
  return Math.max(EXPLORE_SHARD_SCHEDULES_MIN, Math.min(EXPLORE_SHARD_SCHEDULES_MAX, bySize));
}

/** The options every shard of an exploration runs with: its bounds, at the run's seed. */
export function sliceOptions(request: ExploreBounds, seed: number): ExploreSliceOptions {
  return { faults: request.faults, depth: request.depth, kinds: request.kinds, maxSchedules: request.maxSchedules, seed };
}

type ShardRow = Omit<Prisma.RunShardCreateManyInput, "runId">;

/**
 * The next round of an exploration as shard rows numbered from `firstIndex`; rounds with no
 * candidate are merged at once. `stoppedBy` set: the search has ended and there is nothing to run.
 * A shard's fair tag is where its schedules start in the run's share (the run's tag plus its weight
 * per schedule times the schedules before it), as a sweep's shards.
 */
export function nextRound(
  state: ExploreShardsState,
  options: ExploreSliceOptions,
  run: { fairTag: number; weight: number },
  firstIndex: number,
): { state: ExploreShardsState; rows: ShardRow[]; known: number } {
  let merge = state.merge;
  while (!merge.stoppedBy) {
    const plan = planExploreRound(merge, state.perShard);
    if (plan.slices.length === 0) {
      merge = mergeExploreRound(plan.state, []);
      continue;
    }
    const perSchedule = run.weight / Math.max(1, options.maxSchedules ?? 1);
    let before = merge.explored;
    const rows = plan.slices.map((slice, i): ShardRow => {
      const row = {
        index: firstIndex + i,
        fromSeed: slice.from,
        count: slice.count,
        weight: Math.max(1, Math.round(perSchedule * slice.count)),
        fairTag: run.fairTag + perSchedule * before,
        input: JSON.stringify({ options, slice } satisfies ExploreShardInput),
      };
      before += slice.count;
      return row;
    });
    return { state: { ...state, merge: plan.state, roundFirst: firstIndex }, rows, known: exploreMergeKnown(merge) };
  }
  return { state: { ...state, merge }, rows: [], known: merge.explored };
}

/**
 * A new exploration's state and its first shard (the scenario as written). Throws
 * ExploreOptionsError for options the search refuses.
 */
export function firstRound(scenario: Scenario, request: ExploreBounds, seed: number, run: { fairTag: number; weight: number }, perShard = schedulesPerShard(scenario)) {
  const options = sliceOptions(request, seed);
  const state: ExploreShardsState = { merge: startExploreMerge(scenario, options), perShard, roundFirst: 0, seconds: 0, runs: 0 };
  const next = nextRound(state, options, run, 0);
  return { searchState: JSON.stringify(next.state), shards: next.rows, summary: liveOf(request, next.state, next.known, next.rows.length, next.rows.length) };
}

/** Progress is shown below this until the outcome is stored. */
const PROGRESS_BEFORE_DONE_MAX = 0.99;

function progressOf(live: ExploreLiveSummary): number {
  const p = live.progress;
  return p && p.known > 0 ? Math.min(PROGRESS_BEFORE_DONE_MAX, p.explored / p.known) : 0;
}

/**
 * The running exploration's live summary and progress from its current round's shards: those done,
 * and the candidates the running ones have done. Written with shard renewals and as shards finish.
 */
export async function recordExploreProgress(db: Db, runId: string): Promise<void> {
  const run = await db.run.findUnique({ where: { id: runId }, select: { status: true, summary: true, shardCount: true } });
  if (!run || run.status !== "running" || !run.summary) return;
  const live = JSON.parse(run.summary) as ExploreLiveSummary & { base?: RoundBase };
  const base = live.base;
  if (!base) return;
  const rows = await db.runShard.findMany({ where: { runId, index: { gte: base.first } }, select: { status: true, seedsDone: true, count: true } });
  const done = rows.filter((r) => r.status === "done").length;
  const doneCandidates = rows.reduce((n, r) => n + (r.status === "done" ? r.count : r.status === "running" ? r.seedsDone : 0), 0);
  const next: ExploreLiveSummary & { base: RoundBase } = {
    ...live,
    base,
    progress: { explored: Math.min(base.known, base.explored + doneCandidates), known: base.known, level: base.level },
    shards: { level: base.level, done, round: rows.length, total: run.shardCount },
  };
  // Fenced on the shard count: a stale write never overwrites the next round's summary.
  await db.run.updateMany({ where: { id: runId, status: "running", shardCount: run.shardCount }, data: { summary: JSON.stringify(next), progress: progressOf(next) } });
}

/** What the live summary keeps of the round for progress writes: not shown, small. */
interface RoundBase {
  first: number;
  explored: number;
  known: number;
  level: number;
}

function liveOf(request: ExploreBounds, state: ExploreShardsState, known: number, roundShards: number, totalShards: number): ExploreLiveSummary & { base: RoundBase } {
  const m = state.merge;
  const base: RoundBase = { first: state.roundFirst, explored: m.explored, known, level: m.level };
  return { kind: "explore", request, progress: { explored: m.explored, known, level: m.level }, shards: { level: m.level, done: 0, round: roundShards, total: totalShards }, base };
}

/**
 * Advances an exploration whose shards are all done: merges the round, then queues the next one
 * or stores the outcome. Idempotent: of several callers one advances it, the others find the
 * shard count (or the status) changed. False when there was nothing to do.
 */
export async function advanceExploration(db: Db, runId: string, now = new Date()): Promise<boolean> {
  const run = await db.run.findUnique({
    where: { id: runId },
    select: { id: true, status: true, attempt: true, shardCount: true, searchState: true, summary: true, seed: true, scenarioId: true, fairTag: true, weight: true, startedAt: true, version: { select: { source: true } } },
  });
  if (!run || run.status !== "running" || !run.searchState) return false;
  if ((await db.runShard.count({ where: { runId, status: { not: "done" } } })) > 0) return false;
  const state = JSON.parse(run.searchState) as ExploreShardsState;
  const rows = await db.runShard.findMany({ where: { runId, index: { gte: state.roundFirst } }, orderBy: { index: "asc" }, select: { partial: true, input: true } });
  if (rows.length === 0 || rows.some((r) => r.partial === null || r.input === null)) return false;
  const partials = rows.map((r) => JSON.parse(r.partial!) as ExploreShardPartial);
  const { options } = JSON.parse(rows[0]!.input!) as ExploreShardInput;
  const request = (JSON.parse(run.summary!) as ExploreLiveSummary).request;
  const merged: ExploreShardsState = {
    ...state,
    merge: mergeExploreRound(state.merge, partials),
    seconds: state.seconds + partials.reduce((n, p) => n + p.seconds, 0),
    runs: state.runs + partials.reduce((n, p) => n + p.runs, 0),
  };
  const next = nextRound(merged, options, run, run.shardCount);
  if (next.rows.length > 0) {
    const live = liveOf(request, next.state, next.known, next.rows.length, run.shardCount + next.rows.length);
    return db.$transaction(async (tx) => {
      const res = await tx.run.updateMany({
        where: { id: runId, status: "running", shardCount: run.shardCount },
        data: { shardCount: run.shardCount + next.rows.length, searchState: JSON.stringify(next.state), summary: JSON.stringify(live), progress: progressOf(live) },
      });
      if (res.count !== 1) return false;
      await tx.runShard.createMany({ data: next.rows.map((r) => ({ ...r, runId })) });
      // The merged round's results are in the state now.
      await tx.runShard.updateMany({ where: { runId, index: { lt: run.shardCount } }, data: { partial: null, input: null } });
      return true;
    });
  }
  // The search has ended: its outcome, the counterexample's version and its run, in one transaction.
  const result = { ...exploreMergeResult(next.state.merge), seconds: next.state.seconds };
  const wallSeconds = run.startedAt ? Math.max(0, (now.getTime() - run.startedAt.getTime()) / 1000) : 0;
  const outcome = exploreOutcome({ id: run.id, source: run.version.source, seed: run.seed, scenarioId: run.scenarioId }, request, result, {
    shards: { count: run.shardCount, runs: next.state.runs, wallSeconds: Number(wallSeconds.toFixed(3)) },
  });
  const stored = await finishRun(db, runId, run.attempt, outcome, now);
  if (stored) await db.$transaction([db.run.update({ where: { id: runId }, data: { searchState: null }, select: { id: true } }), db.runShard.updateMany({ where: { runId }, data: { partial: null, input: null } })]);
  return stored;
}
