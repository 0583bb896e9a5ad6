// Sweep aggregation, pure: many seeds' run summaries in, per check how many seeds held and the first
// failing seeds, per metric its distribution over seeds (nearest-rank percentiles), stop reasons counted.

import { LIMITS } from "../limits";
import { nearestRank } from "../metrics/metrics";
import type { RunSummary } from "../run";
import { sweepFaults, type SweepFaultSummary } from "./faults";

export interface MetricDistribution {
  /** Seeds that had a value (latency metrics are absent for a seed with no answered request). */
  count: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface SweepCheckSummary {
  name: string;
  held: number;
  failed: number;
  /** The lowest failing seeds, ascending (at most maxFailingSeeds). */
  failingSeeds: number[];
  /** Why the lowest failing seed failed. */
  firstFailure?: string;
}

export interface SweepSummary {
  scenario: string;
  engine: string;
  /** Lowest seed and number of seeds run. */
  from: number;
  seeds: number;
  /** Seeds on which every check held. */
  allHeld: number;
  /** The lowest seeds on which some check failed. */
  failingSeeds: number[];
  checks: SweepCheckSummary[];
  metrics: Record<SweepMetricName, MetricDistribution | null>;
  stoppedBy: { idle: number; until: number; maxEvents: number; traceLimit: number; done: number };
  /** Which fault rules acted in failing and passing seeds; only when the seeds counted them (RunOptions.countFaults). */
  faults?: SweepFaultSummary;
}

export const SWEEP_METRICS = [
  "messages.sent",
  "messages.delivered",
  "messages.dropped",
  "messages.duplicated",
  "requests.issued",
  "requests.succeeded",
  "requests.failed",
  "requests.attempts",
  "calls.issued",
  "calls.failed",
  "executions",
  "latencyMs.mean",
  "latencyMs.p50",
  "latencyMs.p90",
  "latencyMs.p99",
  "latencyMs.max",
  "virtualTimeMs",
  "events",
] as const;
export type SweepMetricName = (typeof SWEEP_METRICS)[number];

/** One seed's value of a sweep metric (null: the seed has none). */
export function metricOf(s: RunSummary, name: SweepMetricName): number | null {
  const m = s.metrics;
  switch (name) {
    case "messages.sent":
      return m.messages.sent;
    case "messages.delivered":
      return m.messages.delivered;
    case "messages.dropped":
      return m.messages.dropped;
    case "messages.duplicated":
      return m.messages.duplicated;
    case "requests.issued":
      return m.requests.issued;
    case "requests.succeeded":
      return m.requests.succeeded;
    case "requests.failed":
      return m.requests.failed;
    case "requests.attempts":
      return m.requests.attempts;
    case "calls.issued":
      return m.calls?.issued ?? null;
    case "calls.failed":
      return m.calls?.failed ?? null;
    case "executions":
      return m.executions ?? null;
    case "latencyMs.mean":
      return m.latencyMs.mean;
    case "latencyMs.p50":
      return m.latencyMs.p50;
    case "latencyMs.p90":
      return m.latencyMs.p90;
    case "latencyMs.p99":
      return m.latencyMs.p99;
    case "latencyMs.max":
      return m.latencyMs.max;
    case "virtualTimeMs":
      return s.virtualTimeMs;
    case "events":
      return s.events;
  }
}

export function distribution(values: readonly number[]): MetricDistribution | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    count: sorted.length,
    mean: sum / sorted.length,
    min: sorted[0]!,
    p50: nearestRank(sorted, 50),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    max: sorted[sorted.length - 1]!,
  };
}

/** Aggregates run summaries of one scenario (any order; the result is the same for any order). */
export function aggregateSweep(
  summaries: readonly RunSummary[],
  options: { maxFailingSeeds?: number } = {},
): SweepSummary {
  const maxListed = options.maxFailingSeeds ?? LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED;
  const runs = [...summaries].sort((a, b) => a.seed - b.seed);
  const first = runs[0];
  const checkNames: string[] = [];
  for (const r of runs) for (const c of r.checks) if (!checkNames.includes(c.name)) checkNames.push(c.name);
  const checks: SweepCheckSummary[] = checkNames.map((name) => ({ name, held: 0, failed: 0, failingSeeds: [] }));
  const failingSeeds: number[] = [];
  let allHeld = 0;
  const stoppedBy = { idle: 0, until: 0, maxEvents: 0, traceLimit: 0, done: 0 };
  const values = Object.fromEntries(SWEEP_METRICS.map((m) => [m, [] as number[]])) as Record<SweepMetricName, number[]>;
  for (const r of runs) {
    let ok = true;
    for (const c of r.checks) {
      const agg = checks[checkNames.indexOf(c.name)]!;
      if (c.ok) agg.held++;
      else {
        ok = false;
        agg.failed++;
        if (agg.failingSeeds.length < maxListed) agg.failingSeeds.push(r.seed);
        if (agg.firstFailure === undefined && c.message !== undefined) agg.firstFailure = `seed ${r.seed}: ${c.message}`;
      }
    }
    if (ok) allHeld++;
    else if (failingSeeds.length < maxListed) failingSeeds.push(r.seed);
    stoppedBy[r.stoppedBy]++;
    for (const m of SWEEP_METRICS) {
      const v = metricOf(r, m);
      if (v !== null && Number.isFinite(v)) values[m].push(v);
    }
  }
  const metrics = Object.fromEntries(SWEEP_METRICS.map((m) => [m, distribution(values[m])])) as Record<
    SweepMetricName,
    MetricDistribution | null
  >;
  const faults = sweepFaults(runs, maxListed);
  return {
    scenario: first?.scenario ?? "",
    engine: first?.engine ?? "",
    from: first?.seed ?? 0,
    seeds: runs.length,
    allHeld,
    failingSeeds,
    checks,
    metrics,
    stoppedBy,
    ...(faults ? { faults } : {}),
  };
}
