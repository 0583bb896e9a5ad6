"use client";
// The compact player inside an embed: title and verdict (linking to the full run page), the story,
// the space-time diagram with step controls, and the selected event in words.
import { useCallback, useMemo, useState } from "react";
import type { RunData } from "@/app/runs/[id]/run-view";
import { StepControls } from "@/app/runs/[id]/step-controls";
import { StatusBadge } from "@/app/_components/badges";
import { useTrace } from "@/app/_components/results/use-trace";
import { asRunSummary } from "@/app/_components/results/summaries";
import { describeEvent } from "@/app/_components/results/describe";
import { formatUs } from "@/app/_components/results/time";
import { SpaceTimeDiagram } from "@/app/_components/diagram/space-time-diagram";
import { RunStory } from "@/app/_components/story/run-story";
import { runTitle } from "@/app/_components/story/embed";
import { scenarioFaults } from "@/app/_components/results/scenario-text";

/** Traces above this many events are not loaded inside an embed: the full page offers them on a click. */
export const EMBED_TRACE_EVENTS_MAX = 200_000;

export function EmbedPlayer({ run, token, initialStep }: { run: RunData; token: string | null; initialStep: number | null }) {
  const fullPage = `/runs/${run.id}${token ? `?key=${encodeURIComponent(token)}` : ""}`;
  const playable = run.kind === "single" && run.status === "done" && (run.eventCount ?? 0) <= EMBED_TRACE_EVENTS_MAX;
  const traceState = useTrace(run.id, token, playable);
  const ready = traceState.status === "ready" ? traceState : null;
  const [step, setStep] = useState(initialStep ?? -1);
  const [revealKey, setRevealKey] = useState(0);
  const current = ready ? Math.min(step, ready.trace.length - 1) : step;
  const select = useCallback((i: number) => setStep(i), []);
  const tell = useCallback((i: number) => {
    setStep(i);
    setRevealKey((k) => k + 1);
  }, []);
  const summary = asRunSummary(run.summary);
  const faults = useMemo(() => scenarioFaults(run.version.source, summary?.schedule), [run.version.source, summary?.schedule]);

  return (
    <div className="embed-player" data-testid="embed-player">
      <div className="embed-head">
        <a href={fullPage} target="_blank" rel="noopener" className="embed-title" data-testid="embed-title">{runTitle(run)}</a>
        <StatusBadge status={run.status} verdict={run.verdict} />
        <a href={fullPage} target="_blank" rel="noopener" className="small embed-brand">Open in Faultline ↗</a>
      </div>
      {!playable ? (
        <p className="muted" data-testid="embed-unplayable">
          {run.kind === "sweep" ? "This is a sweep of many seeds" : run.status !== "done" ? `This run is ${run.status}` : "This run is too long to play here"}:{" "}
          <a href={fullPage} target="_blank" rel="noopener">open it in Faultline</a>.
        </p>
      ) : null}
      {playable && summary ? (
        <RunStory trace={ready?.trace ?? null} checks={summary.checks} faults={faults} description="" selected={current} onSelect={tell} compact />
      ) : null}
      {traceState.status === "loading" ? <p className="muted" data-testid="trace-loading">Loading the trace…</p> : null}
      {traceState.status === "error" ? <div className="alert error" role="alert">{traceState.message}</div> : null}
      {ready ? (
        <>
          <SpaceTimeDiagram model={ready.model} selected={current} onSelect={select} revealKey={revealKey} name="embed" />
          <StepControls trace={ready.trace} step={current} onStep={select} />
          <p className="small embed-event" data-testid="embed-event" aria-live="polite">
            {current >= 0 ? <>#{current} at {formatUs(ready.trace.data.time[current] ?? 0)}: {describeEvent(ready.trace.event(current, false))}</> : "Step through the run, or click a sentence or an event."}
          </p>
        </>
      ) : null}
    </div>
  );
}
