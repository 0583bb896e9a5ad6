// A simulator worker thread (or, isolated, a process of its own): runs one seed (with progress) or
// batches of a sweep's seeds, off the caller's event loop. The runner ends it when its wall-clock
// deadline passes.

import { readlinkSync } from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { nodeSha256Hex } from "./hash";
import { programOptions } from "./programs";
import { runScenario, type RunSummary } from "../sim/run";
import { sweepPartial } from "../sim/sweep/partial";
import { shrinkScenario } from "../sim/search/shrink";
import { explore, ExploreOptionsError } from "../sim/search/explore";
import { exploreSlice } from "../sim/search/explore-shards";
import type { Scenario } from "../sim/scenario/types";
import { encodeTrace } from "../sim/trace/codec";
import { MEMORY_LIMIT_CODE, type FromWorker, type ToWorker } from "./messages";

const PROGRESS_EVERY_MS = 100;

/** Thrown out of the simulation when this thread would hold more memory than it may. */
class MemoryLimitError extends Error {
  readonly code = MEMORY_LIMIT_CODE;
}

/** Heap plus array buffers this thread may hold while it simulates (null: no limit). */
let memoryLimitBytes: number | null = null;

/**
 * Throws MemoryLimitError when this thread's heap plus array buffers, with `extraBytes` more,
 * pass the limit. process.memoryUsage() in a thread measures the thread's own heap and array
 * buffers; V8's heap limit (resourceLimits) covers the heap alone, and the simulator keeps its
 * tables and the trace in typed arrays.
 */
function checkMemory(extraBytes = 0): void {
  if (memoryLimitBytes === null) return;
  const m = process.memoryUsage();
  const held = m.heapUsed + m.arrayBuffers + extraBytes;
  if (held > memoryLimitBytes) throw new MemoryLimitError(`the simulation thread would hold ${Math.round(held / 1048576)} MiB`);
}

/** Typed arrays smaller than this are not checked when created: the check costs more than they weigh. */
const CHECKED_ALLOCATION_BYTES_MIN = 1024 * 1024;

/**
 * Checks the limit when the simulator creates a large typed array (its tables grow fourfold at a
 * time), so a run is stopped before the allocation, not after the memory is gone. The
 * constructors are wrapped, and each prototype's `constructor` points at the wrapper, so arrays
 * made from an existing one (`new arr.constructor(n)`, `slice`) are checked too; the arrays
 * themselves are the ordinary ones.
 */
function checkLargeTypedArrays(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array"]) {
    const Native = g[name] as { new (...args: unknown[]): unknown; BYTES_PER_ELEMENT: number; prototype: object };
    const checked: object = new Proxy(Native, {
      construct(target, args, newTarget) {
        const n = args[0];
        if (typeof n === "number" && n * target.BYTES_PER_ELEMENT >= CHECKED_ALLOCATION_BYTES_MIN) checkMemory(n * target.BYTES_PER_ELEMENT);
        return Reflect.construct(target, args, newTarget === checked ? target : newTarget) as object;
      },
    });
    g[name] = checked;
    Object.defineProperty(Native.prototype, "constructor", { value: checked, writable: true, configurable: true });
  }
}

checkLargeTypedArrays();

let niceApplied = false;

/**
 * Lowers this thread's CPU priority (Linux threads each have a nice value; /proc/thread-self
 * names this one), so the process's main thread, which keeps the leases alive, and the web
 * server keep theirs while simulations use what is left.
 */
function lowerPriority(nice: number | null): void {
  if (nice === null || niceApplied) return;
  niceApplied = true;
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0 && os.getPriority(tid) < nice) os.setPriority(tid, nice);
  } catch {
    // Not Linux, or not allowed: the simulation runs at its caller's priority.
  }
}

interface Port {
  postMessage(msg: FromWorker, transfer?: ArrayBuffer[]): void;
  on(event: "message", fn: (msg: ToWorker) => void): void;
}

/** The channel to the runner: the thread's port, or, in an isolated child process, its IPC channel. */
function connect(): Port | null {
  if (parentPort) return parentPort as unknown as Port;
  const send = process.send?.bind(process);
  if (!send) return null;
  // An isolated simulation's process ends with the process that started it: when the channel
  // closes, or, in the middle of a simulation (which holds the event loop), when it next reports
  // and finds it has a new parent.
  const parent = process.ppid;
  process.on("disconnect", () => process.exit(0));
  return {
    postMessage: (msg) => {
      if (process.ppid !== parent) process.exit(0);
      send(msg, undefined, undefined, () => undefined);
    },
    on: (_event, fn) => void process.on("message", (msg) => fn(msg as ToWorker)),
  };
}

const port = connect();
if (!port) throw new Error("server/runner/worker.ts must run in a worker thread or a forked process");

let sweepScenario: Scenario | null = null;
let sweepMaxFailingSeeds = 0;
const guard = () => checkMemory();

