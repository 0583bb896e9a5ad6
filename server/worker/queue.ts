// The run queue, kept in the database (docs/queue.md). A run row is created `queued` in
// the request that asks for it, with a fair-share tag (server/worker/fairness.ts); workers
// claim rows with a compare-and-set that bumps `attempt` (the fencing token) and sets a lease
// they keep renewing. A run whose lease ran out (its worker died) is claimed again before any
// queued run; every write a worker makes afterwards names its attempt, so a stale worker can
// never overwrite a newer attempt's result. Worker deaths and errors are counted apart: a
// death is not the run's fault, unless the same run keeps ending its workers.
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import { newShareToken } from "@/server/api/access";
import { deleteTraceChunks, writeTraceChunks } from "@/server/traces/store";
import { VERSIONS_PER_SCENARIO_MAX } from "@/server/scenarios/validate";
import { fairKeyOf, heavyRunsCap, HEAVY_WEIGHT_MIN, isHeavy, nextFairTags } from "./fairness";
import { curveShardRows, shardRows, type CurveRunSummary } from "./shards";
import { exploreRequestOf, type ExploreBounds } from "@/server/scenarios/explore-limits";
import type { Scenario } from "@/server/sim";
import { firstRound } from "./explore-shards";

/** How many rows a claim looks at, so competing workers rarely chase one row. */
const CLAIM_CANDIDATES = 8;
/** Claim passes before giving up when every candidate was taken by someone else. */
const CLAIM_ROUNDS = 3;
/** A worker whose heartbeat is older than this is not counted among the live slots. */
export const WORKER_ALIVE_MS = 20_000;
/**
 * Default of how many times a run's worker may die (lease lost) before the run stays failed: a
 * backstop only. A run whose worker died is simulated in a process of its own next time
 * (server/worker/worker.ts), so a run that takes the machine's memory ends that process, is seen
 * doing so and fails for it; worker deaths are the machine's doing, not the run's.
 */
export const LOST_LEASES_MAX_DEFAULT = 20;

export interface ClaimedRun {
  id: string;
  attempt: number;
  kind: string;
  seed: number;
  seedCount: number;
  versionId: string;
  source: string;
  /** The submission a grading run (kind "grade") grades; null for other runs. */
  submissionId: string | null;
  /** Times a worker died (or stalled past its lease) while running it. */
  lostLeases: number;
  /** Set by claims (optional for callers that build a ClaimedRun by hand). */
  scenarioId?: string;
  /** The sweep a single run was opened from, or the run a shrink shrinks. */
  parentRunId?: string | null;
  /** An exploration's bounds (kind "explore"; kept in its summary from the start). */
  exploreRequest?: ExploreBounds | null;
}

/** A scenario version a run's outcome adds (a shrink's result), written in the transaction that stores the outcome. */
export interface NewVersion {
  scenarioId: string;
  source: string;
  name: string;
  note: string;
  /** The run the version came from: the run a shrink shrank, or the exploration that found it. */
  shrunkFromRunId: string;
  /** Queue a single run of the new version too (an exploration's counterexample), named in the summary. */
  queueRun?: { seed: number; weight: number };
}

export type RunOutcome =
  | { ok: true; engine: string; verdict: "pass" | "fail"; summary: unknown; eventCount: number | null; trace: Uint8Array | null; newVersion?: NewVersion }
  | { ok: false; error: string; retryable: boolean };

export interface ClaimOptions {
  /** Heavy runs allowed to run at once; default: heavyRunsCap() of the live workers' slots. */
  heavyRunsMax?: number;
  /** Lost leases after which a run stays failed (LOST_LEASES_MAX_DEFAULT). */
  lostLeasesMax?: number;
  /** Only runs whose lease ran out (a worker's spare slot for rescuing them). */
  expiredOnly?: boolean;
  /** Only queued runs with a fair tag at most this (queued shards come after: server/worker/claim.ts). */
  fairTagMax?: number;
}

