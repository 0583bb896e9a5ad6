// Worker processes for reliability tests: started as `npm run worker` starts them (node
// itself, so SIGKILL reaches the worker), with a short lease, against a test database.
// Waits are on events and progress, never on a wall-clock budget: a busy machine only makes
// them longer; a wait fails when nothing has moved for several leases.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "./db";
import type { Db } from "@/server/db/client";

export const TEST_LEASE_MS = 3000;
/** A wait fails when what it watches has not changed for this many leases: the queue is stuck, not slow. */
export const STALLED_LEASES = 10;
/** Vitest's own timeout for these tests: a last resort far above any real run, not the budget they wait on. */
export const RELIABILITY_TEST_TIMEOUT_MS = 30 * 60 * 1000;

const POLL_MS = 50;

export interface TestWorker {
  child: ChildProcess;
  /** Resolves when the worker has started claiming (its "started" line); rejects if it exits first. */
  ready: Promise<void>;
  /** Everything it printed, for assertions and for failure messages. */
  output(): string;
}

export function startWorker(url: string, name: string, env: Record<string, string> = {}): TestWorker {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/worker.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      WORKER_LEASE_MS: String(TEST_LEASE_MS),
      WORKER_POLL_MS: "50",
      WORKER_THREADS: "2",
      NEXTAUTH_SECRET: "test-secret-test-secret",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (process.env.DEBUG_WORKER) process.stdout.write(`[${name}] ${d}`);
      if (/\] started: /.test(out)) resolve();
    });
    child.once("exit", (code, signal) => reject(new Error(`${name} exited (${signal ?? code}) before it started:\n${out}`)));
  });
  ready.catch(() => undefined);
  child.stderr!.on("data", (d: Buffer) => {
    out += d.toString();
    process.stderr.write(`[${name}] ${d}`);
  });
  return { child, ready, output: () => out };
}

/** Sends SIGKILL and resolves when the process is gone. */
export async function killWorker(w: TestWorker): Promise<void> {
  if (w.child.exitCode !== null || w.child.signalCode !== null) return;
  const gone = new Promise((r) => w.child.once("exit", r));
  w.child.kill("SIGKILL");
  await gone;
}

/**
 * Polls `done` until it returns something truthy. Fails only when `progress` (a fingerprint of
 * what should be moving: statuses, attempts, progress of the runs) has stayed the same for
 * STALLED_LEASES leases: waiting on progress, not on a wall-clock budget.
 */
export async function untilDone<T>(what: string, done: () => Promise<T | null | false>, progress: () => Promise<string>, stalledMs = STALLED_LEASES * TEST_LEASE_MS): Promise<T> {
  let seen = await progress();
  let changedAt = Date.now();
  for (;;) {
    const v = await done();
    if (v) return v;
    const now = await progress();
    if (now !== seen) {
      seen = now;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > stalledMs) {
      throw new Error(`waiting for ${what}: nothing moved for ${stalledMs / 1000} s (state: ${now})`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** What should be moving while a sharded run (sweep, curve, exploration) runs: its status and progress, and each shard's status, attempt and progress (untilDone's progress). */
export async function shardsState(db: Db, runId: string): Promise<string> {
  const rows = await db.runShard.findMany({ where: { runId }, orderBy: { index: "asc" }, select: { status: true, attempt: true, seedsDone: true } });
  const run = await db.run.findUnique({ where: { id: runId }, select: { status: true, progress: true } });
  return JSON.stringify([run, rows.map((r) => `${r.status}/${r.attempt}/${r.seedsDone}`)]);
}
