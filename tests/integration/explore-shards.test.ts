// Explorations in shards on the run queue (server/worker/explore-shards.ts, docs/queue.md): every
// worker takes shards of one exploration (ranges of a level's schedules); the stored result is the
// in-process search's (same counts, same shortest counterexample), the counterexample's version and
// run stored once; progress moves as shards finish; cancelling stops the shards not yet done and
// stores nothing; a worker killed in the middle of a shard loses only that shard, which another
// worker runs again, and the result is the same. Waits are on progress and process events, never
// on a wall-clock budget.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { cleanResponseLost, RESPONSE_LOST } from "../helpers/scenarios";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker, shardsState } from "../helpers/worker";
import { createScenario } from "@/server/scenarios/store";
import { checkScenario } from "@/server/scenarios/validate";
import { enqueueRun } from "@/server/worker/queue";
import { claimWork } from "@/server/worker/claim";
import { runWeight } from "@/server/worker/fairness";
import { QueueWorker } from "@/server/worker/worker";
import { explore } from "@/server/sim/search/explore";
import type { ExploreBounds } from "@/server/scenarios/explore-limits";
import type { ExploreLiveSummary, ExploreSummary } from "@/server/worker/explore";
import type { SessionUser } from "@/server/auth/options";

const CLEAN = cleanResponseLost(40);
/** The same with more writes: each schedule takes longer, so a shard is long enough to be killed in. */
const CLEAN_LONGER = cleanResponseLost(160);

const LEASE_MS = 60_000;
const silent = process.env.DEBUG_WORKER ? (line: string) => console.log(line) : () => undefined;

/** The in-process search's result, as the service summarises it. */
function inProcess(source: string, bounds: ExploreBounds) {
  const checked = checkScenario(source);
  if (!checked.ok) throw new Error("test scenario invalid");
  const r = explore(checked.scenario, { ...bounds, seed: checked.scenario.seed });
  return {
    explored: r.explored, byLevel: r.byLevel, repeatedTraces: r.repeatedTraces, failing: r.failing, complete: r.complete, stoppedBy: r.stoppedBy,
    shortest: r.shortest ? { describe: r.shortest.faults.map((f) => f.describe), faults: r.shortest.faults.map((f) => f.entry), events: r.shortest.summary.events } : null,
  };
}

function asStored(s: ExploreSummary) {
  const { explored, byLevel, repeatedTraces, failing, complete, stoppedBy, shortest } = s;
  return { explored, byLevel, repeatedTraces, failing, complete, stoppedBy, shortest: shortest ? { describe: shortest.describe, faults: shortest.faults, events: shortest.events } : null };
}

