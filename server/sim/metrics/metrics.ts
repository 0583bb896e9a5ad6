// Run metrics exactly as the format defines them: message conservation counts, workload requests
// (downstream calls apart), executions, and nearest-rank latency percentiles in milliseconds.

import type { MessageCounters } from "../network/transport";
import type { RequestResponseCounters } from "../protocols/request-response/module";

export interface LatencySummaryMs {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
}

export interface RequestMetrics {
  issued: number;
  succeeded: number;
  failed: number;
  attempts: number;
  /** Issued but neither succeeded nor failed when the run stopped. */
  pending: number;
}

export interface RunMetrics {
  messages: {
    sent: number;
    delivered: number;
    dropped: number;
    duplicated: number;
    /** Copies still travelling when the run stopped: sent + duplicated = delivered + dropped + inFlight. */
    inFlight: number;
    droppedBy: { loss: number; partition: number; fault: number; receiverDown: number };
  };
  /** request-response: the workload's requests; a run of nodes: the workload's operations, counted the same way. */
  requests: RequestMetrics;
  /** Downstream requests servers made (server.calls), counted the same way (request-response only). */
  calls?: RequestMetrics;
  /** Executions of workload requests (request-response only). */
  executions?: number;
  latencyMs: LatencySummaryMs;
  /** A run of nodes: how the workload's operations ended (ok: happened, failed: did not, indeterminate: unknown). */
  operations?: { invoked: number; ok: number; failed: number; indeterminate: number; pending: number };
}

/**
 * Nearest-rank percentile of an ascending array: the smallest value with at least p% of
 * values at or below it (index ceil(p/100 * n) - 1). NaN for an empty array.
 */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[Math.min(n, rank) - 1]!;
}

/** Index (into the ascending order) of the nearest-rank p-th percentile. */
export function nearestRankIndex(n: number, p: number): number {
  return Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1;
}

/** Summary of ascending latencies (µs) in milliseconds. */
export function summarizeLatenciesUs(sorted: Float64Array): LatencySummaryMs {
  const count = sorted.length;
  if (count === 0) return { mean: null, p50: null, p90: null, p99: null, max: null };
  let sum = 0;
  for (let i = 0; i < count; i++) sum += sorted[i]!;
  const ms = (us: number) => us / 1000;
  return {
    mean: ms(sum / count),
    p50: ms(nearestRank(sorted, 50)),
    p90: ms(nearestRank(sorted, 90)),
    p99: ms(nearestRank(sorted, 99)),
    max: ms(sorted[count - 1]!),
  };
}

/** The message counts of the format: what the transport counted. */
export function messageMetrics(c: MessageCounters): RunMetrics["messages"] {
  return {
    sent: c.sent,
    delivered: c.delivered,
    dropped: c.dropped,
    duplicated: c.duplicated,
    inFlight: c.inFlight,
    droppedBy: { loss: c.droppedBy[0], partition: c.droppedBy[1], fault: c.droppedBy[2], receiverDown: c.droppedBy[3] },
  };
}

export function buildMetrics(m: MessageCounters, c: RequestResponseCounters, sortedLatenciesUs: Float64Array): RunMetrics {
  const req = (r: RequestResponseCounters["requests"]): RequestMetrics => ({ ...r, pending: r.issued - r.succeeded - r.failed });
  return {
    messages: messageMetrics(m),
    requests: req(c.requests),
    calls: req(c.calls),
    executions: c.executions,
    latencyMs: summarizeLatenciesUs(sortedLatenciesUs),
  };
}
