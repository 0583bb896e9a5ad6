"use client";
// Two runs side by side: which verdicts changed, metric differences, the scenario diff, and the
// first event where the runs diverge, marked in both space-time diagrams.
import { useMemo, useState } from "react";
import Link from "next/link";
import type { RunData } from "@/app/runs/[id]/run-view";
import { StatusBadge } from "@/app/_components/badges";
import { formatMs } from "@/app/_components/format";
import { asRunSummary, diffMetrics, diffVerdicts, type MetricDiff } from "@/app/_components/results/summaries";
import { diffHunks, diffLines, diffStats } from "@/app/_components/results/line-diff";
import { firstDivergence } from "@/app/_components/results/divergence";
import { describeEvent } from "@/app/_components/results/describe";
import { formatUs } from "@/app/_components/results/time";
import { useTrace } from "@/app/_components/results/use-trace";
import { SpaceTimeDiagram, type DiagramHighlight } from "@/app/_components/diagram/space-time-diagram";
import { DiagramLegend } from "@/app/_components/diagram/legend";
import { EventDetails } from "@/app/_components/diagram/event-details";

function runHref(run: RunData, key: string | null, step?: number): string {
  const q = new URLSearchParams();
  if (key) q.set("key", key);
  if (step !== undefined && step >= 0) q.set("step", String(step));
  const s = q.toString();
  return `/runs/${run.id}${s ? `?${s}` : ""}`;
}

function runTitle(run: RunData): string {
  return `${run.scenario.name} · v${run.version.number} · seed ${run.seed}`;
}

function metricText(d: MetricDiff, v: number | null): string {
  if (v === null) return "–";
  return d.row.unit === "ms" ? formatMs(v) : v.toLocaleString("en-US");
}

function deltaText(d: MetricDiff): string {
  if (d.delta === null) return d.changed ? "changed" : "";
  if (d.delta === 0) return "=";
  const sign = d.delta > 0 ? "+" : "−";
  const abs = Math.abs(d.delta);
  return `${sign}${d.row.unit === "ms" ? formatMs(abs) : abs.toLocaleString("en-US")}`;
}