/** Queues a run row and returns it; the caller's transaction decides when it is visible. */
export async function enqueueRun(
  db: Db | Prisma.TransactionClient,
  data: {
    ownerId: string; scenarioId: string; versionId: string; seed: number; seedCount: number; parentRunId?: string; maxAttempts?: number;
    /** A grading run of this submission (kind "grade"; server/courses/grading.ts). */
    submissionId?: string; id?: string;
    /** Units of work its scenario declares (fairness.ts runWeight / gradingWeight); 1 when unknown. */
    weight?: number;
    /** A grading run's course: it is charged to the course, not to the student. */
    courseId?: string;
    /** A shrink of parentRunId, or an exploration (docs/search.md); otherwise the kind follows from the rest. */
    kind?: "shrink" | "explore";
    /** What the run's summary holds while it waits (an exploration's bounds). */
    summary?: unknown;
    /** A sweep's seeds per shard, instead of what its weight gives (tests, benchmarks). */
    seedsPerShard?: number;
    /**
     * An exploration in shards (server/worker/explore-shards.ts): its scenario and bounds, the first
     * round queued with it; `schedulesPerShard` instead of what the scenario's size gives (tests).
     */
    explore?: { scenario: Scenario; request: ExploreBounds; schedulesPerShard?: number };
    /**
     * A curve (kind "curve", server/worker/shards.ts): every point's version swept over
     * seedsPerPoint seeds from its own seed, one run whose shards are (point, seed range);
     * seedCount is all of its seeds. Each point's weight is its sweep's.
     */
    curve?: { seedsPerPoint: number; points: { versionId: string; version: number; label: string; weight: number; seed: number }[] };
  },
) {
  const weight = Math.max(1, Math.round(data.weight ?? 1));
  const fairKey = fairKeyOf(data.ownerId, data.courseId);
  const [fairTag] = await nextFairTags(db, fairKey, [weight]);
  const kind = data.curve ? "curve" : (data.kind ?? (data.submissionId ? "grade" : data.seedCount > 1 ? "sweep" : "single"));
  // A sweep is split into shards that every worker may take (server/worker/shards.ts), created
  // with it in one statement.
  const shards: Prisma.RunShardCreateManyRunInput[] =
    kind === "sweep" ? shardRows(data.seed, data.seedCount, weight, fairTag!, data.seedsPerShard)
    : data.curve ? curveShardRows(data.curve.points, data.curve.seedsPerPoint, fairTag!, data.seedsPerShard)
    : [];
  // An exploration's first round (the scenario as written), its state, and its live summary.
  const explore = kind === "explore" && data.explore ? firstRound(data.explore.scenario, data.explore.request, data.seed, { fairTag: fairTag!, weight }, data.explore.schedulesPerShard) : null;
  if (explore) shards.push(...explore.shards);
  const summary = explore
    ? explore.summary
    : data.curve
      ? ({ kind: "curve", seedsPerPoint: data.curve.seedsPerPoint, points: data.curve.points.map((p) => ({ label: p.label, version: p.version, summary: null })) } satisfies CurveRunSummary)
      : data.summary;
  return db.run.create({
    data: {
      ...(data.id ? { id: data.id } : {}),
      ownerId: data.ownerId,
      scenarioId: data.scenarioId,
      versionId: data.versionId,
      kind,
      submissionId: data.submissionId ?? null,
      seed: data.seed,
      seedCount: data.seedCount,
      parentRunId: data.parentRunId ?? null,
      ...(summary !== undefined ? { summary: JSON.stringify(summary) } : {}),
      ...(explore ? { searchState: explore.searchState } : {}),
      shareToken: newShareToken(),
      weight,
      fairKey,
      fairTag: fairTag!,
      ...(data.maxAttempts ? { maxAttempts: data.maxAttempts } : {}),
      ...(shards.length > 0 ? { shardCount: shards.length, shards: { createMany: { data: shards } } } : {}),
    },
    select: { id: true, status: true, kind: true, seed: true, seedCount: true, createdAt: true },
  });
}

/** Heavy runs that may run at once now: an explicit cap, or a share of the live workers' slots. */
async function heavyCap(db: Db, now: Date, opts: ClaimOptions): Promise<number> {
  if (opts.heavyRunsMax !== undefined) return opts.heavyRunsMax;
  const live = await db.workerHeartbeat.aggregate({ where: { lastSeenAt: { gte: new Date(now.getTime() - WORKER_ALIVE_MS) } }, _sum: { slots: true } });
  return heavyRunsCap(live._sum.slots ?? 0);
}

function heavyRunning(db: Db, now: Date): Promise<number> {
  return db.run.count({ where: { status: "running", weight: { gte: HEAVY_WEIGHT_MIN }, leaseUntil: { gte: now } } });
}

