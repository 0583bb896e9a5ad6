"use client";
// Queues a small curve: the scenario with each value of the vary spec, saved as the versions of a new
// scenario ("<name> · curve over <path>"), a normal sweep queued per version, the chart filled in as
// the sweeps finish. Everything goes through the usual procedures: the queue does the simulating.
import { useState } from "react";
import Link from "next/link";
import { useQueries } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { CurveChart } from "@/app/_components/results/curve-chart";
import type { CurveChartSeries } from "@/app/_components/results/curve-model";
import { curvePoint } from "@/server/sim/sweep/curve";
import { parseVarySpec, seriesOf, setAtPathInText, type VaryAssignment, type VarySpec } from "@/server/sim/sweep/vary-path";
import type { SweepSummary } from "@/server/sim/sweep/aggregate";

/** Points one curve may have: their sweeps must fit under the runs one account may have waiting (20). */
export const CURVE_PAGE_POINTS_MAX = 12;
/** Seeds per point on this page: a small curve (the command line takes more). */
export const CURVE_PAGE_SEEDS_MAX = 500;

interface QueuedPoint {
  label: string;
  value: VaryAssignment["value"];
  series: string;
  version: number;
  runId: string;
}

type Stage = { kind: "idle" } | { kind: "working"; what: string } | { kind: "queued"; scenarioId: string; axis: string; points: QueuedPoint[] };

