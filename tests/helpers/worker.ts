// Worker processes for reliability tests: started as `npm run worker` starts them (node
// itself, so SIGKILL reaches the worker), with a short lease, against a test database.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT } from "./db";

export const TEST_LEASE_MS = 3000;

export function startWorker(url: string, name: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/worker.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      WORKER_LEASE_MS: String(TEST_LEASE_MS),
      WORKER_POLL_MS: "50",
      WORKER_THREADS: "2",
      NEXTAUTH_SECRET: "test-secret-test-secret",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => process.env.DEBUG_WORKER && process.stdout.write(`[${name}] ${d}`));
  child.stderr!.on("data", (d: Buffer) => process.stderr.write(`[${name}] ${d}`));
  return child;
}

/** Polls `fn` until it returns something truthy, or fails after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | null | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
