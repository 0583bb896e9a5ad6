// run.*: queue a run or a sweep of a saved scenario version, read its state and
// results, list, share, and open one seed of a sweep as its own run. Handlers only
// write rows; simulation happens in the workers (server/worker).
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import type { Prisma } from "@/server/db/generated/sqlite/client";
import type { Db } from "@/server/db";
import { createTRPCRouter, protectedProcedure, publicProcedure, zId, zShareToken } from "../trpc";
import { notFound, badRequest, tooMany } from "../errors";
import { zInt, zText, zVersion } from "../input";
import { accessTo, newShareToken, visibilityChange, ZVisibility, type Access } from "../access";
import { assertScenarioQuota, LIST_PAGE_MAX, readableScenario } from "./scenario";
import { createScenario } from "@/server/scenarios/store";
import { decodeFaultKinds, SEED_MAX, SWEEP_SEEDS_MAX, VERSIONS_PER_SCENARIO_MAX } from "@/server/scenarios/validate";
import { hasRandomFaults } from "@/server/sim/faults/random";
import { spelledOutDocument } from "@/server/sim/search/document";
import { checkScenarioOffThread } from "@/server/scenarios/check-pool";
import type { DbProvider } from "@/server/db/client";
import { containsText, pageArgs, PAGE_SIZE_MAX } from "@/server/db/queries";
import { enqueueRun, queuePosition, runLiveState } from "@/server/worker/queue";
import { cancelRun, type CurveRunSummary } from "@/server/worker/shards";
import { runWeight } from "@/server/worker/fairness";
import { ZExploreRequest } from "@/server/scenarios/explore-limits";
import { courseStaffMayReadRun } from "@/server/courses/access";
import { assertShareable, inheritTie, isLocked, shareableNow, sharingLockReason, staffOfScenarioCourse } from "@/server/courses/integrity";
import { gradingRunResult, parseGradeSummary, studentResultView } from "@/server/courses/views";

/** Runs one user may have waiting or running at once, so one account cannot flood the workers. */
export const ACTIVE_RUNS_PER_USER_MAX = 20;
/** When a caller at the run limit is told to try again: runs usually finish within this. */
export const RUN_QUOTA_RETRY_AFTER_SECONDS = 30;

/** Points one curve run may have. */
export const CURVE_POINTS_MAX = 50;

/** A shrink weighs as a sweep of this many seeds: it runs the scenario up to SHRINK_DEFAULT_STEPS times, most of them shorter. */
const SHRINK_WEIGHT_SEEDS = 20;

const zSeed = z.number().int("a seed is a whole number").min(0, "a seed is at least 0").max(SEED_MAX, `a seed is at most ${SEED_MAX}`);

export const ZRunCreate = z.object({
  scenarioId: zId,
  version: zVersion.optional(),
  seed: zSeed.optional(),
  sweep: z.object({ seeds: zInt(2, SWEEP_SEEDS_MAX, "a number of seeds") }).optional(),
});

const runSelect = {
  id: true, ownerId: true, visibility: true, shareToken: true, kind: true, seed: true, seedCount: true,
  status: true, attempt: true, progress: true, error: true, engine: true, verdict: true, summary: true,
  eventCount: true, createdAt: true, startedAt: true, finishedAt: true, parentRunId: true, submissionId: true, fairTag: true,
  scenario: { select: { id: true, name: true, visibility: true, deletedAt: true, assignmentId: true, sharedAfter: true } },
  version: { select: { id: true, number: true, source: true } },
  owner: { select: { name: true } },
} as const;

/**
 * Loads a run the caller may read; someone else's private run is "not found". So is a shared run
 * of a deleted scenario: deleting a scenario takes its runs (and the document they show) off the
 * web. Its owner, and course staff for a grading run, still read it.
 */
