// Sweeps split into shards on the run queue (docs/queue.md, "Sweeps in shards"). A sweep's seeds
// are cut into contiguous ranges, each a RunShard row that any worker process on any machine
// claims with the same compare-and-set, lease and fencing token as a run; a shard's result is a
// mergeable partial aggregate (server/sim/sweep/partial.ts), and the sweep's summary is the merge
// of its shards' partials, the same whatever order they finished in. A dead worker loses only its
// shard's lease; cancelling a sweep stops the shards not yet done.
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import { finishSweepPartial, mergeSweepPartials, type SweepPartial, type SweepSummary } from "@/server/sim";
import { lostLeasesMessage, LOST_LEASES_MAX_DEFAULT } from "./queue";
import { advanceExploration, recordExploreProgress, type ExploreShardPartial } from "./explore-shards";

/**
 * Declared work one shard is cut to (fairness.ts units: 100,000 declared events, about 30 ms of
 * one core): enough to make a claim's few statements negligible, little enough that a shard ends
 * in about a second, so other users' runs wait at most that long for a slot and a dead worker
 * loses about that much work.
 */
export const SHARD_WEIGHT_UNITS = 20;
/** Seeds of one shard at most, so progress moves and a lost shard is small even for tiny scenarios. */
export const SHARD_SEEDS_MAX = 1_000;
/** Shards of one sweep at most (a 100,000-seed sweep of the smallest scenario: 100 shards). */
export const SHARDS_PER_SWEEP_MAX = 1_000;
/** A running sweep's partial summary (its done shards merged) is rewritten at most this often. */
export const PARTIAL_SUMMARY_MS = 1_000;
/**
 * ...and at most once per this many times what the last merge took in this process, so merging
 * partials of a large sweep never takes more than a tenth of a worker's time.
 */
const PARTIAL_SUMMARY_COST_FACTOR = 10;
let lastMergeMs = 0;
/** Candidates a shard claim looks at, so competing workers rarely chase one row. */
const CLAIM_CANDIDATES = 8;
/** Progress is shown below this until the merged summary is stored. */
const PROGRESS_BEFORE_DONE_MAX = 0.99;

export interface ShardPlan {
  index: number;
  fromSeed: number;
  count: number;
  weight: number;
  fairTag: number;
}

/**
 * Cuts seeds from..from+seedCount-1 of a sweep of `weight` units into shards. Shard i's fair tag
 * is where its share of the sweep starts (the sweep's tag plus the weight of the shards before
 * it), so shards interleave with other tenants' runs exactly as the sweep's weight says.
 */
export function planShards(from: number, seedCount: number, weight: number, fairTag: number, seedsPerShard?: number): ShardPlan[] {
  const perSeed = weight / seedCount;
  const bySize = seedsPerShard ?? Math.min(SHARD_SEEDS_MAX, Math.max(1, Math.floor(SHARD_WEIGHT_UNITS / perSeed)));
  const size = Math.max(Math.ceil(seedCount / SHARDS_PER_SWEEP_MAX), Math.max(1, Math.floor(bySize)));
  const plans: ShardPlan[] = [];
  for (let at = 0, index = 0; at < seedCount; at += size, index++) {
    const count = Math.min(size, seedCount - at);
    plans.push({ index, fromSeed: from + at, count, weight: Math.max(1, Math.round(perSeed * count)), fairTag: fairTag + perSeed * at });
  }
  return plans;
}

export interface ClaimedShard {
  id: string;
  runId: string;
  /** The run's kind: "sweep", or "explore" (an exploration's shard: `input` says what it runs). */
  kind: string;
  index: number;
  attempt: number;
  fromSeed: number;
  count: number;
  lostLeases: number;
  versionId: string;
  source: string;
  /** An exploration shard's ExploreShardInput (JSON); null for a sweep's. */
  input: string | null;
}

export type ShardOutcome = { ok: true; partial: SweepPartial | ExploreShardPartial } | { ok: false; error: string; retryable: boolean };

export interface ShardClaimOptions {
  /** Only shards whose lease ran out. */
  expiredOnly?: boolean;
  /** Only queued shards (the caller looked at expired ones already). */
  queuedOnly?: boolean;
  lostLeasesMax?: number;
}

/** The lowest fair tag of a queued shard, or null: where shards stand in the fair order. */
export async function queuedShardsHead(db: Db): Promise<number | null> {
  const head = await db.runShard.findFirst({ where: { status: "queued" }, orderBy: [{ fairTag: "asc" }, { index: "asc" }], select: { fairTag: true } });
  return head?.fairTag ?? null;
}

