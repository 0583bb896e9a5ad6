// Sweeps in shards on the run queue (server/worker/shards.ts, docs/queue.md): every worker takes
// shards of one sweep; the stored summary is exactly the unsharded sweep's; a worker killed in
// the middle of a shard loses only that shard, which another worker runs again, and the result is
// the same; cancelling stops the shards not yet done; progress and partial results only grow; and
// other users' runs keep their fair place between a sweep's shards. Waits are on progress and
// process events, never on a wall-clock budget.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker, shardsState } from "../helpers/worker";
import { createScenario } from "@/server/scenarios/store";
import { checkScenario } from "@/server/scenarios/validate";
import { enqueueRun, finishRun } from "@/server/worker/queue";
import { claimWork } from "@/server/worker/claim";
import { finishShard, planShards } from "@/server/worker/shards";
import { runWeight } from "@/server/worker/fairness";
import { QueueWorker } from "@/server/worker/worker";
import { runSweep } from "@/server/runner";
import { TEMPLATES } from "@/server/templates";
import { sharedScenario } from "../helpers/scenarios";
import type { SessionUser } from "@/server/auth/options";

// Some seeds fail a check, latencies differ per seed: merging has something to get wrong.
const LOSSY = sharedScenario("09-lossy-network-sweep.yaml");
// About 100,000 events a seed: a shard of a few seeds takes long enough to be killed in.
const MEDIUM = `version: 1
name: medium closed loop
until: 600s
maxEvents: 100000
nodes: [{ id: A }, { id: B }, { id: C }, { id: D }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 3 }
  server: { processing: 1ms }
workload:
  - { clients: all, target: random, outstanding: 2, op: read, key: k }
checks: [all-complete]
`;
const LEASE_MS = 60_000;
const silent = process.env.DEBUG_WORKER ? (line: string) => console.log(line) : () => undefined;

/** The unsharded sweep's summary, simulated here, as the service stores it (JSON). */
async function unsharded(source: string, from: number, seeds: number): Promise<string> {
  const checked = checkScenario(source);
  if (!checked.ok) throw new Error("test scenario invalid");
  return JSON.stringify(await runSweep(checked.scenario, { seeds, from, threads: 2 }));
}

describe("planShards", () => {
  it("cuts a sweep into contiguous shards whose fair tags follow their share of its weight", () => {
    const plans = planShards(10, 95, 190, 1000, 10);
    expect(plans.map((p) => [p.fromSeed, p.count])).toEqual([[10, 10], [20, 10], [30, 10], [40, 10], [50, 10], [60, 10], [70, 10], [80, 10], [90, 10], [100, 5]]);
    expect(plans.map((p) => p.fairTag)).toEqual([1000, 1020, 1040, 1060, 1080, 1100, 1120, 1140, 1160, 1180]);
    // Without a size: by weight, a small scenario's 100,000 seeds make tens of shards, not thousands.
    const big = planShards(1, 100_000, 150, 0);
    expect(big.length).toBeGreaterThanOrEqual(8);
    expect(big.length).toBeLessThanOrEqual(100);
    expect(big.reduce((n, p) => n + p.count, 0)).toBe(100_000);
    // A heavy seed is a shard of its own.
    expect(planShards(1, 20, 800, 0).every((p) => p.count === 1)).toBe(true);
  });
});

