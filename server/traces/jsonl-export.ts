// Trace downloads as JSONL, streamed from a child process (scripts/trace-jsonl.ts) that reads,
// inflates and decodes the trace: the web process holds no trace, only the chunk in flight, and
// its thread never decodes (a million-event trace took it away for seconds, health checks too).
// Exports are bounded per process and per client, and in time.
import { spawn, type ChildProcess } from "node:child_process";
import { setPriority } from "node:os";
import path from "node:path";
import { env } from "@/server/env";
import { addressKey } from "@/server/http/client-address";

/** Exports one web process runs at once. */
export const TRACE_EXPORTS_MAX = 2;
/** Exports one client address runs at once. */
export const TRACE_EXPORTS_PER_ADDRESS_MAX = 1;
/** Longest an export may take, slow readers included; the download is cut after. */
export const TRACE_EXPORT_MS_MAX = 10 * 60_000;
/** Retry-After when every export place is taken. */
export const TRACE_EXPORT_RETRY_AFTER_SECONDS = 30;
/** Heap of the exporting process, in MiB (its typed arrays come on top). */
const TRACE_EXPORT_HEAP_MB_MAX = 512;
/** The exporting process runs at this nice value, below the web server. */
const TRACE_EXPORT_NICE = 10;

const running = new Map<string, number>();
let total = 0;

export type TraceExport = { ok: true; body: ReadableStream<Uint8Array> } | { ok: false; retryAfterSeconds: number };

/** Starts streaming run `runId`'s trace as JSONL, or says when to try again. */
export function exportTraceJsonl(runId: string, clientAddress: string, opts: { databaseUrl?: string } = {}): TraceExport {
  const key = addressKey(clientAddress);
  if (total >= TRACE_EXPORTS_MAX || (running.get(key) ?? 0) >= TRACE_EXPORTS_PER_ADDRESS_MAX) {
    return { ok: false, retryAfterSeconds: TRACE_EXPORT_RETRY_AFTER_SECONDS };
  }
  total++;
  running.set(key, (running.get(key) ?? 0) + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    total--;
    const n = (running.get(key) ?? 1) - 1;
    if (n > 0) running.set(key, n);
    else running.delete(key);
  };

  const root = process.cwd();
  const child: ChildProcess = spawn(
    process.execPath,
    [`--max-old-space-size=${TRACE_EXPORT_HEAP_MB_MAX}`, "--import", "tsx", path.join(/*turbopackIgnore: true*/ root, "scripts", "trace-jsonl.ts"), runId],
    { cwd: root, env: { ...process.env, DATABASE_URL: opts.databaseUrl ?? env.DATABASE_URL }, stdio: ["ignore", "pipe", "pipe"] },
  );
  try {
    if (child.pid) setPriority(child.pid, TRACE_EXPORT_NICE);
  } catch {
    // Not permitted here: it runs at the web server's priority.
  }
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const deadline = setTimeout(() => child.kill("SIGKILL"), TRACE_EXPORT_MS_MAX);
  deadline.unref();
  const done = new Promise<void>((resolve) => child.once("close", () => resolve()));
  void done.then(() => {
    clearTimeout(deadline);
    release();
  });

  const stdout = child.stdout!;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      stdout.on("data", (chunk: Buffer) => {
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        // Backpressure: stop reading the child's output (and so the child) while the client is behind.
        if ((controller.desiredSize ?? 1) <= 0) stdout.pause();
      });
      child.once("close", (code, signal) => {
        try {
          if (code === 0) return controller.close();
          console.error(`[trace] JSONL export of run ${runId} failed (${signal ?? `exit ${code}`}): ${stderr.trim().slice(0, 2000)}`);
          controller.error(new Error("the trace export failed"));
        } catch {
          // The download was cancelled already.
        }
      });
    },
    pull() {
      stdout.resume();
    },
    cancel() {
      child.kill("SIGKILL");
    },
  }, { highWaterMark: 4 });
  return { ok: true, body };
}
