// Mergeable sweep aggregates, pure: a shard of a sweep (a contiguous range of seeds) reduces its
// run summaries to a SweepPartial; partials of disjoint ranges merge in any order into the partial
// of their union; finishing a partial gives exactly what aggregateSweep gives for all the seeds.
// Exact, not approximate: a metric keeps each distinct value with its count, so percentiles and
// the mean (summed in ascending order, as aggregateSweep sums) come out bit for bit the same.

import { LIMITS } from "../limits";
import type { RunSummary } from "../run";
import { nearestRankIndex } from "../metrics/metrics";
import { mergeSweepFaults, type SweepFaultSummary } from "./faults";
import { metricOf, SWEEP_METRICS, aggregateSweep, type SweepMetricName, type SweepSummary, type MetricDistribution } from "./aggregate";

/** Distinct values of one metric, ascending, each with how many seeds had it. Plain JSON. */
export interface ValueCounts {
  v: number[];
  n: number[];
}

export interface SweepPartialCheck {
  name: string;
  held: number;
  failed: number;
  /** The lowest failing seeds of this range, ascending (at most maxFailingSeeds). */
  failingSeeds: number[];
  /** The lowest failing seed with a message, and the message. */
  firstFailure?: { seed: number; message: string };
}

export interface SweepPartial {
  /** Lowest seed of the range and how many seeds it holds (0: an empty partial). */
  from: number;
  seeds: number;
  /** The lowest seed's scenario name and engine. */
  scenario: string;
  engine: string;
  allHeld: number;
  failingSeeds: number[];
  /** In order of first appearance over the seeds, ascending. */
  checks: SweepPartialCheck[];
  metrics: Record<SweepMetricName, ValueCounts>;
  stoppedBy: SweepSummary["stoppedBy"];
  /** The listing limit this partial was cut to; partials merge only with the same limit. */
  maxFailingSeeds: number;
  /** Which fault rules acted, when the seeds counted them (sweep/faults.ts); counts add up. */
  faults?: SweepFaultSummary;
}

function emptyMetrics(): Record<SweepMetricName, ValueCounts> {
  return Object.fromEntries(SWEEP_METRICS.map((m) => [m, { v: [], n: [] }])) as unknown as Record<SweepMetricName, ValueCounts>;
}

/** Value counts of some values (any order); non-finite values are left out, as aggregateSweep leaves them. */
function countValues(values: readonly number[]): ValueCounts {
  // -0 counts as 0 (JSON cannot tell them apart, and a stored summary is JSON).
  const sorted = Float64Array.from(values.filter((x) => Number.isFinite(x)).map((x) => x + 0)).sort();
  const out: ValueCounts = { v: [], n: [] };
  for (const x of sorted) {
    const last = out.v.length - 1;
    if (last >= 0 && out.v[last] === x) out.n[last]!++;
    else {
      out.v.push(x);
      out.n.push(1);
    }
  }
  return out;
}

function mergeCounts(a: ValueCounts, b: ValueCounts): ValueCounts {
  const out: ValueCounts = { v: [], n: [] };
  let i = 0;
  let j = 0;
  while (i < a.v.length || j < b.v.length) {
    const x = i < a.v.length ? a.v[i]! : Infinity;
    const y = j < b.v.length ? b.v[j]! : Infinity;
    if (j >= b.v.length || (i < a.v.length && x < y)) {
      out.v.push(x);
      out.n.push(a.n[i++]!);
    } else if (i >= a.v.length || y < x) {
      out.v.push(y);
      out.n.push(b.n[j++]!);
    } else {
      out.v.push(x);
      out.n.push(a.n[i++]! + b.n[j++]!);
    }
  }
  return out;
}

/**
 * The distribution aggregateSweep would give for these values, without laying them out: the sum
 * adds every value in ascending order, as distribution() does, so the mean is the same bit for bit.
 */
function distributionOf(c: ValueCounts): MetricDistribution | null {
  let total = 0;
  for (const k of c.n) total += k;
  if (total === 0) return null;
  let sum = 0;
  for (let i = 0; i < c.v.length; i++) {
    const x = c.v[i]!;
    for (let k = c.n[i]!; k > 0; k--) sum += x;
  }
  const at = (p: number) => {
    const rank = nearestRankIndex(total, p);
    let seen = 0;
    for (let i = 0; i < c.v.length; i++) {
      seen += c.n[i]!;
      if (rank < seen) return c.v[i]!;
    }
    return c.v[c.v.length - 1]!;
  };
  return { count: total, mean: sum / total, min: c.v[0]!, p50: at(50), p90: at(90), p99: at(99), max: c.v[c.v.length - 1]! };
}

