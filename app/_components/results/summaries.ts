// The stored summaries as the results pages read them (the full run summary, the sweep
// summary), narrowing the API's `unknown`, and the metric rows the run and compare pages show.

import type { RequestMetrics, RunSummary, SweepSummary } from "@/server/sim";

export function asRunSummary(summary: unknown): RunSummary | null {
  if (!summary || typeof summary !== "object") return null;
  const s = summary as Partial<RunSummary>;
  return s.metrics && Array.isArray(s.checks) ? (s as RunSummary) : null;
}

export function asSweepSummary(summary: unknown): SweepSummary | null {
  if (!summary || typeof summary !== "object") return null;
  const s = summary as Partial<SweepSummary>;
  return typeof s.seeds === "number" && Array.isArray(s.checks) && s.metrics ? (s as SweepSummary) : null;
}

/** Retries: attempts beyond the first of each request. */
export function retries(r: RequestMetrics): number {
  return Math.max(0, r.attempts - r.issued);
}

export interface MetricRow {
  key: string;
  label: string;
  /** "ms" values are shown with a unit; counts as integers. */
  unit: "count" | "ms";
  /** Lower is better (latency, drops, failures): the compare page colours a rise as worse. */
  lowerIsBetter: boolean;
  get: (s: RunSummary) => number | null;
}

/** The metrics the run and compare pages list, in reading order. */
export const METRIC_ROWS: MetricRow[] = [
  { key: "messages.sent", label: "Messages sent", unit: "count", lowerIsBetter: false, get: (s) => s.metrics.messages.sent },
  { key: "messages.delivered", label: "Messages delivered", unit: "count", lowerIsBetter: false, get: (s) => s.metrics.messages.delivered },
  { key: "messages.dropped", label: "Messages dropped", unit: "count", lowerIsBetter: true, get: (s) => s.metrics.messages.dropped },
  { key: "messages.duplicated", label: "Messages duplicated", unit: "count", lowerIsBetter: true, get: (s) => s.metrics.messages.duplicated },
  { key: "requests.issued", label: "Requests issued", unit: "count", lowerIsBetter: false, get: (s) => s.metrics.requests.issued },
  { key: "requests.succeeded", label: "Requests succeeded", unit: "count", lowerIsBetter: false, get: (s) => s.metrics.requests.succeeded },
  { key: "requests.failed", label: "Requests failed", unit: "count", lowerIsBetter: true, get: (s) => s.metrics.requests.failed },
  { key: "retries", label: "Retries", unit: "count", lowerIsBetter: true, get: (s) => retries(s.metrics.requests) },
  { key: "executions", label: "Executions", unit: "count", lowerIsBetter: false, get: (s) => s.metrics.executions ?? null },
  { key: "latency.mean", label: "Latency mean", unit: "ms", lowerIsBetter: true, get: (s) => s.metrics.latencyMs.mean },
  { key: "latency.p50", label: "Latency p50", unit: "ms", lowerIsBetter: true, get: (s) => s.metrics.latencyMs.p50 },
  { key: "latency.p90", label: "Latency p90", unit: "ms", lowerIsBetter: true, get: (s) => s.metrics.latencyMs.p90 },
  { key: "latency.p99", label: "Latency p99", unit: "ms", lowerIsBetter: true, get: (s) => s.metrics.latencyMs.p99 },
  { key: "latency.max", label: "Latency max", unit: "ms", lowerIsBetter: true, get: (s) => s.metrics.latencyMs.max },
  // Two counts, two words (docs/results.md): steps the simulator processed (what maxEvents limits),
  // and events recorded in the trace (what the diagram and the event log show; more than steps).
  { key: "events", label: "Simulator steps", unit: "count", lowerIsBetter: false, get: (s) => s.events },
  { key: "traceEvents", label: "Events recorded", unit: "count", lowerIsBetter: false, get: (s) => s.traceEvents ?? null },
  { key: "virtualTimeMs", label: "Virtual time", unit: "ms", lowerIsBetter: false, get: (s) => s.virtualTimeMs },
];

export interface MetricDiff {
  row: MetricRow;
  a: number | null;
  b: number | null;
  /** b - a, or null when either is missing. */
  delta: number | null;
  changed: boolean;
  /** "better" / "worse" by the row's direction, "neutral" when the direction does not apply or nothing changed. */
  tone: "better" | "worse" | "neutral";
}

export function diffMetrics(a: RunSummary, b: RunSummary): MetricDiff[] {
  return METRIC_ROWS.map((row) => {
    const va = row.get(a);
    const vb = row.get(b);
    const delta = va !== null && vb !== null ? vb - va : null;
    const changed = va !== vb;
    let tone: MetricDiff["tone"] = "neutral";
    if (delta !== null && delta !== 0 && row.lowerIsBetter) tone = delta < 0 ? "better" : "worse";
    return { row, a: va, b: vb, delta, changed, tone };
  });
}

export interface VerdictChange {
  name: string;
  a: boolean | null;
  b: boolean | null;
  changed: boolean;
  messageA?: string;
  messageB?: string;
}

/** Each check of either run, with its verdict in both (null where a run does not declare it). */
export function diffVerdicts(a: RunSummary, b: RunSummary): VerdictChange[] {
  const names: string[] = [];
  for (const c of [...a.checks, ...b.checks]) if (!names.includes(c.name)) names.push(c.name);
  return names.map((name) => {
    const ca = a.checks.find((c) => c.name === name);
    const cb = b.checks.find((c) => c.name === name);
    const va = ca ? ca.ok : null;
    const vb = cb ? cb.ok : null;
    return { name, a: va, b: vb, changed: va !== vb, messageA: ca?.message, messageB: cb?.message };
  });
}