export function CompareView({ a, b, ka, kb }: { a: RunData; b: RunData; ka: string | null; kb: string | null }) {
  const sa = asRunSummary(a.summary);
  const sb = asRunSummary(b.summary);
  const ta = useTrace(a.id, ka);
  const tb = useTrace(b.id, kb);
  const ready = ta.status === "ready" && tb.status === "ready" ? { a: ta, b: tb } : null;
  // Keyed on the two load states (stable between renders), so the walk over both traces runs once.
  const divergence = useMemo(() => (ta.status === "ready" && tb.status === "ready" ? firstDivergence(ta.trace, tb.trace) : undefined), [ta, tb]);
  const [selA, setSelA] = useState<number | null>(null);
  const [selB, setSelB] = useState<number | null>(null);

  const verdicts = useMemo(() => (sa && sb ? diffVerdicts(sa, sb) : []), [sa, sb]);
  const metrics = useMemo(() => (sa && sb ? diffMetrics(sa, sb) : []), [sa, sb]);
  const diff = useMemo(() => diffLines(a.version.source, b.version.source), [a.version.source, b.version.source]);
  const hunks = useMemo(() => diffHunks(diff, 3), [diff]);
  const stats = diffStats(diff);
  const sameVersion = a.version.id === b.version.id;

  const divA = divergence && ready ? Math.min(divergence.index, ready.a.trace.length - 1) : -1;
  const divB = divergence && ready ? Math.min(divergence.index, ready.b.trace.length - 1) : -1;
  const hlA = useMemo<DiagramHighlight[]>(() => (divA >= 0 ? [{ indices: [divA], tone: "divergence" }] : []), [divA]);
  const hlB = useMemo<DiagramHighlight[]>(() => (divB >= 0 ? [{ indices: [divB], tone: "divergence" }] : []), [divB]);
  const selectedA = selA ?? divA;
  const selectedB = selB ?? divB;

  if (!sa || !sb) return <div className="alert warn">One of these runs has no stored summary.</div>;
  const changedVerdicts = verdicts.filter((v) => v.changed).length;

  return (
    <div className="stack" data-testid="compare">
      <div className="grid cols-2">
        {([["A", a, ka], ["B", b, kb]] as const).map(([side, run, key]) => (
          <div className="panel compare-head" key={side} data-testid={`compare-run-${side.toLowerCase()}`}>
            <div className="muted small">Run {side}</div>
            <h3 style={{ margin: "0.1rem 0 0.3rem" }}><Link href={runHref(run, key)}>{runTitle(run)}</Link></h3>
            <div className="row small">
              <StatusBadge status={run.status} verdict={run.verdict} />
              <span className="muted">by {run.owner.name}</span>
            </div>
          </div>
        ))}
      </div>
      <p className="small">
        <Link href={`/compare?${new URLSearchParams({ a: b.id, b: a.id, ...(kb ? { ka: kb } : {}), ...(ka ? { kb: ka } : {}) }).toString()}`}>Swap A and B</Link>
      </p>

      <div className="grid cols-2">
        <div className="panel" data-testid="verdict-changes">
          <h2>Verdicts</h2>
          <p className="small muted">{changedVerdicts === 0 ? "No verdict changed." : `${changedVerdicts} ${changedVerdicts === 1 ? "verdict" : "verdicts"} changed.`}</p>
          <table className="table">
            <thead><tr><th>Check</th><th>A</th><th>B</th><th /></tr></thead>
            <tbody>
              {verdicts.map((v) => (
                <tr key={v.name} className={v.changed ? "changed" : undefined} data-testid={`verdict-${v.name}`}>
                  <td><code>{v.name}</code></td>
                  <td title={v.messageA}>{v.a === null ? "–" : <span className={`badge ${v.a ? "pass" : "fail"}`}>{v.a ? "✓ holds" : "✗ fails"}</span>}</td>
                  <td title={v.messageB}>{v.b === null ? "–" : <span className={`badge ${v.b ? "pass" : "fail"}`}>{v.b ? "✓ holds" : "✗ fails"}</span>}</td>
                  <td>{v.changed ? <strong className="changed-tag">changed</strong> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="panel" data-testid="metric-diff">
          <h2>Metrics</h2>
          <table className="table">
            <thead><tr><th>Metric</th><th className="num">A</th><th className="num">B</th><th className="num">B − A</th></tr></thead>
            <tbody>
              {metrics.map((d) => (
                <tr key={d.row.key} className={d.changed ? "changed" : undefined}>
                  <td>{d.row.label}</td>
                  <td className="num">{metricText(d, d.a)}</td>
                  <td className="num">{metricText(d, d.b)}</td>
                  <td className={`num delta ${d.tone}`}>{deltaText(d)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>

      <div className="panel" data-testid="scenario-diff">
        <h2>Scenario</h2>
        {sameVersion ? (
          <p className="small">Both runs ran the same scenario version (v{a.version.number}){a.seed !== b.seed ? `, with seeds ${a.seed} and ${b.seed}` : ""}: every difference below comes from the seed.</p>
        ) : stats.added + stats.removed === 0 ? (
          <p className="small">The two versions (v{a.version.number}, v{b.version.number}) have the same text.</p>
        ) : (
          <>
            <p className="small">
              From A ({a.scenario.name} v{a.version.number}) to B ({b.scenario.name} v{b.version.number}): <span className="diff-add-text">+{stats.added}</span> <span className="diff-del-text">−{stats.removed}</span> lines
              {a.seed !== b.seed ? `; seeds ${a.seed} and ${b.seed}` : ""}.
            </p>
            <div className="diff" role="table" aria-label="Scenario diff">
              {hunks.hunks.map((h, k) => (
                <div key={k}>
                  {h.skippedBefore > 0 ? <div className="diff-skip">⋯ {h.skippedBefore} unchanged {h.skippedBefore === 1 ? "line" : "lines"}</div> : null}
                  {h.lines.map((l, j) => (
                    <div key={j} className={`diff-line ${l.op}`} role="row">
                      <span className="ln">{l.a ?? ""}</span>
                      <span className="ln">{l.b ?? ""}</span>
                      <span className="sign">{l.op === "add" ? "+" : l.op === "del" ? "−" : " "}</span>
                      <span className="text">{l.text}</span>
                    </div>
                  ))}
                </div>
              ))}
              {hunks.skippedAfter > 0 ? <div className="diff-skip">⋯ {hunks.skippedAfter} unchanged {hunks.skippedAfter === 1 ? "line" : "lines"}</div> : null}
            </div>
          </>
        )}
      </div>

      <div className="panel" data-testid="divergence">
        <h2>Where the runs diverge</h2>
        {ta.status === "error" || tb.status === "error" ? (
          <div className="alert error">{ta.status === "error" ? `Run A: ${ta.message}` : ""} {tb.status === "error" ? `Run B: ${tb.message}` : ""}</div>
        ) : null}
        {!ready && ta.status !== "error" && tb.status !== "error" ? <p className="muted">Loading both traces…</p> : null}
        {ready && divergence === null ? (
          <p data-testid="divergence-summary">The two runs are identical, event for event ({ready.a.trace.length.toLocaleString("en-US")} events).</p>
        ) : null}
        {ready && divergence ? (
          <>
            <p data-testid="divergence-summary">
              The runs agree on the first {divergence.index.toLocaleString("en-US")} {divergence.index === 1 ? "event" : "events"} and diverge at <strong>event #{divergence.index}</strong>
              {divergence.fields[0] === "end" ? " (one run has ended)" : <> (differs in {divergence.fields.join(", ")})</>}.
            </p>
            <div className="grid cols-2 divergence-events">
              {([["A", divergence.a, a, ka], ["B", divergence.b, b, kb]] as const).map(([side, ev, run, key]) => (
                <div key={side} className="divergent-event" data-testid={`divergent-${side.toLowerCase()}`}>
                  <div className="muted small">Run {side}</div>
                  {ev ? (
                    <>
                      <div><strong>#{ev.index} {ev.kind}</strong>{ev.node ? ` on ${ev.node}` : ""} at {formatUs(ev.timeUs)}</div>
                      <div className="small">{describeEvent(ev)}</div>
                      <Link className="small" href={runHref(run, key, ev.index)}>Open run {side} at this step</Link>
                    </>
                  ) : (
                    <div className="small">No event: this run ended after {divergence.index} events.</div>
                  )}
                </div>
              ))}
            </div>
          </>
        ) : null}
      </div>

      {ready ? (
        <div className="panel diagram-panel">
          <h2>Space-time diagrams</h2>
          <p className="muted small" data-testid="diagrams-note">
            {divergence ? "The divergence is ringed in both." : "The runs do not diverge: their diagrams are the same."} Click an event in either diagram to see its details below.
          </p>
          <h3>Run A <span className="muted small">{runTitle(a)}</span></h3>
          <SpaceTimeDiagram model={ready.a.model} selected={selectedA} onSelect={setSelA} highlights={hlA} revealKey={`a${divA}`} name="a" />
          <h3>Run B <span className="muted small">{runTitle(b)}</span></h3>
          <SpaceTimeDiagram model={ready.b.model} selected={selectedB} onSelect={setSelB} highlights={hlB} revealKey={`b${divB}`} name="b" />
          <DiagramLegend trace={ready.a.trace} />
        </div>
      ) : null}
      {ready ? (
        <div className="grid cols-2">
          <EventDetails model={ready.a.model} index={selectedA} onSelect={setSelA} title="Run A" />
          <EventDetails model={ready.b.model} index={selectedB} onSelect={setSelB} title="Run B" />
        </div>
      ) : null}
    </div>
  );
}
