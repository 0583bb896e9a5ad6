// Sweep throughput across worker processes: one sweep of a small scenario (100,000 seeds), cut
// into shards on the run queue (server/worker/shards.ts), run by 1 and then 2 worker processes
// sharing a fresh PostgreSQL database, as processes on separate machines would. Prints seeds/s
// for each, the shards each process took, and whether the summaries are identical.
// `npm run bench -- shards`. Settings (environment):
//   BENCH_SHARDS_SEEDS (100000), BENCH_SHARDS_CONFIGS ("1x1,2x1": processes x slots each),
//   TEST_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test: a server where it may create a database).
import os from "node:os";
import { shardsPerWorker, withBenchQueue } from "../lib/bench-workers";

export const title = "sweep shards: seeds/s with 1 and 2 worker processes on PostgreSQL";

const SEEDS = Number(process.env.BENCH_SHARDS_SEEDS ?? 100_000);
const CONFIGS = (process.env.BENCH_SHARDS_CONFIGS ?? "1x1,2x1").split(",").map((c) => c.split("x").map(Number) as [number, number]);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
const POLL_MS = 200;

// Two nodes, ten requests over a lossy link: about 40 events a seed.
const SMALL = `version: 1
name: bench small request-response
nodes: [{ id: A }, { id: B }]
network: { latency: { dist: uniform, min: 1ms, max: 5ms }, loss: 0.05 }
protocol: { kind: request-response, client: { timeout: 20ms, retries: 2 } }
workload: [{ client: A, server: B, op: write, key: k, value: v, count: 10, interval: 5ms }]
checks: [all-complete, at-most-once]
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(processes: number, slots: number): Promise<{ seedsPerS: number; summary: string }> {
  const { enqueueRun } = await import("@/server/worker/queue");
  const { runWeight } = await import("@/server/worker/fairness");
  return withBenchQueue(ADMIN_URL, "faultline_bench_shards", SMALL, processes, slots, async ({ db, ownerId, scenarioId, versionId, scenario, load }) => {
    const startedAt = Date.now();
    const run = await enqueueRun(db, { ownerId, scenarioId, versionId, seed: 1, seedCount: SEEDS, weight: runWeight(scenario, SEEDS) });
    let row: { status: string; finishedAt: Date | null; summary: string | null; error: string | null; progress: number };
    let lastPrint = Date.now();
    for (;;) {
      row = await db.run.findUniqueOrThrow({ where: { id: run.id }, select: { status: true, finishedAt: true, summary: true, error: true, progress: true } });
      if (row.status !== "queued" && row.status !== "running") break;
      if (Date.now() - lastPrint > 15_000) {
        lastPrint = Date.now();
        console.log(`  … ${(row.progress * 100).toFixed(0)}% after ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
      }
      await sleep(POLL_MS);
    }
    if (row.status !== "done") throw new Error(`the sweep ended ${row.status}: ${row.error}`);
    const seconds = (row.finishedAt!.getTime() - startedAt) / 1000;
    const shardCount = await db.runShard.count({ where: { runId: run.id } });
    const seedsPerS = SEEDS / seconds;
    console.log(
      `${processes} process${processes > 1 ? "es" : ""} × ${slots} slot${slots > 1 ? "s" : ""}: ${SEEDS.toLocaleString("en-US")} seeds in ${seconds.toFixed(1)} s = ${seedsPerS.toFixed(0)} seeds/s` +
        ` (${shardCount} shards, per process ${await shardsPerWorker(db, run.id)}; load average at start ${load.toFixed(1)}, at end ${os.loadavg()[0]!.toFixed(1)})`,
    );
    return { seedsPerS, summary: row.summary ?? "" };
  });
}

export async function run(): Promise<void> {
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; one sweep of ${SEEDS.toLocaleString("en-US")} seeds per configuration, each on a fresh database`);
  const results: { processes: number; slots: number; seedsPerS: number; summary: string }[] = [];
  for (const [processes, slots] of CONFIGS) results.push({ processes, slots, ...(await once(processes, slots)) });
  const base = results[0]!;
  for (const r of results.slice(1)) console.log(`${r.processes}×${r.slots} vs ${base.processes}×${base.slots}: ${(r.seedsPerS / base.seedsPerS).toFixed(2)}× the seeds/s`);
  console.log(`summaries identical across configurations: ${results.every((r) => r.summary === base.summary) ? "yes" : "NO"}`);
}
