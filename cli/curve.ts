// `faultline sweep FILE --seeds S --vary PATH=FROM:TO:STEP [--vary PATH=V1,V2]`: a parameter curve.
// The first --vary is the curve's axis, later ones make series; each point is a sweep of the same seeds
// on worker threads (runSweep), summed up as held/failed per check, a Wilson pass rate and latency percentiles.

import { parse as parseYaml } from "yaml";
import { LIMITS, type Scenario, type SweepSummary } from "../server/sim";
import { runSweep } from "../server/runner";
import { curvePoint, type CurvePoint } from "../server/sim/sweep/curve";
import { parseVarySpec, seriesOf, variedScenario, type VaryAssignment, type VarySpec } from "../server/sim/sweep/vary";
import { EXIT_CHECK_FAILED, EXIT_INVALID, EXIT_OK, formatProblem, UsageError, type CliIo } from "./main";

export interface CurveArgs {
  file: string;
  base: Scenario;
  text: string;
  vary: string[];
  seeds: number;
  from: number;
  threads: number;
  json: boolean;
}

/** One point to run: its scenario and where it sits on the curve. */
interface PlannedPoint {
  value: CurvePoint["value"];
  series: Record<string, CurvePoint["value"]>;
  scenario: Scenario;
}

export async function cmdCurve(a: CurveArgs, io: CliIo): Promise<number> {
  const specs: VarySpec[] = [];
  for (const v of a.vary) {
    const r = parseVarySpec(v);
    if (!r.ok) throw new UsageError(`--vary ${r.message}`);
    specs.push(r.value);
  }
  const axis = specs[0]!;
  const series = seriesOf(specs);
  if (!series.ok) throw new UsageError(series.message);
  const totalRuns = axis.values.length * series.value.length * a.seeds;
  if (totalRuns > LIMITS.MAX_SWEEP_SEEDS * 10) {
    throw new UsageError(`the curve would run ${totalRuns} seeds in all; at most ${LIMITS.MAX_SWEEP_SEEDS * 10} (fewer --seeds or points)`);
  }
  const doc: unknown = parseYaml(a.text, { maxAliasCount: LIMITS.MAX_YAML_ALIASES });
  const programFiles = a.base.protocol.kind === "custom" ? a.base.protocol.files : undefined;
  // Every point is validated before any runs, so a bad value stops the command at once.
  const planned: PlannedPoint[] = [];
  for (const combo of series.value) {
    for (const value of axis.values) {
      const assignments: VaryAssignment[] = [{ path: axis.path, segments: axis.segments, value }, ...combo];
      const r = variedScenario(doc, assignments, programFiles ? { programFiles } : {});
      if (!r.ok) {
        io.err(`${a.file}: not a valid scenario with ${assignments.map((x) => `${x.path}=${String(x.value)}`).join(", ")}\n`);
        for (const p of r.problems) io.err(formatProblem(a.file, p) + "\n");
        return EXIT_INVALID;
      }
      planned.push({ value, series: Object.fromEntries(combo.map((c) => [c.path, c.value])), scenario: r.scenario });
    }
  }
  const started = performance.now();
  const points: CurvePoint[] = [];
  for (const [i, p] of planned.entries()) {
    if (io.interactive && !a.json) io.err(`\rpoint ${i + 1}/${planned.length}\x1b[K`);
    const summary: SweepSummary = await runSweep(p.scenario, { seeds: a.seeds, from: a.from, threads: a.threads, deadlineMs: 3_600_000 });
    points.push(curvePoint(p.value, summary, specs.length > 1 ? p.series : undefined));
  }
  if (io.interactive && !a.json) io.err("\r\x1b[K");
  const seconds = (performance.now() - started) / 1000;
  if (a.json) io.out(JSON.stringify({ points }, null, 2) + "\n");
  else io.out(curveText(a, specs, points, seconds));
  return points.some((p) => p.checks.some((c) => c.failed > 0)) ? EXIT_CHECK_FAILED : EXIT_OK;
}

const fix = (v: number, d = 3) => v.toFixed(d);
const msText = (v: number | undefined) => (v === undefined ? "-" : Number.isInteger(v) ? String(v) : v.toFixed(1));

function curveText(a: CurveArgs, specs: VarySpec[], points: CurvePoint[], seconds: number): string {
  const axis = specs[0]!;
  const runs = points.length * a.seeds;
  const lines = [
    `curve of "${a.base.name}" over ${axis.path}: ${points.length} point${points.length === 1 ? "" : "s"} × ${a.seeds} seeds (${a.from}..${a.from + a.seeds - 1}) = ${runs} runs in ${seconds.toFixed(2)} s (${Math.round(runs / Math.max(seconds, 1e-9))} runs/s on ${a.threads} thread${a.threads === 1 ? "" : "s"})`,
  ];
  const checkNames = points[0]?.checks.map((c) => c.name) ?? [];
  const header = [axis.path, "pass rate", "95% interval", ...checkNames, "p50 ms", "p90 ms", "p99 ms"];
  let currentSeries = "";
  const rows: string[][] = [];
  const flush = () => {
    if (rows.length === 0) return;
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    lines.push("  " + header.map((h, i) => h.padEnd(widths[i]!)).join("  "));
    for (const r of rows) lines.push("  " + r.map((c, i) => c.padEnd(widths[i]!)).join("  "));
    rows.length = 0;
  };
  for (const p of points) {
    const s = p.series ? Object.entries(p.series).map(([k, v]) => `${k}=${String(v)}`).join(", ") : "";
    if (s !== currentSeries || (lines.length === 1 && s !== "")) {
      flush();
      currentSeries = s;
      lines.push(`series ${s}`);
    }
    const m = p.metrics;
    rows.push([
      String(p.value),
      fix(m.passRate.rate),
      `[${fix(m.passRate.lo)}, ${fix(m.passRate.hi)}]`,
      ...p.checks.map((c) => `${c.held}/${c.held + c.failed}`),
      msText(m.latencyMs?.p50),
      msText(m.latencyMs?.p90),
      msText(m.latencyMs?.p99),
    ]);
  }
  flush();
  return lines.join("\n") + "\n";
}