export async function readableRun(db: Db, id: string, userId: string | null | undefined, token?: string) {
  const found = await db.run.findUnique({ where: { id }, select: runSelect });
  if (!found) throw notFound("Run");
  // Course staff may also read the grading runs of submissions to their course; they alone see a
  // grading run's full result (the student who owns it sees what submission.byId shows them).
  const courseStaff = found.kind === "grade" && Boolean(userId) && (await courseStaffMayReadRun(db, id, userId!));
  let shared = found.scenario.deletedAt === null ? accessTo(found, userId, token) : userId && found.ownerId === userId ? "owner" : null;
  // Runs of work for an assignment whose sharing is locked: its owner and the course staff only.
  if (shared === "viewer" && isLocked(found.scenario.sharedAfter)) shared = null;
  const staffOfWork = !shared && !courseStaff && (await staffOfScenarioCourse(db, found.scenario.assignmentId, userId));
  const access: Access = shared ?? (courseStaff || staffOfWork ? "viewer" : null);
  if (!access) throw notFound("Run");
  const { deletedAt: _deletedAt, assignmentId: _assignmentId, sharedAfter: _sharedAfter, ...scenario } = found.scenario;
  const sharingLocked = access === "owner" ? await sharingLockReason(db, found.scenario) : null;
  return { run: { ...found, scenario }, access, courseStaff, sharingLocked };
}

/** Whether this caller may open a run without a key; "not found" (private, deleted) is no. */
async function mayReadRun(db: Db, id: string, userId: string | null | undefined): Promise<boolean> {
  try {
    await readableRun(db, id, userId);
    return true;
  } catch (err) {
    if (err instanceof TRPCError && err.code === "NOT_FOUND") return false;
    throw err;
  }
}

/** A run's stored summary as this caller may read it: a grading result only in its student view unless they are course staff. */
function summaryFor(run: { kind: string; summary: string | null }, courseStaff: boolean): unknown {
  if (!run.summary) return null;
  if (run.kind !== "grade" || courseStaff) return JSON.parse(run.summary) as unknown;
  const grade = parseGradeSummary(run.summary);
  return grade ? { kind: "grade", ...studentResultView(grade) } : null;
}

export function runView(run: Awaited<ReturnType<typeof readableRun>>["run"], access: Access, courseStaff = false, position: number | null = null, sharingLocked: string | null = null) {
  const { ownerId: _ownerId, shareToken, summary: _summary, fairTag: _fairTag, ...rest } = run;
  return {
    ...rest,
    /** 1 when a queued run is next to be claimed; null when it is not queued. */
    queuePosition: position,
    summary: summaryFor(run, courseStaff),
    isOwner: access === "owner",
    shareToken: access === "owner" ? shareToken : null,
    // Whether a viewer may open the scenario page itself (not only this version's text).
    scenarioReadable: access === "owner" || run.scenario.visibility === "public",
    /** Why its owner cannot share it (work for an assignment; server/courses/integrity.ts), or null. */
    sharingLocked,
  };
}

/** How long a run.create may wait for the owner's earlier calls to commit, and may take in all. */
const RUN_QUOTA_TX_WAIT_MS = 15_000;
const RUN_QUOTA_TX_TIMEOUT_MS = 20_000;

/**
 * Queues a run unless its owner is at ACTIVE_RUNS_PER_USER_MAX. The count and the insert are one
 * transaction that first writes the owner's row: a row lock in PostgreSQL, the write lock in
 * SQLite, so concurrent calls of one owner (parallel requests, a batch) take turns and each
 * counts the runs the ones before it queued. Other owners are not held up in PostgreSQL.
 */
async function enqueueWithinQuota(db: Db, data: Parameters<typeof enqueueRun>[1]) {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`UPDATE "User" SET "id" = "id" WHERE "id" = ${data.ownerId}`;
      const active = await tx.run.count({ where: { ownerId: data.ownerId, status: { in: ["queued", "running"] } } });
      if (active >= ACTIVE_RUNS_PER_USER_MAX) {
        throw tooMany(`You have ${active} runs waiting or running; the limit is ${ACTIVE_RUNS_PER_USER_MAX}. Start more when some have finished.`, RUN_QUOTA_RETRY_AFTER_SECONDS);
      }
      return enqueueRun(tx, data);
    },
    { maxWait: RUN_QUOTA_TX_WAIT_MS, timeout: RUN_QUOTA_TX_TIMEOUT_MS },
  );
}

