"use client";
// The protocol's state at the selected step, node by node (RaftScope's view of a stored run): each
// program node's latest "state" note at or before the step. A log is drawn as boxes by term, the
// committed part solid; other fields as they are.
import type { Trace } from "@/server/sim/trace/trace";
import { nodeStates, stateAt } from "@/app/_components/results/protocol-state";

interface LogEntry {
  index?: number;
  term?: number;
  op?: unknown;
}

const TERM_COLORS = ["#dbe4ff", "#d3f9d8", "#fff3bf", "#ffe3e3", "#e5dbff", "#c5f6fa", "#ffdeeb", "#f1f3f5"];

function isLog(v: unknown): v is LogEntry[] {
  return Array.isArray(v) && v.length > 0 && v.every((e) => e !== null && typeof e === "object" && ("term" in e || "index" in e));
}

function Log({ entries, committed }: { entries: LogEntry[]; committed: number | null }) {
  return (
    <div className="log-boxes" role="list">
      {entries.map((e, k) => {
        const done = committed !== null && e.index !== undefined && e.index <= committed;
        return (
          <span
            key={k}
            role="listitem"
            className={`log-box${done ? " committed" : ""}`}
            style={{ background: TERM_COLORS[(e.term ?? 0) % TERM_COLORS.length] }}
            title={`index ${e.index ?? "?"}, term ${e.term ?? "?"}${e.op !== undefined ? `: ${JSON.stringify(e.op)}` : ""}${done ? " (committed)" : ""}`}
          >
            {e.term ?? "·"}
          </span>
        );
      })}
    </div>
  );
}

function Field({ name, value, state }: { name: string; value: unknown; state: Record<string, unknown> }) {
  if (isLog(value)) {
    const committed = typeof state.commitIndex === "number" ? state.commitIndex : null;
    return (
      <div className="state-field">
        <span className="muted small">{name}</span> <Log entries={value} committed={committed} />
      </div>
    );
  }
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return (
    <div className="state-field">
      <span className="muted small">{name}</span> <code>{text.length > 120 ? `${text.slice(0, 119)}…` : text}</code>
    </div>
  );
}

export function StatePanel({ trace, step }: { trace: Trace; step: number }) {
  const states = nodeStates(trace);
  if (!states) return null;
  const at = step >= 0 ? step : trace.length - 1;
  const nodes = trace.nodes.map((id, n) => ({ id, state: stateAt(states, n, at) })).filter((x) => states.events[trace.nodes.indexOf(x.id)]!.length > 0);
  return (
    <div className="panel" data-testid="state-panel">
      <h2>Protocol state {step >= 0 ? `after event #${step}` : "at the end"}</h2>
      <p className="muted small">Each node&apos;s state as its protocol noted it, up to the selected step. Step through the run to watch it change.</p>
      <div className="state-grid">
        {nodes.map(({ id, state }) => (
          <div key={id} className="state-node" data-testid={`state-${id}`}>
            <div className="row">
              <strong>{id}</strong>
              {state && typeof state.role === "string" ? <span className={`badge role-${state.role}`}>{state.role}</span> : null}
            </div>
            {state ? (
              Object.entries(state)
                .filter(([k]) => k !== "role")
                .map(([k, v]) => <Field key={k} name={k} value={v} state={state} />)
            ) : (
              <p className="muted small">nothing noted yet</p>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
