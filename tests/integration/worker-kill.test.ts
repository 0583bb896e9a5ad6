// Reliability: start a worker process, queue runs, kill the worker with SIGKILL in the
// middle of them, start another; every run must end exactly once, with one result, and
// the result must be the deterministic one (the same as simulating in this process).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { startWorker, until } from "../helpers/worker";
import { createScenario } from "@/server/scenarios/store";
import { enqueueRun } from "@/server/worker/queue";
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
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterAll(async () => {
    for (const c of children) c.kill("SIGKILL");
    await t.drop();
  });

  it("loses nothing: every run ends once, with the deterministic result", async () => {
    const owner = await makeUser(t.db, "kill");
    const scenario = await createScenario(t.db, owner.id, BUSY);
    const version = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: scenario.id }, select: { id: true } });
    const seeds = [1, 2, 3, 4, 5, 6];
    const runIds: string[] = [];
    for (const seed of seeds) runIds.push((await enqueueRun(t.db, { ownerId: owner.id, scenarioId: scenario.id, versionId: version.id, seed, seedCount: 1 })).id);

    const first = startWorker(t.url, "worker-1");
    children.push(first);
    // Kill it while it is in the middle of runs: some running, not all done.
    const inFlight = await until(
      "a run in progress",
      async () => {
        const running = await t.db.run.findMany({ where: { status: "running", progress: { gt: 0 } }, select: { id: true } });
        return running.length > 0 ? running.map((r) => r.id) : null;
      },
      60_000,
    );
    first.kill("SIGKILL");
    await new Promise((r) => first.once("exit", r));
    const doneBeforeKill = await t.db.run.count({ where: { id: { in: runIds }, status: "done" } });
    expect(doneBeforeKill).toBeLessThan(seeds.length);

    const second = startWorker(t.url, "worker-2");
    children.push(second);
    await until("every run to end", async () => (await t.db.run.count({ where: { id: { in: runIds }, status: { in: ["done", "failed"] } } })) === seeds.length, 120_000);
    second.kill("SIGTERM");

    const parsed = parseScenarioText(BUSY);
    if (!parsed.ok) throw new Error("test scenario invalid");
    const runs = await t.db.run.findMany({
      where: { id: { in: runIds } },
      select: { id: true, seed: true, status: true, attempt: true, summary: true, trace: { select: { attempt: true, data: true } } },
    });
    for (const run of runs) {
      expect(run.status).toBe("done");
      expect(run.trace?.attempt).toBe(run.attempt);
      const expected = runScenario(parsed.scenario, { seed: run.seed }).summary;
      const stored = JSON.parse(run.summary!) as { traceDigest: string; events: number };
      expect(stored.traceDigest).toBe(expected.traceDigest);
      expect(stored.events).toBe(expected.events);
      expect(traceDigest(decodeTrace(new Uint8Array(gunzipSync(Buffer.from(run.trace!.data)))))).toBe(expected.traceDigest);
    }
    // The runs the killed worker held were finished by a later attempt.
    for (const id of inFlight) expect(runs.find((r) => r.id === id)!.attempt).toBeGreaterThanOrEqual(2);
    expect(await t.db.runTrace.count({ where: { runId: { in: runIds } } })).toBe(seeds.length);
  }, 240_000);
});