/** The partial of some seeds' summaries (any order). */
export function sweepPartial(summaries: readonly RunSummary[], options: { maxFailingSeeds?: number } = {}): SweepPartial {
  const maxFailingSeeds = options.maxFailingSeeds ?? LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED;
  // The reference aggregate gives every count; what it cannot give (all values, the seed of a
  // first failure) is read from the summaries themselves.
  const agg = aggregateSweep(summaries, { maxFailingSeeds });
  const runs = [...summaries].sort((a, b) => a.seed - b.seed);
  const values = Object.fromEntries(SWEEP_METRICS.map((m) => [m, [] as number[]])) as Record<SweepMetricName, number[]>;
  const firstFailures = new Map<string, { seed: number; message: string }>();
  for (const r of runs) {
    for (const c of r.checks) if (!c.ok && c.message !== undefined && !firstFailures.has(c.name)) firstFailures.set(c.name, { seed: r.seed, message: c.message });
  }
  const metrics = emptyMetrics();
  for (const m of SWEEP_METRICS) {
    for (const r of runs) {
      const x = metricOf(r, m);
      if (x !== null) values[m].push(x);
    }
    metrics[m] = countValues(values[m]);
  }
  return {
    from: agg.from,
    seeds: agg.seeds,
    scenario: agg.scenario,
    engine: agg.engine,
    allHeld: agg.allHeld,
    failingSeeds: agg.failingSeeds,
    checks: agg.checks.map((c) => {
      const first = firstFailures.get(c.name);
      return { name: c.name, held: c.held, failed: c.failed, failingSeeds: c.failingSeeds, ...(first ? { firstFailure: first } : {}) };
    }),
    metrics,
    stoppedBy: agg.stoppedBy,
    maxFailingSeeds,
    ...(agg.faults ? { faults: agg.faults } : {}),
  };
}

/** The lowest `max` seeds of two ascending lists of disjoint seeds (each the lowest of its own set). */
function lowest(a: readonly number[], b: readonly number[], max: number): number[] {
  return [...a, ...b].sort((x, y) => x - y).slice(0, max);
}

/** Merges partials of disjoint seed ranges, in any order, into the partial of their union. */
export function mergeSweepPartials(partials: readonly SweepPartial[]): SweepPartial {
  const parts = partials.filter((p) => p.seeds > 0).sort((a, b) => a.from - b.from);
  const maxFailingSeeds = partials[0]?.maxFailingSeeds ?? LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED;
  const out: SweepPartial = {
    from: parts[0]?.from ?? 0,
    seeds: 0,
    scenario: parts[0]?.scenario ?? "",
    engine: parts[0]?.engine ?? "",
    allHeld: 0,
    failingSeeds: [],
    checks: [],
    metrics: emptyMetrics(),
    stoppedBy: { idle: 0, until: 0, maxEvents: 0, traceLimit: 0, done: 0 },
    maxFailingSeeds,
  };
  for (const p of parts) {
    if (p.maxFailingSeeds !== maxFailingSeeds) throw new Error("sweep partials cut to different listing limits cannot be merged");
    out.seeds += p.seeds;
    out.allHeld += p.allHeld;
    out.failingSeeds = lowest(out.failingSeeds, p.failingSeeds, maxFailingSeeds);
    for (const c of p.checks) {
      let agg = out.checks.find((x) => x.name === c.name);
      if (!agg) out.checks.push((agg = { name: c.name, held: 0, failed: 0, failingSeeds: [] }));
      agg.held += c.held;
      agg.failed += c.failed;
      agg.failingSeeds = lowest(agg.failingSeeds, c.failingSeeds, maxFailingSeeds);
      if (c.firstFailure && (!agg.firstFailure || c.firstFailure.seed < agg.firstFailure.seed)) agg.firstFailure = c.firstFailure;
    }
    for (const k of Object.keys(out.stoppedBy) as (keyof SweepSummary["stoppedBy"])[]) out.stoppedBy[k] += p.stoppedBy[k];
    if (p.faults) out.faults = out.faults ? mergeSweepFaults(out.faults, p.faults, maxFailingSeeds) : p.faults;
  }
  // Pairwise, as a balanced tree: O(values × log shards), not values × shards.
  for (const m of SWEEP_METRICS) {
    let layer = parts.map((p) => p.metrics[m]);
    while (layer.length > 1) {
      const next: ValueCounts[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(i + 1 < layer.length ? mergeCounts(layer[i]!, layer[i + 1]!) : layer[i]!);
      layer = next;
    }
    if (layer[0]) out.metrics[m] = layer[0];
  }
  return out;
}

/** The sweep summary of a partial: what aggregateSweep gives for the same seeds. */
export function finishSweepPartial(p: SweepPartial): SweepSummary {
  const metrics = Object.fromEntries(SWEEP_METRICS.map((m) => [m, distributionOf(p.metrics[m])])) as Record<SweepMetricName, MetricDistribution | null>;
  return {
    scenario: p.scenario,
    engine: p.engine,
    from: p.from,
    seeds: p.seeds,
    allHeld: p.allHeld,
    failingSeeds: p.failingSeeds,
    checks: p.checks.map((c) => ({
      name: c.name,
      held: c.held,
      failed: c.failed,
      failingSeeds: c.failingSeeds,
      ...(c.firstFailure ? { firstFailure: `seed ${c.firstFailure.seed}: ${c.firstFailure.message}` } : {}),
    })),
    metrics,
    stoppedBy: p.stoppedBy,
    ...(p.faults ? { faults: p.faults } : {}),
  };
}
