// Exploration throughput across worker processes: one exploration (a Run of kind "explore") cut
// into shards on the run queue (server/worker/explore-shards.ts), run by 1 and then 2 worker
// processes sharing a fresh PostgreSQL database, against the same search in this process on one
// thread (explore()). Prints schedules/s for each, the shards each process took, the extra runs the
// shards made (parents run again), and whether the results are the in-process search's.
// `npm run bench -- explore-shards`. Settings (environment):
//   BENCH_EXPLORE_CONFIGS ("1x1,2x1": processes x slots each), BENCH_EXPLORE_BUDGET (5000),
//   TEST_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test: a server where it may create a database).
import os from "node:os";
import { shardsPerWorker, withBenchQueue } from "../lib/bench-workers";

export const title = "exploration shards: schedules/s in-process and with 1 and 2 worker processes on PostgreSQL";

const CONFIGS = (process.env.BENCH_EXPLORE_CONFIGS ?? "1x1,2x1").split(",").map((c) => c.split("x").map(Number) as [number, number]);
const BUDGET = Number(process.env.BENCH_EXPLORE_BUDGET ?? 5000);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const POLL_MS = 100;

// 40 writes with dedupe and five retries: no schedule of three drops or duplicates fails, and there are thousands.
const CLEAN = `version: 1
name: bench explore clean
seed: 1
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 5 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 40, interval: 20ms }
checks:
  - all-complete
  - at-most-once
`;
const BOUNDS = { faults: 3, depth: 20, kinds: ["drop" as const, "duplicate" as const], maxSchedules: BUDGET };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The fields both the in-process search and the stored job have. */
function comparable(r: { explored: number; byLevel: number[]; repeatedTraces: number; failing: number; stoppedBy: string }): string {
  return JSON.stringify([r.explored, r.byLevel, r.repeatedTraces, r.failing, r.stoppedBy]);
}

async function once(processes: number, slots: number): Promise<{ perS: number; result: string }> {
  const { enqueueRun } = await import("@/server/worker/queue");
  const { runWeight } = await import("@/server/worker/fairness");
  return withBenchQueue(ADMIN_URL, "faultline_bench_explore", CLEAN, processes, slots, async ({ db, ownerId, scenarioId, versionId, scenario, load }) => {
    const startedAt = Date.now();
    const run = await enqueueRun(db, {
      ownerId, scenarioId, versionId, seed: 1, seedCount: 1, kind: "explore",
      explore: { scenario, request: BOUNDS }, weight: runWeight(scenario, BUDGET),
    });
    let row: { status: string; finishedAt: Date | null; summary: string | null; error: string | null };
    for (;;) {
      row = await db.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, finishedAt: true, summary: true, error: true } });
      if (row.status !== "queued" && row.status !== "running") break;
      await sleep(POLL_MS);
    }
    if (row.status !== "done") throw new Error(`the exploration ended ${row.status}: ${row.error}`);
    const seconds = (row.finishedAt!.getTime() - startedAt) / 1000;
    const s = JSON.parse(row.summary!) as { explored: number; byLevel: number[]; repeatedTraces: number; failing: number; stoppedBy: string; seconds: number; shards: { count: number; runs: number } };
    const perS = s.explored / seconds;
    console.log(
      `${processes} process${processes > 1 ? "es" : ""} × ${slots} slot${slots > 1 ? "s" : ""}: ${s.explored} schedules in ${seconds.toFixed(2)} s from queued to stored = ${perS.toFixed(0)} schedules/s` +
        ` (${s.shards.count} shards, per process ${await shardsPerWorker(db, run.id)}; ${s.shards.runs} runs in all, ${s.seconds.toFixed(2)} s of simulation; load average at start ${load.toFixed(1)}, at end ${os.loadavg()[0]!.toFixed(1)})`,
    );
    return { perS, result: comparable(s) };
  });
}

export async function run(): Promise<void> {
  const { parseScenarioText } = await import("@/server/sim");
  const { explore } = await import("@/server/sim/search/explore");
  const parsed = parseScenarioText(CLEAN);
  if (!parsed.ok) throw new Error("the bench scenario is invalid");
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; K=3, N=20, drop and duplicate, budget ${BUDGET}`);
  const load = os.loadavg()[0]!;
  const t0 = performance.now();
  const whole = explore(parsed.scenario, BOUNDS);
  const inSeconds = (performance.now() - t0) / 1000;
  console.log(`in this process, one thread: ${whole.explored} schedules in ${inSeconds.toFixed(2)} s = ${(whole.explored / inSeconds).toFixed(0)} schedules/s (load average ${load.toFixed(1)})`);
  const expected = comparable(whole);
  const results: { processes: number; slots: number; perS: number; result: string }[] = [];
  for (const [processes, slots] of CONFIGS) results.push({ processes, slots, ...(await once(processes, slots)) });
  const base = results[0]!;
  for (const r of results.slice(1)) console.log(`${r.processes}×${r.slots} vs ${base.processes}×${base.slots}: ${(r.perS / base.perS).toFixed(2)}× the schedules/s`);
  console.log(`results identical to the in-process search: ${results.every((r) => r.result === expected) ? "yes" : "NO"}`);
}
