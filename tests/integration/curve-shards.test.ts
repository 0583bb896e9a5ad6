// A parameter curve as one run (run.curve, server/worker/shards.ts, docs/search.md): its shards are
// (point, seed range), every worker takes them; each point's summary is exactly the unsharded sweep
// of its version; progress and each point's partial results grow while it runs; cancelling stops the
// shards not yet done and keeps the points' partial results. Waits are on progress, never on a
// wall-clock budget.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { RELIABILITY_TEST_TIMEOUT_MS, shardsState, untilDone } from "../helpers/worker";
import { checkScenario } from "@/server/scenarios/validate";
import { claimWork } from "@/server/worker/claim";
import { QueueWorker } from "@/server/worker/worker";
import { curveShardRows, type CurveRunSummary } from "@/server/worker/shards";
import { runSweep } from "@/server/runner";
import { sharedScenario } from "../helpers/scenarios";
import type { SessionUser } from "@/server/auth/options";

// Some seeds fail a check, latencies differ per seed: merging has something to get wrong.
const LOSSY = sharedScenario("09-lossy-network-sweep.yaml");
const LEASE_MS = 60_000;
const silent = process.env.DEBUG_WORKER ? (line: string) => console.log(line) : () => undefined;

/** The point's document: the loss set to `loss` (what the curve page saves as each point's version). */
function atLoss(loss: number): string {
  const text = LOSSY.replace(/loss: [\d.]+/, `loss: ${loss}`);
  if (text === LOSSY && !LOSSY.includes(`loss: ${loss}`)) throw new Error("the test scenario has no loss to vary");
  return text;
}

async function unsharded(source: string, seeds: number): Promise<string> {
  const checked = checkScenario(source);
  if (!checked.ok) throw new Error("test scenario invalid");
  return JSON.stringify(await runSweep(checked.scenario, { seeds, from: checked.scenario.seed, threads: 2 }));
}

describe("curveShardRows", () => {
  it("cuts each point's seeds as a sweep's, numbers the shards on across points, and runs the fair tags on from point to point", () => {
    const rows = curveShardRows([{ versionId: "v1", weight: 20, seed: 1 }, { versionId: "v2", weight: 40, seed: 7 }], 10, 100, 5);
    expect(rows.map((r) => [r.index, r.pointIndex, r.fromSeed, r.count])).toEqual([[0, 0, 1, 5], [1, 0, 6, 5], [2, 1, 7, 5], [3, 1, 12, 5]]);
    expect(rows.map((r) => r.fairTag)).toEqual([100, 110, 120, 140]);
    expect(rows.map((r) => JSON.parse(r.input!).versionId)).toEqual(["v1", "v1", "v2", "v2"]);
  });
});

