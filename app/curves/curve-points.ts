// A curve read back from its scenario: each version of a "<name> · curve over <path>" scenario is
// a point, its note the point's assignments ("network.loss=0.3, protocol.client.retries=2": the
// axis first, then the series), its newest sweep the point's numbers (app/curves/curve-runner.tsx).
import { parseVarySpec, type VaryValue } from "@/server/sim/sweep/vary-path";

export interface CurvePointRef {
  label: string;
  value: VaryValue;
  /** The series' assignments ("" when the curve has one series). */
  series: string;
  version: number;
  runId: string;
}

/** The assignments of a point's label, or null when it is not one. */
export function parsePointLabel(label: string): { path: string; value: VaryValue }[] | null {
  if (label.trim() === "") return null;
  const out: { path: string; value: VaryValue }[] = [];
  for (const part of label.split(", ")) {
    const spec = parseVarySpec(part.trim());
    if (!spec.ok || spec.value.values.length !== 1) return null;
    out.push({ path: spec.value.path, value: spec.value.values[0]! });
  }
  return out;
}

/**
 * The curve's axis and points: versions whose note is a point's label and that have a sweep, in
 * version order, the axis being the first assignment's path. Null when no version is a point.
 */
export function curvePointsOf(versions: readonly { number: number; note: string }[], sweeps: readonly { id: string; version: { number: number } }[]): { axis: string; points: CurvePointRef[] } | null {
  const points: CurvePointRef[] = [];
  let axis: string | null = null;
  for (const v of [...versions].sort((a, b) => a.number - b.number)) {
    const assignments = parsePointLabel(v.note);
    if (!assignments) continue;
    axis ??= assignments[0]!.path;
    if (assignments[0]!.path !== axis) continue;
    // The newest sweep of the version (the list is newest first).
    const sweep = sweeps.find((r) => r.version.number === v.number);
    if (!sweep) continue;
    points.push({
      label: v.note,
      value: assignments[0]!.value,
      series: assignments.slice(1).map((a) => `${a.path}=${String(a.value)}`).join(", "),
      version: v.number,
      runId: sweep.id,
    });
  }
  return axis && points.length > 0 ? { axis, points } : null;
}
