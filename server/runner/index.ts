// Runs the pure simulator in worker threads (Node only): one seed, or a sweep spread over a pool of
// threads, with progress callbacks and a wall-clock deadline after which the threads are terminated.

import { createRequire } from "node:module";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { aggregateSweep, LIMITS, type RunSummary, type Scenario, type SweepSummary } from "../sim";
import type { FromWorker, ToWorker } from "./messages";

/** Default wall-clock budget of one runSeed or runSweep call. */
export const DEFAULT_DEADLINE_MS = 120_000;

export type RunnerErrorCode = "deadline" | "cancelled" | "worker-failed" | "invalid-options";

/** Why a run did not finish. `message` is fit to show a user. */
export class RunnerError extends Error {
  override name = "RunnerError";
  readonly code: RunnerErrorCode;
  constructor(code: RunnerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface RunSeedProgress {
  events: number;
  virtualTimeUs: number;
  /** 0..1 of the run's budget (maxEvents or until, whichever is further along). */
  fraction: number;
}

export interface RunSeedOptions {
  /** Defaults to the scenario's seed. */
  seed?: number;
  /** Keep and return the encoded trace (default true). */
  recordTrace?: boolean;
  /** Wall-clock budget; the thread is terminated when it passes (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
  /** Aborting terminates the thread and rejects with code "cancelled". */
  signal?: AbortSignal;
  /** Called about every 100 ms of wall-clock time while the run works. */
  onProgress?: (p: RunSeedProgress) => void;
}

export interface RunSeedResult {
  summary: RunSummary;
  /** encodeTrace() bytes, ready to store; null when recordTrace was false. */
  trace: Uint8Array | null;
}

export interface SweepProgress {
  done: number;
  total: number;
  fraction: number;
}

export interface RunSweepOptions {
  /** How many seeds: from, from + 1, ..., from + seeds - 1. */
  seeds: number;
  /** First seed (default: the scenario's seed). */
  from?: number;
  /** Worker threads (default: the number of cores). */
  threads?: number;
  /** Wall-clock budget for the whole sweep (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Called after every finished batch of seeds. */
  onProgress?: (p: SweepProgress) => void;
  /** Failing seeds listed per check (default LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED). */
  maxFailingSeeds?: number;
}

/** The number of cores this process may use. */
export function defaultThreadCount(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

declare const __FAULTLINE_RUNNER_DIR__: string | undefined;
/** This folder. The bundled command line (bin/faultline.mjs) defines it, as its import.meta.url is the bundle's. */
const RUNNER_DIR_URL = typeof __FAULTLINE_RUNNER_DIR__ === "string" ? pathToFileURL(`${__FAULTLINE_RUNNER_DIR__}/`) : new URL("./", import.meta.url);
const WORKER_ENTRY_URL = new URL("./worker-entry.mjs", RUNNER_DIR_URL);
const WORKER_TS_PATH = fileURLToPath(new URL("./worker.ts", RUNNER_DIR_URL));

interface EsbuildLike {
  buildSync(options: Record<string, unknown>): { outputFiles?: { text: string }[] };
}

let workerBundle: string | null | undefined;
let bundlingEnabled = true;

/**
 * Turns the esbuild bundle of the worker off (threads then load worker.ts through tsx's loader,
 * slower to start) or back on. For tests and diagnostics.
 */
export function setWorkerBundling(enabled: boolean): void {
  bundlingEnabled = enabled;
}

/**
 * The worker and the simulator bundled into one CommonJS script with esbuild (installed with tsx),
 * built once per process: a thread then starts in milliseconds instead of loading every module
 * through tsx's loader. Null when esbuild is not available.
 */
function workerSource(): string | null {
  if (!bundlingEnabled) return null;
  if (workerBundle !== undefined) return workerBundle;
  try {
    const esbuild = createRequire(import.meta.url)("esbuild") as EsbuildLike;
    const out = esbuild.buildSync({
      entryPoints: [WORKER_TS_PATH],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: "node20",
      write: false,
      logLevel: "silent",
      // The bundle is evaluated, so it has no URL of its own: modules that resolve packages
      // from their own location (the program runtime's interpreter) resolve from this folder.
      define: { "import.meta.url": JSON.stringify(pathToFileURL(WORKER_TS_PATH).href) },
    });
    workerBundle = out.outputFiles?.[0]?.text ?? null;
  } catch {
    workerBundle = null;
  }
  return workerBundle;
}

function spawn(): Worker {
  // execArgv: [] so a parent's own loader flags (tsx, vitest) are not applied to the thread.
  const source = workerSource();
  if (source !== null) return new Worker(source, { eval: true, execArgv: [] });
  // Fallback: the entry registers tsx's loader in the thread, then loads worker.ts.
  return new Worker(WORKER_ENTRY_URL, { execArgv: [] });
}

function deadlineMessage(ms: number): string {
  return `the simulation took longer than ${formatMs(ms)} of wall-clock time and was stopped; lower maxEvents or until, or use fewer seeds`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;
}

function workerFailure(detail: string): RunnerError {
  return new RunnerError("worker-failed", `the simulator failed: ${detail.split("\n")[0]}`);
}

/** Runs one seed of a validated scenario in a fresh worker thread. */
export function runSeed(scenario: Scenario, options: RunSeedOptions = {}): Promise<RunSeedResult> {
  const seed = options.seed ?? scenario.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    return Promise.reject(new RunnerError("invalid-options", `seed must be an unsigned 32-bit integer, got ${seed}`));
  }
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return new Promise<RunSeedResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new RunnerError("cancelled", "the run was cancelled"));
      return;
    }
    const worker = spawn();
    let settled = false;
    const finish = (err: RunnerError | null, result?: RunSeedResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      void worker.terminate();
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(() => finish(new RunnerError("deadline", deadlineMessage(deadlineMs))), deadlineMs);
    const onAbort = () => finish(new RunnerError("cancelled", "the run was cancelled"));
    options.signal?.addEventListener("abort", onAbort);
    worker.on("message", (msg: FromWorker) => {
      if (msg.type === "progress") options.onProgress?.({ events: msg.events, virtualTimeUs: msg.virtualTimeUs, fraction: msg.fraction });
      else if (msg.type === "result") finish(null, { summary: msg.summary, trace: msg.trace });
      else if (msg.type === "error") finish(workerFailure(msg.message));
    });
    worker.on("error", (err) => finish(workerFailure(err.message)));
    worker.on("exit", (code) => finish(workerFailure(`the worker thread exited (code ${code})`)));
    const msg: ToWorker = { type: "run", scenario, seed, recordTrace: options.recordTrace ?? true };
    worker.postMessage(msg);
  });
}

