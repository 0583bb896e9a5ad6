// The messages between the runner (main thread) and its simulator worker threads.
// Plain data only: they cross the thread boundary by structured clone.

import type { RunSummary, Scenario } from "../sim";

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
  /** Run this small scenario and keep nothing: a spare thread's code is then compiled before its run arrives. */
  | { type: "warm"; scenario: Scenario };

export type FromWorker =
  | { type: "progress"; events: number; virtualTimeUs: number; fraction: number }
  | { type: "result"; summary: RunSummary; trace: Uint8Array | null }
  | { type: "batch"; summaries: RunSummary[] }
  | { type: "error"; message: string; code?: string };
