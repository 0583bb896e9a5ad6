// Exploration jobs through the queue: run.explore queues a Run of kind "explore" (owner only, within
// the service's bounds, no programs); a worker process explores it, surviving SIGKILL mid-exploration
// like any run, and stores the shortest failing schedule as the scenario's next version, with a single
// run of it queued, which fails the same check.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, callerFor, codeOf, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { cleanResponseLost, RESPONSE_LOST } from "../helpers/scenarios";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker } from "../helpers/worker";
import { parseScenarioText, runScenario } from "@/server/sim";
import { PROGRAM_TEMPLATES } from "@/server/templates/programs";
import type { ExploreLiveSummary, ExploreSummary } from "@/server/worker/explore";

const CLEAN_AND_LONG = cleanResponseLost(40);

describe.each(PROVIDERS)("exploration jobs, on %s", (provider) => {
  let t: TestDb;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    for (const w of workers) await killWorker(w);
    await t.drop();
  });
  const state = (scenarioId: string) => async () =>
    JSON.stringify(await t.db.run.findMany({ where: { scenarioId }, orderBy: { id: "asc" }, select: { status: true, attempt: true, progress: true, summary: true } }));

  it("refuses programs, bounds past the service's limits, and other people's scenarios, with a clear message", async () => {
    const owner = await makeUser(t.db, "bounded");
    const api = callerFor(t, owner);
    const scenario = await api.scenario.create({ source: RESPONSE_LOST });
    const bounds = { faults: 2, depth: 6, kinds: ["drop" as const] };
    expect(await codeOf(callerFor(t, await makeUser(t.db, "stranger")).run.explore({ scenarioId: scenario.id, bounds }))).toBe("NOT_FOUND");
    await expect(api.run.explore({ scenarioId: scenario.id, bounds: { ...bounds, faults: 4 } })).rejects.toThrow(/the number of faults is at most 3/);
    await expect(api.run.explore({ scenarioId: scenario.id, bounds: { ...bounds, depth: 21 } })).rejects.toThrow(/the depth is at most 20/);
    await expect(api.run.explore({ scenarioId: scenario.id, bounds: { ...bounds, maxSchedules: 5001 } })).rejects.toThrow(/the schedule budget is at most 5000/);
    await expect(api.run.explore({ scenarioId: scenario.id, bounds: { ...bounds, kinds: [] } })).rejects.toThrow(/give at least one of drop, duplicate, crash/);
    const program = await api.scenario.create({ templateId: PROGRAM_TEMPLATES[0]!.id });
    await expect(api.run.explore({ scenarioId: program.id, bounds })).rejects.toThrow(/a program \(protocol.kind custom\) cannot be explored yet/);
    expect(await t.db.run.count({ where: { ownerId: owner.id } })).toBe(0);
  });

  it("finds the one dropped response, saves it as a version and runs it", async () => {
    const owner = await makeUser(t.db, "explorer");
    const api = callerFor(t, owner);
    const scenario = await api.scenario.create({ source: RESPONSE_LOST });
    const job = await api.run.explore({ scenarioId: scenario.id, bounds: { faults: 2, depth: 6, kinds: ["drop"] } });
    expect(job).toMatchObject({ kind: "explore", status: "queued" });
    const queued = await api.run.byId({ id: job.id });
    expect(queued.summary).toMatchObject({ kind: "explore", request: { faults: 2, depth: 6, kinds: ["drop"], maxSchedules: 1000 }, progress: { explored: 0, known: 1, level: 0 } });

    const worker = startWorker(t.url, "explore-worker-1");
    workers.push(worker);
    await worker.ready;
    await untilDone("the exploration", async () => ["done", "failed"].includes((await t.db.run.findUniqueOrThrow({ where: { id: job.id } })).status), state(scenario.id));
    const view = await api.run.byId({ id: job.id });
    expect(view).toMatchObject({ kind: "explore", status: "done", verdict: "fail" });
    const s = view.summary as ExploreSummary;
    // The scenario as written, then the request and the response dropped: the response is the answer.
    expect(s).toMatchObject({ explored: 3, byLevel: [1, 2], failing: 1, complete: true, stoppedBy: "failure", versionNumber: 2 });
    expect(s.shortest!.describe).toEqual(["drop the 1st response C2→C1 (sent at 11ms)"]);
    expect(s.shortest!.failed.map((c) => c.name)).toEqual(["at-most-once"]);
    expect(s.schedulesPerSecond).toBeGreaterThan(0);

    const version = await t.db.scenarioVersion.findUniqueOrThrow({ where: { scenarioId_number: { scenarioId: scenario.id, number: 2 } } });
    expect(version.shrunkFromRunId).toBe(job.id);
    expect(version.source).toContain("kind: drop");
    const parsed = parseScenarioText(version.source);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(runScenario(parsed.scenario).summary.checks.find((c) => c.name === "at-most-once")!.ok).toBe(false);

    // The counterexample's single run was queued with the version, and the worker runs it.
    const single = await untilDone(
      "the counterexample's run",
      async () => {
        const r = await t.db.run.findUniqueOrThrow({ where: { id: s.counterexampleRunId! } });
        return r.status === "done" ? r : null;
      },
      state(scenario.id),
    );
    expect(single).toMatchObject({ kind: "single", parentRunId: job.id, versionId: version.id, verdict: "fail", seed: 1 });
    const run = await api.run.byId({ id: single.id });
    expect((run.summary as { checks: { name: string; ok: boolean }[] }).checks.find((c) => c.name === "at-most-once")!.ok).toBe(false);
    await killWorker(worker);
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("survives a worker killed mid-exploration, with its progress in schedules, and stops at its budget", async () => {
    const owner = await makeUser(t.db, "patient");
    const api = callerFor(t, owner);
    const scenario = await api.scenario.create({ source: CLEAN_AND_LONG });
    const job = await api.run.explore({ scenarioId: scenario.id, bounds: { faults: 3, depth: 20, kinds: ["drop", "duplicate"], maxSchedules: 5000 } });

    const first = startWorker(t.url, "explore-worker-2");
    workers.push(first);
    await first.ready;
    // Killed once it has reported schedules explored (its shards are ranges of schedules): mid-exploration, not before or after.
    const seen = await untilDone(
      "the exploration's first progress",
      async () => {
        const r = await t.db.run.findUniqueOrThrow({ where: { id: job.id } });
        const live = r.summary ? (JSON.parse(r.summary) as ExploreLiveSummary) : null;
        return r.status === "running" && live?.progress && live.progress.explored > 0 ? live.progress : null;
      },
      state(scenario.id),
    );
    await killWorker(first);
    expect(seen.explored).toBeGreaterThan(0);
    expect(seen.explored).toBeLessThanOrEqual(seen.known);
    expect(seen.explored).toBeLessThan(5000);
    // What the run page reads while it runs: the schedules so far, with the bounds.
    const live = await api.run.status({ id: job.id });
    expect(live).toMatchObject({ status: "running", summary: { kind: "explore", request: { faults: 3, depth: 20 } } });

    const second = startWorker(t.url, "explore-worker-3");
    workers.push(second);
    await second.ready;
    await untilDone("the exploration", async () => ["done", "failed"].includes((await t.db.run.findUniqueOrThrow({ where: { id: job.id } })).status), state(scenario.id));
    const row = await t.db.run.findUniqueOrThrow({ where: { id: job.id } });
    expect(row).toMatchObject({ status: "done", verdict: "pass" });
    // What the first worker held when it died was run again; nothing failed (tests/integration/explore-shards.test.ts counts it shard by shard).
    const shards = await t.db.runShard.findMany({ where: { runId: job.id }, select: { status: true, failures: true, lostLeases: true } });
    expect(shards.every((x) => x.status === "done" && x.failures === 0 && x.lostLeases <= 1)).toBe(true);
    const s = JSON.parse(row.summary!) as ExploreSummary;
    expect(s).toMatchObject({ explored: 5000, failing: 0, complete: false, stoppedBy: "limit", shortest: null });
    // Nothing failed: no version was added and no run queued.
    expect(await t.db.scenarioVersion.count({ where: { scenarioId: scenario.id } })).toBe(1);
    expect(await t.db.run.count({ where: { scenarioId: scenario.id } })).toBe(1);
  }, RELIABILITY_TEST_TIMEOUT_MS);
});
