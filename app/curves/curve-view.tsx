"use client";
// A curve's points as their sweeps finish: each point's sweep is polled until it ends, and the
// chart (pass rate with its 95% interval, latency) fills in as they do (docs/search.md).
import Link from "next/link";
import { useQueries } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { CurveChart } from "@/app/_components/results/curve-chart";
import type { CurveChartSeries } from "@/app/_components/results/curve-model";
import { curvePoint } from "@/server/sim/sweep/curve";
import type { SweepSummary } from "@/server/sim/sweep/aggregate";
import type { CurvePointRef } from "./curve-points";

/** How often an unfinished point's sweep is asked for. */
const POINT_POLL_MS = 1000;

const ended = (status: string) => status === "done" || status === "failed" || status === "cancelled";

export function CurveView({ scenarioId, axis, points }: { scenarioId: string; axis: string; points: CurvePointRef[] }) {
  const trpc = useTRPC();
  const runs = useQueries({
    queries: points.map((p) => ({
      ...trpc.run.byId.queryOptions({ id: p.runId }),
      refetchInterval: (q: { state: { data?: { status: string } } }) => (q.state.data && ended(q.state.data.status) ? false : POINT_POLL_MS),
    })),
  });
  const series: CurveChartSeries[] = [];
  let finished = 0;
  points.forEach((p, i) => {
    const run = runs[i]?.data as { status: string; summary: unknown } | undefined;
    if (!run || run.status !== "done" || !run.summary) return;
    finished++;
    const point = curvePoint(p.value, run.summary as SweepSummary);
    let s = series.find((x) => x.label === p.series);
    if (!s) series.push((s = { label: p.series, points: [] }));
    s.points.push({ value: p.value, ...point.metrics.passRate, latencyMs: point.metrics.latencyMs });
  });
  return (
    <div className="panel stack" data-testid="curve-result">
      <p className="small" aria-live="polite">
        {finished} of {points.length} points done{finished < points.length ? "; this page fills in as their sweeps finish" : ""}. The points are the
        versions of <Link href={`/scenarios/${scenarioId}`}>this scenario</Link>; each point&apos;s sweep is a run of its own.
      </p>
      {finished > 0 ? <CurveChart title="Curve" xLabel={axis} series={series} /> : null}
      <ul className="small" data-testid="curve-points">
        {points.map((p, i) => (
          <li key={p.runId}>
            <Link href={`/runs/${p.runId}`}>{p.label}</Link>: {(runs[i]?.data as { status?: string } | undefined)?.status ?? "queued"}
          </li>
        ))}
      </ul>
    </div>
  );
}
