// The messages between the runner (main thread) and its simulator worker threads.
// Plain data only: they cross the thread boundary by structured clone.

import type { RunSummary, Scenario } from "../sim";

export type ToWorker =
  | { type: "run"; scenario: Scenario; seed: number; recordTrace: boolean }
  | { type: "sweep-init"; scenario: Scenario }
  | { type: "sweep-batch"; seeds: number[] };

export type FromWorker =
  | { type: "progress"; events: number; virtualTimeUs: number; fraction: number }
  | { type: "result"; summary: RunSummary; trace: Uint8Array | null }
  | { type: "batch"; summaries: RunSummary[] }
  | { type: "error"; message: string };
