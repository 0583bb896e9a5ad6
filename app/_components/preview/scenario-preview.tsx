"use client";
// The editor's instant preview: the scenario being typed, run in the browser (a Web Worker) a
// moment after typing pauses, its checks and its diagram. Nothing is stored: Run queues the run
// that is kept and shared.
import { useState } from "react";
import { SpaceTimeDiagram } from "@/app/_components/diagram/space-time-diagram";
import { formatCount } from "@/app/_components/format";
import { PREVIEW_TRACE_RECORDS_MAX } from "./protocol";
import { usePreview, type PreviewReady, type PreviewState } from "./use-preview";

export function ScenarioPreview({ source }: { source: string }) {
  const [on, setOn] = useState(true);
  const state = usePreview(source, on);
  const shown: PreviewReady | null = state.status === "ready" ? state : state.status === "running" ? state.previous : null;
  return (
    <section className="panel preview" data-testid="preview" aria-labelledby="preview-title">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 id="preview-title" style={{ margin: 0 }}>Instant preview</h2>
        <label className="small">
          <input type="checkbox" checked={on} onChange={(e) => setOn(e.target.checked)} /> Preview while I type
        </label>
      </div>
      <p className="muted small" data-testid="preview-status" aria-live="polite">
        {on ? statusText(state) : "Preview is off."}
      </p>
      {on && shown ? (
        <div className={state.status === "running" ? "preview-stale" : undefined}>
          <ul className="verdicts" data-testid="preview-verdicts">
            {shown.summary.checks.length === 0 ? <li className="muted">This scenario declares no checks.</li> : null}
            {shown.summary.checks.map((c, i) => (
              <li key={i} data-testid={`preview-check-${c.name}`}>
                <span className={`badge ${c.ok ? "pass" : "fail"}`}>{c.ok ? "✓ holds" : "✗ fails"}</span> <code>{c.name}</code>
                {c.message ? <span className="why"> {c.message}</span> : null}
              </li>
            ))}
          </ul>
          <PreviewDiagram ready={shown} />
        </div>
      ) : null}
    </section>
  );
}

function PreviewDiagram({ ready }: { ready: PreviewReady }) {
  const [selected, setSelected] = useState(-1);
  return <SpaceTimeDiagram key={ready.source} model={ready.model} selected={Math.min(selected, ready.model.length - 1)} onSelect={setSelected} name="preview" />;
}

function statusText(state: PreviewState): string {
  switch (state.status) {
    case "idle":
      return "The preview runs the scenario in your browser as you type.";
    case "running":
      return "Running the preview…";
    case "ready": {
      const s = state.summary;
      const failed = s.checks.filter((c) => !c.ok).length;
      return `Seed ${s.seed}: ${formatCount(s.traceEvents)} events, ${s.checks.length === 0 ? "no checks" : failed === 0 ? "every check holds" : `${failed} of ${s.checks.length} checks fail`} · previewed in ${Math.max(1, Math.round(state.elapsedMs))} ms, not stored; Run queues the run that is kept and shared.`;
    }
    case "invalid":
      return "Fix the problems in the scenario to see a preview.";
    case "too-big":
      return `Too big to preview: the run records more than ${formatCount(PREVIEW_TRACE_RECORDS_MAX)} events. Press Run for the full run.`;
    case "program":
      return "Programs run in a sandbox the preview does not load in the browser: press Run to see this scenario run.";
    case "unsupported":
      return "This browser cannot run the preview (no Web Workers): press Run.";
    case "error":
      return `The preview failed: ${state.message}. Press Run for the real run.`;
  }
}
