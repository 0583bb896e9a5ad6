"use client";
// The controls that make a busy diagram readable: focus the selected event's request (the rest
// dimmed), collapse retries into one arrow with a ×N badge, and draw only what the event log's
// filter matches. Plain buttons and checkboxes, so all of it works from the keyboard.
import { useMemo, useState } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import { canFocus, focusAround } from "@/app/_components/results/focus";
import { collapseRetries, hasAttempts } from "@/app/_components/results/retry-collapse";
import { buildLens, type DiagramLens } from "@/app/_components/results/diagram-lens";
import { filterEvents, type EventFilter } from "@/app/_components/results/event-filter";

export interface DiagramLensState {
  lens: DiagramLens | null;
  controls: DiagramLensControlsProps;
}

/** The lens state of one run page: which request is focused, whether retries collapse, whether the log's filter applies. */
export function useDiagramLens(trace: Trace | null, selected: number, logFilter: EventFilter): DiagramLensState {
  const [focusAt, setFocusAt] = useState<number | null>(null);
  const [collapse, setCollapse] = useState(false);
  const [applyFilter, setApplyFilter] = useState(false);

  const focus = useMemo(() => (trace && focusAt !== null && focusAt < trace.length ? focusAround(trace, focusAt) : null), [trace, focusAt]);
  const collapsed = useMemo(() => (trace && collapse ? collapseRetries(trace) : null), [trace, collapse]);
  const filtering = applyFilter && (logFilter.node !== "" || logFilter.kind !== "" || logFilter.messageType !== "");
  const matching = useMemo(() => (trace && filtering ? filterEvents(trace, logFilter) : null), [trace, filtering, logFilter]);
  const lens = useMemo(
    () => (trace ? buildLens({ length: trace.length, matching, collapse: collapsed, focus }) : null),
    [trace, matching, collapsed, focus],
  );

  return {
    lens,
    controls: {
      canFocusSelected: trace !== null && canFocus(trace, selected),
      focusLabel: focus ? `${focus.label} · ${focus.count.toLocaleString("en-US")} events` : null,
      onFocus: () => setFocusAt(selected),
      onClearFocus: () => setFocusAt(null),
      collapse,
      collapsible: trace !== null && hasAttempts(trace),
      retriedRequests: collapsed?.badges.length ?? null,
      onCollapse: setCollapse,
      applyFilter,
      matching: matching?.length ?? null,
      total: trace?.length ?? 0,
      onApplyFilter: setApplyFilter,
    },
  };
}

export interface DiagramLensControlsProps {
  canFocusSelected: boolean;
  focusLabel: string | null;
  onFocus: () => void;
  onClearFocus: () => void;
  collapse: boolean;
  collapsible: boolean;
  retriedRequests: number | null;
  onCollapse: (on: boolean) => void;
  applyFilter: boolean;
  matching: number | null;
  total: number;
  onApplyFilter: (on: boolean) => void;
}

export function DiagramLensControls(p: DiagramLensControlsProps) {
  return (
    <div className="diagram-lens row" data-testid="diagram-lens" role="group" aria-label="Make the diagram readable">
      {p.focusLabel ? (
        <span className="lens-focus" data-testid="lens-focus">
          Focused on {p.focusLabel}{" "}
          <button type="button" className="small" onClick={p.onClearFocus}>Clear focus</button>
        </span>
      ) : (
        <button
          type="button"
          className="small"
          onClick={p.onFocus}
          disabled={!p.canFocusSelected}
          title={p.canFocusSelected ? "Light up the selected event's request, its retries and the work it caused; dim the rest" : "Select an event of a request (click it, or step) to focus on that request"}
        >
          Focus this request
        </button>
      )}
      <label className="lens-toggle" title={p.collapsible ? "Draw each retried request once, with how many times it was sent" : "This run's messages carry no attempt numbers"}>
        <input type="checkbox" checked={p.collapse} disabled={!p.collapsible} onChange={(e) => p.onCollapse(e.target.checked)} /> Collapse retries
        {p.collapse && p.retriedRequests !== null ? <span className="muted small" data-testid="lens-collapsed"> ({p.retriedRequests.toLocaleString("en-US")} retried {p.retriedRequests === 1 ? "request" : "requests"})</span> : null}
      </label>
      <label className="lens-toggle" title="Draw only the events the event log's filters match">
        <input type="checkbox" checked={p.applyFilter} onChange={(e) => p.onApplyFilter(e.target.checked)} /> Apply the log&apos;s filter
        {p.applyFilter ? (
          <span className="muted small" data-testid="lens-filter">
            {p.matching !== null ? ` (${p.matching.toLocaleString("en-US")} of ${p.total.toLocaleString("en-US")} events)` : " (no filter set in the event log)"}
          </span>
        ) : null}
      </label>
    </div>
  );
}
