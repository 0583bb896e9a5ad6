"use client";
// Metrics as pictures: where messages went (dropped by reason), how requests (or a run of nodes'
// operations) ended, and the per-request latencies read back from the trace as a histogram and
// over time.
import { useCallback, useMemo } from "react";
import type { Trace } from "@/server/sim/trace/trace";
import { requestLatencies } from "@/app/_components/results/latency";
import { histogram } from "@/app/_components/results/histogram";
import { retries } from "@/app/_components/results/summaries";
import type { RunSummary } from "@/server/sim";
import { formatMs } from "@/app/_components/format";
import { BarList } from "@/app/_components/plots/bar-list";
import { HistogramPlot } from "@/app/_components/plots/histogram-plot";
import { ScatterPlot } from "@/app/_components/plots/scatter-plot";

export function RunPlots({ summary, trace, selected, onSelect }: { summary: RunSummary; trace: Trace | null; selected: number; onSelect: (i: number) => void }) {
  const m = summary.metrics;
  const by = m.messages.droppedBy;
  const lat = useMemo(() => {
    if (!trace) return null;
    const l = requestLatencies(trace);
    const ms = Array.from(l.latencyUs.subarray(0, l.count), (v) => v / 1000);
    const startMs = Array.from(l.startUs.subarray(0, l.count), (v) => v / 1000);
    return { l, ms, startMs, hist: histogram(ms, 20) };
  }, [trace]);
  const highlighted = lat ? lat.l.acceptEvent.indexOf(selected) : -1;
  const pick = useCallback((k: number) => lat && onSelect(lat.l.acceptEvent[k]!), [lat, onSelect]);

  return (
    <div className="grid cols-2" data-testid="plots">
      <div className="panel">
        <h3>Messages</h3>
        <BarList
          label="Messages"
          max={m.messages.sent + m.messages.duplicated}
          items={[
            { label: "sent", value: m.messages.sent },
            { label: "delivered", value: m.messages.delivered, tone: "ok" },
            { label: "dropped", value: m.messages.dropped, tone: "bad" },
            ...(by
              ? [
                  { label: "· by loss", value: by.loss, tone: "bad" as const },
                  { label: "· by partition", value: by.partition, tone: "bad" as const },
                  { label: "· by fault rule", value: by.fault, tone: "bad" as const },
                  { label: "· receiver down", value: by.receiverDown, tone: "bad" as const },
                ]
              : []),
            { label: "duplicated", value: m.messages.duplicated, tone: "warn" },
            ...(m.messages.inFlight !== undefined ? [{ label: "in flight at stop", value: m.messages.inFlight, tone: "muted" as const }] : []),
          ]}
        />
        {m.operations ? (
          <>
            <h3>Operations</h3>
            <BarList
              label="Operations"
              max={m.operations.invoked}
              items={[
                { label: "invoked", value: m.operations.invoked },
                { label: "succeeded", value: m.operations.ok, tone: "ok" },
                { label: "failed (did not happen)", value: m.operations.failed, tone: "bad" },
                { label: "indeterminate", value: m.operations.indeterminate, tone: "warn" },
                ...(m.operations.pending > 0 ? [{ label: "pending at stop", value: m.operations.pending, tone: "muted" as const }] : []),
              ]}
            />
          </>
        ) : (
          <>
            <h3>Requests</h3>
            <BarList
              label="Requests"
              max={Math.max(m.requests.issued, m.requests.attempts)}
              items={[
                { label: "issued", value: m.requests.issued },
                { label: "succeeded", value: m.requests.succeeded, tone: "ok" },
                { label: "failed", value: m.requests.failed, tone: "bad" },
                ...(m.requests.pending !== undefined ? [{ label: "pending at stop", value: m.requests.pending, tone: "muted" as const }] : []),
                { label: "attempts", value: m.requests.attempts },
                { label: "retries", value: retries(m.requests), tone: "warn" },
              ]}
            />
          </>
        )}
        {m.calls && m.calls.issued > 0 ? (
          <>
            <h3>Downstream calls</h3>
            <BarList
              label="Downstream calls"
              items={[
                { label: "issued", value: m.calls.issued },
                { label: "succeeded", value: m.calls.succeeded, tone: "ok" },
                { label: "failed", value: m.calls.failed, tone: "bad" },
                { label: "retries", value: retries(m.calls), tone: "warn" },
              ]}
            />
          </>
        ) : null}
      </div>
      <div className="panel">
        <h3>Latency</h3>
        <table className="table percentiles" data-testid="latency-percentiles">
          <thead>
            <tr><th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>max</th></tr>
          </thead>
          <tbody>
            <tr>
              <td>{formatMs(m.latencyMs.mean)}</td><td>{formatMs(m.latencyMs.p50)}</td><td>{formatMs(m.latencyMs.p90)}</td><td>{formatMs(m.latencyMs.p99)}</td><td>{formatMs(m.latencyMs.max)}</td>
            </tr>
          </tbody>
        </table>
        {!trace ? <p className="muted small">The plots appear when the trace has loaded.</p> : null}
        {lat && lat.l.count === 0 ? <p className="muted small">No request was answered, so there are no latencies to plot.</p> : null}
        {lat && lat.l.count > 0 ? (
          <>
            <h3>Latency histogram</h3>
            <HistogramPlot hist={lat.hist} xLabel="latency (ms), first send to accepted answer" title={`Latency histogram of ${lat.l.count} answered requests`} />
            <h3>Latency over time</h3>
            <ScatterPlot
              xs={lat.startMs}
              ys={lat.ms}
              xLabel="first send (virtual ms)"
              yLabel="latency (ms)"
              title={`Latency of each answered request over the run (${lat.l.count} requests); click a point to select its answer`}
              highlighted={highlighted}
              onPick={pick}
            />
          </>
        ) : null}
      </div>
    </div>
  );
}
