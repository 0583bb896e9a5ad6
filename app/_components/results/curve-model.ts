// The geometry of a parameter curve, pure: series of (value, rate with its interval, latency
// percentiles) in, SVG paths, ticks, legend entries and the rows of the table fallback out.

import { linearScale, formatNumber } from "@/app/_components/plots/axis";

export interface CurveChartPoint {
  value: number | string | boolean;
  /** Pass rate in [0, 1] and its confidence interval. */
  rate: number;
  lo: number;
  hi: number;
  latencyMs?: { p50: number; p90?: number; p99: number } | null;
}

export interface CurveChartSeries {
  label: string;
  points: CurveChartPoint[];
}

export interface CurveGeometry {
  width: number;
  height: number;
  margin: { left: number; right: number; top: number; bottom: number };
}

/** Okabe–Ito colours (told apart with colour blindness), each series also with its own dash. */
export const SERIES_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C6D00"];
const DASHES = ["", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4", "3 1"];

export interface Tick {
  px: number;
  label: string;
}

export interface ModelSeries {
  label: string;
  color: string;
  dash: string;
  /** The rate line, "M x y L x y ...". */
  line: string;
  /** The interval band: along hi, back along lo, closed. */
  band: string;
  /** Latency lines (p50, p99), empty when the series has none. */
  p50: string;
  p99: string;
  dots: { x: number; y: number; title: string }[];
}

export interface CurveModel {
  geometry: CurveGeometry;
  xTicks: Tick[];
  rateTicks: Tick[];
  /** Latency panel's y ticks; empty when no series has latency. */
  latencyTicks: Tick[];
  hasLatency: boolean;
  series: ModelSeries[];
  table: { columns: string[]; rows: string[][] };
}

export const DEFAULT_GEOMETRY: CurveGeometry = { width: 480, height: 220, margin: { left: 44, right: 14, top: 12, bottom: 34 } };

const valueText = (v: CurveChartPoint["value"]) => (typeof v === "number" ? String(v) : String(v));

/**
 * Numeric values share one linear axis; any other value (true, false, "50ms") makes the axis
 * categorical: every distinct value in first-seen order, evenly spaced.
 */
function xAxis(series: readonly CurveChartSeries[], g: CurveGeometry): { at: (v: CurveChartPoint["value"]) => number; ticks: Tick[]; numeric: boolean } {
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const x0 = g.margin.left;
  const x1 = g.width - g.margin.right;
  if (values.length > 0 && values.every((v) => typeof v === "number" && Number.isFinite(v))) {
    const nums = values as number[];
    const s = linearScale(Math.min(...nums), Math.max(...nums), x0, x1, 6, false);
    const ticks = [...new Set(nums)].length <= 8 ? [...new Set(nums)].sort((a, b) => a - b) : s.ticks;
    const step = ticks.length > 1 ? Math.min(...ticks.slice(1).map((t, i) => t - ticks[i]!)) : 1;
    return { at: (v) => s(v as number), ticks: ticks.map((t) => ({ px: s(t), label: formatNumber(t, step) })), numeric: true };
  }
  const cats = [...new Set(values.map(valueText))];
  const at = (v: CurveChartPoint["value"]) => {
    const i = cats.indexOf(valueText(v));
    return cats.length === 1 ? (x0 + x1) / 2 : x0 + ((x1 - x0) * i) / (cats.length - 1);
  };
  return { at, ticks: cats.map((c) => ({ px: at(c), label: c })), numeric: false };
}

const pathOf = (pts: readonly { x: number; y: number }[]) => pts.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(" ");

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function curveModel(input: readonly CurveChartSeries[], geometry: CurveGeometry = DEFAULT_GEOMETRY): CurveModel {
  const g = geometry;
  const x = xAxis(input, g);
  const sorted = input.map((s) => ({
    ...s,
    points: x.numeric ? [...s.points].sort((a, b) => (a.value as number) - (b.value as number)) : s.points,
  }));
  const yRate = linearScale(0, 1, g.height - g.margin.bottom, g.margin.top, 5, false);
  const latencies = sorted.flatMap((s) => s.points.flatMap((p) => (p.latencyMs ? [p.latencyMs.p99, p.latencyMs.p50] : [])));
  const hasLatency = latencies.length > 0;
  const yLat = linearScale(0, hasLatency ? Math.max(...latencies) : 1, g.height - g.margin.bottom, g.margin.top, 4);
  const series: ModelSeries[] = sorted.map((s, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const dash = DASHES[i % DASHES.length]!;
    const pts = s.points.map((p) => ({ x: x.at(p.value), y: yRate(p.rate) }));
    const hi = s.points.map((p) => ({ x: x.at(p.value), y: yRate(p.hi) }));
    const lo = s.points.map((p) => ({ x: x.at(p.value), y: yRate(p.lo) })).reverse();
    const withLat = s.points.filter((p) => p.latencyMs);
    return {
      label: s.label,
      color,
      dash,
      line: pathOf(pts),
      band: s.points.length > 0 ? `${pathOf([...hi, ...lo])} Z` : "",
      p50: pathOf(withLat.map((p) => ({ x: x.at(p.value), y: yLat(p.latencyMs!.p50) }))),
      p99: pathOf(withLat.map((p) => ({ x: x.at(p.value), y: yLat(p.latencyMs!.p99) }))),
      dots: s.points.map((p, k) => ({ ...pts[k]!, title: `${s.label ? `${s.label}, ` : ""}${valueText(p.value)}: ${pct(p.rate)} (${pct(p.lo)} to ${pct(p.hi)})` })),
    };
  });
  const ms = (v: number | undefined) => (v === undefined ? "–" : formatNumber(v, Number.isInteger(v) || v >= 100 ? 1 : 0.1));
  const rows = sorted.flatMap((s) =>
    s.points.map((p) => [s.label, valueText(p.value), pct(p.rate), `${pct(p.lo)} – ${pct(p.hi)}`, ms(p.latencyMs?.p50), ms(p.latencyMs?.p99)]),
  );
  return {
    geometry: g,
    xTicks: x.ticks,
    rateTicks: yRate.ticks.map((t) => ({ px: yRate(t), label: `${Math.round(t * 100)}%` })),
    latencyTicks: hasLatency ? yLat.ticks.map((t) => ({ px: yLat(t), label: formatNumber(t, yLat.step) })) : [],
    hasLatency,
    series,
    table: { columns: ["series", "value", "pass rate", "95% interval", "p50 ms", "p99 ms"], rows },
  };
}

/**
 * The CLI's and the sweep's points (`faultline sweep --vary --json`) as chart series: one series per
 * distinct `series` assignment, labelled "path=value".
 */
export function seriesFromPoints(
  points: readonly {
    value: CurveChartPoint["value"];
    series?: Record<string, unknown>;
    metrics: { passRate: { rate: number; lo: number; hi: number }; latencyMs?: { p50: number; p90?: number; p99: number } | null };
  }[],
): CurveChartSeries[] {
  const out = new Map<string, CurveChartSeries>();
  for (const p of points) {
    const label = p.series ? Object.entries(p.series).map(([k, v]) => `${k}=${String(v)}`).join(", ") : "";
    let s = out.get(label);
    if (!s) out.set(label, (s = { label, points: [] }));
    s.points.push({ value: p.value, ...p.metrics.passRate, latencyMs: p.metrics.latencyMs ?? null });
  }
  return [...out.values()];
}