/**
 * Claims a run: first one whose lease ran out (its worker died: it has waited longest), then
 * the queued run with the lowest fair-share tag. Heavy runs are passed over while the heavy
 * cap is reached. Returns null when nothing is claimable.
 */
export async function claimRun(db: Db, workerId: string, leaseMs: number, now = new Date(), opts: ClaimOptions = {}): Promise<ClaimedRun | null> {
  const lostLeasesMax = opts.lostLeasesMax ?? LOST_LEASES_MAX_DEFAULT;
  const leaseUntil = new Date(now.getTime() + leaseMs);
  const select = { id: true, status: true, attempt: true, lostLeases: true, weight: true } as const;
  let cap: number | null = null;
  // Whether a heavy run may start now; counted only when a heavy candidate comes up.
  const heavyAllowed = async () => {
    cap ??= await heavyCap(db, now, opts);
    return (await heavyRunning(db, now)) < cap;
  };
  for (let round = 0; round < CLAIM_ROUNDS; round++) {
    // A sharded sweep is never claimed whole: its shards are (server/worker/shards.ts).
    const expired = await db.run.findMany({
      where: { status: "running", leaseUntil: { lt: now }, shardCount: 0 },
      orderBy: [{ leaseUntil: "asc" }, { id: "asc" }],
      take: CLAIM_CANDIDATES,
      select,
    });
    let skipHeavy = false;
    for (const c of expired) {
      const fence = { id: c.id, attempt: c.attempt, status: "running", leaseUntil: { lt: now } };
      if (c.lostLeases + 1 >= lostLeasesMax) {
        // This run has now ended its worker lostLeasesMax times: the run itself is the likely cause.
        await db.run.updateMany({ where: fence, data: { status: "failed", lostLeases: c.lostLeases + 1, error: lostLeasesMessage(c.lostLeases + 1), finishedAt: now, leaseUntil: null } });
        continue;
      }
      if (isHeavy(c.weight) && (skipHeavy || !(await heavyAllowed()))) {
        skipHeavy = true;
        continue;
      }
      // A worker's death is not the run's fault: a new attempt (fencing token), no failure counted.
      const claimed = await db.run.updateMany({
        where: fence,
        data: { status: "running", attempt: c.attempt + 1, lostLeases: c.lostLeases + 1, workerId, leaseUntil, startedAt: now, progress: 0 },
      });
      if (claimed.count === 1) return loadClaimed(db, c.id);
    }
    if (opts.expiredOnly) {
      if (expired.length === 0) return null;
      continue;
    }
    const queued = await db.run.findMany({
      where: {
        status: "queued",
        shardCount: 0,
        ...(skipHeavy ? { weight: { lt: HEAVY_WEIGHT_MIN } } : {}),
        ...(opts.fairTagMax !== undefined ? { fairTag: { lte: opts.fairTagMax } } : {}),
      },
      orderBy: [{ fairTag: "asc" }, { createdAt: "asc" }, { id: "asc" }],
      take: CLAIM_CANDIDATES,
      select,
    });
    if (expired.length === 0 && queued.length === 0) return null;
    for (const c of queued) {
      const heavy = isHeavy(c.weight);
      if (heavy && (skipHeavy || !(await heavyAllowed()))) {
        skipHeavy = true;
        continue;
      }
      const claimed = await db.run.updateMany({
        where: { id: c.id, attempt: c.attempt, status: "queued" },
        data: { status: "running", attempt: c.attempt + 1, workerId, leaseUntil, startedAt: now, progress: 0 },
      });
      if (claimed.count !== 1) continue;
      // Two workers may both have seen room for one more heavy run: count again with ours in,
      // and give it back if we went over. Both may give back; neither keeps a run over the cap.
      if (heavy && (await heavyRunning(db, now)) > cap!) {
        await db.run.updateMany({ where: { id: c.id, attempt: c.attempt + 1, status: "running" }, data: { status: "queued", workerId: null, leaseUntil: null, startedAt: null } });
        skipHeavy = true;
        continue;
      }
      return loadClaimed(db, c.id);
    }
    if (queued.length === 0 && skipHeavy) return null;
  }
  return null;
}