/**
 * Claims a shard: one whose lease ran out first (its worker died; a new attempt, nothing counted
 * against it), else the queued shard with the lowest fair tag. Null when none is claimable.
 */
export async function claimShard(db: Db, workerId: string, leaseMs: number, now = new Date(), opts: ShardClaimOptions = {}): Promise<ClaimedShard | null> {
  const lostLeasesMax = opts.lostLeasesMax ?? LOST_LEASES_MAX_DEFAULT;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const select = { id: true, runId: true, attempt: true, lostLeases: true, fromSeed: true, count: true, run: { select: { kind: true } } } as const;
  if (!opts.queuedOnly) {
    const expired = await db.runShard.findMany({ where: { status: "running", leaseUntil: { lt: now } }, orderBy: [{ leaseUntil: "asc" }, { id: "asc" }], take: CLAIM_CANDIDATES, select });
    for (const c of expired) {
      const fence = { id: c.id, attempt: c.attempt, status: "running", leaseUntil: { lt: now } };
      if (c.lostLeases + 1 >= lostLeasesMax) {
        const ended = await db.runShard.updateMany({ where: fence, data: { status: "failed", lostLeases: c.lostLeases + 1, leaseUntil: null, finishedAt: now } });
        if (ended.count === 1) await failSweep(db, c.runId, `${shardText({ ...c, kind: c.run.kind })}: ${lostLeasesMessage(c.lostLeases + 1)}`, now);
        continue;
      }
      const claimed = await db.runShard.updateMany({ where: fence, data: { attempt: c.attempt + 1, lostLeases: c.lostLeases + 1, workerId, leaseUntil, seedsDone: 0 } });
      if (claimed.count === 1) return loadShard(db, c.id);
    }
  }
  if (opts.expiredOnly) return null;
  const queued = await db.runShard.findMany({ where: { status: "queued" }, orderBy: [{ fairTag: "asc" }, { index: "asc" }, { id: "asc" }], take: CLAIM_CANDIDATES, select });
  for (const c of queued) {
    const claimed = await db.runShard.updateMany({
      where: { id: c.id, attempt: c.attempt, status: "queued" },
      data: { status: "running", attempt: c.attempt + 1, workerId, leaseUntil, seedsDone: 0 },
    });
    if (claimed.count !== 1) continue;
    // The sweep starts with its first claimed shard.
    await db.run.updateMany({ where: { id: c.runId, status: "queued" }, data: { status: "running", attempt: 1, startedAt: now } });
    return loadShard(db, c.id);
  }
  return null;
}

async function loadShard(db: Db, id: string): Promise<ClaimedShard> {
  const s = await db.runShard.findUniqueOrThrow({
    where: { id },
    select: { id: true, runId: true, index: true, attempt: true, fromSeed: true, count: true, lostLeases: true, input: true, run: { select: { kind: true, versionId: true, version: { select: { source: true } } } } },
  });
  const shard = { id: s.id, runId: s.runId, kind: s.run.kind, index: s.index, attempt: s.attempt, fromSeed: s.fromSeed, count: s.count, lostLeases: s.lostLeases, versionId: s.run.versionId, source: s.run.version.source, input: s.input };
  if (s.run.kind !== "curve" || !s.input) return shard;
  // A curve's shard runs its point's version (CurveShardInput).
  const { versionId } = JSON.parse(s.input) as CurveShardInput;
  const version = await db.scenarioVersion.findUniqueOrThrow({ where: { id: versionId }, select: { source: true } });
  return { ...shard, versionId, source: version.source };
}

/** What a shard covers, in words: a sweep's seeds, or an exploration's schedules (fromSeed and count number a level's candidates). */
export function shardText(s: { kind: string; fromSeed: number; count: number }): string {
  if (s.kind === "explore") return s.count === 1 ? `Schedule ${s.fromSeed + 1} of its level` : `Schedules ${s.fromSeed + 1}–${s.fromSeed + s.count} of their level`;
  return s.count === 1 ? `Seed ${s.fromSeed}` : `Seeds ${s.fromSeed}–${s.fromSeed + s.count - 1}`;
}