function post(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

// Messages are handled one after another (a program run first prepares its interpreters, which is asynchronous).
let chain: Promise<void> = Promise.resolve();
port.on("message", (msg: ToWorker) => {
  chain = chain.then(() => handle(msg));
});

async function handle(msg: ToWorker): Promise<void> {
  try {
    if (msg.type === "run") {
      let last = 0;
      memoryLimitBytes = msg.memoryLimitBytes;
      const { summary, trace } = runScenario(msg.scenario, {
        ...(await programOptions(msg.scenario)),
        seed: msg.seed,
        sha256Hex: nodeSha256Hex,
        recordTrace: msg.recordTrace,
        ...(msg.maxTraceRecords !== null ? { maxTraceRecords: msg.maxTraceRecords } : {}),
        onProgress: (p) => {
          // A run still going at its first progress report (65,536 events) is not a small one:
          // from here it yields the CPU to the web server. A small run finishes at full speed.
          if (p.fraction < 1) lowerPriority(msg.nice);
          guard();
          const now = performance.now();
          if (now - last >= PROGRESS_EVERY_MS || p.fraction >= 1) {
            last = now;
            post({ type: "progress", events: p.events, virtualTimeUs: p.virtualTimeUs, fraction: p.fraction });
          }
        },
      });
      guard();
      const bytes = trace ? encodeTrace(trace) : null;
      post({ type: "result", summary, trace: bytes, lowered: niceApplied }, bytes ? [bytes.buffer as ArrayBuffer] : []);
    } else if (msg.type === "shrink") {
      memoryLimitBytes = msg.memoryLimitBytes;
      lowerPriority(msg.nice);
      let last = 0;
      const result = shrinkScenario(msg.scenario, {
        seed: msg.seed,
        ...(msg.check !== null ? { check: msg.check } : {}),
        ...(msg.maxSteps !== null ? { maxSteps: msg.maxSteps } : {}),
        runOptions: { ...(await programOptions(msg.scenario)), sha256Hex: nodeSha256Hex },
        onProgress: (progress) => {
          guard();
          const now = performance.now();
          if (now - last >= PROGRESS_EVERY_MS || progress.phase === "done") {
            last = now;
            post({ type: "shrink-progress", progress });
          }
        },
      });
      post({ type: "shrink-result", result });
    } else if (msg.type === "explore") {
      memoryLimitBytes = msg.memoryLimitBytes;
      lowerPriority(msg.nice);
      let last = 0;
      const options = { ...(await programOptions(msg.scenario)), sha256Hex: nodeSha256Hex };
      const started = performance.now();
      const result = explore(msg.scenario, {
        ...msg.options,
        run: options,
        onProgress: (progress) => {
          guard();
          const now = performance.now();
          if (now - last >= PROGRESS_EVERY_MS) {
            last = now;
            post({ type: "explore-progress", progress });
          }
        },
      });
      post({ type: "explore-result", result, seconds: (performance.now() - started) / 1000 });
    } else if (msg.type === "explore-slice") {
      memoryLimitBytes = msg.memoryLimitBytes;
      lowerPriority(msg.nice);
      let last = 0;
      const run = { ...(await programOptions(msg.scenario)), sha256Hex: nodeSha256Hex };
      const started = performance.now();
      const result = exploreSlice(msg.scenario, { ...msg.options, run }, msg.slice, (done) => {
        guard();
        const now = performance.now();
        if (now - last >= PROGRESS_EVERY_MS) {
          last = now;
          post({ type: "explore-slice-progress", done });
        }
      });
      post({ type: "explore-slice-result", result, seconds: (performance.now() - started) / 1000 });
    } else if (msg.type === "warm") {
      const { trace } = runScenario(msg.scenario, { sha256Hex: nodeSha256Hex, recordTrace: true });
      if (trace) encodeTrace(trace);
    } else if (msg.type === "sweep-init") {
      sweepScenario = msg.scenario;
      sweepMaxFailingSeeds = msg.maxFailingSeeds;
      memoryLimitBytes = msg.memoryLimitBytes;
      lowerPriority(msg.nice);
    } else if (msg.type === "sweep-batch") {
      if (!sweepScenario) throw new Error("sweep-batch before sweep-init");
      const summaries: RunSummary[] = [];
      for (const seed of msg.seeds) summaries.push(runScenario(sweepScenario, { ...(await programOptions(sweepScenario)), seed, recordTrace: false, countFaults: true, onProgress: guard }).summary);
      post({ type: "batch", partial: sweepPartial(summaries, { maxFailingSeeds: sweepMaxFailingSeeds }) });
    }
  } catch (err) {
    const code = err instanceof MemoryLimitError ? err.code : err instanceof RangeError && /allocation failed/i.test(err.message) ? MEMORY_LIMIT_CODE : undefined;
    if (err instanceof ExploreOptionsError) post({ type: "error", message: err.message, invalid: true });
    else post({ type: "error", message: err instanceof Error ? (err.stack ?? err.message) : String(err), ...(code ? { code } : {}) });
  }
}
