// Workers that recover, and a queue that stays fair, with real worker processes: a run that
// needs more memory than a simulation thread may use fails at once with that reason while its
// worker carries on; a run that keeps ending the process simulating it ends failed, saying so,
// after a bounded number of tries, while a worker's death is never counted against a run; and
// a small run does not wait behind heavy runs or another user's twenty.
// Every wait is on progress or on a process event, never on a wall-clock budget.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { killWorker, RELIABILITY_TEST_TIMEOUT_MS, startWorker, untilDone, type TestWorker } from "../helpers/worker";
import { createScenario } from "@/server/scenarios/store";
import { enqueueRun } from "@/server/worker/queue";
import { runWeight } from "@/server/worker/fairness";
import { checkScenario } from "@/server/scenarios/validate";
import { TEMPLATES } from "@/server/templates";

// About a million events and 2.7 million trace records a run.
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
const SMALL = TEMPLATES[0]!.source;
// The reproduction: 1024 nodes keeping 10,000 requests each in flight took 3.1 GB.
const HUGE = `version: 1
name: every node floods every other
maxEvents: 1000000
nodes: [${Array.from({ length: 1024 }, (_, i) => `{ id: N${i} }`).join(", ")}]
protocol:
  kind: request-response
  client: { timeout: 50ms, retries: 3 }
  server: { processing: 1ms }
workload:
  - { clients: all, target: random, outstanding: 10000, op: read, key: k }
checks: [all-complete]
`;
const THREAD_MEMORY_MB = 256;

/** The pids of a worker's isolated simulation processes (server/runner isolate: the running one and a spare). */
function isolatedChildren(workerPid: number): number[] {
  let out = "";
  try {
    out = execFileSync("ps", ["--ppid", String(workerPid), "-o", "pid=,args="], { encoding: "utf8" });
  } catch {
    return []; // no children
  }
  return out.split("\n").filter((l) => /faultline-sim-|worker-entry\.mjs/.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));
}

