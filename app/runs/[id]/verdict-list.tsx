"use client";
// The run's checks, each held or failed with its message; a failed check's witness events
// are one click away: the diagram steps to the first and marks them all.
import type { CheckResult } from "@/server/sim";
import { checkNote, type RequestCounts } from "@/server/scenarios/check-notes";

export function VerdictList({ checks, onWitness, activeWitness, traceReady, requests }: {
  checks: CheckResult[];
  /** The run's request counts (request-response), for what a check measured. */
  requests?: RequestCounts | null;
  onWitness: (check: CheckResult) => void;
  activeWitness: string | null;
  traceReady: boolean;
}) {
  return (
    <div className="panel" data-testid="verdicts">
      <h2>Checks</h2>
      {checks.length === 0 ? <p className="muted">This scenario declares no checks.</p> : null}
      <ul className="verdicts">
        {checks.map((c, i) => (
          <li key={i} data-testid={`check-${c.name}`} className={activeWitness === c.name ? "active" : undefined}>
            <span className={`badge ${c.ok ? "pass" : "fail"}`}>{c.ok ? "✓ holds" : "✗ fails"}</span>
            <code>{c.name}</code>
            {c.message ? <span className="why">{c.message}</span> : null}
            {((note) => (note ? <span className={`why check-note${note.warn ? " warn" : ""}`} data-testid="check-note">{note.text}</span> : null))(checkNote(c, requests))}
            {!c.ok && c.witness && c.witness.length > 0 ? (
              <button type="button" className="small witness" disabled={!traceReady} onClick={() => onWitness(c)} aria-pressed={activeWitness === c.name}>
                Show witness ({c.witness.length === 1 ? "event" : "events"} {c.witness.map((w) => `#${w}`).join(", ")})
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