export function CurveRunner({ scenarios, initialScenarioId }: { scenarios: { id: string; name: string }[]; initialScenarioId: string }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const [scenarioId, setScenarioId] = useState(initialScenarioId);
  const [vary, setVary] = useState("network.loss=0:0.5:0.1");
  const [seriesSpec, setSeriesSpec] = useState("");
  const [seeds, setSeeds] = useState("100");
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: "idle" });

  const runs = useQueries({
    queries: (stage.kind === "queued" ? stage.points : []).map((p) => ({
      ...trpc.run.byId.queryOptions({ id: p.runId }),
      refetchInterval: (q: { state: { data?: { status: string } } }) => (q.state.data && (q.state.data.status === "done" || q.state.data.status === "failed") ? false : 1000),
    })),
  });

  async function start(): Promise<void> {
    setError(null);
    const specs: VarySpec[] = [];
    for (const [field, text] of [["Vary", vary], ["Series", seriesSpec]] as const) {
      if (field === "Series" && text.trim() === "") continue;
      const r = parseVarySpec(text.trim());
      if (!r.ok) return setError(`${field}: ${r.message}`);
      specs.push(r.value);
    }
    const axis = specs[0]!;
    const combos = seriesOf(specs);
    if (!combos.ok) return setError(combos.message);
    const count = axis.values.length * combos.value.length;
    if (count > CURVE_PAGE_POINTS_MAX) return setError(`That is ${count} points; this page draws at most ${CURVE_PAGE_POINTS_MAX} (use a larger step, or the command line: faultline sweep --vary).`);
    const seedCount = Number(seeds);
    if (!Number.isInteger(seedCount) || seedCount < 2 || seedCount > CURVE_PAGE_SEEDS_MAX) return setError(`Seeds per point: a whole number from 2 to ${CURVE_PAGE_SEEDS_MAX}.`);
    try {
      setStage({ kind: "working", what: "Reading the scenario…" });
      const base = await client.scenario.byId.query({ id: scenarioId });
      // Every point's document first, so a bad value stops before anything is saved.
      const docs: { text: string; label: string; value: VaryAssignment["value"]; series: string }[] = [];
      for (const combo of combos.value) {
        for (const value of axis.values) {
          const assignments: VaryAssignment[] = [{ path: axis.path, segments: axis.segments, value }, ...combo];
          const label = assignments.map((a) => `${a.path}=${String(a.value)}`).join(", ");
          let text = base.version.source;
          const named = setAtPathInText(text, ["name"], `${base.name} · curve over ${axis.path}`.slice(0, 120));
          if (named.ok) text = named.text;
          for (const a of assignments) {
            const r = setAtPathInText(text, a.segments, a.value);
            if (!r.ok) throw new Error(`${label}: ${r.path}: ${r.message}`);
            text = r.text;
          }
          docs.push({ text, label, value, series: combo.map((a) => `${a.path}=${String(a.value)}`).join(", ") });
        }
      }
      setStage({ kind: "working", what: "Checking every point…" });
      for (const d of docs) {
        const checked = await client.scenario.validate.mutate({ source: d.text });
        const first = checked.problems[0];
        if (!checked.ok && first) throw new Error(`${d.label}: ${first.path}: ${first.message}`);
      }
      setStage({ kind: "working", what: "Saving the points as versions…" });
      let curveId = "";
      const versions: number[] = [];
      for (const [i, d] of docs.entries()) {
        try {
          if (i === 0) {
            curveId = (await client.scenario.create.mutate({ source: d.text })).id;
            versions.push(1);
          } else {
            versions.push((await client.scenario.saveVersion.mutate({ id: curveId, source: d.text, note: d.label })).version);
          }
        } catch (err) {
          const e = apiError(err);
          const first = e.scenarioProblems?.[0];
          throw new Error(`${d.label}: ${first ? `${first.path}: ${first.message}` : e.message}`);
        }
      }
      setStage({ kind: "working", what: "Queuing a sweep per point…" });
      const points: QueuedPoint[] = [];
      for (const [i, d] of docs.entries()) {
        const run = await client.run.create.mutate({ scenarioId: curveId, version: versions[i]!, sweep: { seeds: seedCount } });
        points.push({ label: d.label, value: d.value, series: d.series, version: versions[i]!, runId: run.id });
      }
      setStage({ kind: "queued", scenarioId: curveId, axis: axis.path, points });
    } catch (err) {
      setStage({ kind: "idle" });
      setError(err instanceof Error && !("data" in err) ? err.message : apiError(err).message);
    }
  }

  const queued = stage.kind === "queued" ? stage : null;
  const series: CurveChartSeries[] = [];
  let finished = 0;
  if (queued) {
    queued.points.forEach((p, i) => {
      const run = runs[i]?.data as { status: string; summary: unknown } | undefined;
      if (!run || run.status !== "done" || !run.summary) return;
      finished++;
      const point = curvePoint(p.value, run.summary as SweepSummary);
      let s = series.find((x) => x.label === p.series);
      if (!s) series.push((s = { label: p.series, points: [] }));
      s.points.push({ value: p.value, ...point.metrics.passRate, latencyMs: point.metrics.latencyMs });
    });
  }

  return (
    <div className="stack">
      <form
        className="panel stack"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <div className="field">
          <label htmlFor="curve-scenario">Scenario</label>
          <select id="curve-scenario" value={scenarioId} onChange={(e) => setScenarioId(e.target.value)}>
            {scenarios.map((s) => (
              <option key={s.id} value={s.id}>{s.name}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="curve-vary">Vary <span className="hint">(PATH=FROM:TO:STEP, PATH=A..B or PATH=V1,V2)</span></label>
          <input id="curve-vary" className="mono" value={vary} onChange={(e) => setVary(e.target.value)} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="curve-series">Series <span className="hint">(optional, e.g. protocol.client.retries=0,3)</span></label>
          <input id="curve-series" className="mono" value={seriesSpec} onChange={(e) => setSeriesSpec(e.target.value)} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="curve-seeds">Seeds per point</label>
          <input id="curve-seeds" type="number" min={2} max={CURVE_PAGE_SEEDS_MAX} value={seeds} onChange={(e) => setSeeds(e.target.value)} />
        </div>
        <div className="row">
          <button type="submit" className="primary" disabled={stage.kind === "working"}>{stage.kind === "working" ? stage.what : "Queue the curve"}</button>
        </div>
        {error ? <div className="alert error" role="alert" data-testid="curve-error">{error}</div> : null}
      </form>
      {queued ? (
        <div className="panel stack" data-testid="curve-result">
          <p className="small">
            {finished} of {queued.points.length} points done. The points are the versions of{" "}
            <Link href={`/scenarios/${queued.scenarioId}`}>a new scenario</Link>; each point&apos;s sweep is a run of its own.
          </p>
          {finished > 0 ? <CurveChart title="Curve" xLabel={queued.axis} series={series} /> : null}
          <ul className="small" data-testid="curve-points">
            {queued.points.map((p, i) => (
              <li key={p.runId}>
                <Link href={`/runs/${p.runId}`}>{p.label}</Link>: {(runs[i]?.data as { status?: string } | undefined)?.status ?? "queued"}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
