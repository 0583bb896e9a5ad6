// Reliability: start a worker process, queue runs, kill the worker with SIGKILL in the
// middle of them, start another; every run must end exactly once, with one result, and
// the result must be the deterministic one (the same as simulating in this process). The
// worker's death is not the runs' fault: none of them uses up an attempt for it. The test
// waits on the runs' progress, not on a wall-clock budget.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker } from "../helpers/worker";
import { createScenario } from "@/server/scenarios/store";
import { enqueueRun } from "@/server/worker/queue";
import { readStoredTrace } from "@/server/traces/store";
import { decodeTrace, parseScenarioText, runScenario, traceDigest } from "@/server/sim";

// About a million events a run: long enough to be killed in the middle of.
const BUSY = `version: 1
name: busy closed loop
until: 600s
maxEvents: 1000000
nodes: [{ id: A }, { id: B }, { id: C }, { id: D }, { id: E }, { id: F }, { id: G }, { id: H }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 3 }
  server: { processing: 1ms }
workload:
  - { clients: all, target: random, outstanding: 2, op: read, key: k }
checks: [all-complete]
`;

describe.each(PROVIDERS)("a worker killed mid-run, on %s", (provider) => {
  let t: TestDb;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    for (const w of workers) await killWorker(w);
    await t.drop();
  });

  it("loses nothing and counts no failure: every run ends once, with the deterministic result", async () => {
    const owner = await makeUser(t.db, "kill");
    const scenario = await createScenario(t.db, owner.id, BUSY);
    const version = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: scenario.id }, select: { id: true } });
    const seeds = [1, 2, 3, 4, 5, 6];
    const runIds: string[] = [];
    // One attempt allowed: a run that had to start over because its worker was killed must not fail for it.
    for (const seed of seeds) runIds.push((await enqueueRun(t.db, { ownerId: owner.id, scenarioId: scenario.id, versionId: version.id, seed, seedCount: 1, maxAttempts: 1 })).id);
    const state = async () => JSON.stringify(await t.db.run.findMany({ where: { id: { in: runIds } }, orderBy: { id: "asc" }, select: { status: true, attempt: true, progress: true } }));

    const first = startWorker(t.url, "worker-1");
    workers.push(first);
    await first.ready;
    // Kill it while it is in the middle of runs: some running, not all done.
    const inFlight = await untilDone(
      "a run in progress",
      async () => {
        const running = await t.db.run.findMany({ where: { id: { in: runIds }, status: "running", progress: { gt: 0 } }, select: { id: true } });
        return running.length > 0 ? running.map((r) => r.id) : null;
      },
      state,
    );
    await killWorker(first);
    const doneBeforeKill = await t.db.run.count({ where: { id: { in: runIds }, status: "done" } });
    expect(doneBeforeKill).toBeLessThan(seeds.length);

    const second = startWorker(t.url, "worker-2");
    workers.push(second);
    await second.ready;
    await untilDone("every run to end", async () => (await t.db.run.count({ where: { id: { in: runIds }, status: { in: ["done", "failed"] } } })) === seeds.length, state);
    second.child.kill("SIGTERM");

    const parsed = parseScenarioText(BUSY);
    if (!parsed.ok) throw new Error("test scenario invalid");
    const runs = await t.db.run.findMany({
      where: { id: { in: runIds } },
      select: { id: true, seed: true, status: true, error: true, attempt: true, failures: true, lostLeases: true, summary: true, trace: { select: { attempt: true } } },
    });
    for (const run of runs) {
      expect({ id: run.id, status: run.status, error: run.error, failures: run.failures }).toEqual({ id: run.id, status: "done", error: null, failures: 0 });
      expect(run.trace?.attempt).toBe(run.attempt);
      const expected = runScenario(parsed.scenario, { seed: run.seed }).summary;
      const stored = JSON.parse(run.summary!) as { traceDigest: string; events: number };
      expect(stored.traceDigest).toBe(expected.traceDigest);
      expect(stored.events).toBe(expected.events);
      const gz = await readStoredTrace(t.db, run.id);
      expect(traceDigest(decodeTrace(new Uint8Array(gunzipSync(gz!))))).toBe(expected.traceDigest);
    }
    // The runs the killed worker held were finished by a later attempt, each counted as a lost lease
    // (at least one: on a machine loaded enough to stall the second worker past its lease, more).
    for (const id of inFlight) expect(runs.find((r) => r.id === id)!.lostLeases).toBeGreaterThanOrEqual(1);
    for (const id of inFlight) expect(runs.find((r) => r.id === id)!.attempt).toBeGreaterThanOrEqual(2);
    expect(await t.db.runTrace.count({ where: { runId: { in: runIds } } })).toBe(seeds.length);
    // Only the storing attempts' chunks remain.
    const chunks = await t.db.runTraceChunk.findMany({ where: { runId: { in: runIds } }, select: { runId: true, attempt: true } });
    for (const c of chunks) expect(c.attempt).toBe(runs.find((r) => r.id === c.runId)!.attempt);
  }, RELIABILITY_TEST_TIMEOUT_MS);
});
