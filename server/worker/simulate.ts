// The worker's one meeting point with the simulator: turns a claimed run into an
// outcome. Single runs keep their trace (gzip-compressed for storage); sweeps keep the
// aggregate only. Simulation happens in worker threads (server/runner), so the worker's
// event loop keeps renewing its lease, and a runaway scenario is stopped on a deadline.
import { gzip, gzipSync } from "node:zlib";
import { promisify } from "node:util";
import { runExploreSlice, runSeed, runSweep, runSweepPartial } from "@/server/runner";
import { checkScenario, SERVICE_LIMITS } from "@/server/scenarios/validate";
import { gradeRun } from "@/server/courses/grading";
import type { ClaimedRun, RunOutcome } from "./queue";
import type { ClaimedShard, ShardOutcome } from "./shards";
import { unfinishedOutcome } from "./outcome";
import { shrinkRun } from "./shrink";
import { exploreRun } from "./explore";
import type { ExploreShardInput } from "./explore-shards";

export interface SimulateOptions {
  deadlineMs: number;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
  /** A job's live summary (an exploration's schedules so far), written with its next progress. */
  onDetail?: (summary: unknown) => void;
  /** Threads a sweep may use (default: every core). */
  sweepThreads?: number;
  /** Memory one simulation thread may use, in MiB (unlimited when unset). */
  memoryMb?: number;
  /** The simulation threads' CPU priority (nice); unset: this process's. */
  nice?: number;
  /** Simulate in a process of its own (server/runner isolate). */
  isolate?: boolean;
}

export async function simulateRun(run: ClaimedRun, opts: SimulateOptions): Promise<RunOutcome> {
  // A course submission: the assignment's grading tests decide the outcome.
  if (run.kind === "grade") return gradeRun(run, opts);
  if (run.kind === "shrink") return shrinkRun(run, opts);
  if (run.kind === "explore") return exploreRun(run, opts);
  const checked = checkScenario(run.source);
  if (!checked.ok) {
    const p = checked.problems[0]!;
    return { ok: false, error: `This scenario version cannot run here: ${p.path ? `${p.path}: ` : ""}${p.message}`, retryable: false };
  }
  try {
    if (run.kind === "sweep") {
      const summary = await runSweep(checked.scenario, {
        seeds: run.seedCount,
        from: run.seed,
        threads: opts.sweepThreads,
        deadlineMs: opts.deadlineMs,
        signal: opts.signal,
        memoryMb: opts.memoryMb,
        nice: opts.nice,
        isolate: opts.isolate,
        onProgress: (p) => opts.onProgress(p.fraction),
      });
      return { ok: true, engine: summary.engine, verdict: summary.allHeld === summary.seeds ? "pass" : "fail", summary, eventCount: null, trace: null };
    }
    const { summary, trace } = await runSeed(checked.scenario, {
      seed: run.seed,
      recordTrace: true,
      maxTraceRecords: SERVICE_LIMITS.maxTraceRecords,
      deadlineMs: opts.deadlineMs,
      signal: opts.signal,
      memoryMb: opts.memoryMb,
      nice: opts.nice,
      isolate: opts.isolate,
      onProgress: (p) => opts.onProgress(p.fraction),
    });
    return {
      ok: true,
      engine: summary.engine,
      verdict: summary.ok ? "pass" : "fail",
      summary,
      eventCount: summary.traceEvents,
      trace: trace ? await compressTrace(trace) : null,
    };
  } catch (err) {
    return unfinishedOutcome(err, "run");
  }
}

// Compression of a large trace runs on libuv's thread pool: it must not stall the event loop
// that renews the worker's leases. A small one is compressed at once: under load, the hop to the
// pool and back took up to 200 ms for a trace that takes well under a millisecond.
const gzipAsync = promisify(gzip);
/** Traces up to this size (bytes, encoded) are compressed on the calling thread (about 1 ms). */
const TRACE_GZIP_INLINE_BYTES_MAX = 64 * 1024;

async function compressTrace(trace: Uint8Array): Promise<Uint8Array> {
  if (trace.byteLength <= TRACE_GZIP_INLINE_BYTES_MAX) return new Uint8Array(gzipSync(trace, { level: 6 }));
  return new Uint8Array(await gzipAsync(trace, { level: 6 }));
}

/**
 * One shard of a sweep or of an exploration. A sweep's: its seeds on one thread (the worker's other slots take the sweep's other
 * shards), reduced to a mergeable partial aggregate. Progress is in seeds done.
 */
export async function simulateShard(shard: ClaimedShard, opts: Omit<SimulateOptions, "onProgress" | "sweepThreads"> & { onProgress: (seedsDone: number) => void }): Promise<ShardOutcome> {
  const checked = checkScenario(shard.source);
  if (!checked.ok) {
    const p = checked.problems[0]!;
    return { ok: false, error: `This scenario version cannot run here: ${p.path ? `${p.path}: ` : ""}${p.message}`, retryable: false };
  }
  try {
    if (shard.kind === "explore") {
      // A range of one level's schedules of an exploration (server/worker/explore-shards.ts); progress in schedules done.
      const { options, slice } = JSON.parse(shard.input ?? "null") as ExploreShardInput;
      const partial = await runExploreSlice(checked.scenario, options, slice, {
        deadlineMs: opts.deadlineMs,
        signal: opts.signal,
        memoryMb: opts.memoryMb,
        nice: opts.nice,
        isolate: opts.isolate,
        onProgress: (done) => opts.onProgress(done),
      });
      return { ok: true, partial };
    }
    const partial = await runSweepPartial(checked.scenario, {
      seeds: shard.count,
      from: shard.fromSeed,
      threads: 1,
      deadlineMs: opts.deadlineMs,
      signal: opts.signal,
      memoryMb: opts.memoryMb,
      nice: opts.nice,
      isolate: opts.isolate,
      onProgress: (p) => opts.onProgress(p.done),
    });
    return { ok: true, partial };
  } catch (err) {
    const outcome = unfinishedOutcome(err, "run");
    if (outcome.ok) throw err;
    return outcome;
  }
}
