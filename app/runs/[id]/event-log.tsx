"use client";
// The event log: every event in a table filtered by node, kind and message type; only the
// rows in view are rendered (fixed row height), so 100,000 events scroll smoothly.
import { useEffect, useMemo, useRef, useState } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import { filterEvents, kindsPresent, messageTypeOf, messageTypesPresent, NO_FILTER, type EventFilter } from "@/app/_components/results/event-filter";
import { lowerBound } from "@/app/_components/results/diagram-model";
import { formatUs } from "@/app/_components/results/time";
import { faultRule } from "@/app/_components/results/narrative-beats";

/** Must match `.event-log tr` height in globals.css: rows are positioned by arithmetic. */
const ROW_PX = 28;
const VIEWPORT_PX = 392;
const OVERSCAN_ROWS = 8;

function detail(trace: Trace, i: number): string {
  const e = trace.event(i);
  const parts: string[] = [];
  // On a response, `value` is what the answer carries, not the written value.
  const answer = e.messageType === "response";
  if (e.op) parts.push(e.op === "write" && !answer ? `write ${e.key}=${JSON.stringify(e.value ?? null)}` : `${e.op} ${e.key}`);
  if (answer) parts.push(`→ ${JSON.stringify(e.value ?? null)}`);
  if (e.result !== undefined) parts.push(`→ ${JSON.stringify(e.result)}`);
  if (e.byzantine) parts.push(`byzantine: ${e.byzantine}`);
  if (e.reason) parts.push(e.reason);
  if ((e.kind === "pause" || e.kind === "resume") && e.fault !== undefined) parts.push(faultRule(e.fault));
  if (e.durationUs !== undefined) parts.push(formatUs(e.durationUs));
  if (e.queueLength !== undefined) parts.push(`queue ${e.queueLength}`);
  if (e.stoppedBy) parts.push(`stopped by ${e.stoppedBy}`);
  if (e.body !== undefined) parts.push(JSON.stringify(e.body));
  if (e.line !== undefined) parts.push(e.line);
  if (e.error) parts.push(`${e.error.reason}: ${e.error.message}${e.error.file ? ` (${e.error.file}:${e.error.line}:${e.error.column})` : ""}`);
  if (e.note) parts.push(`${e.note.name} ${JSON.stringify(e.note.fields)}`);
  if (e.input !== undefined) parts.push(JSON.stringify(e.input));
  if (e.outcome) parts.push(`${e.outcome}${e.output !== undefined && e.output !== null ? ` ${JSON.stringify(e.output)}` : ""}`);
  if (e.timer) parts.push(e.timer);
  return parts.join(" · ");
}

export function EventLog({ trace, selected, onSelect, highlighted, filter: shared, onFilterChange }: {
  trace: Trace;
  selected: number;
  onSelect: (i: number) => void;
  highlighted?: ReadonlySet<number>;
  /** The filter, when the page shares it (the diagram can apply it too); else the log keeps its own. */
  filter?: EventFilter;
  onFilterChange?: (f: EventFilter) => void;
}) {
  const [own, setOwn] = useState<EventFilter>(NO_FILTER);
  const filter = shared ?? own;
  const setFilter = (update: (f: EventFilter) => EventFilter) => (onFilterChange ? onFilterChange(update(filter)) : setOwn(update));
  const rows = useMemo(() => filterEvents(trace, filter), [trace, filter]);
  const kinds = useMemo(() => kindsPresent(trace), [trace]);
  const types = useMemo(() => messageTypesPresent(trace), [trace]);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);

  // Keep the selected event's row in view when the selection moves (steps, diagram clicks).
  useEffect(() => {
    const el = scroller.current;
    if (!el || selected < 0) return;
    const pos = lowerBound(rows, rows.length, selected);
    if (rows[pos] !== selected) return;
    const top = pos * ROW_PX;
    if (top < el.scrollTop || top + ROW_PX > el.scrollTop + VIEWPORT_PX - ROW_PX) {
      el.scrollTop = Math.max(0, top - VIEWPORT_PX / 2);
      setScrollTop(el.scrollTop);
    }
  }, [selected, rows]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN_ROWS);
  const last = Math.min(rows.length, Math.ceil((scrollTop + VIEWPORT_PX) / ROW_PX) + OVERSCAN_ROWS);
  const visible: number[] = [];
  for (let r = first; r < last; r++) visible.push(rows[r]!);
  const set = (k: keyof EventFilter) => (e: React.ChangeEvent<HTMLSelectElement>) => setFilter((f) => ({ ...f, [k]: e.target.value }));

  return (
    <div className="panel" data-testid="event-log">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <h2 style={{ margin: 0 }}>Event log</h2>
        <div className="inline-fields">
          <div className="field">
            <label htmlFor="log-node">Node</label>
            <select id="log-node" value={filter.node} onChange={set("node")}>
              <option value="">any</option>
              {trace.nodes.map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="log-kind">Kind</label>
            <select id="log-kind" value={filter.kind} onChange={set("kind")}>
              <option value="">any</option>
              {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor="log-type">Message type</label>
            <select id="log-type" value={filter.messageType} onChange={set("messageType")}>
              <option value="">any</option>
              {types.map((t) => <option key={t} value={t}>{t}</option>)}
              <option value="none">no message</option>
            </select>
          </div>
        </div>
      </div>
      <p className="muted small" data-testid="event-log-count">
        {rows.length === trace.length ? `${trace.length.toLocaleString("en-US")} events` : `${rows.length.toLocaleString("en-US")} of ${trace.length.toLocaleString("en-US")} events match`}
      </p>
      <div className="event-log" ref={scroller} style={{ height: VIEWPORT_PX }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <table className="table" role="grid" aria-rowcount={rows.length}>
          <thead>
            <tr>
              <th className="num">#</th><th className="num">Time</th><th>Node</th><th>Kind</th><th>Type</th><th>Peer</th><th className="num">Req</th><th className="num">Try</th><th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {first > 0 ? <tr aria-hidden="true" style={{ height: first * ROW_PX }} className="spacer-row" /> : null}
            {visible.map((i) => {
              const e = trace.event(i);
              return (
                <tr
                  key={i}
                  aria-selected={i === selected}
                  className={`${i === selected ? "selected" : ""}${highlighted?.has(i) ? " marked" : ""}`}
                  onClick={() => onSelect(i)}
                  data-testid={`log-row-${i}`}
                >
                  <td className="num mono">{i}</td>
                  <td className="num mono">{formatUs(e.timeUs)}</td>
                  <td>{e.node ?? "–"}</td>
                  <td>{e.kind}</td>
                  <td>{messageTypeOf(trace, i) ?? ""}</td>
                  <td>{e.peer ?? ""}</td>
                  <td className="num">{e.request ?? ""}</td>
                  <td className="num">{e.attempt ?? ""}</td>
                  <td className="detail">{detail(trace, i)}</td>
                </tr>
              );
            })}
            {last < rows.length ? <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_PX }} className="spacer-row" /> : null}
          </tbody>
        </table>
        {rows.length === 0 ? <p className="empty">No event matches these filters.</p> : null}
      </div>
    </div>
  );
}
