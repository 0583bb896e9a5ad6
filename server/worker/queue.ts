// The run queue, kept in the database (docs/queue.md). A run row is created `queued` in
// the request that asks for it; workers claim rows with a compare-and-set that bumps
// `attempt` (the fencing token) and sets a lease they keep renewing. A run whose lease
// ran out (its worker died) is claimed again; every write a worker makes afterwards
// names its attempt, so a stale worker can never overwrite a newer attempt's result.
import type { Db } from "@/server/db";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import { newShareToken } from "@/server/api/access";

/** How many queued rows a claim looks at, so competing workers rarely chase one row. */
const CLAIM_CANDIDATES = 8;

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
}

export type RunOutcome =
  | { ok: true; engine: string; verdict: "pass" | "fail"; summary: unknown; eventCount: number | null; trace: Uint8Array | null }
  | { ok: false; error: string; retryable: boolean };

/** Queues a run row and returns it; the caller's transaction decides when it is visible. */
export async function enqueueRun(
  db: Db | Prisma.TransactionClient,
  data: {
    ownerId: string; scenarioId: string; versionId: string; seed: number; seedCount: number; parentRunId?: string; maxAttempts?: number;
    /** A grading run of this submission (kind "grade"; server/courses/grading.ts). */
    submissionId?: string; id?: string;
  },
) {
  return db.run.create({
    data: {
      ...(data.id ? { id: data.id } : {}),
      ownerId: data.ownerId,
      scenarioId: data.scenarioId,
      versionId: data.versionId,
      kind: data.submissionId ? "grade" : data.seedCount > 1 ? "sweep" : "single",
      submissionId: data.submissionId ?? null,
      seed: data.seed,
      seedCount: data.seedCount,
      parentRunId: data.parentRunId ?? null,
      shareToken: newShareToken(),
      ...(data.maxAttempts ? { maxAttempts: data.maxAttempts } : {}),
    },
    select: { id: true, status: true, kind: true, seed: true, seedCount: true, createdAt: true },
  });
}

/** Claims the oldest claimable run, or returns null when there is none. */
export async function claimRun(db: Db, workerId: string, leaseMs: number, now = new Date()): Promise<ClaimedRun | null> {
  for (let round = 0; round < 3; round++) {
    const candidates = await db.run.findMany({
      where: { OR: [{ status: "queued" }, { status: "running", leaseUntil: { lt: now } }] },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: CLAIM_CANDIDATES,
      select: { id: true, status: true, attempt: true, maxAttempts: true },
    });
    if (candidates.length === 0) return null;
    // Start at a different candidate per worker so concurrent claims spread out.
    const offset = hash(workerId) % candidates.length;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[(i + offset) % candidates.length]!;
      if (c.status === "running" && c.attempt >= c.maxAttempts) {
        // Its last allowed attempt's worker died: the run stays failed, with the reason.
        await db.run.updateMany({
          where: { id: c.id, attempt: c.attempt, status: "running", leaseUntil: { lt: now } },
          data: {
            status: "failed",
            error: `The run was attempted ${c.attempt} times and each time its worker stopped before finishing.`,
            finishedAt: now,
            leaseUntil: null,
          },
        });
        continue;
      }
      const claimed = await db.run.updateMany({
        where: c.status === "queued" ? { id: c.id, attempt: c.attempt, status: "queued" } : { id: c.id, attempt: c.attempt, status: "running", leaseUntil: { lt: now } },
        data: { status: "running", attempt: c.attempt + 1, workerId, leaseUntil: new Date(now.getTime() + leaseMs), startedAt: now, progress: 0 },
      });
      if (claimed.count === 1) {
        const run = await db.run.findUniqueOrThrow({
          where: { id: c.id },
          select: { id: true, attempt: true, kind: true, seed: true, seedCount: true, versionId: true, submissionId: true, version: { select: { source: true } } },
        });
        return {
          id: run.id, attempt: run.attempt, kind: run.kind, seed: run.seed, seedCount: run.seedCount, versionId: run.versionId,
          source: run.version.source, submissionId: run.submissionId,
        };
      }
    }
  }
  return null;
}

/** Extends the lease and records progress; false when this attempt no longer owns the run. */
export async function renewLease(db: Db, runId: string, attempt: number, leaseMs: number, progress?: number): Promise<boolean> {
  const res = await db.run.updateMany({
    where: { id: runId, attempt, status: "running" },
    data: { leaseUntil: new Date(Date.now() + leaseMs), ...(progress !== undefined ? { progress } : {}) },
  });
  return res.count === 1;
}

/** Stores an attempt's outcome. Returns false (and writes nothing) when a newer attempt owns the run. */
export async function finishRun(db: Db, runId: string, attempt: number, outcome: RunOutcome, now = new Date()): Promise<boolean> {
  if (!outcome.ok) {
    // Two single-statement compare-and-sets (no read-then-write transaction, which SQLite
    // can refuse under concurrent writers): requeue while attempts remain, else fail.
    const fence = { id: runId, attempt, status: "running" };
    if (outcome.retryable) {
      const requeued = await db.run.updateMany({
        where: { ...fence, maxAttempts: { gt: attempt } },
        data: { status: "queued", leaseUntil: null, workerId: null, progress: 0, error: outcome.error },
      });
      if (requeued.count === 1) return true;
    }
    const failed = await db.run.updateMany({
      where: fence,
      data: { status: "failed", leaseUntil: null, error: outcome.error, finishedAt: now },
    });
    return failed.count === 1;
  }
  const { trace } = outcome;
  return db.$transaction(async (tx) => {
    const res = await tx.run.updateMany({
      where: { id: runId, attempt, status: "running" },
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
    if (trace) {
      const data = new Uint8Array(trace);
      await tx.runTrace.upsert({
        where: { runId },
        create: { runId, attempt, byteCount: data.byteLength, data },
        update: { attempt, byteCount: data.byteLength, data },
      });
    }
    return true;
  });
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return h;
}