export const ZRunList = z.object({
  page: zInt(1, LIST_PAGE_MAX, "a page number").default(1),
  pageSize: zInt(1, PAGE_SIZE_MAX, "a page size").default(20),
  scenarioId: zId.optional(),
  status: z.enum(["queued", "running", "done", "failed", "cancelled"]).optional(),
  verdict: z.enum(["pass", "fail"]).optional(),
  kind: z.enum(["single", "sweep", "explore", "curve"]).optional(),
  q: zText({ max: 120 }).optional(),
  protocol: zText({ max: 40 }).optional(),
  faultKind: zText({ max: 20 }).optional(),
  sort: z.enum(["newest", "oldest"]).default("newest"),
});

const runListSelect = {
  id: true, kind: true, seed: true, seedCount: true, status: true, progress: true, verdict: true,
  visibility: true, createdAt: true, finishedAt: true, eventCount: true,
  scenario: { select: { id: true, name: true, faultKinds: true, protocol: true } }, version: { select: { number: true } },
  owner: { select: { name: true } },
} as const;

async function listRuns(db: Db, provider: DbProvider, base: Prisma.RunWhereInput, input: z.infer<typeof ZRunList>) {
  const scenario: Prisma.ScenarioWhereInput = {
    ...(input.q ? { name: containsText(provider, input.q) } : {}),
    ...(input.protocol ? { protocol: input.protocol } : {}),
    ...(input.faultKind ? { faultKinds: { contains: `,${input.faultKind},` } } : {}),
  };
  const filters: Prisma.RunWhereInput = {
    ...(input.scenarioId ? { scenarioId: input.scenarioId } : {}),
    ...(input.status ? { status: input.status } : {}),
    ...(input.verdict ? { verdict: input.verdict } : {}),
    ...(input.kind ? { kind: input.kind } : {}),
    ...(Object.keys(scenario).length ? { scenario } : {}),
  };
  // The caller's filters narrow the base (ownership, visibility); they never widen it.
  const where: Prisma.RunWhereInput = { AND: [base, filters] };
  const dir = input.sort === "oldest" ? "asc" : "desc";
  const [total, rows] = await Promise.all([
    db.run.count({ where }),
    db.run.findMany({ where, orderBy: [{ createdAt: dir }, { id: dir }], ...pageArgs(input.page, input.pageSize), select: runListSelect }),
  ]);
  return {
    total,
    page: input.page,
    pageSize: input.pageSize,
    items: rows.map((r) => ({ ...r, scenario: { ...r.scenario, faultKinds: decodeFaultKinds(r.scenario.faultKinds) } })),
  };
}

/** A version of the caller's own scenario (the latest by default) that passes validation, to queue a run of. */
async function runnableVersion(db: Db, userId: string, scenarioId: string, number: number | undefined) {
  const { scenario, access } = await readableScenario(db, scenarioId, userId);
  if (access !== "owner") throw notFound("Scenario");
  const version = await db.scenarioVersion.findUnique({
    where: { scenarioId_number: { scenarioId: scenario.id, number: number ?? scenario.latestVersion } },
    select: { id: true, source: true },
  });
  if (!version) throw notFound("Version");
  const checked = await checkScenarioOffThread(version.source);
  if (!checked.ok) throw badRequest(`This version cannot run: ${checked.problems[0]?.path}: ${checked.problems[0]?.message}`);
  return { scenario, version, checked };
}

