// `npm run chaos`: the worker-kill experiment of docs/queue.md. Queues N runs, starts M worker
// processes, kills a random one with SIGKILL every few seconds (a supervisor restarts it a
// second later), then lets the rest drain. Prints runs lost, stored twice, failed, differing
// from a clean run (summary digests, and the stored trace bytes against a clean run's), and how
// long a killed worker's runs waited to be claimed again. Exits 1 when a guarantee broke.
//   npm run chaos                        # SQLite (data/chaos.db, reset)
//   npm run chaos -- --postgres          # a fresh database on TEST_DATABASE_URL's server
// Settings (environment): CHAOS_RUNS (200), CHAOS_WORKERS (3), CHAOS_KILLS (100), CHAOS_EVENTS (100000),
// CHAOS_KILL_EVERY_MS (3000), CHAOS_LEASE_MS (15000), CHAOS_THREADS per worker (2), CHAOS_SEED,
// CHAOS_VERBOSE=1 to print the workers' lines.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import pg from "pg";
import { freshPostgresDatabase } from "./lib/bench-workers";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUNS = Number(process.env.CHAOS_RUNS ?? 200);
const WORKERS = Number(process.env.CHAOS_WORKERS ?? 3);
const KILLS = Number(process.env.CHAOS_KILLS ?? 100);
const KILL_EVERY_MS = Number(process.env.CHAOS_KILL_EVERY_MS ?? 3000);
const LEASE_MS = Number(process.env.CHAOS_LEASE_MS ?? 15_000);
const THREADS = Number(process.env.CHAOS_THREADS ?? 2);
const SEED = Number(process.env.CHAOS_SEED ?? Date.now() % 1_000_000);
const EVENTS = Number(process.env.CHAOS_EVENTS ?? 100_000);
/** Distinct simulation seeds among the runs: each is simulated once here for the clean result. */
const DISTINCT_SEEDS = 20;
/** The restart delay of a killed worker (scripts/start.ts restarts after one second too). */
const RESTART_MS = 1000;
/** The drain fails when no run changed for this many leases: something is stuck. */
const STALLED_LEASES = 8;
const POLL_MS = 200;
const postgres = process.argv.includes("--postgres");

