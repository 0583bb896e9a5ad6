"use client";
// The selected event in full: a sentence, every field of trace.event(i), its Lamport and vector
// clocks, how much of the run happened before it, and links to its cause and its arrivals.
import { useMemo } from "react";
import type { DiagramModel } from "@/app/_components/results/diagram-model";
import { describeEvent, eventFields } from "@/app/_components/results/describe";

export function EventDetails({ model, index, onSelect, title = "Selected event" }: { model: DiagramModel; index: number; onSelect?: (i: number) => void; title?: string }) {
  const trace = model.trace;
  const info = useMemo(() => {
    if (index < 0 || index >= model.length) return null;
    const event = trace.event(index);
    const vc = trace.vectorClock(index);
    const pastCount = vc.reduce((a, b) => a + b, 0);
    // Where this event's message went: the deliveries or drops whose send it is.
    const arrivals: number[] = [];
    for (let a = 0; a < model.arrowStart.length; a++) if (model.arrowStart[a] === index) arrivals.push(model.arrowEnd[a]!);
    return { event, vc, pastCount, arrivals };
  }, [trace, model, index]);

  if (!info) {
    return (
      <div className="panel event-details" data-testid="event-details">
        <h3>{title}</h3>
        <p className="muted small">Click an event in the diagram or the log, or step through the run with the buttons or the ← → keys.</p>
      </div>
    );
  }
  const { event, vc, pastCount, arrivals } = info;
  return (
    <div className="panel event-details" data-testid="event-details">
      <h3>
        {title}: <span data-testid="selected-event">#{event.index} {event.kind}{event.node ? ` on ${event.node}` : ""}</span>
      </h3>
      <p className="describe">{describeEvent(event)}</p>
      <div className="clocks">
        <div>
          <span className="muted small">Lamport clock</span>
          <div className="mono" data-testid="lamport">{event.lamport}</div>
        </div>
        <div>
          <span className="muted small">Vector clock</span>
          <div className="mono vc" data-testid="vector-clock">
            [{vc.map((c, n) => (
              <span key={n}>{n > 0 ? ", " : ""}{trace.nodes[n]}: {c}</span>
            ))}]
          </div>
        </div>
      </div>
      <p className="small muted">
        {event.node ? `${Math.max(0, pastCount - 1).toLocaleString("en-US")} events happened before it (lit in the diagram; the rest is dimmed).` : "The run's end belongs to no node."}
      </p>
      {onSelect && (event.cause !== undefined || arrivals.length > 0) ? (
        <div className="row small">
          {event.cause !== undefined ? <button type="button" className="small" onClick={() => onSelect(event.cause!)}>Go to its send (#{event.cause})</button> : null}
          {arrivals.map((a) => (
            <button type="button" className="small" key={a} onClick={() => onSelect(a)}>
              Go to its {trace.kindName(a) === "drop" ? "loss" : "arrival"} (#{a})
            </button>
          ))}
        </div>
      ) : null}
      <table className="fields">
        <tbody>
          {eventFields(event).map(([k, v]) => (
            <tr key={k}>
              <th>{k}</th>
              <td className="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