/** Runs seeds from..from+seeds-1 over a pool of worker threads and aggregates them (traces are not kept). */
export function runSweep(scenario: Scenario, options: RunSweepOptions): Promise<SweepSummary> {
  const total = options.seeds;
  const from = options.from ?? scenario.seed;
  if (!Number.isInteger(total) || total < 1 || total > LIMITS.MAX_SWEEP_SEEDS) {
    return Promise.reject(new RunnerError("invalid-options", `seeds must be a whole number from 1 to ${LIMITS.MAX_SWEEP_SEEDS}, got ${total}`));
  }
  if (!Number.isInteger(from) || from < 0 || from + total - 1 > 0xffffffff) {
    return Promise.reject(new RunnerError("invalid-options", `seeds ${from}..${from + total - 1} are not all unsigned 32-bit integers`));
  }
  const threads = Math.max(1, Math.min(options.threads ?? defaultThreadCount(), total, 64));
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  // Small batches balance the threads; not so small that messages dominate.
  const batch = Math.max(1, Math.min(256, Math.ceil(total / (threads * 8))));
  return new Promise<SweepSummary>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new RunnerError("cancelled", "the sweep was cancelled"));
      return;
    }
    const summaries: RunSummary[] = [];
    const workers: Worker[] = [];
    let next = 0;
    let settled = false;
    const finish = (err: RunnerError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(aggregateSweep(summaries, { maxFailingSeeds: options.maxFailingSeeds }));
    };
    const timer = setTimeout(() => finish(new RunnerError("deadline", deadlineMessage(deadlineMs))), deadlineMs);
    const onAbort = () => finish(new RunnerError("cancelled", "the sweep was cancelled"));
    options.signal?.addEventListener("abort", onAbort);
    const feed = (w: Worker) => {
      if (next >= total) return;
      const seeds: number[] = [];
      for (let k = 0; k < batch && next < total; k++, next++) seeds.push(from + next);
      const msg: ToWorker = { type: "sweep-batch", seeds };
      w.postMessage(msg);
    };
    for (let t = 0; t < threads; t++) {
      const w = spawn();
      workers.push(w);
      w.on("message", (msg: FromWorker) => {
        if (msg.type === "batch") {
          for (const s of msg.summaries) summaries.push(s);
          options.onProgress?.({ done: summaries.length, total, fraction: summaries.length / total });
          if (summaries.length === total) finish(null);
          else feed(w);
        } else if (msg.type === "error") finish(workerFailure(msg.message));
      });
      w.on("error", (err) => finish(workerFailure(err.message)));
      w.on("exit", (code) => finish(workerFailure(`a worker thread exited (code ${code})`)));
      const init: ToWorker = { type: "sweep-init", scenario };
      w.postMessage(init);
      feed(w);
    }
  });
}
