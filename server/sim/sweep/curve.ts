// A curve's points, pure: one sweep summary per parameter value becomes a point with each check's
// held/failed counts, the pass rate with its Wilson confidence interval, and latency percentiles.

import type { SweepSummary } from "./aggregate";
import type { VaryValue } from "./vary-path";

/** z of a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface RateInterval {
  rate: number;
  lo: number;
  hi: number;
}

export interface CurvePoint {
  value: VaryValue;
  /** The second and later vary specs' values (only when there are several). */
  series?: Record<string, VaryValue>;
  checks: { name: string; held: number; failed: number }[];
  metrics: {
    seeds: number;
    /** Seeds on which every check held, with a 95% Wilson interval. */
    passRate: RateInterval;
    /** Each check's rate of holding, with a 95% Wilson interval. */
    checkRates: Record<string, RateInterval>;
    /**
     * Latency percentiles in ms: pX is the X-th percentile over seeds of each seed's own pX (with one
     * request per seed, the percentiles of all requests). Null when no request was answered.
     */
    latencyMs: { p50: number; p90: number; p99: number } | null;
    /** Mean messages sent per seed. */
    messagesSent: number | null;
  };
}

/**
 * The Wilson score interval of k successes in n trials: unlike the normal approximation it stays
 * inside [0, 1] and is sound at rates near 0 or 1, where a curve of failures under loss spends its time.
 */
export function wilsonInterval(k: number, n: number, z = Z_95): RateInterval {
  if (n <= 0) return { rate: 0, lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At 0 or n successes the bound on that side is exactly 0 or 1 (the formula gives it up to rounding).
  return { rate: p, lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half) };
}

/** The point of one parameter value from the sweep of its seeds. */
export function curvePoint(value: VaryValue, summary: SweepSummary, series?: Record<string, VaryValue>): CurvePoint {
  const m = summary.metrics;
  const p50 = m["latencyMs.p50"];
  const p90 = m["latencyMs.p90"];
  const p99 = m["latencyMs.p99"];
  return {
    value,
    ...(series && Object.keys(series).length > 0 ? { series } : {}),
    checks: summary.checks.map((c) => ({ name: c.name, held: c.held, failed: c.failed })),
    metrics: {
      seeds: summary.seeds,
      passRate: wilsonInterval(summary.allHeld, summary.seeds),
      checkRates: Object.fromEntries(summary.checks.map((c) => [c.name, wilsonInterval(c.held, c.held + c.failed)])),
      latencyMs: p50 && p90 && p99 ? { p50: p50.p50, p90: p90.p90, p99: p99.p99 } : null,
      messagesSent: m["messages.sent"]?.mean ?? null,
    },
  };
}