describe.each(PROVIDERS)("workers that recover, on %s", (provider) => {
  let t: TestDb;
  const workers: TestWorker[] = [];
  beforeAll(async () => {
    t = await createTestDb(provider);
  });
  afterEach(async () => {
    for (const w of workers.splice(0)) await killWorker(w);
    await t.db.run.deleteMany({});
  });
  afterAll(async () => t.drop());

  async function scenarioOf(name: string, source: string) {
    const owner = await makeUser(t.db, name);
    const s = await createScenario(t.db, owner.id, source);
    const v = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } });
    const checked = checkScenario(source);
    if (!checked.ok) throw new Error("test scenario invalid");
    const enqueue = (seed: number, seeds = 1) =>
      enqueueRun(t.db, { ownerId: owner.id, scenarioId: s.id, versionId: v.id, seed, seedCount: seeds, weight: runWeight(checked.scenario, seeds) }).then((r) => r.id);
    return { enqueue };
  }

  const fingerprint = (ids: string[]) => async () =>
    JSON.stringify(await t.db.run.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { status: true, attempt: true, progress: true } }));

  it("fails a run that outgrows its thread's memory at once, with the reason, and the worker carries on", async () => {
    const big = await (await scenarioOf("big", HUGE)).enqueue(1);
    const small = await scenarioOf("small", SMALL);
    const w = startWorker(t.url, "worker", { WORKER_THREAD_MEMORY_MB: String(THREAD_MEMORY_MB), WORKER_THREADS: "1" });
    workers.push(w);
    await w.ready;
    await untilDone("the big run to end", async () => (await t.db.run.findFirst({ where: { id: big, status: { in: ["done", "failed"] } } })) !== null, fingerprint([big]));
    const row = await t.db.run.findUniqueOrThrow({ where: { id: big }, select: { status: true, error: true, attempt: true, failures: true, lostLeases: true } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(new RegExp(`ran out of memory: it needed more than the ${THREAD_MEMORY_MB} MB one simulation may use`));
    expect(row.error).not.toMatch(/attempt/);
    // Not retried: the same scenario needs the same memory every time; and the process did not die.
    expect(row).toMatchObject({ attempt: 1, failures: 1, lostLeases: 0 });
    // The same worker process goes on to run the next run.
    const next = await small.enqueue(1);
    await untilDone("the next run to end", async () => (await t.db.run.findFirst({ where: { id: next, status: { in: ["done", "failed"] } } })) !== null, fingerprint([next]));
    expect(await t.db.run.findUniqueOrThrow({ where: { id: next }, select: { status: true, error: true } })).toEqual({ status: "done", error: null });
    expect(w.child.exitCode).toBeNull();
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("fails a run that keeps ending the process simulating it, saying so, while its worker lives on", async () => {
    const MAX_ATTEMPTS = 2;
    const env = { WORKER_MAX_ATTEMPTS: String(MAX_ATTEMPTS), WORKER_THREADS: "1" };
    const doomed = await (await scenarioOf("doomed", BUSY)).enqueue(1);
    const state = fingerprint([doomed]);
    // Its first worker dies under it: not the run's fault, and the next attempt runs isolated.
    const first = startWorker(t.url, "worker-1", env);
    workers.push(first);
    await first.ready;
    await untilDone("attempt 1 to start", async () => (await t.db.run.count({ where: { id: doomed, status: "running" } })) === 1, state);
    await killWorker(first);
    const second = startWorker(t.url, "worker-2", env);
    workers.push(second);
    await second.ready;
    // Each isolated attempt's process is killed, as the system's out-of-memory killer would,
    // until the run ends (the worker's idle spare process goes too, which does no harm).
    await untilDone("the run to end", async () => {
      const row = await t.db.run.findUniqueOrThrow({ where: { id: doomed }, select: { status: true } });
      if (row.status === "failed" || row.status === "done") return true;
      if (row.status === "running") for (const pid of isolatedChildren(second.child.pid!)) process.kill(pid, "SIGKILL");
      return false;
    }, state);
    const row = await t.db.run.findUniqueOrThrow({ where: { id: doomed }, select: { error: true, lostLeases: true, failures: true } });
    expect(row).toMatchObject({ lostLeases: 1, failures: MAX_ATTEMPTS });
    expect(row.error).toMatch(/^The simulation's process was killed \(SIGKILL\) while it ran, most likely by the system for taking too much of the machine's memory/);
    expect(row.error).toMatch(new RegExp(`the same happened on each of ${MAX_ATTEMPTS} tries`));
    // The worker that watched it happen is alive and runs the next run.
    expect(second.child.exitCode).toBeNull();
    const next = await (await scenarioOf("next", SMALL)).enqueue(1);
    await untilDone("the next run to end", async () => (await t.db.run.count({ where: { id: next, status: "done" } })) === 1, fingerprint([next]));
  }, RELIABILITY_TEST_TIMEOUT_MS);

  it("does not make a small run wait behind heavy runs or behind another user's twenty runs", async () => {
    const heavy = await scenarioOf("heavy", BUSY);
    // Two sweeps of 20 seeds of a million declared events each: heavy (fairness.ts).
    const h1 = await heavy.enqueue(1, 20);
    const h2 = await heavy.enqueue(100, 20);
    const alice = await scenarioOf("alice", SMALL);
    const alices: string[] = [];
    for (let i = 0; i < 20; i++) alices.push(await alice.enqueue(i + 1));
    const bob = await (await scenarioOf("bob", SMALL)).enqueue(1);
    // One worker, two slots: at most one of them runs a heavy run.
    const w = startWorker(t.url, "worker", { WORKER_THREADS: "2" });
    workers.push(w);
    await w.ready;
    const all = [h1, h2, ...alices, bob];
    await untilDone("Bob's run to end", async () => (await t.db.run.count({ where: { id: bob, status: "done" } })) === 1, fingerprint(all));
    const rows = await t.db.run.findMany({ where: { id: { in: all } }, select: { id: true, startedAt: true } });
    const started = (id: string) => rows.find((r) => r.id === id)!.startedAt?.getTime() ?? Infinity;
    const bobStarted = started(bob);
    // Bob started before the second heavy run, which waited for the first.
    expect(bobStarted).toBeLessThan(started(h2));
    // ...and after at most a couple of Alice's runs, not all twenty.
    expect(alices.filter((id) => started(id) < bobStarted).length).toBeLessThanOrEqual(2);
  }, RELIABILITY_TEST_TIMEOUT_MS);
});
