// The messages between the runner (main thread) and its simulator worker threads.
// Plain data only: they cross the thread boundary by structured clone.

import type { RunSummary, Scenario } from "../sim";
import type { ShrinkProgress, ShrinkResult } from "../sim/search/shrink";

/** The `code` of an error a thread posts when its simulation outgrew its memory limit. */
export const MEMORY_LIMIT_CODE = "FAULTLINE_MEMORY_LIMIT";

export type ToWorker =
  /**
   * memoryLimitBytes: heap plus array buffers the thread may hold (null: no limit).
   * nice: the CPU priority the thread lowers itself to (null: its creator's).
   * maxTraceRecords: the run stops with stoppedBy "traceLimit" past this many records (null: no bound).
   */
  | { type: "run"; scenario: Scenario; seed: number; recordTrace: boolean; memoryLimitBytes: number | null; nice: number | null; maxTraceRecords: number | null }
  | { type: "sweep-init"; scenario: Scenario; memoryLimitBytes: number | null; nice: number | null }
  | { type: "sweep-batch"; seeds: number[] }
  /** Shrink a failing run (server/sim/search/shrink.ts): every step is a run of this thread. */
  | { type: "shrink"; scenario: Scenario; seed: number; check: string | null; maxSteps: number | null; memoryLimitBytes: number | null; nice: number | null }
  /** Run this small scenario and keep nothing: a spare thread's code is then compiled before its run arrives. */
  | { type: "warm"; scenario: Scenario };

export type FromWorker =
  | { type: "progress"; events: number; virtualTimeUs: number; fraction: number }
  /** lowered: the thread lowered its CPU priority for this run (a small run's thread keeps its own, and may serve another). */
  | { type: "result"; summary: RunSummary; trace: Uint8Array | null; lowered: boolean }
  | { type: "batch"; summaries: RunSummary[] }
  | { type: "shrink-progress"; progress: ShrinkProgress }
  | { type: "shrink-result"; result: ShrinkResult }
  | { type: "error"; message: string; code?: string };