/**
 * Extends a shard's lease and records its progress, and the sweep's (monotonic: a re-claimed
 * shard starting over does not move the bar back). False when this attempt no longer owns the
 * shard: a newer attempt took it, or the sweep was cancelled or failed.
 */
export async function renewShardLease(db: Db, shard: { id: string; runId: string; attempt: number }, leaseMs: number, seedsDone?: number): Promise<boolean> {
  const res = await db.runShard.updateMany({
    where: { id: shard.id, attempt: shard.attempt, status: "running" },
    data: { leaseUntil: new Date(Date.now() + leaseMs), ...(seedsDone !== undefined ? { seedsDone } : {}) },
  });
  if (res.count !== 1) return false;
  if (seedsDone !== undefined) await recordProgress(db, shard.runId);
  return true;
}

/** The sweep's progress: seeds done over all its shards (done ones and the current attempts of running ones). */
async function recordProgress(db: Db, runId: string): Promise<void> {
  const [run, sum] = await Promise.all([
    db.run.findUnique({ where: { id: runId }, select: { seedCount: true, kind: true } }),
    db.runShard.aggregate({ where: { runId, status: { in: ["running", "done"] } }, _sum: { seedsDone: true } }),
  ]);
  if (!run) return;
  if (run.kind === "explore") return recordExploreProgress(db, runId);
  const progress = Math.min(PROGRESS_BEFORE_DONE_MAX, (sum._sum.seedsDone ?? 0) / run.seedCount);
  await db.run.updateMany({ where: { id: runId, status: "running", progress: { lt: progress } }, data: { progress } });
}

/**
 * Stores a shard's outcome, fenced by its attempt; false (nothing written) when the attempt no
 * longer owns the shard. The shard that completes the sweep merges every partial into the sweep's
 * summary; others refresh the partial summary the sweep page shows while it runs.
 */
export async function finishShard(db: Db, shard: ClaimedShard, outcome: ShardOutcome, now = new Date(), opts: { maxFailures?: number } = {}): Promise<boolean> {
  const fence = { id: shard.id, attempt: shard.attempt, status: "running" };
  if (!outcome.ok) {
    const row = await db.runShard.findFirst({ where: fence, select: { failures: true, run: { select: { maxAttempts: true } } } });
    if (!row) return false;
    const failures = row.failures + 1;
    if (outcome.retryable && failures < Math.min(row.run.maxAttempts, opts.maxFailures ?? row.run.maxAttempts)) {
      const requeued = await db.runShard.updateMany({ where: { ...fence, failures: row.failures }, data: { status: "queued", failures, leaseUntil: null, workerId: null, seedsDone: 0, error: outcome.error } });
      if (requeued.count === 1) return true;
    }
    const error = outcome.retryable && failures > 1 ? `${outcome.error} (the same happened on each of ${failures} tries)` : outcome.error;
    const failed = await db.runShard.updateMany({ where: fence, data: { status: "failed", failures, leaseUntil: null, error, finishedAt: now } });
    if (failed.count !== 1) return false;
    await failSweep(db, shard.runId, `${shardText(shard)}: ${error}`, now);
    return true;
  }
  const stored = await db.runShard.updateMany({
    where: fence,
    data: { status: "done", partial: JSON.stringify(outcome.partial), seedsDone: shard.count, leaseUntil: null, error: null, finishedAt: now },
  });
  if (stored.count !== 1) return false;
  // Counted after our own write committed: of two last shards finishing together, at least the
  // later one sees both done (and a worker's periodic check catches a finisher that died here).
  const remaining = await db.runShard.count({ where: { runId: shard.runId, status: { not: "done" } } });
  if (shard.kind === "explore") {
    // The round's last shard merges it and queues the next round, or stores the outcome.
    if (remaining === 0) await advanceExploration(db, shard.runId, now);
    else await recordExploreProgress(db, shard.runId);
  } else if (remaining === 0) await finalizeSweep(db, shard.runId, now);
  else {
    await recordProgress(db, shard.runId);
    await publishPartialSummary(db, shard.runId, now);
  }
  return true;
}

/** The done shards' partials merged (null when one was cleared, after the sweep ended). */
async function mergedPartial(db: Db, runId: string): Promise<SweepPartial | null> {
  const rows = await db.runShard.findMany({ where: { runId, status: "done" }, select: { partial: true } });
  const partials: SweepPartial[] = [];
  for (const r of rows) {
    if (r.partial === null) return null;
    partials.push(JSON.parse(r.partial) as SweepPartial);
  }
  return mergeSweepPartials(partials);
}