describe.each(PROVIDERS)("a curve as one run in shards, on %s", (provider) => {
  let t: TestDb;
  let owner: SessionUser;
  const LOSSES = [0.1, 0.3, 0.5];
  let curveId = "";

  beforeAll(async () => {
    t = await createTestDb(provider);
    owner = await makeUser(t.db, "curver");
    const api = callerFor(t, owner);
    // As the curve page saves them: a scenario whose versions are the points, each note its label.
    for (const [i, loss] of LOSSES.entries()) {
      if (i === 0) curveId = (await api.scenario.create({ source: atLoss(loss), note: `network.loss=${loss}` })).id;
      else await api.scenario.saveVersion({ id: curveId, source: atLoss(loss), note: `network.loss=${loss}` });
    }
  });
  afterAll(async () => t.drop());
  beforeEach(async () => {
    await t.db.run.deleteMany({});
  });

  function worker(id: string) {
    return new QueueWorker({ db: t.db, leaseMs: LEASE_MS, pollMs: 20, runTimeoutMs: 120_000, slots: 1, workerId: id, log: silent });
  }

  it("shares one curve's (point, seed range) shards between two workers; each point is exactly its unsharded sweep", async () => {
    const api = callerFor(t, owner);
    const run = await api.run.curve({ scenarioId: curveId, versions: [1, 2, 3], seeds: 40 });
    expect(run).toMatchObject({ kind: "curve", status: "queued", seedCount: 120 });
    // One run, not one per point: the points' seeds are its shards.
    expect(await t.db.run.count({ where: { scenarioId: curveId } })).toBe(1);
    const shards = await t.db.runShard.findMany({ where: { runId: run.id }, orderBy: { index: "asc" }, select: { pointIndex: true, fromSeed: true, count: true } });
    expect(new Set(shards.map((s) => s.pointIndex))).toEqual(new Set([0, 1, 2]));
    for (const p of [0, 1, 2]) expect(shards.filter((s) => s.pointIndex === p).reduce((n, s) => n + s.count, 0)).toBe(40);

    const a = worker("worker-a");
    const b = worker("worker-b");
    const seen: { progress: number; seeds: number }[] = [];
    a.start();
    b.start();
    try {
      await untilDone("the curve to end", async () => {
        const state = await api.run.status({ id: run.id });
        const partial = (state as { summary?: CurveRunSummary }).summary;
        seen.push({ progress: state.progress, seeds: state.status === "done" ? 120 : (partial?.points ?? []).reduce((n, p) => n + (p.summary?.seeds ?? 0), 0) });
        return state.status === "done" || state.status === "failed";
      }, () => shardsState(t.db, run.id));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const done = await api.run.byId({ id: run.id });
    expect(done).toMatchObject({ status: "done", verdict: "fail", progress: 1 });
    const summary = done.summary as CurveRunSummary;
    expect(summary.points.map((p) => [p.label, p.version])).toEqual([["network.loss=0.1", 1], ["network.loss=0.3", 2], ["network.loss=0.5", 3]]);
    for (const [i, loss] of LOSSES.entries()) expect(JSON.stringify(summary.points[i]!.summary)).toBe(await unsharded(atLoss(loss), 40));
    // Both workers took shards of it, and progress only grew.
    const owners = await t.db.runShard.findMany({ where: { runId: run.id }, select: { workerId: true, status: true } });
    expect(owners.every((s) => s.status === "done")).toBe(true);
    expect(new Set(owners.map((s) => s.workerId))).toEqual(new Set(["worker-a", "worker-b"]));
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("cancel stops the shards not yet done and keeps each point's partial results", async () => {
    const api = callerFor(t, owner);
    const run = await api.run.curve({ scenarioId: curveId, versions: [1, 2, 3], seeds: 400 });
    const w = worker("worker-cancel");
    w.start();
    try {
      await untilDone("a shard to finish", async () => (await t.db.runShard.count({ where: { runId: run.id, status: "done" } })) >= 1, () => shardsState(t.db, run.id));
      expect(await api.run.cancel({ id: run.id })).toEqual({ id: run.id, status: "cancelled" });
    } finally {
      await w.stop();
    }
    expect(await t.db.runShard.count({ where: { runId: run.id, status: { in: ["queued", "running"] } } })).toBe(0);
    const view = await api.run.byId({ id: run.id });
    expect(view.status).toBe("cancelled");
    // The points' results so far stay on show: no more seeds than the shards that finished.
    const doneSeeds = (await t.db.runShard.findMany({ where: { runId: run.id, status: "done" }, select: { count: true } })).reduce((n, s) => n + s.count, 0);
    const summary = view.summary as CurveRunSummary;
    expect(summary.kind).toBe("curve");
    expect(summary.points.reduce((n, p) => n + (p.summary?.seeds ?? 0), 0)).toBeLessThanOrEqual(doneSeeds);
    expect(doneSeeds).toBeLessThan(1200);
    expect(await claimWork(t.db, "late", LEASE_MS)).toBeNull();
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("refuses a curve of someone else's scenario, a version given twice, and too many seeds", async () => {
    const stranger = callerFor(t, await makeUser(t.db, "stranger"));
    await expect(stranger.run.curve({ scenarioId: curveId, versions: [1, 2], seeds: 10 })).rejects.toThrow(/not found/i);
    const api = callerFor(t, owner);
    await expect(api.run.curve({ scenarioId: curveId, versions: [1, 1], seeds: 10 })).rejects.toThrow(/each version at most once/);
    await expect(api.run.curve({ scenarioId: curveId, versions: [1, 2, 3], seeds: 50_000 })).rejects.toThrow(/at most 100000 in all/);
  });
});
