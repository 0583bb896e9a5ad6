// What the queue benchmarks and the chaos experiment share: a fresh PostgreSQL database of their
// own on a server where they may create one, and queue worker processes (scripts/worker.ts)
// started against it and killed afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
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
