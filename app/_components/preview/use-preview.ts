"use client";
// React hook behind the instant preview: after typing pauses, runs the text in a Web Worker and
// decodes the result into a diagram model. A newer text ends the worker still busy with an older
// one (a simulation cannot be interrupted from outside), so only the latest text is ever shown.

import { useEffect, useRef, useState } from "react";
import { decodeTrace, type RunSummary } from "@/server/sim";
import type { Trace } from "@/server/sim/trace/trace";
import { buildDiagramModel, type DiagramModel } from "@/app/_components/results/diagram-model";
import { PREVIEW_DEBOUNCE_MS, type PreviewResponse } from "./protocol";

export type PreviewState =
  | { status: "idle" }
  | { status: "running"; previous: PreviewReady | null }
  | PreviewReady
  | { status: "invalid" }
  | { status: "too-big"; records: number }
  | { status: "program" }
  | { status: "unsupported" }
  | { status: "error"; message: string };

export interface PreviewReady {
  status: "ready";
  summary: RunSummary;
  trace: Trace;
  model: DiagramModel;
  /** Wall time from the text to the result (debounce excluded), ms. */
  elapsedMs: number;
  /** The text it shows. */
  source: string;
}

function startWorker(): Worker {
  return new Worker(new URL("./preview-worker.ts", import.meta.url), { type: "module", name: "scenario-preview" });
}

export function usePreview(source: string, enabled: boolean): PreviewState {
  const [state, setState] = useState<PreviewState>({ status: "idle" });
  const worker = useRef<{ w: Worker; busy: boolean } | null>(null);
  const seq = useRef(0);
  const lastReady = useRef<PreviewReady | null>(null);

  useEffect(() => {
    if (!enabled) return;
    if (typeof Worker === "undefined") {
      setState({ status: "unsupported" });
      return;
    }
    const id = ++seq.current;
    const timer = setTimeout(() => {
      // A worker still simulating an older text is ended rather than waited for.
      if (worker.current?.busy) {
        worker.current.w.terminate();
        worker.current = null;
      }
      if (!worker.current) {
        const w = startWorker();
        worker.current = { w, busy: false };
        w.onmessage = (e: MessageEvent<PreviewResponse>) => {
          const r = e.data;
          if (worker.current?.w === w) worker.current.busy = false;
          if (r.id !== seq.current) return;
          onResult(r);
        };
        w.onerror = (e) => {
          if (worker.current?.w === w) worker.current = null;
          setState({ status: "error", message: e.message || "The preview could not run." });
        };
      }
      const t0 = performance.now();
      startedAt.current = t0;
      worker.current.busy = true;
      worker.current.w.postMessage({ id, source });
      setState({ status: "running", previous: lastReady.current });
    }, PREVIEW_DEBOUNCE_MS);
    const startedAt = { current: 0 };
    const onResult = (r: PreviewResponse) => {
      if (r.status !== "done") {
        setState(r.status === "too-big" ? { status: "too-big", records: r.records } : r.status === "error" ? { status: "error", message: r.message } : { status: r.status });
        return;
      }
      try {
        const trace = decodeTrace(r.trace);
        const ready: PreviewReady = { status: "ready", summary: r.summary, trace, model: buildDiagramModel(trace), elapsedMs: performance.now() - startedAt.current, source };
        lastReady.current = ready;
        setState(ready);
      } catch (err) {
        setState({ status: "error", message: err instanceof Error ? err.message : String(err) });
      }
    };
    return () => clearTimeout(timer);
  }, [source, enabled]);

  // The worker goes with the page.
  useEffect(
    () => () => {
      worker.current?.w.terminate();
      worker.current = null;
    },
    [],
  );
  return state;
}