export const runRouter = createTRPCRouter({
  create: protectedProcedure.input(ZRunCreate).mutation(async ({ ctx, input }) => {
    const { scenario, version, checked } = await runnableVersion(ctx.db, ctx.user.id, input.scenarioId, input.version);
    return enqueueWithinQuota(ctx.db, {
      ownerId: ctx.user.id,
      scenarioId: scenario.id,
      versionId: version.id,
      seed: input.seed ?? checked.facts.seed,
      seedCount: input.sweep?.seeds ?? 1,
      weight: runWeight(checked.scenario, input.sweep?.seeds ?? 1),
    });
  }),

  byId: publicProcedure.input(z.object({ id: zId, token: zShareToken })).query(async ({ ctx, input }) => {
    const { run, access, courseStaff, sharingLocked } = await readableRun(ctx.db, input.id, ctx.user?.id, input.token);
    const view = runView(run, access, courseStaff, await queuePosition(ctx.db, run), sharingLocked);
    // A grading run's page shows its grade test by test, as the submission page does (docs/courses.md).
    const grading = run.kind === "grade" && run.status === "done" ? await gradingRunResult(ctx.db, run, courseStaff) : null;
    // Whether this viewer may open the run this one came from (a shrink's failing run, a sweep's
    // seed's sweep), so its page links to it only then. Asked without the viewer's key, which opens
    // this run only: the source may be private or unlisted under its own key, which is not theirs.
    const parentReadable = run.parentRunId ? await mayReadRun(ctx.db, run.parentRunId, ctx.user?.id) : false;
    return { ...view, grading, parentReadable };
  }),

  /** The small, frequently read part of a run: its queue state, with its place in the queue. */
  status: publicProcedure.input(z.object({ id: zId, token: zShareToken })).query(async ({ ctx, input }) => {
    const { run } = await readableRun(ctx.db, input.id, ctx.user?.id, input.token);
    const state = await runLiveState(ctx.db, run.id);
    if (!state) throw notFound("Run");
    return state;
  }),

  list: protectedProcedure.input(ZRunList).query(({ ctx, input }) => listRuns(ctx.db, ctx.dbProvider, { ownerId: ctx.user.id }, input)),

  /** Public runs of public scenarios, for the gallery. */
  gallery: publicProcedure
    .input(ZRunList)
    .query(({ ctx, input }) => listRuns(ctx.db, ctx.dbProvider, { visibility: "public", status: "done", scenario: { visibility: "public", deletedAt: null, ...shareableNow() } }, input)),

  /** Opens one seed of a sweep as its own run (reusing it if it was opened before). */
  /** Copies the exact scenario version a run ran into the caller's account (from a shared run page). */
  forkScenario: protectedProcedure.input(z.object({ id: zId, token: zShareToken })).mutation(async ({ ctx, input }) => {
    const { run } = await readableRun(ctx.db, input.id, ctx.user.id, input.token);
    await assertScenarioQuota(ctx.db, ctx.user.id);
    const created = await createScenario(ctx.db, ctx.user.id, run.version.source, run.scenario.id);
    await inheritTie(ctx.db, run.scenario.id, created.id);
    return created;
  }),

  openSeed: protectedProcedure.input(z.object({ sweepId: zId, seed: zSeed, point: zInt(0, CURVE_POINTS_MAX - 1, "a point").optional() })).mutation(async ({ ctx, input }) => {
    const { run, access } = await readableRun(ctx.db, input.sweepId, ctx.user.id);
    if (access !== "owner") throw notFound("Run");
    if (run.kind !== "sweep" && run.kind !== "curve") throw badRequest("Only a sweep or a curve has seeds to open.");
    // A curve's point: its version, its seeds (server/worker/shards.ts CurveRunSummary).
    let version = run.version;
    let from = run.seed;
    let count = run.seedCount;
    if (run.kind === "curve") {
      const points = run.summary ? (JSON.parse(run.summary) as CurveRunSummary).points : [];
      const p = input.point === undefined ? undefined : points[input.point];
      if (!p) throw badRequest(`Give one of this curve's ${points.length} points (0 to ${points.length - 1}).`);
      const v = await ctx.db.scenarioVersion.findUnique({ where: { scenarioId_number: { scenarioId: run.scenario.id, number: p.version } }, select: { id: true, number: true, source: true } });
      if (!v) throw notFound("Version");
      const shard = await ctx.db.runShard.findFirst({ where: { runId: run.id, pointIndex: input.point }, orderBy: { index: "asc" }, select: { fromSeed: true } });
      version = v;
      from = shard?.fromSeed ?? run.seed;
      count = (JSON.parse(run.summary!) as CurveRunSummary).seedsPerPoint;
    }
    if (input.seed < from || input.seed >= from + count) {
      throw badRequest(`Seed ${input.seed} is not in this ${run.kind === "curve" ? "point" : "sweep"} (seeds ${from} to ${from + count - 1}).`);
    }
    const existing = await ctx.db.run.findFirst({ where: { parentRunId: run.id, seed: input.seed, kind: "single", versionId: version.id }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
    const checked = await checkScenarioOffThread(version.source);
    const created = await enqueueWithinQuota(ctx.db, {
      ownerId: ctx.user.id, scenarioId: run.scenario.id, versionId: version.id, seed: input.seed, seedCount: 1, parentRunId: run.id,
      weight: checked.ok ? runWeight(checked.scenario, 1) : 1,
    });
    return { id: created.id, created: true };
  }),

  /** Queues a shrink of a failing single run (docs/search.md); asking again returns the shrink already queued or done. */
  shrink: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { run, access } = await readableRun(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Run");
    if (run.kind !== "single" || run.status !== "done" || run.verdict !== "fail") throw badRequest("Only a finished single run with a failed check can be shrunk.");
    const existing = await ctx.db.run.findFirst({ where: { parentRunId: run.id, kind: "shrink", status: { not: "failed" } }, select: { id: true } });
    if (existing) return { id: existing.id, created: false };
    const checked = await checkScenarioOffThread(run.version.source);
    if (!checked.ok) throw badRequest(`This version cannot run: ${checked.problems[0]?.path}: ${checked.problems[0]?.message}`);
    const created = await enqueueWithinQuota(ctx.db, {
      ownerId: ctx.user.id, scenarioId: run.scenario.id, versionId: run.version.id, seed: run.seed, seedCount: 1, parentRunId: run.id, kind: "shrink",
      weight: runWeight(checked.scenario, SHRINK_WEIGHT_SEEDS),
    });
    return { id: created.id, created: true };
  }),

  /**
   * Queues an exploration of a scenario version (docs/search.md): every schedule of up to `faults`
   * added faults among the first `depth` messages, within a schedule budget. Its bounds ride in its
   * summary; it is cut into shards, ranges of each level's schedules, that every worker takes like a
   * sweep's (leases, fencing), and the shortest failing schedule becomes the scenario's next version
   * with a single run of it queued.
   */
  explore: protectedProcedure.input(z.object({ scenarioId: zId, version: zVersion.optional(), bounds: ZExploreRequest })).mutation(async ({ ctx, input }) => {
    const { scenario, version, checked } = await runnableVersion(ctx.db, ctx.user.id, input.scenarioId, input.version);
    if (checked.scenario.protocol.kind === "custom") {
      throw badRequest("protocol.kind: exploration runs request-response and the built-in protocols; a program (protocol.kind custom) cannot be explored yet. Use a sweep under a random nemesis instead.");
    }
    if (checked.scenario.checks.length === 0) throw badRequest("checks: this scenario has no checks, so no schedule could fail one. Add a check first.");
    const { bounds } = input;
    // In shards that every worker shares (server/worker/explore-shards.ts): the first, the scenario as written, queued with it.
    return enqueueWithinQuota(ctx.db, {
      ownerId: ctx.user.id, scenarioId: scenario.id, versionId: version.id, seed: checked.facts.seed, seedCount: 1, kind: "explore",
      explore: { scenario: checked.scenario, request: bounds },
      weight: runWeight(checked.scenario, bounds.maxSchedules),
    });
  }),

  /**
   * Queues a parameter curve (docs/search.md "Parameter curves"): the given versions of the caller's
   * scenario are its points (each version's note its label), each swept over `seeds` seeds from its
   * own seed. One run of kind "curve", whose shards, (point, seed range), every worker shares: live
   * progress and each point's partial results, cancel, and a dead worker loses only its shard.
   */
  curve: protectedProcedure
    .input(z.object({ scenarioId: zId, versions: z.array(zVersion).min(1, "give at least one version").max(CURVE_POINTS_MAX, `a curve has at most ${CURVE_POINTS_MAX} points`), seeds: zInt(2, SWEEP_SEEDS_MAX, "a number of seeds") }))
    .mutation(async ({ ctx, input }) => {
      if (new Set(input.versions).size !== input.versions.length) throw badRequest("versions: each version at most once.");
      if (input.versions.length * input.seeds > SWEEP_SEEDS_MAX) throw badRequest(`seeds: ${input.versions.length} points of ${input.seeds} seeds is ${input.versions.length * input.seeds} seeds; a curve has at most ${SWEEP_SEEDS_MAX} in all.`);
      const points = [];
      let scenarioId = "";
      for (const number of input.versions) {
        const { scenario, version, checked } = await runnableVersion(ctx.db, ctx.user.id, input.scenarioId, number);
        scenarioId = scenario.id;
        const { note } = await ctx.db.scenarioVersion.findUniqueOrThrow({ where: { id: version.id }, select: { note: true } });
        points.push({ versionId: version.id, version: number, label: note || `version ${number}`, weight: runWeight(checked.scenario, input.seeds), seed: checked.facts.seed });
      }
      return enqueueWithinQuota(ctx.db, {
        ownerId: ctx.user.id, scenarioId, versionId: points[0]!.versionId, seed: points[0]!.seed, seedCount: points.length * input.seeds,
        weight: points.reduce((n, p) => n + p.weight, 0),
        curve: { seedsPerPoint: input.seeds, points },
      });
    }),

  /**
   * Saves the faults a random nemesis drew for this run as the scenario's next version: the same
   * document with those faults spelled out and the run's seed, which replays the run to the same
   * trace digest (docs/scenario-format.md). Drawing them is a few random numbers, not a simulation.
   */
  saveSchedule: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { run, access } = await readableRun(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Run");
    if (run.kind !== "single" || run.status !== "done") throw badRequest("Only a finished single run has a drawn schedule.");
    const checked = await checkScenarioOffThread(run.version.source);
    if (!checked.ok || !hasRandomFaults(checked.scenario)) throw badRequest("This run's scenario has no random nemesis: its faults are already spelled out.");
    const source = spelledOutDocument(run.version.source, checked.scenario, { seed: run.seed });
    const saved = await checkScenarioOffThread(source);
    if (!saved.ok) throw badRequest(`The spelled-out schedule cannot be saved: ${saved.problems[0]?.path}: ${saved.problems[0]?.message}`);
    const scenario = await ctx.db.scenario.findUniqueOrThrow({ where: { id: run.scenario.id }, select: { latestVersion: true } });
    const number = scenario.latestVersion + 1;
    if (number > VERSIONS_PER_SCENARIO_MAX) throw badRequest(`This scenario has ${scenario.latestVersion} versions, the most one scenario may have. Fork it to keep going.`);
    await ctx.db.$transaction([
      ctx.db.scenarioVersion.create({ data: { scenarioId: run.scenario.id, number, source, name: checked.facts.name, note: `the faults drawn for seed ${run.seed} of run ${run.id}` } }),
      ctx.db.scenario.update({ where: { id: run.scenario.id, latestVersion: scenario.latestVersion }, data: { latestVersion: number }, select: { id: true } }),
    ]);
    return { scenarioId: run.scenario.id, version: number };
  }),

  setVisibility: protectedProcedure.input(z.object({ id: zId, visibility: ZVisibility })).mutation(async ({ ctx, input }) => {
    const { run, access } = await readableRun(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Run");
    // A grading run belongs to its course: sharing it would show its result beyond the course staff.
    if (run.kind === "grade" && input.visibility !== "private") throw badRequest("A grading run stays private to you and your course staff; it cannot be shared.");
    const tie = await ctx.db.scenario.findUniqueOrThrow({ where: { id: run.scenario.id }, select: { assignmentId: true, sharedAfter: true } });
    await assertShareable(ctx.db, tie, input.visibility);
    return ctx.db.run.update({ where: { id: input.id }, data: visibilityChange(run.visibility, input.visibility), select: { id: true, visibility: true, shareToken: true } });
  }),

  /**
   * Stops a queued or running run of the caller's. A sweep's shards not yet done are not run; the
   * seeds already done stay in its partial summary. A grading run belongs to its course: not here.
   */
  cancel: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { run, access } = await readableRun(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Run");
    if (run.kind === "grade") throw badRequest("A grading run cannot be cancelled; it belongs to its course.");
    if (!(await cancelRun(ctx.db, run.id))) throw badRequest(`This run has ended (${run.status}); there is nothing to cancel.`);
    return { id: run.id, status: "cancelled" as const };
  }),

  revokeLink: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { access } = await readableRun(ctx.db, input.id, ctx.user.id);
    if (access !== "owner") throw notFound("Run");
    return ctx.db.run.update({ where: { id: input.id }, data: { shareToken: newShareToken() }, select: { id: true, shareToken: true } });
  }),
});