describe.each(PROVIDERS)("sweeps in shards, on %s", (provider) => {
  let t: TestDb;
  let owner: SessionUser;
  let other: SessionUser;
  const scenarios: Record<string, { id: string; versionId: string; source: string }> = {};

  beforeAll(async () => {
    t = await createTestDb(provider);
    owner = await makeUser(t.db, "sweeper");
    other = await makeUser(t.db, "other");
    for (const [name, source, who] of [["lossy", LOSSY, owner], ["medium", MEDIUM, owner], ["small", TEMPLATES[0]!.source, other]] as const) {
      const s = await createScenario(t.db, who.id, source);
      const v = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } });
      scenarios[name] = { id: s.id, versionId: v.id, source };
    }
  });
  afterAll(async () => t.drop());
  beforeEach(async () => {
    await t.db.run.deleteMany({});
  });

  function enqueueSweep(name: string, from: number, seeds: number, seedsPerShard: number) {
    const s = scenarios[name]!;
    const checked = checkScenario(s.source);
    if (!checked.ok) throw new Error("invalid");
    const who = name === "small" ? other : owner;
    return enqueueRun(t.db, { ownerId: who.id, scenarioId: s.id, versionId: s.versionId, seed: from, seedCount: seeds, weight: runWeight(checked.scenario, seeds), seedsPerShard }).then((r) => r.id);
  }

  function worker(id: string, slots = 1) {
    return new QueueWorker({ db: t.db, leaseMs: LEASE_MS, pollMs: 20, runTimeoutMs: 120_000, slots, workerId: id, log: silent });
  }

  it("shares one sweep between two workers; the summary is exactly the unsharded sweep's", async () => {
    const id = await enqueueSweep("lossy", 5, 60, 6);
    const a = worker("worker-a");
    const b = worker("worker-b");
    a.start();
    b.start();
    try {
      await untilDone("the sweep to end", async () => (await t.db.run.count({ where: { id, status: { in: ["done", "failed"] } } })) === 1, () => shardsState(t.db, id));
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const run = await t.db.run.findUniqueOrThrow({ where: { id }, select: { status: true, summary: true, verdict: true, progress: true } });
    expect(run).toMatchObject({ status: "done", verdict: "fail", progress: 1 });
    expect(run.summary).toBe(await unsharded(LOSSY, 5, 60));
    const shards = await t.db.runShard.findMany({ where: { runId: id }, select: { workerId: true, status: true, attempt: true } });
    expect(shards).toHaveLength(10);
    expect(shards.every((s) => s.status === "done" && s.attempt === 1)).toBe(true);
    // Both workers took shards of it.
    expect(new Set(shards.map((s) => s.workerId))).toEqual(new Set(["worker-a", "worker-b"]));
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("shows progress and partial results that only grow while the sweep runs", async () => {
    const id = await enqueueSweep("lossy", 1, 80, 4);
    const api = callerFor(t, owner);
    const w = worker("worker-progress");
    const seen: { progress: number; seeds: number }[] = [];
    w.start();
    try {
      await untilDone("the sweep to end", async () => {
        const state = await api.run.status({ id });
        const partial = (state as { summary?: { seeds: number } }).summary;
        seen.push({ progress: state.progress, seeds: state.status === "done" ? 80 : (partial?.seeds ?? 0) });
        return state.status === "done";
      }, () => shardsState(t.db, id));
    } finally {
      await w.stop();
    }
    const progress = seen.map((s) => s.progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress.some((p) => p > 0 && p < 1)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    const seeds = seen.map((s) => s.seeds);
    expect(seeds).toEqual([...seeds].sort((x, y) => x - y));
    // A partial summary of some of the seeds was on show before the end.
    expect(seeds.some((n) => n > 0 && n < 80)).toBe(true);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("cancel stops the shards not yet done and keeps the partial summary", async () => {
    const id = await enqueueSweep("lossy", 1, 200, 2);
    const api = callerFor(t, owner);
    const w = worker("worker-cancel");
    w.start();
    try {
      await untilDone("a shard to finish", async () => (await t.db.runShard.count({ where: { runId: id, status: "done" } })) >= 2, () => shardsState(t.db, id));
      expect(await api.run.cancel({ id })).toEqual({ id, status: "cancelled" });
    } finally {
      await w.stop();
    }
    const done = await t.db.runShard.count({ where: { runId: id, status: "done" } });
    // Nothing ran after the cancel, and nothing is left to run.
    expect(done).toBeLessThan(100);
    expect(await t.db.runShard.count({ where: { runId: id, status: { in: ["queued", "running"] } } })).toBe(0);
    const run = await api.run.byId({ id });
    expect(run.status).toBe("cancelled");
    const summary = run.summary as { seeds: number } | null;
    if (summary) expect(summary.seeds).toBeLessThanOrEqual(done * 2);
    // A worker started now finds nothing of it to claim; a second cancel says it has ended.
    expect(await claimWork(t.db, "late", LEASE_MS)).toBeNull();
    await expect(api.run.cancel({ id })).rejects.toThrow(/has ended/);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("keeps other users' runs in fair order between a sweep's shards", async () => {
    const sweep = await enqueueSweep("lossy", 1, 50, 10);
    const first = await claimWork(t.db, "w", LEASE_MS);
    const second = await claimWork(t.db, "w", LEASE_MS);
    expect([first?.kind, second?.kind]).toEqual(["shard", "shard"]);
    // Another user queues one run while the sweep's shards wait: it goes next, not after them.
    const api = callerFor(t, other);
    const single = await api.run.create({ scenarioId: scenarios.small!.id });
    expect((await api.run.status({ id: single.id })).queuePosition).toBe(1);
    const third = await claimWork(t.db, "w", LEASE_MS);
    expect(third?.kind === "run" && third.run.id).toBe(single.id);
    await finishRun(t.db, single.id, 1, { ok: true, engine: "test", verdict: "pass", summary: {}, eventCount: 1, trace: null });
    expect((await claimWork(t.db, "w", LEASE_MS))?.kind).toBe("shard");
    expect((await t.db.run.findUniqueOrThrow({ where: { id: sweep }, select: { status: true } })).status).toBe("running");
    // A stale attempt of a shard (its lease was taken over) stores nothing.
    const stale = first!.kind === "shard" ? first!.shard : null;
    await t.db.runShard.update({ where: { id: stale!.id }, data: { attempt: { increment: 1 } } });
    expect(await finishShard(t.db, stale!, { ok: false, error: "x", retryable: false })).toBe(false);
  });

  it(
    "loses only the killed worker's shard: another worker runs it again and the result is the same",
    async () => {
      const id = await enqueueSweep("medium", 1, 24, 3);
      const workers: TestWorker[] = [];
      try {
        const a = startWorker(t.url, "worker-a", { WORKER_THREADS: "1" });
        workers.push(a);
        await a.ready;
        const b = startWorker(t.url, "worker-b", { WORKER_THREADS: "1" });
        workers.push(b);
        await b.ready;
        const ofA = { runId: id, status: "running", workerId: { contains: `-${a.child.pid}-` } };
        // Kill A in the middle of a shard.
        await untilDone("worker A to be running a shard", async () => (await t.db.runShard.count({ where: ofA })) > 0, () => shardsState(t.db, id));
        await killWorker(a);
        // What A held when it died (it cannot change now: only A could store those shards).
        const held = (await t.db.runShard.findMany({ where: ofA, select: { id: true } })).map((r) => r.id);
        expect(held.length).toBeGreaterThan(0);
        await untilDone("the sweep to end", async () => (await t.db.run.count({ where: { id, status: { in: ["done", "failed"] } } })) === 1, () => shardsState(t.db, id));
        const shards = await t.db.runShard.findMany({ where: { runId: id }, select: { id: true, status: true, lostLeases: true, attempt: true, failures: true } });
        // Only the shard (or shards) A held when it died were lost, once each, and ran again.
        const lost = shards.filter((s) => s.lostLeases > 0);
        expect(lost.map((s) => s.id).sort()).toEqual([...held].sort());
        expect(lost.every((s) => s.lostLeases === 1 && s.attempt === 2)).toBe(true);
        expect(shards.every((s) => s.status === "done" && s.failures === 0)).toBe(true);
        const run = await t.db.run.findUniqueOrThrow({ where: { id }, select: { status: true, summary: true } });
        expect(run.status).toBe("done");
        expect(run.summary).toBe(await unsharded(MEDIUM, 1, 24));
      } finally {
        for (const w of workers) await killWorker(w);
      }
    },
    RELIABILITY_TEST_TIMEOUT_MS,
  );
});
