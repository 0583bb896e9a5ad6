"use client";
// A finished single run: verdicts with their witnesses, metrics, the space-time diagram with a
// step slider (the step lives in the URL as ?step=N), the selected event, the log and plots.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { preload } from "react-dom";
import { traceUrl } from "@/app/_components/results/trace-load";
import type { RunData } from "./run-view";
import type { CheckResult } from "@/server/sim";
import { formatCount, formatMs } from "@/app/_components/format";
import { asRunSummary, retries } from "@/app/_components/results/summaries";
import { stopReason } from "@/app/_components/results/stop-reason";
import { useTrace } from "@/app/_components/results/use-trace";
import { SpaceTimeDiagram, type DiagramHighlight } from "@/app/_components/diagram/space-time-diagram";
import { DiagramLegend } from "@/app/_components/diagram/legend";
import { DiagramLensControls, useDiagramLens } from "@/app/_components/diagram/diagram-lens-controls";
import { NO_FILTER, type EventFilter } from "@/app/_components/results/event-filter";
import { StatePanel } from "./state-panel";
import { EventDetails } from "@/app/_components/diagram/event-details";
import { VerdictList } from "./verdict-list";
import { StepControls } from "./step-controls";
import { EventLog } from "./event-log";
import { RunPlots } from "./run-plots";
import { RunStory } from "@/app/_components/story/run-story";
import { scenarioDescription, scenarioFaults } from "@/app/_components/results/scenario-text";

/** Traces above this many events wait for a click before loading (tens of MB in the browser). */
export const TRACE_AUTOLOAD_EVENTS_MAX = 2_000_000;
/** The address bar follows the step this long after stepping stops. */
const STEP_URL_DELAY_MS = 300;

