// Sweep throughput across worker processes: one sweep of a small scenario (100,000 seeds), cut
// into shards on the run queue (server/worker/shards.ts), run by 1 and then 2 worker processes
// sharing a fresh PostgreSQL database, as processes on separate machines would. Prints seeds/s
// for each, the shards each process took, and whether the summaries are identical.
// `npm run bench -- shards`. Settings (environment):
//   BENCH_SHARDS_SEEDS (100000), BENCH_SHARDS_CONFIGS ("1x1,2x1": processes x slots each),
//   TEST_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/test: a server where it may create a database).
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import { freshPostgresDatabase, killBenchWorker, startBenchWorker } from "../lib/bench-workers";
import { root as ROOT } from "../lib/prepare";

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
  const { createDb } = await import("@/server/db/client");
  const { migrate } = await import("@/server/db/migrate");
  const { createScenario } = await import("@/server/scenarios/store");
  const { checkScenario } = await import("@/server/scenarios/validate");
  const { enqueueRun } = await import("@/server/worker/queue");
  const { runWeight } = await import("@/server/worker/fairness");
  const { url, drop } = await freshPostgresDatabase(ADMIN_URL, "faultline_bench_shards");
  const db = createDb(url);
  const workers: ChildProcess[] = [];
  try {
    await migrate(db, "postgres", ROOT);
    const user = await db.user.create({ data: { email: `bench-${randomBytes(3).toString("hex")}@bench.faultline`, name: "bench" }, select: { id: true } });
    const scenario = await createScenario(db, user.id, SMALL);
    const version = await db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: scenario.id }, select: { id: true } });
    const checked = checkScenario(SMALL);
    if (!checked.ok) throw new Error("the bench scenario is invalid");
    const started = Array.from({ length: processes }, () => startBenchWorker(url, slots));
    workers.push(...started.map((w) => w.child));
    // Started (migrated, threads bundled) before the clock starts.
    await Promise.all(started.map((w) => w.ready));
    const load = os.loadavg()[0]!;
    const startedAt = Date.now();
    const run = await enqueueRun(db, { ownerId: user.id, scenarioId: scenario.id, versionId: version.id, seed: 1, seedCount: SEEDS, weight: runWeight(checked.scenario, SEEDS) });
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
    const shards = await db.runShard.findMany({ where: { runId: run.id }, select: { workerId: true, lostLeases: true } });
    const byWorker = new Map<string, number>();
    for (const s of shards) byWorker.set(s.workerId ?? "?", (byWorker.get(s.workerId ?? "?") ?? 0) + 1);
    const seedsPerS = SEEDS / seconds;
    console.log(
      `${processes} process${processes > 1 ? "es" : ""} × ${slots} slot${slots > 1 ? "s" : ""}: ${SEEDS.toLocaleString("en-US")} seeds in ${seconds.toFixed(1)} s = ${seedsPerS.toFixed(0)} seeds/s` +
        ` (${shards.length} shards, per process ${[...byWorker.values()].join(" / ")}; load average at start ${load.toFixed(1)}, at end ${os.loadavg()[0]!.toFixed(1)})`,
    );
    return { seedsPerS, summary: row.summary ?? "" };
  } finally {
    for (const w of workers) await killBenchWorker(w);
    await db.$disconnect();
    await drop();
  }
}

export async function run(): Promise<void> {
  console.log(`machine: ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; one sweep of ${SEEDS.toLocaleString("en-US")} seeds per configuration, each on a fresh database`);
  const results: { processes: number; slots: number; seedsPerS: number; summary: string }[] = [];
  for (const [processes, slots] of CONFIGS) results.push({ processes, slots, ...(await once(processes, slots)) });
  const base = results[0]!;
  for (const r of results.slice(1)) console.log(`${r.processes}×${r.slots} vs ${base.processes}×${base.slots}: ${(r.seedsPerS / base.seedsPerS).toFixed(2)}× the seeds/s`);
  console.log(`summaries identical across configurations: ${results.every((r) => r.summary === base.summary) ? "yes" : "NO"}`);
}
