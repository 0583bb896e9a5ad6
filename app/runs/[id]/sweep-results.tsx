"use client";
// A finished sweep: per check how many seeds held, each metric's distribution over the seeds,
// and the failing seeds, each of which opens (or reuses) a single run of that seed.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import type { RunData } from "./run-view";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { asSweepSummary } from "@/app/_components/results/summaries";
import { stopCounts } from "@/app/_components/results/stop-reason";
import type { MetricDistribution } from "@/server/sim";
import { BarList } from "@/app/_components/plots/bar-list";
import { DistributionPlot } from "@/app/_components/plots/distribution-plot";
import { SweepFaultsPanel } from "@/app/_components/story/sweep-faults-panel";
import { scenarioFaultLabels } from "@/app/_components/results/scenario-text";

const METRIC_LABELS: Record<string, string> = {
  "messages.sent": "Messages sent",
  "messages.delivered": "Messages delivered",
  "messages.dropped": "Messages dropped",
  "messages.duplicated": "Messages duplicated",
  "requests.issued": "Requests issued",
  "requests.succeeded": "Requests succeeded",
  "requests.failed": "Requests failed",
  "requests.attempts": "Request attempts",
  "calls.issued": "Downstream calls",
  "calls.failed": "Downstream calls failed",
  executions: "Executions",
  "latencyMs.mean": "Latency mean (ms)",
  "latencyMs.p50": "Latency p50 (ms)",
  "latencyMs.p90": "Latency p90 (ms)",
  "latencyMs.p99": "Latency p99 (ms)",
  "latencyMs.max": "Latency max (ms)",
  virtualTimeMs: "Virtual time (ms)",
  events: "Simulator steps",
};

function fmt(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString("en-US") : v.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** A sweep's results; `point`: a curve run's point, whose sweep `run` carries as its summary (its seeds open with the point's version). */
export function SweepResults({ run, signedIn, point }: { run: RunData; signedIn: boolean; point?: number }) {
  const summary = asSweepSummary(run.summary);
  const trpc = useTRPC();
  const router = useRouter();
  const openSeed = useMutation(trpc.run.openSeed.mutationOptions());
  const [opening, setOpening] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!summary) return <div className="alert warn">This sweep has no stored summary.</div>;

  const canOpen = signedIn && run.isOwner;
  const open = async (seed: number) => {
    setError(null);
    setOpening(seed);
    try {
      const res = await openSeed.mutateAsync({ sweepId: run.id, seed, ...(point !== undefined ? { point } : {}) });
      router.push(`/runs/${res.id}`);
    } catch (err) {
      setError(apiError(err).message);
      setOpening(null);
    }
  };
  const failingChecks = (seed: number) => summary.checks.filter((c) => c.failingSeeds.includes(seed)).map((c) => c.name);
  const metrics = Object.entries(summary.metrics).filter((e): e is [string, MetricDistribution] => e[1] !== null);
  const pct = (k: number) => `${((k / Math.max(1, summary.seeds)) * 100).toFixed(k === summary.seeds || k === 0 ? 0 : 1)}%`;

  return (
    <div className="stack" data-testid="sweep-results">
      <div className="grid cols-2">
        <div className="panel" data-testid="sweep-checks">
          <h2>Checks over {summary.seeds.toLocaleString("en-US")} seeds</h2>
          <p className="small">
            Every check held on <strong>{summary.allHeld.toLocaleString("en-US")}</strong> of {summary.seeds.toLocaleString("en-US")} seeds ({pct(summary.allHeld)}), seeds {summary.from}–{summary.from + summary.seeds - 1}.
          </p>
          <BarList
            label="Seeds on which each check held"
            max={summary.seeds}
            items={summary.checks.map((c) => ({
              label: c.name,
              value: c.held,
              text: `${c.held.toLocaleString("en-US")} / ${summary.seeds.toLocaleString("en-US")} held`,
              tone: c.failed === 0 ? ("ok" as const) : ("bad" as const),
              testId: `sweep-check-${c.name}`,
            }))}
          />
          {summary.checks.some((c) => c.firstFailure) ? (
            <ul className="small first-failures">
              {summary.checks.filter((c) => c.firstFailure).map((c) => (
                <li key={c.name}><code>{c.name}</code> first failed on seed {c.failingSeeds[0]}: {c.firstFailure}</li>
              ))}
            </ul>
          ) : null}
          <p className="muted small">
            Stopped by: {stopCounts(summary.stoppedBy)}.
          </p>
        </div>
        <div className="panel" data-testid="failing-seeds">
          <h2>Failing seeds</h2>
          {summary.failingSeeds.length === 0 ? (
            <p className="muted">No seed failed a check.</p>
          ) : (
            <>
              <p className="small muted">
                {summary.seeds - summary.allHeld > summary.failingSeeds.length
                  ? `The lowest ${summary.failingSeeds.length} of ${(summary.seeds - summary.allHeld).toLocaleString("en-US")} failing seeds.`
                  : `${summary.failingSeeds.length} failing ${summary.failingSeeds.length === 1 ? "seed" : "seeds"}.`}{" "}
                {canOpen ? "Open one to see its run step by step." : "Replay one with `npx faultline run FILE --seed N`."}
              </p>
              <ul className="verdicts">
                {summary.failingSeeds.map((seed) => (
                  <li key={seed} data-testid={`failing-seed-${seed}`}>
                    <span className="mono">seed {seed}</span>
                    <span className="why">fails {failingChecks(seed).join(", ") || "a check"}</span>
                    <span className="spacer" />
                    {canOpen ? (
                      <button type="button" className="small" disabled={opening !== null} onClick={() => void open(seed)}>
                        {opening === seed ? "Opening…" : "Open run"}
                      </button>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          )}
          {error ? <div className="alert error" role="alert">{error}</div> : null}
        </div>
      </div>
      <SweepFaultsPanel faults={summary.faults} labels={scenarioFaultLabels(run.version.source)} />
      <div className="panel" data-testid="sweep-metrics">
        <h2>Metrics over the seeds</h2>
        <p className="muted small">Each row: whisker from min to max, box from p50 to p90, tick at p99, dot at the mean.</p>
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Metric</th><th className="num">min</th><th className="num">p50</th><th className="num">p90</th><th className="num">p99</th><th className="num">max</th><th className="num">mean</th><th>Distribution</th>
              </tr>
            </thead>
            <tbody>
              {metrics.map(([key, d]) => (
                <tr key={key}>
                  <td>{METRIC_LABELS[key] ?? key}{d.count < summary.seeds ? <span className="muted small"> ({d.count} seeds)</span> : null}</td>
                  <td className="num">{fmt(d.min)}</td>
                  <td className="num">{fmt(d.p50)}</td>
                  <td className="num">{fmt(d.p90)}</td>
                  <td className="num">{fmt(d.p99)}</td>
                  <td className="num">{fmt(d.max)}</td>
                  <td className="num">{fmt(d.mean)}</td>
                  <td><DistributionPlot dist={d} label={METRIC_LABELS[key] ?? key} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </div>
  );
}