export function RunResults({ run, token, initialStep }: { run: RunData; token: string | null; initialStep?: number | null }) {
  const summary = asRunSummary(run.summary);
  const big = (run.eventCount ?? 0) > TRACE_AUTOLOAD_EVENTS_MAX;
  const [loadAsked, setLoadAsked] = useState(false);
  // The trace download starts with the page (a preload link in its head), not after the scripts ran.
  if (!big) preload(traceUrl(run.id, token), { as: "fetch", crossOrigin: "anonymous" });
  const traceState = useTrace(run.id, token, !big || loadAsked);
  const ready = traceState.status === "ready" ? traceState : null;
  const [step, setStep] = useState(initialStep ?? -1);
  const [revealKey, setRevealKey] = useState(0);
  const [witness, setWitness] = useState<{ name: string; indices: number[] } | null>(null);
  const diagramRef = useRef<HTMLDivElement>(null);
  const [logFilter, setLogFilter] = useState<EventFilter>(NO_FILTER);

  const length = ready?.trace.length ?? 0;
  // A permalink's step past the end (an edited URL) lands on the last event.
  const current = ready ? Math.min(step, length - 1) : step;

  const select = useCallback((i: number) => setStep(i), []);
  const lensState = useDiagramLens(ready?.trace ?? null, current, logFilter);
  // The diagram first: the log, the state panel and the plots render once it has been painted.
  const [rest, setRest] = useState(false);
  useEffect(() => {
    if (!ready) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setRest(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [ready]);
  const reveal = useCallback((i: number) => {
    setStep(i);
    setRevealKey((k) => k + 1);
  }, []);

  // The selected step goes into the address bar without adding history entries, once stepping
  // pauses: the router re-renders the page on every address change, which a held → key would repeat.
  useEffect(() => {
    if (!ready || current < 0) return;
    const timer = setTimeout(() => {
      const url = new URL(window.location.href);
      if (url.searchParams.get("step") === String(current)) return;
      url.searchParams.set("step", String(current));
      window.history.replaceState(null, "", url.toString());
    }, STEP_URL_DELAY_MS);
    return () => clearTimeout(timer);
  }, [current, ready]);

  // Opened from a permalink: bring the diagram on screen once it can show the step.
  const scrolled = useRef(false);
  useEffect(() => {
    if (!ready || scrolled.current || initialStep === null || initialStep === undefined) return;
    scrolled.current = true;
    diagramRef.current?.scrollIntoView({ block: "start" });
  }, [ready, initialStep]);

  const showWitness = useCallback(
    (c: CheckResult) => {
      const indices = (c.witness ?? []).filter((w) => w >= 0 && w < length);
      if (indices.length === 0) return;
      setWitness({ name: c.name, indices });
      reveal(indices[0]!);
      diagramRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
    [length, reveal],
  );

  // A sentence of the story selects its event and brings the diagram on screen, as a witness does.
  const tell = useCallback(
    (i: number) => {
      reveal(i);
      diagramRef.current?.scrollIntoView({ block: "nearest", behavior: "smooth" });
    },
    [reveal],
  );
  const description = useMemo(() => scenarioDescription(run.version.source), [run.version.source]);
  const faults = useMemo(() => scenarioFaults(run.version.source, summary?.schedule), [run.version.source, summary?.schedule]);

  const highlights = useMemo<DiagramHighlight[]>(() => (witness ? [{ indices: witness.indices, tone: "witness" }] : []), [witness]);
  const witnessSet = useMemo(() => new Set(witness?.indices ?? []), [witness]);

  if (!summary) return <div className="alert warn">This run has no stored summary.</div>;
  const m = summary.metrics;

  return (
    <div className="stack">
      <RunStory trace={ready?.trace ?? null} checks={summary.checks} faults={faults} description={description} selected={current} onSelect={tell} onLoad={big && !loadAsked ? () => setLoadAsked(true) : undefined} />
      <VerdictList checks={summary.checks} onWitness={showWitness} activeWitness={witness?.name ?? null} traceReady={Boolean(ready)} requests={m.operations ? null : m.requests} />
      <div className="grid cols-auto" data-testid="metrics">
        {m.operations ? (
          <Metric
            label="Operations"
            value={`${formatCount(m.operations.ok)} / ${formatCount(m.operations.invoked)}`}
            detail={`succeeded; ${formatCount(m.operations.failed)} failed, ${formatCount(m.operations.indeterminate)} indeterminate (no answer, or an answer that does not say: may or may not have happened)`}
          />
        ) : (
          <>
            <Metric label="Requests" value={`${formatCount(m.requests.succeeded)} / ${formatCount(m.requests.issued)}`} detail={`succeeded; ${formatCount(m.requests.failed)} failed, ${formatCount(m.requests.attempts)} attempts`} />
            <Metric label="Retries" value={formatCount(retries(m.requests))} detail="attempts beyond each request's first" />
          </>
        )}
        <Metric label="Messages" value={formatCount(m.messages.sent)} detail={`sent; ${formatCount(m.messages.delivered)} delivered, ${formatCount(m.messages.dropped)} dropped, ${formatCount(m.messages.duplicated)} duplicated`} />
        <Metric label="Latency p50 / p99" value={`${formatMs(m.latencyMs.p50)} / ${formatMs(m.latencyMs.p99)}`} detail={`mean ${formatMs(m.latencyMs.mean)}, p90 ${formatMs(m.latencyMs.p90)}, max ${formatMs(m.latencyMs.max)}`} />
        <Metric
          label={m.executions !== undefined ? "Executions" : "Events recorded"}
          value={formatCount(m.executions ?? summary.traceEvents)}
          detail={`${formatCount(summary.traceEvents)} events recorded (the diagram's), ${formatCount(summary.events)} simulator steps, ${formatMs(summary.virtualTimeMs)} simulated, stopped: ${stopReason(summary.stoppedBy).short}`}
          title={STEPS_AND_EVENTS}
        />
      </div>
      {stopReason(summary.stoppedBy).early ? (
        <div className="alert warn" data-testid="stopped-early">
          <strong>This run stopped early.</strong> {stopReason(summary.stoppedBy).early}
        </div>
      ) : null}

      <div className="panel diagram-panel" ref={diagramRef}>
        <div className="row" style={{ justifyContent: "space-between" }}>
          <h2 style={{ margin: 0 }}>Space-time diagram</h2>
          {witness ? (
            <span className="witness-note" data-testid="witness-note">
              Witness of <code>{witness.name}</code>: {witness.indices.map((w) => `#${w}`).join(", ")}
              <button type="button" className="link small" onClick={() => setWitness(null)}>clear</button>
            </span>
          ) : null}
        </div>
        <p className="muted small">
          One line per node, time flowing right. Hover an event for its clocks; click one (or step) to select it: what happened before it stays lit.
        </p>
        {big && !loadAsked ? (
          <div className="alert info">
            This run recorded {formatCount(run.eventCount)} events. <button type="button" className="small" onClick={() => setLoadAsked(true)}>Load the diagram</button>
          </div>
        ) : null}
        {traceState.status === "loading" ? <p className="muted" data-testid="trace-loading">Loading the trace…</p> : null}
        {traceState.status === "error" ? <div className="alert error" role="alert">{traceState.message}</div> : null}
        {ready ? (
          <>
            <DiagramLensControls {...lensState.controls} />
            <SpaceTimeDiagram model={ready.model} selected={current} onSelect={select} highlights={highlights} revealKey={revealKey} name="run" lens={lensState.lens} />
            <StepControls trace={ready.trace} step={current} onStep={select} />
            <DiagramLegend trace={ready.trace} />
          </>
        ) : null}
      </div>

      {ready && rest ? <StatePanel trace={ready.trace} step={current} /> : null}

      {ready && rest ? (
        <div className="split results-split">
          <EventLog trace={ready.trace} selected={current} onSelect={select} highlighted={witnessSet} filter={logFilter} onFilterChange={setLogFilter} />
          <EventDetails model={ready.model} index={current} onSelect={reveal} />
        </div>
      ) : null}

      <RunPlots summary={summary} trace={rest ? (ready?.trace ?? null) : null} selected={current} onSelect={reveal} />
    </div>
  );
}

/** Why the two counts differ, where both are shown. */
const STEPS_AND_EVENTS =
  "A simulator step is one thing the simulator processed (a delivery, a timer, a workload tick); maxEvents limits steps. An event is one record of the trace (a send, a receive, a drop, a timer, an execution...), what the diagram and the event log show: one step records several events, so there are more events than steps.";

export function Metric({ label, value, detail, title }: { label: string; value: string; detail?: string; title?: string }) {
  return (
    <div className="metric" title={title}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {detail ? <div className="detail">{detail}</div> : null}
    </div>
  );
}
