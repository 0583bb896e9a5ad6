// Shrink jobs through the queue: run.shrink queues a Run of kind "shrink" for a failing single run
// (owner only, once), a worker process shrinks it, surviving SIGKILL like any run, and stores the
// result as the scenario's next version, marked shrunk from that run; that version fails the same check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker } from "../helpers/worker";
import { parseScenarioText, runScenario } from "@/server/sim";
import { RANDOM_RR } from "../sim/nemesis-helpers";

function failingSeed(): number {
  const parsed = parseScenarioText(RANDOM_RR);
  if (!parsed.ok) throw new Error("test scenario invalid");
  for (let seed = 1; seed <= 3; seed++) if (!runScenario(parsed.scenario, { seed, recordTrace: false }).summary.checks.find((c) => c.name === "at-most-once")!.ok) return seed;
  throw new Error("no failing seed");
}

describe.each(PROVIDERS)("shrink jobs, on %s", (provider) => {
  let t: TestDb;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    for (const w of workers) await killWorker(w);
    await t.drop();
  });

  it("shrinks a failing run into a new version that fails the same check, once, for its owner only", async () => {
    const owner = await makeUser(t.db, "shrinker");
    const other = await makeUser(t.db, "other");
    const api = callerFor(t, owner);
    const scenario = await api.scenario.create({ source: RANDOM_RR });
    const seed = failingSeed();
    const run = await api.run.create({ scenarioId: scenario.id, seed });
    const state = async () => JSON.stringify(await t.db.run.findMany({ where: { scenarioId: scenario.id }, orderBy: { id: "asc" }, select: { status: true, attempt: true, progress: true } }));

    const first = startWorker(t.url, "shrink-worker-1");
    workers.push(first);
    await first.ready;
    await untilDone("the failing run", async () => (await t.db.run.findUniqueOrThrow({ where: { id: run.id } })).status === "done", state);
    await killWorker(first);

    expect(await codeOf(callerFor(t, other).run.shrink({ id: run.id }))).toBe("NOT_FOUND");
    const shrink = await api.run.shrink({ id: run.id });
    expect(shrink.created).toBe(true);
    expect(await api.run.shrink({ id: run.id })).toEqual({ id: shrink.id, created: false });

    // A worker killed while it shrinks: the next one takes the job over.
    const second = startWorker(t.url, "shrink-worker-2");
    workers.push(second);
    await second.ready;
    await untilDone("the shrink to start", async () => (await t.db.run.findUniqueOrThrow({ where: { id: shrink.id } })).status !== "queued", state);
    await killWorker(second);
    const atKill = await t.db.run.findUniqueOrThrow({ where: { id: shrink.id }, select: { status: true } });
    const third = startWorker(t.url, "shrink-worker-3");
    workers.push(third);
    await third.ready;
    await untilDone("the shrink", async () => ["done", "failed"].includes((await t.db.run.findUniqueOrThrow({ where: { id: shrink.id } })).status), state);

    const view = await api.run.byId({ id: shrink.id });
    expect(view).toMatchObject({ kind: "shrink", status: "done", verdict: "fail", parentRunId: run.id });
    if (atKill.status === "running") expect((await t.db.run.findUniqueOrThrow({ where: { id: shrink.id } })).lostLeases).toBeGreaterThanOrEqual(1);
    const summary = view.summary as { failing: boolean; check: string; before: { faults: number; events: number }; after: { faults: number; events: number }; versionNumber: number };
    // The check shrunk for is the run's first failing one.
    const failed = ((await api.run.byId({ id: run.id })).summary as { checks: { name: string; ok: boolean }[] }).checks.find((c) => !c.ok)!.name;
    expect(summary).toMatchObject({ failing: true, check: failed, versionNumber: 2 });
    expect(summary.after.faults).toBeLessThanOrEqual(3);
    expect(summary.after.faults).toBeLessThan(summary.before.faults);

    const version = await t.db.scenarioVersion.findUniqueOrThrow({ where: { scenarioId_number: { scenarioId: scenario.id, number: 2 } } });
    expect(version.shrunkFromRunId).toBe(run.id);
    expect(version.source).not.toContain("kind: random");
    const parsed = parseScenarioText(version.source);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.scenario.seed).toBe(seed);
    expect(runScenario(parsed.scenario).summary.checks.find((c) => c.name === failed)!.ok).toBe(false);
    // Only one version was added, however many attempts the job took.
    expect(await t.db.scenarioVersion.count({ where: { scenarioId: scenario.id } })).toBe(2);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("saves the faults a run's random nemesis drew as a version that replays the run to the same digest", async () => {
    const owner = await makeUser(t.db, "saver");
    const api = callerFor(t, owner);
    const scenario = await api.scenario.create({ source: RANDOM_RR });
    const run = await api.run.create({ scenarioId: scenario.id, seed: 2 });
    expect(await codeOf(api.run.saveSchedule({ id: run.id }))).toBe("BAD_REQUEST"); // not finished yet
    await t.db.run.update({ where: { id: run.id }, data: { status: "done" } });
    expect(await codeOf(callerFor(t, await makeUser(t.db, "stranger")).run.saveSchedule({ id: run.id }))).toBe("NOT_FOUND");
    expect(await api.run.saveSchedule({ id: run.id })).toEqual({ scenarioId: scenario.id, version: 2 });
    const version = await t.db.scenarioVersion.findUniqueOrThrow({ where: { scenarioId_number: { scenarioId: scenario.id, number: 2 } } });
    expect(version.source).not.toContain("kind: random");
    const saved = parseScenarioText(version.source);
    const original = parseScenarioText(RANDOM_RR);
    if (!saved.ok || !original.ok) throw new Error("invalid");
    expect(runScenario(saved.scenario).summary.traceDigest).toBe(runScenario(original.scenario, { seed: 2 }).summary.traceDigest);

    // A run of the saved version has nothing left to draw.
    const plain = await api.run.create({ scenarioId: scenario.id, version: 2 });
    await t.db.run.update({ where: { id: plain.id }, data: { status: "done" } });
    expect(await codeOf(api.run.saveSchedule({ id: plain.id }))).toBe("BAD_REQUEST");
  });

  it("refuses runs that did not fail", async () => {
    const owner = await makeUser(t.db, "passer");
    const api = callerFor(t, owner);
    const scenario = await api.scenario.create({ source: RANDOM_RR });
    const run = await api.run.create({ scenarioId: scenario.id, seed: 1 });
    expect(await codeOf(api.run.shrink({ id: run.id }))).toBe("BAD_REQUEST");
  });
});
