// The instant preview's messages between the editor page and its Web Worker, and its limits.
// The worker runs the scenario with the simulator (pure, so it runs in the browser as it does
// in the queue's workers) and sends back the summary and the encoded trace.

import type { RunSummary } from "@/server/sim";

/** A preview stops once the trace holds this many records: bigger scenarios are for the queue. */
export const PREVIEW_TRACE_RECORDS_MAX = 20_000;
/** Typing pauses this long before the preview runs the text. */
export const PREVIEW_DEBOUNCE_MS = 250;

export interface PreviewRequest {
  id: number;
  source: string;
}

export type PreviewResponse =
  | { id: number; status: "done"; summary: RunSummary; trace: Uint8Array; simulateMs: number }
  /** The text does not parse: the editor already shows why. */
  | { id: number; status: "invalid" }
  /** A scenario whose trace would pass the preview's limit. */
  | { id: number; status: "too-big"; records: number }
  /** Programs run in a sandbox the preview does not load. */
  | { id: number; status: "program" }
  | { id: number; status: "error"; message: string };
