// `npm run worker`: one queue worker process. Start as many as you like, on any
// machine that reaches the database (docs/deploy.md). SIGINT/SIGTERM stop it cleanly:
// it finishes the runs in hand; if it is killed instead, their leases run out and
// another worker takes them over.
import os from "node:os";
import { ensureAuthSecret, migrateDatabase } from "./lib/prepare";

ensureAuthSecret();
await migrateDatabase();
const { env } = await import("@/server/env");
const { db } = await import("@/server/db");
const { QueueWorker } = await import("@/server/worker/worker");
const { changeFeed } = await import("@/server/worker/signals");

const { threadNiceSupported } = await import("@/server/runner");

// Simulations run at a lower CPU priority so a web server on the same machine stays responsive.
// Where threads have their own priority (Linux), only the simulation threads are lowered: this
// main thread renews the leases, and starving it on a busy machine would lose them. Elsewhere
// the whole process is lowered before any simulation thread starts (threads inherit it).
const perThread = threadNiceSupported();
if (!perThread) {
  try {
    if (os.getPriority(0) < env.WORKER_NICE) os.setPriority(0, env.WORKER_NICE);
  } catch {
    console.warn("[worker] could not lower the process priority; simulations run at normal priority");
  }
}

const worker = new QueueWorker({
  db,
  leaseMs: env.WORKER_LEASE_MS,
  pollMs: env.WORKER_POLL_MS,
  runTimeoutMs: env.WORKER_RUN_TIMEOUT_MS,
  slots: env.WORKER_THREADS ?? Math.max(1, os.availableParallelism()),
  threadMemoryMb: env.WORKER_THREAD_MEMORY_MB,
  threadNice: perThread ? env.WORKER_NICE : undefined,
  maxFailures: env.WORKER_MAX_ATTEMPTS,
  lostLeasesMax: env.WORKER_LOST_LEASES_MAX,
  heavyRunsMax: env.WORKER_HEAVY_RUNS_MAX,
  // Wake the moment a run is queued: LISTEN on PostgreSQL, a file watch on SQLite.
  feed: changeFeed(env.DATABASE_URL),
});
worker.start();

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`[worker] ${signal}: finishing the runs in hand (send it again to quit now)`);
    void worker.stop().then(() => process.exit(0));
  });
}
