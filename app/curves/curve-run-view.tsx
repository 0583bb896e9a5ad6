"use client";
// A curve queued as one run (run.curve, kind "curve"): the run is polled until it ends, and the chart
// fills in from its points' results as its shards finish (each point's seeds merged so far; a point
// counts as done when all its seeds are in). docs/search.md "Parameter curves".
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { CurveChart } from "@/app/_components/results/curve-chart";
import type { CurveChartSeries } from "@/app/_components/results/curve-model";
import { curvePoint } from "@/server/sim/sweep/curve";
import type { CurveRunSummary } from "@/server/worker/shards";
import { parsePointLabel } from "./curve-points";

const POLL_MS = 1000;
const ended = (status: string) => status === "done" || status === "failed" || status === "cancelled";

export function CurveRunView({ runId, scenarioId, axis }: { runId: string; scenarioId: string; axis: string }) {
  const trpc = useTRPC();
  const { data: run } = useQuery({
    ...trpc.run.byId.queryOptions({ id: runId }),
    refetchInterval: (q) => (q.state.data && ended(q.state.data.status) ? false : POLL_MS),
  });
  const s = run?.summary as CurveRunSummary | null | undefined;
  const points = s?.kind === "curve" ? s.points : [];
  const series: CurveChartSeries[] = [];
  let finished = 0;
  for (const p of points) {
    const assignments = parsePointLabel(p.label);
    if (!p.summary || !assignments) continue;
    if (p.summary.seeds === s!.seedsPerPoint) finished++;
    const label = assignments.slice(1).map((a) => `${a.path}=${String(a.value)}`).join(", ");
    const point = curvePoint(assignments[0]!.value, p.summary);
    let line = series.find((x) => x.label === label);
    if (!line) series.push((line = { label, points: [] }));
    line.points.push({ value: assignments[0]!.value, ...point.metrics.passRate, latencyMs: point.metrics.latencyMs });
  }
  const status = run?.status ?? "queued";
  return (
    <div className="panel stack" data-testid="curve-result">
      <p className="small" aria-live="polite">
        {finished} of {points.length} points done
        {!ended(status) ? `; this page fills in as the curve's shards finish (${Math.round((run?.progress ?? 0) * 100)}% of its seeds)` : status !== "done" ? `; the curve ${status === "failed" ? `failed: ${run?.error ?? ""}` : "was cancelled"}` : ""}. The points are the versions of{" "}
        <Link href={`/scenarios/${scenarioId}`}>this scenario</Link>, all in <Link href={`/runs/${runId}`}>one run</Link> that every worker shares.
      </p>
      {series.length > 0 ? <CurveChart title="Curve" xLabel={axis} series={series} /> : null}
      <ul className="small" data-testid="curve-points">
        {points.map((p, i) => (
          <li key={p.version}>
            <Link href={`/runs/${runId}?point=${i}`}>{p.label}</Link>: {(p.summary?.seeds ?? 0).toLocaleString("en-US")} of {s!.seedsPerPoint.toLocaleString("en-US")} seeds
          </li>
        ))}
      </ul>
    </div>
  );
}
