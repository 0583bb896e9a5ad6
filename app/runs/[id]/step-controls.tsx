"use client";
// Walks a run event by event: a time slider, first / previous / next / last buttons, and the
// ← → Home End keys anywhere on the page except in a text field.
import { useEffect } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import { formatUs } from "@/app/_components/results/time";

export function StepControls({ trace, step, onStep }: { trace: Trace; step: number; onStep: (i: number) => void }) {
  const n = trace.length;
  const last = n - 1;
  const at = step >= 0 ? step : -1;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      let next: number | null = null;
      if (e.key === "ArrowRight") next = Math.min(last, at + 1);
      else if (e.key === "ArrowLeft") next = Math.max(0, at - 1);
      else if (e.key === "Home") next = 0;
      else if (e.key === "End") next = last;
      if (next === null || n === 0) return;
      e.preventDefault();
      onStep(next);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [at, last, n, onStep]);

  if (n === 0) return null;
  const ev = at >= 0 ? trace.event(at) : null;
  return (
    <div className="step-controls" data-testid="step-controls">
      <button type="button" className="small" onClick={() => onStep(0)} disabled={at === 0} aria-label="First event" title="First event (Home)">|◀</button>
      <button type="button" className="small" onClick={() => onStep(Math.max(0, at - 1))} disabled={at <= 0} aria-label="Previous event" title="Previous event (←)">◀</button>
      <input
        type="range"
        min={0}
        max={last}
        step={1}
        value={Math.max(0, at)}
        aria-label="Step through the run"
        aria-valuetext={ev ? `event ${at} of ${last}, ${formatUs(ev.timeUs)}` : "no event selected"}
        onChange={(e) => onStep(Number(e.target.value))}
      />
      <button type="button" className="small" onClick={() => onStep(Math.min(last, at + 1))} disabled={at >= last} aria-label="Next event" title="Next event (→)">▶</button>
      <button type="button" className="small" onClick={() => onStep(last)} disabled={at === last} aria-label="Last event" title="Last event (End)">▶|</button>
      <span className="step-where" data-testid="step-position">
        {ev ? (
          <>Step <strong>{at}</strong> of {last} · {formatUs(ev.timeUs)} · {ev.node ?? "run"} {ev.kind}</>
        ) : (
          <>{n.toLocaleString("en-US")} events: press ▶ or → to step through them</>
        )}
      </span>
    </div>
  );
}
