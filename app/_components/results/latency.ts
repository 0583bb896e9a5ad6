// Per-request latencies read back from a trace: for each workload request a client accepted,
// the time from its first send to the accept, as the simulator's metrics define latency.

import type { Trace } from "@/server/sim/trace/trace";
import { EV_ACCEPT, EV_ISSUE, EV_SEND, OUTCOME_OK } from "@/server/sim/trace/kinds";

export interface RequestLatencies {
  /** Request ids, in acceptance order. */
  request: Int32Array;
  /** When each request was first sent (µs). */
  startUs: Float64Array;
  /** Accept time minus first send (µs). */
  latencyUs: Float64Array;
  /** Index of each request's accept event. */
  acceptEvent: Int32Array;
  count: number;
}

/**
 * Latencies of accepted workload requests. Downstream calls (server.calls) are left out, as in the
 * run's metrics. The start is the first send; a request with no send event (not possible in v1
 * traces, but cheap to guard) starts at its issue.
 */
export function requestLatencies(trace: Trace): RequestLatencies {
  const d = trace.data;
  if (d.layout === "nodes") return operationLatencies(trace);
  const reqs = d.requests;
  const firstSend = new Float64Array(reqs.count).fill(-1);
  const issued = new Float64Array(reqs.count).fill(-1);
  let accepts = 0;
  for (let i = 0; i < d.length; i++) {
    const k = d.kind[i];
    if (k === EV_SEND) {
      const r = d.messages.request[d.ref[i]!]!;
      if (firstSend[r]! < 0) firstSend[r] = d.time[i]!;
    } else if (k === EV_ISSUE) {
      issued[d.ref[i]!] = d.time[i]!;
    } else if (k === EV_ACCEPT) {
      accepts++;
    }
  }
  const out: RequestLatencies = {
    request: new Int32Array(accepts),
    startUs: new Float64Array(accepts),
    latencyUs: new Float64Array(accepts),
    acceptEvent: new Int32Array(accepts),
    count: 0,
  };
  for (let i = 0; i < d.length; i++) {
    if (d.kind[i] !== EV_ACCEPT) continue;
    const r = d.messages.request[d.ref[i]!]!;
    if (reqs.workload[r]! < 0) continue;
    const start = firstSend[r]! >= 0 ? firstSend[r]! : issued[r]!;
    const k = out.count++;
    out.request[k] = r;
    out.startUs[k] = start;
    out.latencyUs[k] = d.time[i]! - start;
    out.acceptEvent[k] = i;
  }
  return out;
}

/** Nearest-rank percentile (the smallest value with at least p% at or below it), as the metrics use. NaN when empty. */
export function nearestRankPercentile(sortedAscending: ArrayLike<number>, p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sortedAscending[Math.min(n, rank) - 1]!;
}

export interface LatencySummary {
  count: number;
  meanMs: number | null;
  p50Ms: number | null;
  p90Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

export function summarizeLatencies(l: RequestLatencies): LatencySummary {
  if (l.count === 0) return { count: 0, meanMs: null, p50Ms: null, p90Ms: null, p99Ms: null, maxMs: null };
  const sorted = l.latencyUs.slice(0, l.count).sort();
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!;
  return {
    count: l.count,
    meanMs: sum / sorted.length / 1000,
    p50Ms: nearestRankPercentile(sorted, 50) / 1000,
    p90Ms: nearestRankPercentile(sorted, 90) / 1000,
    p99Ms: nearestRankPercentile(sorted, 99) / 1000,
    maxMs: sorted[sorted.length - 1]! / 1000,
  };
}

/** A run of nodes: the workload operations that succeeded, from invocation to answer. */
function operationLatencies(trace: Trace): RequestLatencies {
  const d = trace.data;
  if (d.layout !== "nodes") throw new Error("a nodes trace");
  const o = d.ops;
  let n = 0;
  for (let k = 0; k < o.count; k++) if (o.outcome[k] === OUTCOME_OK && o.complete[k]! >= 0) n++;
  const out: RequestLatencies = { request: new Int32Array(n), startUs: new Float64Array(n), latencyUs: new Float64Array(n), acceptEvent: new Int32Array(n), count: 0 };
  for (let k = 0; k < o.count; k++) {
    if (o.outcome[k] !== OUTCOME_OK || o.complete[k]! < 0) continue;
    const start = d.time[o.invoke[k]!]!;
    const c = out.count++;
    out.request[c] = k;
    out.startUs[c] = start;
    out.latencyUs[c] = d.time[o.complete[k]!]! - start;
    out.acceptEvent[c] = o.complete[k]!;
  }
  return out;
}
