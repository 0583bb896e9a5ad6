// Writes one stored run's trace as JSONL (one event per line) to stdout, reading the trace from
// DATABASE_URL itself. The web process runs this for trace downloads (server/traces/jsonl-export.ts)
// so that inflating and decoding a trace never happens in it, and only streams what this writes.
//   node --import tsx scripts/trace-jsonl.ts <run id>
// Exit codes: 0 written, 3 no such trace, 1 anything else (on stderr).
import { gunzipSync } from "node:zlib";
import { once } from "node:events";
import { createDb } from "@/server/db/client";
import { decodeTrace, traceJsonlLines } from "@/server/sim";
import { readStoredTrace } from "@/server/traces/store";

/** Lines joined into one write: few enough syscalls, small enough to stream. */
const LINES_PER_WRITE = 2000;

const runId = process.argv[2];
if (!runId) {
  console.error("usage: scripts/trace-jsonl.ts <run id>");
  process.exit(2);
}
const db = createDb(process.env.DATABASE_URL ?? "file:./data/faultline.db");
let stored = await readStoredTrace(db, runId);
await db.$disconnect();
if (!stored) process.exit(3);
let trace = decodeTrace(new Uint8Array(gunzipSync(stored)));
stored = null;

let chunk: string[] = [];
for (const line of traceJsonlLines(trace)) {
  chunk.push(line);
  if (chunk.length >= LINES_PER_WRITE) {
    if (!process.stdout.write(chunk.join("\n") + "\n")) await once(process.stdout, "drain");
    chunk = [];
  }
}
if (chunk.length > 0) process.stdout.write(chunk.join("\n") + "\n");
trace = null as unknown as typeof trace;
process.stdout.end();
