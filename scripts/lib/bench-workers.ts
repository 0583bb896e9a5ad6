// What the queue benchmarks and the chaos experiment share: a fresh PostgreSQL database of their
// own on a server where they may create one, and queue worker processes (scripts/worker.ts)
// started against it and killed afterwards; for the queue benchmarks, both set up around a
// scenario (withBenchQueue).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { root } from "./prepare";

/** Creates database `<prefix>_<random>` on the server of `adminUrl`; `drop` removes it, connections and all. */
export async function freshPostgresDatabase(adminUrl: string, prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: adminUrl });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await d.end();
    },
  };
}

/**
 * A worker process of `slots` simulation slots on the database at `url`, at normal priority (on a
 * shared machine, nice 10 would measure the neighbours) and polling every 100 ms; `ready` resolves
 * once it says it started (migrated, threads bundled).
 */
export function startBenchWorker(url: string, slots: number): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/worker.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, WORKER_THREADS: String(slots), WORKER_NICE: "0", WORKER_POLL_MS: "100" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (/\] started: /.test(out)) resolve();
      if (out.length > 100_000) out = out.slice(-1000);
    });
    child.once("exit", (code) => reject(new Error(`a worker exited (${code}) before it started`)));
  });
  ready.catch(() => undefined);
  return { child, ready };
}

/** Kills a worker process (SIGKILL) and waits until it is gone. */
export async function killBenchWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await gone;
}

/** What a queue benchmark's body gets: a fresh migrated database with one user and one scenario, and its workers started. */
export interface BenchQueue {
  db: import("@/server/db/client").Db;
  ownerId: string;
  scenarioId: string;
  versionId: string;
  /** The scenario as the queue stores it (checkScenario of the source). */
  scenario: import("@/server/sim/scenario/types").Scenario;
  /** The 1-minute load average once the workers were ready, when the body starts its clock. */
  load: number;
}

/**
 * Runs `body` against a fresh PostgreSQL database (`<prefix>_<random>`) holding the scenario
 * `source`, with `processes` workers of `slots` slots each started (migrated, threads bundled) before
 * it; afterwards kills the workers and drops the database, whatever happened.
 */
export async function withBenchQueue<T>(adminUrl: string, prefix: string, source: string, processes: number, slots: number, body: (q: BenchQueue) => Promise<T>): Promise<T> {
  const { createDb } = await import("@/server/db/client");
  const { migrate } = await import("@/server/db/migrate");
  const { createScenario } = await import("@/server/scenarios/store");
  const { checkScenario } = await import("@/server/scenarios/validate");
  const checked = checkScenario(source);
  if (!checked.ok) throw new Error("the bench scenario is invalid");
  const { url, drop } = await freshPostgresDatabase(adminUrl, prefix);
  const db = createDb(url);
  const workers: ChildProcess[] = [];
  try {
    await migrate(db, "postgres", root);
    const user = await db.user.create({ data: { email: `bench-${randomBytes(3).toString("hex")}@bench.faultline`, name: "bench" }, select: { id: true } });
    const scenario = await createScenario(db, user.id, source);
    const version = await db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: scenario.id }, select: { id: true } });
    const started = Array.from({ length: processes }, () => startBenchWorker(url, slots));
    workers.push(...started.map((w) => w.child));
    await Promise.all(started.map((w) => w.ready));
    return await body({ db, ownerId: user.id, scenarioId: scenario.id, versionId: version.id, scenario: checked.scenario, load: os.loadavg()[0]! });
  } finally {
    for (const w of workers) await killBenchWorker(w);
    await db.$disconnect();
    await drop();
  }
}

/** How many of a run's shards each worker took, as "a / b". */
export async function shardsPerWorker(db: BenchQueue["db"], runId: string): Promise<string> {
  const shards = await db.runShard.findMany({ where: { runId }, select: { workerId: true } });
  const byWorker = new Map<string, number>();
  for (const s of shards) byWorker.set(s.workerId ?? "?", (byWorker.get(s.workerId ?? "?") ?? 0) + 1);
  return [...byWorker.values()].join(" / ");
}
