"use client";
// A finished single run: verdicts and metrics.
import type { RunData } from "./run-view";
import type { RunSummaryView } from "@/app/_components/summary";
import { formatCount, formatMs } from "@/app/_components/format";

export function RunResults({ run }: { run: RunData; token: string | null }) {
  const summary = run.summary as RunSummaryView | null;
  if (!summary) return <div className="alert warn">This run has no stored summary.</div>;
  const m = summary.metrics;
  return (
    <div className="stack">
      <div className="panel" data-testid="verdicts">
        <h2>Checks</h2>
        {summary.checks.length === 0 ? <p className="muted">This scenario declares no checks.</p> : null}
        <ul className="verdicts">
          {summary.checks.map((c, i) => (
            <li key={i} data-testid={`check-${c.name}`}>
              <span className={`badge ${c.ok ? "pass" : "fail"}`}>{c.ok ? "✓ holds" : "✗ fails"}</span>
              <code>{c.name}</code>
              {c.message ? <span className="why">{c.message}</span> : null}
            </li>
          ))}
        </ul>
      </div>
      <div className="grid cols-4" data-testid="metrics">
        <Metric label="Requests" value={`${formatCount(m.requests.succeeded)} / ${formatCount(m.requests.issued)}`} detail={`succeeded; ${formatCount(m.requests.failed)} failed, ${formatCount(m.requests.attempts)} attempts`} />
        <Metric label="Messages" value={formatCount(m.messages.sent)} detail={`sent; ${formatCount(m.messages.delivered)} delivered, ${formatCount(m.messages.dropped)} dropped, ${formatCount(m.messages.duplicated)} duplicated`} />
        <Metric label="Latency p50 / p99" value={`${formatMs(m.latencyMs.p50)} / ${formatMs(m.latencyMs.p99)}`} detail={`mean ${formatMs(m.latencyMs.mean)}, max ${formatMs(m.latencyMs.max)}`} />
        <Metric label="Executions" value={formatCount(m.executions)} detail={`${formatCount(summary.events)} events, ${formatMs(summary.virtualTimeMs)} simulated, stopped by ${summary.stoppedBy}`} />
      </div>
    </div>
  );
}

export function Metric({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="metric">
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {detail ? <div className="detail">{detail}</div> : null}
    </div>
  );
}