async function loadClaimed(db: Db, id: string): Promise<ClaimedRun> {
  const run = await db.run.findUniqueOrThrow({
    where: { id },
    select: { id: true, attempt: true, kind: true, seed: true, seedCount: true, versionId: true, submissionId: true, lostLeases: true, scenarioId: true, parentRunId: true, version: { select: { source: true } } },
  });
  // An exploration's bounds ride in its summary (written when it was queued, kept by its progress writes).
  const explore = run.kind === "explore" ? await db.run.findUniqueOrThrow({ where: { id }, select: { summary: true } }) : null;
  return {
    id: run.id, attempt: run.attempt, kind: run.kind, seed: run.seed, seedCount: run.seedCount, versionId: run.versionId,
    source: run.version.source, submissionId: run.submissionId, lostLeases: run.lostLeases, scenarioId: run.scenarioId, parentRunId: run.parentRunId,
    ...(explore ? { exploreRequest: exploreRequestOf(explore.summary) } : {}),
  };
}

export function lostLeasesMessage(times: number): string {
  return `This run's worker stopped ${times} times before the run could finish (the worker process was killed or restarted while running it each time), so it was not tried again.`;
}

/**
 * Extends the lease and records progress (and, for a job that reports more than a fraction, its
 * live summary); false when this attempt no longer owns the run.
 */
export async function renewLease(db: Db, runId: string, attempt: number, leaseMs: number, progress?: number, liveSummary?: unknown): Promise<boolean> {
  const res = await db.run.updateMany({
    where: { id: runId, attempt, status: "running" },
    data: { leaseUntil: new Date(Date.now() + leaseMs), ...(progress !== undefined ? { progress } : {}), ...(liveSummary !== undefined ? { summary: JSON.stringify(liveSummary) } : {}) },
  });
  return res.count === 1;
}

export interface FinishOptions {
  /** Failures allowed before the run stays failed, when lower than the run's own maxAttempts. */
  maxFailures?: number;
}

/** Stores an attempt's outcome. Returns false (and writes nothing) when a newer attempt owns the run. */
export async function finishRun(db: Db, runId: string, attempt: number, outcome: RunOutcome, now = new Date(), opts: FinishOptions = {}): Promise<boolean> {
  const fence = { id: runId, attempt, status: "running" };
  if (!outcome.ok) {
    // Single-statement compare-and-sets (no read-then-write transaction, which SQLite can
    // refuse under concurrent writers): requeue while failures remain, else fail.
    const row = await db.run.findFirst({ where: fence, select: { failures: true, maxAttempts: true } });
    if (!row) return false;
    const failures = row.failures + 1;
    const allowed = Math.min(row.maxAttempts, opts.maxFailures ?? row.maxAttempts);
    if (outcome.retryable && failures < allowed) {
      const requeued = await db.run.updateMany({
        where: { ...fence, failures: row.failures },
        data: { status: "queued", failures, leaseUntil: null, workerId: null, progress: 0, error: outcome.error },
      });
      if (requeued.count === 1) return true;
    }
    const error = outcome.retryable && failures > 1 ? `${outcome.error} (the same happened on each of ${failures} tries)` : outcome.error;
    const failed = await db.run.updateMany({ where: fence, data: { status: "failed", failures, leaseUntil: null, error, finishedAt: now } });
    return failed.count === 1;
  }
  const { trace } = outcome;
  let chunkCount = 0;
  if (trace) {
    // Megabytes are written only by an attempt that still owns the run, each chunk in its own
    // statement; the transaction below then only flips the run and names the chunks.
    if ((await db.run.count({ where: fence })) !== 1) return false;
    chunkCount = await writeTraceChunks(db, runId, attempt, trace);
  }
  const stored = await db.$transaction(async (tx) => {
    const res = await tx.run.updateMany({
      where: fence,
      data: {
        status: "done",
        leaseUntil: null,
        progress: 1,
        error: null,
        engine: outcome.engine,
        verdict: outcome.verdict,
        summary: JSON.stringify(outcome.summary),
        eventCount: outcome.eventCount,
        finishedAt: now,
      },
    });
    if (res.count !== 1) return false;
    if (outcome.newVersion) await storeNewVersion(tx, runId, outcome.newVersion, outcome.summary);
    if (trace) {
      const meta = { attempt, byteCount: trace.byteLength, chunkCount, data: new Uint8Array(0) };
      await tx.runTrace.upsert({ where: { runId }, create: { runId, ...meta }, update: meta });
    }
    return true;
  });
  // The losers' chunks (ours when a newer attempt stored, or an earlier attempt's) are garbage.
  if (trace) await deleteTraceChunks(db, runId, stored ? { exceptAttempt: attempt } : { attempt });
  return stored;
}

