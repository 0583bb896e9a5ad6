// The messages between the runner (main thread) and its simulator worker threads.
// Plain data only: they cross the thread boundary by structured clone.

import type { RunSummary, Scenario, SweepPartial } from "../sim";
import type { ShrinkProgress, ShrinkResult } from "../sim/search/shrink";
import type { ExploreOptions, ExploreResult } from "../sim/search/explore";
import type { ExploreSlice, ExploreSliceResult } from "../sim/search/explore-shards";

/** What an exploration thread is asked to do: the search's options, without its callbacks. */
export type ExploreRequest = Omit<ExploreOptions, "onProgress" | "run">;
/** An exploration's progress: schedules run, the level (faults added), schedules known so far. */
export interface ExploreProgress {
  explored: number;
  level: number;
  known: number;
}

/** The `code` of an error a thread posts when its simulation outgrew its memory limit. */
export const MEMORY_LIMIT_CODE = "FAULTLINE_MEMORY_LIMIT";

export type ToWorker =
  /**
   * memoryLimitBytes: heap plus array buffers the thread may hold (null: no limit).
   * nice: the CPU priority the thread lowers itself to (null: its creator's).
   * maxTraceRecords: the run stops with stoppedBy "traceLimit" past this many records (null: no bound).
   */
  | { type: "run"; scenario: Scenario; seed: number; recordTrace: boolean; memoryLimitBytes: number | null; nice: number | null; maxTraceRecords: number | null }
  /** maxFailingSeeds: the listing limit each batch's partial is cut to. */
  | { type: "sweep-init"; scenario: Scenario; maxFailingSeeds: number; memoryLimitBytes: number | null; nice: number | null }
  | { type: "sweep-batch"; seeds: number[] }
  /** Shrink a failing run (server/sim/search/shrink.ts): every step is a run of this thread. */
  | { type: "shrink"; scenario: Scenario; seed: number; check: string | null; maxSteps: number | null; memoryLimitBytes: number | null; nice: number | null }
  /** Explore a scenario's schedules within bounds (server/sim/search/explore.ts): every schedule is a run of this thread. */
  | { type: "explore"; scenario: Scenario; options: ExploreRequest; memoryLimitBytes: number | null; nice: number | null }
  /** One slice of an exploration (server/sim/search/explore-shards.ts): a range of one level's candidates. */
  | { type: "explore-slice"; scenario: Scenario; options: ExploreRequest; slice: ExploreSlice; memoryLimitBytes: number | null; nice: number | null }
  /** Run this small scenario and keep nothing: a spare thread's code is then compiled before its run arrives. */
  | { type: "warm"; scenario: Scenario };

export type FromWorker =
  | { type: "progress"; events: number; virtualTimeUs: number; fraction: number }
  /** lowered: the thread lowered its CPU priority for this run (a small run's thread keeps its own, and may serve another). */
  | { type: "result"; summary: RunSummary; trace: Uint8Array | null; lowered: boolean }
  /** A batch of a sweep's seeds reduced in the thread to a mergeable partial (server/sim/sweep/partial.ts): the
   * main thread merges a few partials instead of receiving and aggregating every seed's summary. */
  | { type: "batch"; partial: SweepPartial }
  | { type: "shrink-progress"; progress: ShrinkProgress }
  | { type: "shrink-result"; result: ShrinkResult }
  | { type: "explore-progress"; progress: ExploreProgress }
  /** seconds: the search's own time in the thread (not the thread's start). */
  | { type: "explore-result"; result: ExploreResult; seconds: number }
  /** done: candidates of the slice's range done so far. */
  | { type: "explore-slice-progress"; done: number }
  | { type: "explore-slice-result"; result: ExploreSliceResult; seconds: number }
  /** `invalid`: the options were refused (ExploreOptionsError), not a failure of the thread. */
  | { type: "error"; message: string; code?: string; invalid?: boolean };
