"use client";
// Queues a small curve: the scenario with each value of the vary spec, saved as the versions of a new
// scenario ("<name> · curve over <path>", each version's note its point), then one curve run of those
// versions (run.curve: its shards, a point's range of seeds each, shared by every worker), then the
// curve's own page (/curves/<scenario>), which fills in as the shards finish.
// Everything goes through the usual procedures: the queue does the simulating.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useTRPCClient } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { parseVarySpec, seriesOf, setAtPathInText, type VaryAssignment, type VarySpec } from "@/server/sim/sweep/vary-path";

/** Points one curve may have on this page (the chart stays readable; the command line takes more). */
export const CURVE_PAGE_POINTS_MAX = 12;
/** Seeds per point on this page: a small curve (the command line takes more). */
export const CURVE_PAGE_SEEDS_MAX = 500;

type Stage = { kind: "idle" } | { kind: "working"; what: string };

export function CurveRunner({ scenarios, initialScenarioId }: { scenarios: { id: string; name: string }[]; initialScenarioId: string }) {
  const router = useRouter();
  const client = useTRPCClient();
  const [scenarioId, setScenarioId] = useState(initialScenarioId);
  const [vary, setVary] = useState("network.loss=0:0.5:0.1");
  const [seriesSpec, setSeriesSpec] = useState("");
  const [seeds, setSeeds] = useState("100");
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: "idle" });

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
            curveId = (await client.scenario.create.mutate({ source: d.text, note: d.label })).id;
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
      setStage({ kind: "working", what: "Queuing the curve…" });
      await client.run.curve.mutate({ scenarioId: curveId, versions, seeds: seedCount });
      setStage({ kind: "working", what: "Opening the curve…" });
      router.push(`/curves/${curveId}`);
    } catch (err) {
      setStage({ kind: "idle" });
      setError(err instanceof Error && !("data" in err) ? err.message : apiError(err).message);
    }
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
    </div>
  );
}
