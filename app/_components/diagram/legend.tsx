// The diagram's legend: each mark drawn as the canvas draws it, with the failure on the
// lecture slide it stands for (request lost or slow, crash, response lost, lie).
import type { ReactNode } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import { messageTypeColors } from "./node-view";
import { COLORS, LEGEND, NODE_LEGEND } from "./styles";

function Icon({ id }: { id: string }): ReactNode {
  const line = (color: string, dash?: string, width = 1.6) => <line x1="2" y1="14" x2="26" y2="4" stroke={color} strokeWidth={width} strokeDasharray={dash} />;
  const head = (color: string) => <polygon points="26,4 18,5 21,10" fill={color} />;
  const cross = (x: number, y: number) => (
    <g stroke={COLORS.drop} strokeWidth="2.2">
      <line x1={x - 4} y1={y - 4} x2={x + 4} y2={y + 4} />
      <line x1={x + 4} y1={y - 4} x2={x - 4} y2={y + 4} />
    </g>
  );
  switch (id) {
    case "request":
      return <>{line(COLORS.request)}{head(COLORS.request)}</>;
    case "response":
      return <>{line(COLORS.response)}{head(COLORS.response)}</>;
    case "retry":
      return <>{line(COLORS.retry)}{head(COLORS.retry)}</>;
    case "duplicate":
      return <>{line(COLORS.request, "5 3")}{head(COLORS.request)}</>;
    case "drop":
      return <><line x1="2" y1="14" x2="14" y2="9" stroke={COLORS.request} strokeWidth="1.6" />{cross(15, 9)}</>;
    case "drop-down":
      return <><rect x="0" y="0" width="30" height="18" fill={COLORS.downBand} />{line(COLORS.request)}{cross(26, 4)}</>;
    case "slow":
      return <><line x1="2" y1="14" x2="28" y2="6" stroke={COLORS.request} strokeWidth="2.6" />{head(COLORS.request)}</>;
    case "timeout":
      return <polygon points="15,3 20,9 15,15 10,9" fill="none" stroke={COLORS.timeout} strokeWidth="1.8" />;
    case "backoff":
      return <><line x1="0" y1="12" x2="30" y2="12" stroke={COLORS.lane} /><rect x="6" y="4" width="18" height="4" fill={COLORS.backoff} /></>;
    case "process":
      return <><line x1="0" y1="9" x2="30" y2="9" stroke={COLORS.lane} /><rect x="6" y="5" width="18" height="8" fill={COLORS.process} /></>;
    case "execute":
      return <rect x="11" y="5" width="8" height="8" fill={COLORS.execute} />;
    case "dedupe":
      return <rect x="11" y="5" width="8" height="8" fill="none" stroke={COLORS.dedupe} strokeWidth="2" />;
    case "accept":
      return <polyline points="10,9 13,13 20,5" fill="none" stroke={COLORS.accept} strokeWidth="2.2" />;
    case "ignore":
      return <circle cx="15" cy="9" r="4" fill="none" stroke={COLORS.ignore} strokeWidth="1.5" />;
    case "fail":
      return <g stroke={COLORS.fail} strokeWidth="3"><line x1="9" y1="3" x2="21" y2="15" /><line x1="21" y1="3" x2="9" y2="15" /></g>;
    case "crash":
      return (
        <>
          <line x1="0" y1="9" x2="10" y2="9" stroke={COLORS.lane} strokeWidth="1.5" />
          <rect x="10" y="3" width="20" height="12" fill={COLORS.downBand} />
          <line x1="10" y1="9" x2="30" y2="9" stroke={COLORS.laneDown} strokeDasharray="3 4" />
          <line x1="10" y1="2" x2="10" y2="16" stroke={COLORS.crash} strokeWidth="3" />
        </>
      );
    case "restart":
      return <><line x1="15" y1="9" x2="30" y2="9" stroke={COLORS.lane} strokeWidth="1.5" /><line x1="15" y1="2" x2="15" y2="16" stroke={COLORS.restart} strokeWidth="3" /></>;
    case "pause":
      return (
        <>
          <line x1="0" y1="9" x2="30" y2="9" stroke={COLORS.lane} strokeWidth="1.5" />
          <rect x="10" y="3" width="20" height="12" fill={COLORS.pauseBand} />
          <g stroke={COLORS.pause} strokeWidth="2">
            <line x1="10" y1="2" x2="10" y2="16" />
            <line x1="14" y1="5" x2="14" y2="13" />
            <line x1="18" y1="5" x2="18" y2="13" />
          </g>
        </>
      );
    case "invoke":
      return <circle cx="15" cy="9" r="3.5" fill="none" stroke={COLORS.issue} strokeWidth="1.5" />;
    case "timer":
      return <g stroke={COLORS.timeout} strokeWidth="1.4" fill="none"><circle cx="15" cy="9" r="4" /><line x1="15" y1="9" x2="15" y2="6" /><line x1="15" y1="9" x2="17.5" y2="9" /></g>;
    case "note":
      return <polygon points="15,4 19,9 15,14 11,9" fill={COLORS.note} />;
    case "log":
      return <><line x1="0" y1="7" x2="30" y2="7" stroke={COLORS.lane} /><line x1="15" y1="11" x2="15" y2="16" stroke={COLORS.lane} strokeWidth="1.2" /></>;
    case "node-error":
      return <g stroke={COLORS.fail} strokeWidth="3"><line x1="9" y1="3" x2="21" y2="15" /><line x1="21" y1="3" x2="9" y2="15" /></g>;
    case "byzantine":
      return <><line x1="2" y1="14" x2="26" y2="4" stroke={COLORS.byzantine} strokeWidth="2.2" />{head(COLORS.byzantine)}</>;
    default:
      return null;
  }
}

export function DiagramLegend({ trace }: { trace?: Trace | null }) {
  const nodes = trace?.data.layout === "nodes";
  const items = nodes ? NODE_LEGEND : LEGEND;
  return (
    <details className="legend" open>
      <summary>Legend</summary>
      <ul>
        {nodes
          ? messageTypeColors(trace!).map(({ type, color }) => (
              <li key={`type-${type}`} title={`${type} messages and their replies (${type}_ok)`}>
                <svg width="30" height="18" viewBox="0 0 30 18" aria-hidden="true">
                  <line x1="2" y1="14" x2="26" y2="4" stroke={color} strokeWidth={1.6} />
                  <polygon points="26,4 18,5 21,10" fill={color} />
                </svg>
                <span>
                  <strong>{type}</strong> <span className="muted">message and its reply</span>
                </span>
              </li>
            ))
          : null}
        {items.map((item) => (
          <li key={item.id} title={item.hint}>
            <svg width="30" height="18" viewBox="0 0 30 18" aria-hidden="true">
              <Icon id={item.id} />
            </svg>
            <span>
              <strong>{item.label}</strong> <span className="muted">{item.hint}</span>
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