/**
 * Adds the outcome's scenario version (the next number) in the storing transaction, so an attempt
 * that does not store adds none, and names it in the run's summary. A scenario at its version limit gets none.
 */
async function storeNewVersion(tx: Prisma.TransactionClient, runId: string, v: NewVersion, summary: unknown): Promise<void> {
  const scenario = await tx.scenario.findUniqueOrThrow({ where: { id: v.scenarioId }, select: { latestVersion: true } });
  const number = scenario.latestVersion + 1;
  let added: Record<string, unknown> = { versionNumber: null, versionError: `The scenario has ${scenario.latestVersion} versions, the most one scenario may have: the result was not saved.` };
  if (number <= VERSIONS_PER_SCENARIO_MAX) {
    const version = await tx.scenarioVersion.create({ data: { scenarioId: v.scenarioId, number, source: v.source, name: v.name, note: v.note, shrunkFromRunId: v.shrunkFromRunId }, select: { id: true } });
    await tx.scenario.update({ where: { id: v.scenarioId, latestVersion: scenario.latestVersion }, data: { latestVersion: number }, select: { id: true } });
    added = { versionNumber: number };
    if (v.queueRun) {
      // Its owner's run, queued as any other; it replaces the job that found it among their active runs.
      const job = await tx.run.findUniqueOrThrow({ where: { id: runId }, select: { ownerId: true } });
      const single = await enqueueRun(tx, { ownerId: job.ownerId, scenarioId: v.scenarioId, versionId: version.id, seed: v.queueRun.seed, seedCount: 1, parentRunId: runId, weight: v.queueRun.weight });
      added = { ...added, counterexampleRunId: single.id };
    }
  }
  await tx.run.update({ where: { id: runId }, data: { summary: JSON.stringify({ ...(summary as object), ...added }) }, select: { id: true } });
}

/**
 * Where a queued run stands: 1 when it is next. Null when it is not queued. Counted in runs, as
 * users see them: a sweep with shards ahead of this run's tag counts once.
 */
export async function queuePosition(db: Db, run: { id: string; status: string; fairTag: number; createdAt: Date }): Promise<number | null> {
  if (run.status !== "queued") return null;
  const now = new Date();
  const [ahead, expired, shardsAhead] = await Promise.all([
    db.run.count({
      where: {
        status: "queued",
        shardCount: 0,
        OR: [
          { fairTag: { lt: run.fairTag } },
          { fairTag: run.fairTag, createdAt: { lt: run.createdAt } },
          { fairTag: run.fairTag, createdAt: run.createdAt, id: { lt: run.id } },
        ],
      },
    }),
    // Runs whose worker died are taken before any queued run.
    db.run.count({ where: { status: "running", leaseUntil: { lt: now }, shardCount: 0 } }),
    // Sweeps with shards waiting ahead of this run (lower tags) or whose worker died.
    db.runShard.findMany({
      where: { runId: { not: run.id }, OR: [{ status: "queued", fairTag: { lt: run.fairTag } }, { status: "running", leaseUntil: { lt: now } }] },
      distinct: ["runId"],
      select: { runId: true },
    }),
  ]);
  return ahead + expired + shardsAhead.length + 1;
}

/** The small, often read part of a run: its queue state (run.status, the run page's live updates). */
export async function runLiveState(db: Db, id: string) {
  const run = await db.run.findUnique({
    where: { id },
    select: { id: true, status: true, progress: true, attempt: true, error: true, verdict: true, fairTag: true, createdAt: true, shardCount: true, kind: true },
  });
  if (!run) return null;
  const { fairTag: _tag, createdAt: _created, shardCount, kind, ...state } = run;
  // A running sweep's partial results: its finished shards merged (server/worker/shards.ts); a
  // running exploration's schedules explored so far.
  const partial = (shardCount > 0 || kind === "explore") && run.status === "running" ? await db.run.findUnique({ where: { id }, select: { summary: true, status: true } }) : null;
  // Ended between the two reads: its summary is now the final one, which the live panels cannot
  // read as progress (a page crashed on it). Read it again: an ended run takes no second read.
  if (partial && partial.status !== "running") return runLiveState(db, id);
  return { ...state, queuePosition: await queuePosition(db, run), ...(partial?.summary ? { summary: JSON.parse(partial.summary) as unknown } : {}) };
}

export type RunLiveState = NonNullable<Awaited<ReturnType<typeof runLiveState>>>;