describe.each(PROVIDERS)("explorations in shards, on %s", (provider) => {
  let t: TestDb;
  let owner: SessionUser;
  const scenarios: Record<string, { id: string; versionId: string; source: string }> = {};

  beforeAll(async () => {
    t = await createTestDb(provider);
    owner = await makeUser(t.db, "explorer");
    for (const [name, source] of [["lost", RESPONSE_LOST], ["clean", CLEAN], ["longer", CLEAN_LONGER]] as const) {
      const s = await createScenario(t.db, owner.id, source);
      const v = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } });
      scenarios[name] = { id: s.id, versionId: v.id, source };
    }
  });
  afterAll(async () => t.drop());
  beforeEach(async () => {
    await t.db.run.deleteMany({});
  });

  async function enqueueExploration(name: string, bounds: ExploreBounds, schedulesPerShard: number) {
    const s = scenarios[name]!;
    const checked = checkScenario(s.source);
    if (!checked.ok) throw new Error("invalid");
    const run = await enqueueRun(t.db, {
      ownerId: owner.id, scenarioId: s.id, versionId: s.versionId, seed: checked.scenario.seed, seedCount: 1, kind: "explore",
      explore: { scenario: checked.scenario, request: bounds, schedulesPerShard }, weight: runWeight(checked.scenario, bounds.maxSchedules),
    });
    return run.id;
  }

  function worker(id: string, slots = 1) {
    return new QueueWorker({ db: t.db, leaseMs: LEASE_MS, pollMs: 20, runTimeoutMs: 120_000, slots, workerId: id, log: silent });
  }

  const ended = (id: string) => async () => (await t.db.run.count({ where: { id, status: { in: ["done", "failed", "cancelled"] } } })) === 1;

  it("shares an exploration between two workers; the result is the in-process search's, its counterexample stored once", async () => {
    const bounds: ExploreBounds = { faults: 2, depth: 6, kinds: ["drop", "duplicate", "crash"], maxSchedules: 1000 };
    const id = await enqueueExploration("lost", bounds, 2);
    const a = worker("worker-a");
    const b = worker("worker-b");
    a.start();
    b.start();
    try {
      await untilDone("the exploration to end", ended(id), () => shardsState(t.db, id));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const run = await t.db.run.findUniqueOrThrow({ where: { id }, select: { status: true, verdict: true, progress: true, summary: true, searchState: true } });
    expect(run).toMatchObject({ status: "done", verdict: "fail", progress: 1, searchState: null });
    const s = JSON.parse(run.summary!) as ExploreSummary;
    expect(asStored(s)).toEqual(inProcess(RESPONSE_LOST, bounds));
    expect(s.shortest!.faults).toHaveLength(1);
    const shards = await t.db.runShard.findMany({ where: { runId: id }, select: { workerId: true, status: true, attempt: true, partial: true } });
    // The scenario as written, then its one-fault schedules two at a time.
    expect(shards.length).toBe(s.shards!.count);
    expect(shards.length).toBeGreaterThan(4);
    expect(shards.every((x) => x.status === "done" && x.attempt === 1 && x.partial === null)).toBe(true);
    expect(new Set(shards.map((x) => x.workerId))).toEqual(new Set(["worker-a", "worker-b"]));
    // One version and one single run of it, whichever worker stored the outcome.
    const versions = await t.db.scenarioVersion.findMany({ where: { scenarioId: scenarios.lost!.id, shrunkFromRunId: id }, select: { number: true } });
    expect(versions).toEqual([{ number: s.versionNumber }]);
    const singles = await t.db.run.findMany({ where: { parentRunId: id }, select: { id: true, kind: true } });
    expect(singles).toEqual([{ id: s.counterexampleRunId, kind: "single" }]);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("shows its progress as shards finish, and stops at its budget where the in-process search does", async () => {
    const bounds: ExploreBounds = { faults: 3, depth: 20, kinds: ["drop", "duplicate"], maxSchedules: 300 };
    const id = await enqueueExploration("clean", bounds, 10);
    const api = callerFor(t, owner);
    const w = worker("worker-progress");
    const seen: { explored: number; known: number; done: number }[] = [];
    w.start();
    try {
      await untilDone("the exploration to end", async () => {
        const state = await api.run.status({ id });
        const live = (state as { summary?: ExploreLiveSummary }).summary;
        if (state.status === "running" && live?.progress) seen.push({ explored: live.progress.explored, known: live.progress.known, done: live.shards?.done ?? 0 });
        return state.status === "done";
      }, () => shardsState(t.db, id));
    } finally {
      await w.stop();
    }
    const s = (await api.run.byId({ id })).summary as ExploreSummary;
    expect(asStored(s)).toEqual(inProcess(CLEAN, bounds));
    expect(s).toMatchObject({ stoppedBy: "limit", complete: false, explored: 300, shortest: null });
    // Schedules explored were on show between none and all, never above those known, and shards done within a round.
    expect(seen.some((p) => p.explored > 0 && p.explored < 300)).toBe(true);
    expect(seen.every((p) => p.explored <= p.known)).toBe(true);
    expect(seen.some((p) => p.done > 0)).toBe(true);
    // Nothing failed: no version, no run.
    expect(await t.db.scenarioVersion.count({ where: { shrunkFromRunId: id } })).toBe(0);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("cancel stops the shards not yet done and stores nothing", async () => {
    const bounds: ExploreBounds = { faults: 3, depth: 20, kinds: ["drop", "duplicate"], maxSchedules: 5000 };
    const id = await enqueueExploration("clean", bounds, 5);
    const api = callerFor(t, owner);
    const w = worker("worker-cancel");
    w.start();
    try {
      await untilDone("a few shards to finish", async () => (await t.db.runShard.count({ where: { runId: id, status: "done" } })) >= 3, () => shardsState(t.db, id));
      expect(await api.run.cancel({ id })).toEqual({ id, status: "cancelled" });
    } finally {
      await w.stop();
    }
    expect(await t.db.runShard.count({ where: { runId: id, status: { in: ["queued", "running"] } } })).toBe(0);
    const run = await api.run.byId({ id });
    expect(run.status).toBe("cancelled");
    expect((await t.db.run.findUniqueOrThrow({ where: { id }, select: { searchState: true } })).searchState).toBeNull();
    // What it had explored when cancelled stays on show; nothing more was stored.
    expect((run.summary as ExploreLiveSummary).progress!.explored).toBeLessThan(5000);
    expect(await t.db.scenarioVersion.count({ where: { shrunkFromRunId: id } })).toBe(0);
    expect(await claimWork(t.db, "late", LEASE_MS)).toBeNull();
    await expect(api.run.cancel({ id })).rejects.toThrow(/has ended/);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it(
    "loses only the killed worker's shard: another worker runs it again and the result is the same",
    async () => {
      const bounds: ExploreBounds = { faults: 2, depth: 20, kinds: ["drop", "duplicate"], maxSchedules: 600 };
      const id = await enqueueExploration("longer", bounds, 60);
      const workers: TestWorker[] = [];
      try {
        const a = startWorker(t.url, "worker-a", { WORKER_THREADS: "1" });
        workers.push(a);
        await a.ready;
        const b = startWorker(t.url, "worker-b", { WORKER_THREADS: "1" });
        workers.push(b);
        await b.ready;
        const ofA = { runId: id, status: "running", workerId: { contains: `-${a.child.pid}-` } };
        // Kill A in the middle of a shard: one it has reported schedules of.
        await untilDone("worker A to be in the middle of a shard", async () => (await t.db.runShard.count({ where: { ...ofA, seedsDone: { gt: 0 } } })) > 0, () => shardsState(t.db, id));
        await killWorker(a);
        const held = (await t.db.runShard.findMany({ where: ofA, select: { id: true } })).map((r) => r.id);
        expect(held.length).toBeGreaterThan(0);
        await untilDone("the exploration to end", ended(id), () => shardsState(t.db, id));
        const shards = await t.db.runShard.findMany({ where: { runId: id }, select: { id: true, status: true, lostLeases: true, attempt: true, failures: true } });
        // Only the shard A held when it died was lost, once, and ran again.
        const lost = shards.filter((x) => x.lostLeases > 0);
        expect(lost.map((x) => x.id).sort()).toEqual([...held].sort());
        expect(lost.every((x) => x.lostLeases === 1 && x.attempt === 2)).toBe(true);
        expect(shards.every((x) => x.status === "done" && x.failures === 0)).toBe(true);
        const run = await t.db.run.findUniqueOrThrow({ where: { id }, select: { status: true, summary: true } });
        expect(run.status).toBe("done");
        expect(asStored(JSON.parse(run.summary!) as ExploreSummary)).toEqual(inProcess(CLEAN_LONGER, bounds));
      } finally {
        for (const w of workers) await killWorker(w);
      }
    },
    RELIABILITY_TEST_TIMEOUT_MS,
  );
});
