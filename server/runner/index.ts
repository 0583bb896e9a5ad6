// Runs the pure simulator in worker threads (Node only): one seed, or a sweep spread over a pool of
// threads, with progress callbacks and a wall-clock deadline after which the threads are terminated.

import { fork, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { finishSweepPartial, LIMITS, mergeSweepPartials, parseScenarioText, type RunSummary, type Scenario, type SweepPartial, type SweepSummary } from "../sim";
import { MEMORY_LIMIT_CODE, type FromWorker, type ToWorker } from "./messages";
import type { ShrinkProgress, ShrinkResult } from "../sim/search/shrink";
import type { ExploreResult } from "../sim/search/explore";
import type { ExploreSlice, ExploreSliceResult } from "../sim/search/explore-shards";
import type { ExploreProgress, ExploreRequest } from "./messages";

/** Default wall-clock budget of one runSeed or runSweep call. */
export const DEFAULT_DEADLINE_MS = 120_000;

export type RunnerErrorCode = "deadline" | "cancelled" | "worker-failed" | "invalid-options" | "out-of-memory" | "process-killed";

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
  /** Memory the simulation thread may use, in MiB (see threadOptions); unlimited when unset. */
  memoryMb?: number;
  /** The simulation thread's CPU priority (nice, 0-19), lower than its caller's (see threadNiceSupported). */
  nice?: number;
  /** Trace records the run may keep; past them it stops with stoppedBy "traceLimit" (unbounded when unset). */
  maxTraceRecords?: number;
  /**
   * Simulate in a child process of its own instead of a thread, first in line for the system's
   * out-of-memory killer: a simulation that takes the machine's memory ends that process, which
   * this one sees (code "process-killed"), instead of taking the caller down with it.
   */
  isolate?: boolean;
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
  /** Memory each simulation thread may use, in MiB; unlimited when unset. */
  memoryMb?: number;
  /** Each simulation thread's CPU priority (nice, 0-19). */
  nice?: number;
  /** Simulate in child processes instead of threads (see RunSeedOptions.isolate). */
  isolate?: boolean;
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
 * Whether a simulation thread can lower its own CPU priority (Linux: a thread has its own nice
 * value, set through its thread id). Elsewhere a caller that wants simulations to yield lowers
 * the whole process's priority instead.
 */
export function threadNiceSupported(): boolean {
  return process.platform === "linux" && existsSync("/proc/thread-self");
}

/**
 * Builds the threads' bundle now, so the first run does not block its caller's event loop on it.
 * With `spare`, also keeps one thread and one isolated process started ahead of need (with that
 * memory limit): a run then takes one instead of waiting for it to start (a thread takes tens of
 * milliseconds, a process hundreds, far more on a busy machine), and another is started for the
 * next run.
 */
export function prepareThreads(options: { spare?: { memoryMb?: number } } = {}): void {
  workerSource();
  if (options.spare) {
    spareWanted = options.spare;
    startSpares();
  }
}

interface SpareThread {
  memoryMb: number | undefined;
  worker: Worker;
  failed: boolean;
}

interface SpareProcess {
  memoryMb: number | undefined;
  child: ChildProcess;
  failed: boolean;
}

/** How long after a run takes the spare thread a new one is started (unless the run gave its thread back). */
const SPARE_RESTART_DELAY_MS = 250;

let spareWanted: { memoryMb?: number } | null = null;
let spare: SpareThread | null = null;
let spareProcess: SpareProcess | null = null;

function startSpares(): void {
  if (!spareWanted) return;
  if (!spare) {
    const s: SpareThread = { memoryMb: spareWanted.memoryMb, worker: spawn(spareWanted.memoryMb), failed: false };
    const lost = () => {
      s.failed = true;
      if (spare === s) spare = null;
    };
    s.worker.once("error", lost);
    s.worker.once("exit", lost);
    // A thread waiting for work must not keep the process alive.
    s.worker.unref();
    const warm = warmUp();
    if (warm) s.worker.postMessage(warm);
    spare = s;
  }
  if (!spareProcess) {
    const p: SpareProcess = { memoryMb: spareWanted.memoryMb, child: forkIsolated(spareWanted.memoryMb), failed: false };
    const lost = () => {
      p.failed = true;
      if (spareProcess === p) spareProcess = null;
    };
    p.child.once("error", lost);
    p.child.once("exit", lost);
    p.child.unref();
    p.child.channel?.unref();
    const warm = warmUp();
    if (warm) p.child.send(warm);
    spareProcess = p;
  }
}

/** A few requests between two nodes: enough for V8 to compile what every run uses. */
const WARM_UP_SCENARIO = `version: 1
name: warm-up
nodes: [{ id: A }, { id: B }]
network: { latency: 1ms, loss: 0.1 }
protocol: { kind: request-response, client: { timeout: 10ms, retries: 2 } }
workload: [{ client: A, server: B, op: write, key: k, value: v, count: 50, interval: 1ms }]
checks: [all-complete, at-most-once]
`;

let warmUpMessage: ToWorker | null | undefined;

function warmUp(): ToWorker | null {
  if (warmUpMessage !== undefined) return warmUpMessage;
  const parsed = parseScenarioText(WARM_UP_SCENARIO);
  return (warmUpMessage = parsed.ok ? { type: "warm", scenario: parsed.scenario } : null);
}

/** An isolated process for one simulation: the spare when it fits, else a new one. */
function takeProcess(memoryMb: number | undefined): ChildProcess {
  const p = spareProcess;
  if (p && !p.failed && p.memoryMb === memoryMb) {
    spareProcess = null;
    p.child.removeAllListeners();
    p.child.ref();
    p.child.channel?.ref();
    setImmediate(startSpares);
    return p.child;
  }
  return forkIsolated(memoryMb);
}

/** A thread for one simulation: the spare when it fits, else a new one. */
function takeThread(memoryMb: number | undefined, sweep = false): Worker {
  // Kept sweep threads lowered their priority for good: for sweeps only.
  const idle = !sweep ? -1 : idleThreads.findIndex((t) => !t.failed && t.memoryMb === memoryMb);
  if (idle >= 0) {
    const [t] = idleThreads.splice(idle, 1);
    detach(t!.worker);
    t!.worker.ref();
    return t!.worker;
  }
  const s = spare;
  if (s && !s.failed && s.memoryMb === memoryMb) {
    spare = null;
    // Only the listeners added here: removeAllListeners() would also drop the Worker's own
    // internal ones, and a thread given back after a run (recycle) would then never be heard again.
    detach(s.worker);
    s.worker.ref();
    // The next spare starts a moment later, not beside this run: starting a thread and warming it
    // up takes more CPU than a small run, which then becomes the spare itself (recycle).
    setTimeout(startSpares, SPARE_RESTART_DELAY_MS).unref();
    return s.worker;
  }
  return spawn(memoryMb);
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

/**
 * A thread's memory limit. V8 ends a thread whose JavaScript heap outgrows
 * `resourceLimits.maxOldGenerationSizeMb` (the process lives on). The simulator keeps its
 * tables and the trace in typed arrays, outside that heap, so the thread also measures its
 * heap plus array buffers at every progress report and stops the run when they pass the limit.
 */
function threadOptions(memoryMb: number | undefined) {
  // execArgv: [] so a parent's own loader flags (tsx, vitest) are not applied to the thread.
  return { execArgv: [], ...(memoryMb ? { resourceLimits: { maxOldGenerationSizeMb: memoryMb } } : {}) };
}

function spawn(memoryMb: number | undefined): Worker {
  const source = workerSource();
  if (source !== null) return new Worker(source, { eval: true, ...threadOptions(memoryMb) });
  // Fallback: the entry registers tsx's loader in the thread, then loads worker.ts.
  return new Worker(WORKER_ENTRY_URL, threadOptions(memoryMb));
}

/** Where one simulation runs: a worker thread, or a child process of its own (isolate). */
interface SimHost {
  onMessage(fn: (msg: FromWorker) => void): void;
  /** An error, or an end the caller did not ask for. */
  onFailure(fn: (err: RunnerError) => void): void;
  post(msg: ToWorker): void;
  stop(): void;
  /** Done with it after a sweep that ended well: kept for the next sweep when it can be, else stopped. */
  release(): void;
  /** Done with it after a run that ended well at full priority: kept as the spare when there is none, else stopped. */
  recycle(): void;
}

/**
 * Sweep threads kept after their sweep, at most this many: a sweep's shards (server/worker/shards.ts)
 * then start on a thread that has its code loaded, instead of paying a thread's start (tens of
 * milliseconds, far more on a busy machine) per shard.
 */
const IDLE_SWEEP_THREADS_MAX = 4;
const idleThreads: SpareThread[] = [];

/**
 * Removes our listeners from a thread, not Node's own: a Worker listens to its own "newListener"
 * to start delivering messages, and a thread stripped of that never delivers another.
 */
function detach(worker: Worker): void {
  for (const event of ["message", "messageerror", "error", "exit", "online"]) worker.removeAllListeners(event);
}

function keepIdle(memoryMb: number | undefined, worker: Worker): boolean {
  if (idleThreads.length >= IDLE_SWEEP_THREADS_MAX) return false;
  detach(worker);
  const s: SpareThread = { memoryMb, worker, failed: false };
  const lost = () => {
    s.failed = true;
    const i = idleThreads.indexOf(s);
    if (i >= 0) idleThreads.splice(i, 1);
  };
  worker.once("error", lost);
  worker.once("exit", lost);
  worker.unref();
  idleThreads.push(s);
  return true;
}

/** Makes a thread whose run ended well, at full priority, the spare: the next run starts on warm code. */
function keepSpare(memoryMb: number | undefined, worker: Worker): boolean {
  if (!spareWanted || spareWanted.memoryMb !== memoryMb || (spare && !spare.failed)) return false;
  detach(worker);
  const s: SpareThread = { memoryMb, worker, failed: false };
  const lost = () => {
    s.failed = true;
    if (spare === s) spare = null;
  };
  worker.once("error", lost);
  worker.once("exit", lost);
  worker.unref();
  spare = s;
  return true;
}

function threadHost(memoryMb: number | undefined, sweep = false): SimHost {
  const w = takeThread(memoryMb, sweep);
  return {
    onMessage: (fn) => void w.on("message", fn),
    onFailure: (fn) => {
      w.on("error", (err: Error & { code?: string }) => fn(threadFailure(err, memoryMb)));
      w.on("exit", (code) => fn(workerFailure(`the worker thread exited (code ${code})`)));
    },
    post: (msg) => w.postMessage(msg),
    stop: () => void w.terminate(),
    release: () => {
      if (!keepIdle(memoryMb, w)) void w.terminate();
    },
    recycle: () => {
      if (!keepSpare(memoryMb, w)) void w.terminate();
    },
  };
}

/** The out-of-memory killer's score of an isolated simulation: the highest, so it goes first. */
const ISOLATED_OOM_SCORE_ADJ = 1000;

let isolatedScript: string | undefined;

/** The file an isolated simulation process runs: the threads' bundle written out once, or the tsx entry. */
function isolatedScriptPath(): string {
  if (isolatedScript) return isolatedScript;
  const source = workerSource();
  if (source === null) return (isolatedScript = fileURLToPath(WORKER_ENTRY_URL));
  const file = path.join(os.tmpdir(), `faultline-sim-${createHash("sha256").update(source).digest("hex").slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, source);
    renameSync(partial, file);
  }
  return (isolatedScript = file);
}

function forkIsolated(memoryMb: number | undefined): ChildProcess {
  const child = fork(isolatedScriptPath(), [], {
    execArgv: memoryMb ? [`--max-old-space-size=${memoryMb}`] : [],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    if (child.pid) writeFileSync(`/proc/${child.pid}/oom_score_adj`, String(ISOLATED_OOM_SCORE_ADJ));
  } catch {
    // Not Linux: the process is still apart from its caller.
  }
  return child;
}

function processHost(memoryMb: number | undefined): SimHost {
  const child = takeProcess(memoryMb);
  let stopping = false;
  return {
    onMessage: (fn) => void child.on("message", (msg) => fn(msg as FromWorker)),
    onFailure: (fn) => {
      child.on("error", (err) => fn(workerFailure(err.message)));
      child.on("exit", (code, signal) => {
        if (stopping) return;
        fn(signal ? processKilled(signal) : workerFailure(`the simulation process exited (code ${code})`));
      });
    },
    post: (msg) => void child.send(msg),
    stop: () => {
      stopping = true;
      child.kill("SIGKILL");
    },
    release: () => {
      stopping = true;
      child.kill("SIGKILL");
    },
    recycle: () => {
      stopping = true;
      child.kill("SIGKILL");
    },
  };
}

function host(options: { memoryMb?: number; isolate?: boolean }, sweep = false): SimHost {
  return options.isolate ? processHost(options.memoryMb) : threadHost(options.memoryMb, sweep);
}

function processKilled(signal: string): RunnerError {
  return new RunnerError("process-killed", `the simulation's process was killed (${signal}) while it ran, most likely by the system for taking too much of the machine's memory`);
}

function outOfMemory(memoryMb: number | undefined): RunnerError {
  return new RunnerError("out-of-memory", `the simulation ran out of memory: it needed more than the ${memoryMb ?? "?"} MB one simulation may use`);
}

/** A thread's failure: out of memory when V8 or the thread's own measurement says so. */
function threadFailure(err: { code?: string; message: string }, memoryMb: number | undefined): RunnerError {
  if (err.code === "ERR_WORKER_OUT_OF_MEMORY" || err.code === MEMORY_LIMIT_CODE) return outOfMemory(memoryMb);
  return workerFailure(err.message);
}

function limitBytes(memoryMb: number | undefined): number | null {
  return memoryMb ? memoryMb * 1024 * 1024 : null;
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

/** Runs one seed of a validated scenario in a worker thread: the spare (or a fresh one), given back as the spare after a small run. */
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
    const worker = host(options);
    let settled = false;
    const finish = (err: RunnerError | null, result?: RunSeedResult, reusable = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (reusable) worker.recycle();
      else worker.stop();
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(() => finish(new RunnerError("deadline", deadlineMessage(deadlineMs))), deadlineMs);
    const onAbort = () => finish(new RunnerError("cancelled", "the run was cancelled"));
    options.signal?.addEventListener("abort", onAbort);
    worker.onMessage((msg) => {
      if (msg.type === "progress") options.onProgress?.({ events: msg.events, virtualTimeUs: msg.virtualTimeUs, fraction: msg.fraction });
      else if (msg.type === "result") finish(null, { summary: msg.summary, trace: msg.trace }, !msg.lowered);
      else if (msg.type === "error") finish(threadFailure(msg, options.memoryMb));
    });
    worker.onFailure((err) => finish(err));
    const msg: ToWorker = { type: "run", scenario, seed, recordTrace: options.recordTrace ?? true, memoryLimitBytes: limitBytes(options.memoryMb), nice: options.nice ?? null, maxTraceRecords: options.maxTraceRecords ?? null };
    worker.post(msg);
  });
}

export interface RunShrinkOptions {
  seed: number;
  /** The check that must keep failing (default: the run's first failing check). */
  check?: string;
  maxSteps?: number;
  deadlineMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ShrinkProgress) => void;
  memoryMb?: number;
  nice?: number;
  isolate?: boolean;
}

/**
 * One job of many runs (a shrink, an exploration) on a fresh simulation thread (or process), under one
 * wall-clock deadline for all of them. `settle` reads the thread's messages: it returns the result,
 * an error, or undefined for a message that does not end the job (progress).
 */
function oneJob<T>(
  what: string,
  deadlineMessage: string,
  options: { deadlineMs?: number; signal?: AbortSignal; memoryMb?: number; isolate?: boolean },
  request: ToWorker,
  settle: (msg: FromWorker) => { result: T } | { error: RunnerError } | undefined,
  /** On a kept sweep thread, given back when the job ends well (a shard of a job: many in a row). */
  pooled = false,
): Promise<T> {
  const deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new RunnerError("cancelled", `the ${what} was cancelled`));
      return;
    }
    const worker = host(options, pooled);
    let settled = false;
    const finish = (err: RunnerError | null, result?: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (pooled && !err) worker.release();
      else worker.stop();
      if (err) reject(err);
      else resolve(result!);
    };
    const timer = setTimeout(() => finish(new RunnerError("deadline", `the ${what} took longer than ${formatMs(deadlineMs)} of wall-clock time and was stopped; ${deadlineMessage}`)), deadlineMs);
    const onAbort = () => finish(new RunnerError("cancelled", `the ${what} was cancelled`));
    options.signal?.addEventListener("abort", onAbort);
    worker.onMessage((msg) => {
      // An error marked invalid is the job refusing its options (the caller's mistake), not a failure of the thread.
      const end = msg.type === "error" ? { error: msg.invalid ? new RunnerError("invalid-options", msg.message) : threadFailure(msg, options.memoryMb) } : settle(msg);
      if (end && "error" in end) finish(end.error);
      else if (end) finish(null, end.result);
    });
    worker.onFailure((err) => finish(err));
    worker.post(request);
  });
}

/** Shrinks a failing run in a fresh worker thread (or process), under one wall-clock deadline for all its steps. */
export function runShrink(scenario: Scenario, options: RunShrinkOptions): Promise<ShrinkResult> {
  const request: ToWorker = { type: "shrink", scenario, seed: options.seed, check: options.check ?? null, maxSteps: options.maxSteps ?? null, memoryLimitBytes: limitBytes(options.memoryMb), nice: options.nice ?? null };
  return oneJob("shrink", "shrink a run with fewer events", options, request, (msg) => {
    if (msg.type === "shrink-progress") options.onProgress?.(msg.progress);
    else if (msg.type === "shrink-result") return { result: msg.result };
    return undefined;
  });
}

export interface RunExploreOptions {
  deadlineMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExploreProgress) => void;
  memoryMb?: number;
  nice?: number;
  isolate?: boolean;
}

/**
 * Explores a scenario's fault schedules within bounds (server/sim/search/explore.ts) in a fresh worker
 * thread (or process), under one wall-clock deadline for every schedule. Options the search refuses
 * reject with code "invalid-options" and its message.
 */
export function runExplore(scenario: Scenario, request: ExploreRequest, options: RunExploreOptions = {}): Promise<ExploreResult & { seconds: number }> {
  const message: ToWorker = { type: "explore", scenario, options: request, memoryLimitBytes: limitBytes(options.memoryMb), nice: options.nice ?? null };
  return oneJob<ExploreResult & { seconds: number }>("exploration", "lower the faults, the depth or the schedule budget", options, message, (msg) => {
    if (msg.type === "explore-progress") options.onProgress?.(msg.progress);
    else if (msg.type === "explore-result") return { result: { ...msg.result, seconds: msg.seconds } };
    return undefined;
  });
}

export interface RunExploreSliceOptions {
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Candidates of the slice's range done so far. */
  onProgress?: (done: number) => void;
  memoryMb?: number;
  nice?: number;
  isolate?: boolean;
}

/**
 * Runs one slice of an exploration (server/sim/search/explore-shards.ts: a range of one level's
 * candidates, a shard of an exploration job on the queue) in a worker thread (or process); the
 * thread is kept for the next shard, as a sweep's are.
 */
export function runExploreSlice(scenario: Scenario, request: ExploreRequest, slice: ExploreSlice, options: RunExploreSliceOptions = {}): Promise<ExploreSliceResult & { seconds: number }> {
  const message: ToWorker = { type: "explore-slice", scenario, options: request, slice, memoryLimitBytes: limitBytes(options.memoryMb), nice: options.nice ?? null };
  return oneJob<ExploreSliceResult & { seconds: number }>("exploration's shard", "lower the faults, the depth or the schedule budget", options, message, (msg) => {
    if (msg.type === "explore-slice-progress") options.onProgress?.(msg.done);
    else if (msg.type === "explore-slice-result") return { result: { ...msg.result, seconds: msg.seconds } };
    return undefined;
  }, true);
}

/** Runs seeds from..from+seeds-1 over a pool of worker threads and aggregates them (traces are not kept). */
export async function runSweep(scenario: Scenario, options: RunSweepOptions): Promise<SweepSummary> {
  return finishSweepPartial(await sweepPartials(scenario, options));
}

/** Like runSweep, but returns the mergeable partial aggregate of the seeds (a sweep's shard: server/worker/shards.ts). */
export async function runSweepPartial(scenario: Scenario, options: RunSweepOptions): Promise<SweepPartial> {
  return sweepPartials(scenario, options);
}

/**
 * The merged partial of seeds from..from+seeds-1, simulated over a pool of worker threads. Each
 * thread reduces its batch to a partial, so the main thread's work per seed stays small (it was as
 * much as simulating a short run when it received and aggregated every summary).
 */
function sweepPartials(scenario: Scenario, options: RunSweepOptions): Promise<SweepPartial> {
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
  const maxFailingSeeds = options.maxFailingSeeds ?? LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED;
  return new Promise<SweepPartial>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new RunnerError("cancelled", "the sweep was cancelled"));
      return;
    }
    const partials: SweepPartial[] = [];
    let done = 0;
    const workers: SimHost[] = [];
    let next = 0;
    let settled = false;
    const finish = (err: RunnerError | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      for (const w of workers) {
        if (err) w.stop();
        else w.release();
      }
      if (err) reject(err);
      else resolve(mergeSweepPartials(partials));
    };
    const timer = setTimeout(() => finish(new RunnerError("deadline", deadlineMessage(deadlineMs))), deadlineMs);
    const onAbort = () => finish(new RunnerError("cancelled", "the sweep was cancelled"));
    options.signal?.addEventListener("abort", onAbort);
    const feed = (w: SimHost) => {
      if (next >= total) return;
      const seeds: number[] = [];
      for (let k = 0; k < batch && next < total; k++, next++) seeds.push(from + next);
      const msg: ToWorker = { type: "sweep-batch", seeds };
      w.post(msg);
    };
    for (let t = 0; t < threads; t++) {
      const w = host(options, true);
      workers.push(w);
      w.onMessage((msg) => {
        if (msg.type === "batch") {
          partials.push(msg.partial);
          done += msg.partial.seeds;
          options.onProgress?.({ done, total, fraction: done / total });
          if (done === total) finish(null);
          else feed(w);
        } else if (msg.type === "error") finish(threadFailure(msg, options.memoryMb));
      });
      w.onFailure((err) => finish(err));
      const init: ToWorker = { type: "sweep-init", scenario, maxFailingSeeds, memoryLimitBytes: limitBytes(options.memoryMb), nice: options.nice ?? null };
      w.post(init);
      feed(w);
    }
  });
}