// 100,000 events a run by default: a fifth of a second of one core on an idle machine, seconds
// on a busy one, with a 1 MB trace: long enough to be killed in, short enough that 200 runs
// finish while workers keep dying.
const SCENARIO = `version: 1
name: chaos closed loop
until: 600s
maxEvents: ${EVENTS}
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

/** mulberry32: the kill schedule is reproducible from CHAOS_SEED. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Worker {
  name: string;
  child: ChildProcess;
  stores: Map<string, number>;
}

async function main(): Promise<void> {
  const random = rng(SEED);
  const { url, drop } = await freshDatabase();
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_SECRET ??= "chaos-secret-chaos-secret";
  const { createDb } = await import("@/server/db/client");
  const { migrate } = await import("@/server/db/migrate");
  const { createScenario } = await import("@/server/scenarios/store");
  const { checkScenario } = await import("@/server/scenarios/validate");
  const { enqueueRun } = await import("@/server/worker/queue");
  const { runWeight } = await import("@/server/worker/fairness");
  const { encodeTrace, runScenario } = await import("@/server/sim");
  const { nodeSha256Hex } = await import("@/server/runner/hash");

  const db = createDb(url);
  await migrate(db, postgres ? "postgres" : "sqlite", ROOT);
  console.log(`chaos (CHAOS_SEED=${SEED}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}): ${RUNS} runs of ${EVENTS.toLocaleString("en-US")} events, ${WORKERS} workers × ${THREADS} slots, lease ${seconds(LEASE_MS)}, a SIGKILL every ${seconds(KILL_EVERY_MS)} (${KILLS} kills), ${postgres ? "PostgreSQL" : "SQLite"}`);

  // The clean results, simulated here, once per distinct seed.
  const checked = checkScenario(SCENARIO);
  if (!checked.ok) throw new Error("the chaos scenario is invalid");
  const clean = new Map<number, { digest: string; gzSha: string }>();
  for (let seed = 1; seed <= DISTINCT_SEEDS; seed++) {
    const { summary, trace } = runScenario(checked.scenario, { seed, sha256Hex: nodeSha256Hex });
    clean.set(seed, { digest: summary.traceDigest!, gzSha: sha256(gzipSync(encodeTrace(trace!), { level: 6 })) });
  }

  const users = await Promise.all([0, 1, 2, 3].map((i) => db.user.create({ data: { email: `chaos-${i}-${randomBytes(3).toString("hex")}@chaos.faultline`, name: `Chaos ${i}` }, select: { id: true } })));
  const scenarios = await Promise.all(users.map((u) => createScenario(db, u.id, SCENARIO)));
  const versions = await Promise.all(scenarios.map((s) => db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } })));
  const runIds: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const u = i % users.length;
    const run = await enqueueRun(db, { ownerId: users[u]!.id, scenarioId: scenarios[u]!.id, versionId: versions[u]!.id, seed: (i % DISTINCT_SEEDS) + 1, seedCount: 1, weight: runWeight(checked.scenario, 1) });
    runIds.push(run.id);
  }

  const workers: Worker[] = [];
  const began = Date.now();
  const start = (name: string): Worker => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/worker.ts")], {
      cwd: ROOT,
      // Normal priority: on a machine shared with other work, simulations at nice 10 get a
      // tenth of a core and the experiment measures the neighbours instead of the queue.
      env: { ...process.env, DATABASE_URL: url, WORKER_LEASE_MS: String(LEASE_MS), WORKER_THREADS: String(THREADS), WORKER_NICE: "0" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const w: Worker = { name, child, stores: new Map() };
    let buffered = "";
    child.stdout!.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (process.env.CHAOS_VERBOSE) console.log(`${((Date.now() - began) / 1000).toFixed(1)} [${name}] ${line}`);
        // "run <id> attempt <n>: done, checks …" ends so only when the result was stored.
        const m = /run (\S+) attempt \d+: done, checks (hold|failed)$/.exec(line);
        if (m) w.stores.set(m[1]!, (w.stores.get(m[1]!) ?? 0) + 1);
      }
    });
    return w;
  };
  for (let i = 0; i < WORKERS; i++) workers.push(start(`worker-${i}`));

  // Kill, restart, and watch how long each killed worker's runs wait to be claimed again.
  const pending: { runId: string; attempt: number; killedAt: number }[] = [];
  const reclaimMs: number[] = [];
  const allStores: Map<string, number>[] = [];
  let kills = 0;
  /** Set when the experiment is over: no more restarts. */
  let finished = false;
  let nextKill = Date.now() + KILL_EVERY_MS;
  let lastChange = Date.now();
  let lastFingerprint = "";
  for (;;) {
    const now = Date.now();
    if (kills < KILLS && now >= nextKill) {
      // Any worker, started or still starting: each lives as long on average, as under a real fault.
      const alive = workers.filter((w) => w.child.exitCode === null);
      if (alive.length > 0) {
        const victim = alive[Math.floor(random() * alive.length)]!;
        const gone = new Promise((r) => victim.child.once("exit", r));
        victim.child.kill("SIGKILL");
        await gone;
        const killedAt = Date.now();
        kills++;
        allStores.push(victim.stores);
        workers.splice(workers.indexOf(victim), 1);
        const held = await db.run.findMany({ where: { status: "running", workerId: { contains: `-${victim.child.pid}-` } }, select: { id: true, attempt: true } });
        for (const r of held) pending.push({ runId: r.id, attempt: r.attempt, killedAt });
        setTimeout(() => !finished && workers.push(start(`${victim.name}'`)), RESTART_MS);
      }
      nextKill += KILL_EVERY_MS;
    }
    if (pending.length > 0) {
      const rows = await db.run.findMany({ where: { id: { in: pending.map((p) => p.runId) } }, select: { id: true, attempt: true, status: true, startedAt: true } });
      for (let i = pending.length - 1; i >= 0; i--) {
        const p = pending[i]!;
        const row = rows.find((r) => r.id === p.runId)!;
        if (row.attempt > p.attempt) {
          // The claim that followed the kill: its start time when it is still the latest attempt.
          const claimedAt = row.attempt === p.attempt + 1 && row.startedAt ? row.startedAt.getTime() : Date.now();
          reclaimMs.push(claimedAt - p.killedAt);
          pending.splice(i, 1);
        } else if (row.status === "failed" || row.status === "done") {
          pending.splice(i, 1);
        }
      }
    }
    const states = await db.run.groupBy({ by: ["status"], where: { id: { in: runIds } }, _count: true });
    const ended = states.filter((s) => s.status === "done" || s.status === "failed").reduce((n, s) => n + s._count, 0);
    const fingerprint = JSON.stringify(await db.run.aggregate({ where: { id: { in: runIds } }, _sum: { attempt: true, progress: true } })) + ended;
    if (fingerprint !== lastFingerprint) {
      lastFingerprint = fingerprint;
      lastChange = Date.now();
    }
    if (ended === RUNS && pending.length === 0) break;
    if (Date.now() - lastChange > STALLED_LEASES * LEASE_MS) {
      console.log(`nothing moved for ${STALLED_LEASES} leases: ${ended} of ${RUNS} runs ended`);
      break;
    }
    await sleep(POLL_MS);
  }
  const wallMs = Date.now() - began;
  finished = true;
  for (const w of workers) {
    allStores.push(w.stores);
    w.child.kill("SIGTERM");
  }
  await Promise.all(workers.map((w) => new Promise((r) => (w.child.exitCode !== null ? r(null) : w.child.once("exit", r)))));

  // The verdict.
  const runs = await db.run.findMany({ where: { id: { in: runIds } }, select: { id: true, seed: true, status: true, error: true, attempt: true, failures: true, lostLeases: true, summary: true, trace: { select: { attempt: true } } } });
  const lost = runs.filter((r) => r.status !== "done" && r.status !== "failed");
  const failed = runs.filter((r) => r.status === "failed");
  const storeCounts = new Map<string, number>();
  for (const m of allStores) for (const [id, n] of m) storeCounts.set(id, (storeCounts.get(id) ?? 0) + n);
  const storedTwice = runs.filter((r) => (storeCounts.get(r.id) ?? 0) > 1 || (r.trace && r.trace.attempt !== r.attempt));
  const differing: string[] = [];
  const readTrace = await traceReader(url);
  for (const r of runs.filter((x) => x.status === "done")) {
    const want = clean.get(r.seed)!;
    const digest = (JSON.parse(r.summary!) as { traceDigest: string }).traceDigest;
    if (digest !== want.digest || sha256(await readTrace(r.id, r.attempt)) !== want.gzSha) differing.push(r.id);
  }
  await readTrace.close();
  const sorted = [...reclaimMs].sort((a, b) => a - b);
  const reclaimed = runs.filter((r) => r.lostLeases > 0);
  console.log(`  kills: ${kills}; wall time ${seconds(wallMs)}`);
  console.log(`  runs lost: ${lost.length}`);
  console.log(`  stored twice: ${storedTwice.length}`);
  console.log(`  failed: ${failed.length}${failed.length ? ` (${[...new Set(failed.map((f) => f.error))].slice(0, 3).join(" | ")})` : ""}; failures counted against runs: ${runs.reduce((n, r) => n + r.failures, 0)}`);
  console.log(`  differing from a clean run: ${differing.length}`);
  console.log(`  runs whose worker was killed under them: ${reclaimed.length} (up to ${Math.max(0, ...runs.map((r) => r.lostLeases))} times one run)`);
  console.log(
    `  re-claim after a kill (${sorted.length}): p50 ${seconds(percentile(sorted, 50))}, p90 ${seconds(percentile(sorted, 90))}, p99 ${seconds(percentile(sorted, 99))}, max ${seconds(sorted[sorted.length - 1] ?? NaN)}` +
      ` (${(percentile(sorted, 99) / LEASE_MS).toFixed(2)} leases at p99)`,
  );
  await db.$disconnect();
  await drop();
  const broken = lost.length + storedTwice.length + failed.length + differing.length > 0 || percentile(sorted, 99) > 1.5 * LEASE_MS;
  if (broken) console.log("A GUARANTEE BROKE (see docs/queue.md)");
  process.exit(broken ? 1 : 0);
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Reads a stored trace's gzip bytes with the driver itself: checking every run through Prisma's byte conversion takes minutes. */
async function traceReader(url: string): Promise<((runId: string, attempt: number) => Promise<Uint8Array>) & { close(): Promise<void> }> {
  if (url.startsWith("file:")) {
    const sqlite = new Database(url.slice("file:".length), { readonly: true });
    const stmt = sqlite.prepare(`SELECT "data" FROM "RunTraceChunk" WHERE "runId" = ? AND "attempt" = ? ORDER BY "index"`);
    const read = async (runId: string, attempt: number) => Buffer.concat((stmt.all(runId, attempt) as { data: Buffer }[]).map((r) => r.data));
    return Object.assign(read, { close: async () => void sqlite.close() });
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const read = async (runId: string, attempt: number) =>
    Buffer.concat((await client.query<{ data: Buffer }>(`SELECT "data" FROM "RunTraceChunk" WHERE "runId" = $1 AND "attempt" = $2 ORDER BY "index"`, [runId, attempt])).rows.map((r) => r.data));
  return Object.assign(read, { close: () => client.end() });
}

async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!postgres) {
    const file = path.join(ROOT, "data", "chaos.db");
    const clear = () => {
      for (const s of ["", "-wal", "-shm", "-journal"]) rmSync(file + s, { force: true });
    };
    clear();
    return { url: `file:${file}`, drop: async () => clear() };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error("--postgres needs TEST_DATABASE_URL (a server where it may create a database)");
  return freshPostgresDatabase(admin, "faultline_chaos");
}

await main();
