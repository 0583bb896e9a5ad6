"use client";
// React hook: loads and decodes a run's trace once, then builds the diagram's model, timing
// both (performance measures "trace:*" and "diagram:model") for the benchmark.

import { useEffect, useState } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import { buildDiagramModel, type DiagramModel } from "./diagram-model";
import { loadTrace, measure } from "./trace-load";

export type TraceState =
  | { status: "idle" }
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; trace: Trace; model: DiagramModel };

/** Loads the trace of a finished single run; `enabled` false waits (a run still going, or a huge trace not asked for). */
export function useTrace(runId: string, token: string | null | undefined, enabled = true): TraceState {
  const [state, setState] = useState<TraceState>({ status: "idle" });
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    setState({ status: "loading" });
    loadTrace(runId, token, abort.signal)
      .then((trace) => {
        if (abort.signal.aborted) return;
        const t0 = performance.now();
        const model = buildDiagramModel(trace);
        measure("diagram:model", t0, performance.now(), { events: trace.length });
        setState({ status: "ready", trace, model });
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        setState({ status: "error", message: err instanceof Error ? err.message : "The trace could not be loaded." });
      });
    return () => abort.abort();
  }, [runId, token, enabled]);
  return state;
}
