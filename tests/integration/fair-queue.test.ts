// The queue's claim order is fair (docs/queue.md): a small run does not wait behind another
// user's twenty runs or behind heavy runs, a course at its deadline shares the workers with
// everyone else, heavy runs never hold more slots than the cap, and a queued user sees
// their place. Claims here are made one at a time, as one free worker slot would.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { claimRun, enqueueRun, finishRun } from "@/server/worker/queue";
import { HEAVY_WEIGHT_MIN } from "@/server/worker/fairness";
import { createScenario } from "@/server/scenarios/store";
import { TEMPLATES } from "@/server/templates";
import type { SessionUser } from "@/server/auth/options";

// A closed loop of 1,000,000 declared events a seed: a sweep of 20 seeds is heavy.
const BUSY = `version: 1
name: busy closed loop
until: 600s
maxEvents: 1000000
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
const ok = { ok: true as const, engine: "test", verdict: "pass" as const, summary: { checks: [] }, eventCount: 1, trace: null };

describe.each(PROVIDERS)("fair queue on %s", (provider) => {
  let t: TestDb;
  const users: Record<string, SessionUser> = {};
  const scenarios: Record<string, { id: string; versionId: string }> = {};

  beforeAll(async () => {
    t = await createTestDb(provider);
    for (const name of ["alice", "bob", "carol", "heavy"]) {
      users[name] = await makeUser(t.db, name);
      const s = await createScenario(t.db, users[name]!.id, name === "heavy" ? BUSY : TEMPLATES[0]!.source);
      const v = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } });
      scenarios[name] = { id: s.id, versionId: v.id };
    }
  });
  afterAll(async () => t.drop());
  beforeEach(async () => {
    // Each test starts from an empty queue and no live workers.
    await t.db.run.deleteMany({});
    await t.db.workerHeartbeat.deleteMany({});
  });

  async function enqueue(name: string, n: number, extra: { courseId?: string; ownerId?: string; weight?: number } = {}) {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = scenarios[name]!;
      ids.push((await enqueueRun(t.db, { ownerId: extra.ownerId ?? users[name]!.id, scenarioId: s.id, versionId: s.versionId, seed: i + 1, seedCount: 1, weight: extra.weight, courseId: extra.courseId })).id);
    }
    return ids;
  }

  /** Claims runs one at a time (one free slot), finishing each before the next claim. */
  async function claimOrder(n: number): Promise<string[]> {
    const order: string[] = [];
    for (let i = 0; i < n; i++) {
      const c = await claimRun(t.db, "w", LEASE_MS);
      if (!c) break;
      order.push(c.id);
      await finishRun(t.db, c.id, c.attempt, ok);
    }
    return order;
  }

  it("does not make a small run wait behind another user's 20 runs", async () => {
    const alices = await enqueue("alice", 20);
    const bob = await callerFor(t, users.bob!).run.create({ scenarioId: scenarios.bob!.id });
    const order = await claimOrder(3);
    // Bob's run goes second at the latest: after Alice's first, not after all twenty.
    expect(order.slice(0, 2)).toContain(bob.id);
    expect(order[0]).toBe(alices[0]);
  });

  it("takes users in turn while they all have runs waiting", async () => {
    const a = await enqueue("alice", 5);
    const b = await enqueue("bob", 5);
    const c = await enqueue("carol", 5);
    const order = await claimOrder(15);
    const owner = (id: string) => (a.includes(id) ? "a" : b.includes(id) ? "b" : c.includes(id) ? "c" : "?");
    // Every window of three claims serves each user once.
    for (let i = 0; i < 15; i += 3) expect(order.slice(i, i + 3).map(owner).sort()).toEqual(["a", "b", "c"]);
  });

  it("weighs a sweep by its declared events: a heavy run is charged for what it may cost", async () => {
    const heavy = callerFor(t, users.heavy!);
    const h = await heavy.run.create({ scenarioId: scenarios.heavy!.id, sweep: { seeds: 20 } });
    const single = await heavy.run.create({ scenarioId: scenarios.heavy!.id });
    const rows = await t.db.run.findMany({ where: { id: { in: [h.id, single.id] } }, select: { id: true, weight: true } });
    expect(rows.find((r) => r.id === h.id)!.weight).toBeGreaterThanOrEqual(HEAVY_WEIGHT_MIN);
    expect(rows.find((r) => r.id === single.id)!.weight).toBeLessThan(HEAVY_WEIGHT_MIN);
  });

  it("does not make a small run wait behind heavy runs: heavy runs never take every slot", async () => {
    // One live worker with two slots: at most one heavy run at a time.
    await t.db.workerHeartbeat.create({ data: { id: "w", host: "h", pid: 1, startedAt: new Date(), lastSeenAt: new Date(), slots: 2 } });
    // Heavy single runs: a sweep is cut into light shards instead (tests/integration/sweep-shards.test.ts).
    const [h1, h2] = (await enqueue("heavy", 2, { weight: HEAVY_WEIGHT_MIN * 2 })).map((id) => ({ id })) as [{ id: string }, { id: string }];
    const small = await callerFor(t, users.bob!).run.create({ scenarioId: scenarios.bob!.id });
    const first = await claimRun(t.db, "w", LEASE_MS);
    expect(first?.id).toBe(h1.id);
    // The second slot goes to the small run, not to the second heavy run.
    const second = await claimRun(t.db, "w", LEASE_MS);
    expect(second?.id).toBe(small.id);
    expect(await claimRun(t.db, "w", LEASE_MS)).toBeNull();
    // When the first heavy run ends, the second may start.
    await finishRun(t.db, first!.id, first!.attempt, ok);
    expect((await claimRun(t.db, "w", LEASE_MS))?.id).toBe(h2.id);
  });

  it("never runs more heavy runs than the cap, however many workers claim at once", async () => {
    await enqueue("heavy", 8, { weight: HEAVY_WEIGHT_MIN * 3 });
    const light = await enqueue("bob", 3);
    const heavyRunsMax = 2;
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => claimRun(t.db, `w${i}`, LEASE_MS, new Date(), { heavyRunsMax })));
    const claimed = claims.filter((c) => c !== null).map((c) => c!.id);
    const running = await t.db.run.findMany({ where: { status: "running" }, select: { id: true, weight: true } });
    expect(running.filter((r) => r.weight >= HEAVY_WEIGHT_MIN).length).toBeLessThanOrEqual(heavyRunsMax);
    expect(running.map((r) => r.id).sort()).toEqual([...claimed].sort());
    // The light runs were not held back by the heavy ones.
    for (const id of light) expect(claimed).toContain(id);
  });

  it("shares the workers between a course at its deadline, another course and everyone else", async () => {
    const students = await Promise.all(Array.from({ length: 30 }, (_, i) => makeUser(t.db, `student ${i}`)));
    const big: string[] = [];
    for (const s of students) big.push(...(await enqueue("alice", 1, { ownerId: s.id, courseId: "course-big" })));
    const [small] = await enqueue("carol", 1, { courseId: "course-small" });
    const [bob] = await enqueue("bob", 1);
    const order = await claimOrder(4);
    // One grading of the big course, then the other course's and Bob's, before the big course's next.
    expect(order[0]).toBe(big[0]);
    expect(order.slice(1, 3).sort()).toEqual([small, bob].sort());
    // Students of one course are graded in the order they submitted.
    expect(order[3]).toBe(big[1]);
  });

  it("tells a queued user their place in the queue, and keeps it up to date", async () => {
    await enqueue("alice", 20);
    const api = callerFor(t, users.bob!);
    const run = await api.run.create({ scenarioId: scenarios.bob!.id });
    expect((await api.run.status({ id: run.id })).queuePosition).toBe(2);
    expect((await api.run.byId({ id: run.id })).queuePosition).toBe(2);
    const first = await claimRun(t.db, "w", LEASE_MS);
    expect(first?.id).not.toBe(run.id);
    expect((await api.run.status({ id: run.id })).queuePosition).toBe(1);
    expect((await claimRun(t.db, "w", LEASE_MS))?.id).toBe(run.id);
    expect(await api.run.status({ id: run.id })).toMatchObject({ status: "running", queuePosition: null });
  });
});