/** Writes the running sweep's (or curve's) partial summary, at most every PARTIAL_SUMMARY_MS across all workers. */
export async function publishPartialSummary(db: Db, runId: string, now = new Date()): Promise<boolean> {
  const intervalMs = Math.max(PARTIAL_SUMMARY_MS, PARTIAL_SUMMARY_COST_FACTOR * lastMergeMs);
  const turn = await db.run.updateMany({
    where: { id: runId, status: "running", OR: [{ partialAt: null }, { partialAt: { lt: new Date(now.getTime() - intervalMs) } }] },
    data: { partialAt: now },
  });
  if (turn.count !== 1) return false;
  const started = performance.now();
  const run = await db.run.findUnique({ where: { id: runId }, select: { kind: true, summary: true } });
  if (run?.kind === "curve") {
    const curve = await mergedCurve(db, runId, run.summary);
    lastMergeMs = performance.now() - started;
    if (!curve) return false;
    const res = await db.run.updateMany({ where: { id: runId, status: "running" }, data: { summary: JSON.stringify(curve) } });
    return res.count === 1;
  }
  const merged = await mergedPartial(db, runId);
  if (!merged) return false;
  const summary = JSON.stringify(finishSweepPartial(merged));
  lastMergeMs = performance.now() - started;
  const res = await db.run.updateMany({ where: { id: runId, status: "running" }, data: { summary } });
  return res.count === 1;
}

/**
 * Ends a sweep whose shards are all done: their partials merged, in seed order whatever order
 * they finished in. Idempotent: every caller computes the same summary; one write matches.
 */
export async function finalizeSweep(db: Db, runId: string, now = new Date()): Promise<boolean> {
  if ((await db.runShard.count({ where: { runId, status: { not: "done" } } })) > 0) return false;
  const run = await db.run.findUnique({ where: { id: runId }, select: { kind: true, summary: true } });
  if (run?.kind === "curve") return finalizeCurve(db, runId, run.summary, now);
  const merged = await mergedPartial(db, runId);
  if (!merged) return false;
  const summary = finishSweepPartial(merged);
  const res = await db.run.updateMany({
    where: { id: runId, status: "running" },
    data: {
      status: "done", progress: 1, error: null, leaseUntil: null, finishedAt: now,
      engine: summary.engine, verdict: summary.allHeld === summary.seeds ? "pass" : "fail", summary: JSON.stringify(summary),
    },
  });
  // The partials are in the summary now; they were the bulk of the shards' rows.
  if (res.count === 1) await db.runShard.updateMany({ where: { runId }, data: { partial: null } });
  return res.count === 1;
}

/** What a curve's shard runs (RunShard.input): its point's version. */
export interface CurveShardInput {
  versionId: string;
}

/** One point of a curve run: its label (the point's assignments, the axis first), its version, and its sweep summary once any of its shards is done. */
export interface CurveRunPoint {
  label: string;
  version: number;
  /** The point's seeds merged so far (all of them once the curve is done); null before its first shard is done. */
  summary: SweepSummary | null;
}

/** A curve run's summary (kind "curve"): every point's sweep of the same seeds, one run whose shards are (point, seed range). */
export interface CurveRunSummary {
  kind: "curve";
  seedsPerPoint: number;
  points: CurveRunPoint[];
}

/**
 * Shard rows of a curve: each point's seeds cut as a sweep's, numbered on across points, each
 * shard naming its point (pointIndex) and the point's version. The fair tags run on from point to
 * point, so the whole curve takes its share of the workers as one sweep of all its points would.
 */
export function curveShardRows(points: readonly { versionId: string; weight: number; seed: number }[], seedsPerPoint: number, fairTag: number, seedsPerShard?: number): Prisma.RunShardCreateManyRunInput[] {
  const rows: Prisma.RunShardCreateManyRunInput[] = [];
  let tag = fairTag;
  points.forEach((p, pointIndex) => {
    for (const plan of planShards(p.seed, seedsPerPoint, p.weight, tag, seedsPerShard)) {
      rows.push({ index: rows.length, pointIndex, fromSeed: plan.fromSeed, count: plan.count, weight: plan.weight, fairTag: plan.fairTag, input: JSON.stringify({ versionId: p.versionId } satisfies CurveShardInput) });
    }
    tag += p.weight;
  });
  return rows;
}

/** The curve's summary with each point's done shards merged (null when a partial was cleared, after the curve ended). */
async function mergedCurve(db: Db, runId: string, queued: string | null): Promise<CurveRunSummary | null> {
  if (!queued) return null;
  const base = JSON.parse(queued) as CurveRunSummary;
  const rows = await db.runShard.findMany({ where: { runId, status: "done" }, select: { partial: true, pointIndex: true } });
  const byPoint = new Map<number, SweepPartial[]>();
  for (const r of rows) {
    if (r.partial === null || r.pointIndex === null) return null;
    const list = byPoint.get(r.pointIndex) ?? [];
    list.push(JSON.parse(r.partial) as SweepPartial);
    byPoint.set(r.pointIndex, list);
  }
  return {
    ...base,
    points: base.points.map((p, i) => {
      const parts = byPoint.get(i);
      return { ...p, summary: parts ? finishSweepPartial(mergeSweepPartials(parts)) : null };
    }),
  };
}

/** Ends a curve whose shards are all done: each point's partials merged, as finalizeSweep does for one sweep. Idempotent. */
async function finalizeCurve(db: Db, runId: string, queued: string | null, now: Date): Promise<boolean> {
  const curve = await mergedCurve(db, runId, queued);
  if (!curve || curve.points.some((p) => !p.summary)) return false;
  const held = curve.points.every((p) => p.summary!.allHeld === p.summary!.seeds);
  const res = await db.run.updateMany({
    where: { id: runId, status: "running" },
    data: { status: "done", progress: 1, error: null, leaseUntil: null, finishedAt: now, engine: curve.points[0]!.summary!.engine, verdict: held ? "pass" : "fail", summary: JSON.stringify(curve) },
  });
  if (res.count === 1) await db.runShard.updateMany({ where: { runId }, data: { partial: null } });
  return res.count === 1;
}

/**
 * Sweeps whose shards are all done but whose finisher died before merging them: merged here; and
 * explorations whose round's finisher died before advancing them: advanced here.
 */
export async function finalizeStrandedSweeps(db: Db, now = new Date()): Promise<number> {
  const stranded = await db.run.findMany({
    where: { status: "running", shardCount: { gt: 0 }, shards: { none: { status: { not: "done" } } } },
    select: { id: true, kind: true },
    take: 10,
  });
  let n = 0;
  for (const r of stranded) if (await (r.kind === "explore" ? advanceExploration(db, r.id, now) : finalizeSweep(db, r.id, now))) n++;
  return n;
}

/** Fails a sweep (a shard failed for good) and stops its other shards. */
async function failSweep(db: Db, runId: string, error: string, now: Date): Promise<void> {
  await db.$transaction([
    db.run.updateMany({ where: { id: runId, status: { in: ["queued", "running"] } }, data: { status: "failed", error, leaseUntil: null, finishedAt: now, searchState: null } }),
    db.runShard.updateMany({ where: { runId, status: { in: ["queued", "running"] } }, data: { status: "cancelled", leaseUntil: null } }),
  ]);
}

/**
 * Cancels a queued or running run. A sweep's shards not yet done stop: queued ones are never
 * claimed, running ones lose their lease at their next renewal and their workers abandon them.
 * A single run's worker notices the same way (its renewals are fenced on status "running").
 * The sweep keeps its partial summary of the shards that finished. False when it had ended.
 */
export async function cancelRun(db: Db, runId: string, now = new Date()): Promise<boolean> {
  const ops: Prisma.PrismaPromise<{ count: number }>[] = [
    // An exploration's search state goes with it: nothing can advance it now.
    db.run.updateMany({ where: { id: runId, status: { in: ["queued", "running"] } }, data: { status: "cancelled", leaseUntil: null, finishedAt: now, error: null, searchState: null } }),
    db.runShard.updateMany({ where: { runId, status: { in: ["queued", "running"] } }, data: { status: "cancelled", leaseUntil: null } }),
  ];
  const [run] = await db.$transaction(ops);
  return run!.count === 1;
}

/** Shard rows of a new sweep, for its run's nested create. */
export function shardRows(from: number, seedCount: number, weight: number, fairTag: number, seedsPerShard?: number): Prisma.RunShardCreateManyRunInput[] {
  return planShards(from, seedCount, weight, fairTag, seedsPerShard).map((p) => ({ index: p.index, fromSeed: p.fromSeed, count: p.count, weight: p.weight, fairTag: p.fairTag }));
}
