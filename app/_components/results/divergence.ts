// Where two runs part ways: walk both traces in order and find the first event whose meaningful
// fields differ (time, node, kind, message type, peer, request, attempt, values, reasons).

import type { Trace, TraceEvent } from "@/server/sim/trace/trace";

/**
 * The fields compared, in the order a difference is reported. Left out on purpose: the Lamport
 * clock (derived from the rest), fault and workload indices (renumbered when a scenario version adds
 * a fault or workload entry in front, without changing what happens) and message ids (equal
 * whenever the events before are equal).
 */
export const DIVERGENCE_FIELDS = [
  "timeUs",
  "node",
  "kind",
  "messageType",
  "from",
  "to",
  "peer",
  "request",
  "attempt",
  "op",
  "key",
  "value",
  "result",
  "trueValue",
  "byzantine",
  "reason",
  "copy",
  "durationUs",
  "queueLength",
  "stoppedBy",
  "cause",
] as const satisfies readonly (keyof TraceEvent)[];

export type DivergenceField = (typeof DIVERGENCE_FIELDS)[number];

export interface Divergence {
  /** The first event index where the runs differ; both runs agree on every event before it. */
  index: number;
  /** Which fields differ; ["end"] when one run simply has no event at this index. */
  fields: (DivergenceField | "end")[];
  a: TraceEvent | null;
  b: TraceEvent | null;
}

export function differingFields(a: TraceEvent, b: TraceEvent): DivergenceField[] {
  const out: DivergenceField[] = [];
  for (const f of DIVERGENCE_FIELDS) {
    if (a[f] !== b[f]) out.push(f);
  }
  return out;
}

/** The first divergence of two traces, or null when they are event-for-event the same. */
export function firstDivergence(a: Trace, b: Trace): Divergence | null {
  const da = a.data;
  const db = b.data;
  const n = Math.min(da.length, db.length);
  for (let i = 0; i < n; i++) {
    // The columns rule out most differences without building event objects.
    if (da.time[i] !== db.time[i] || da.kind[i] !== db.kind[i] || a.nodes[a.nodeIndex(i)] !== b.nodes[b.nodeIndex(i)]) {
      const ea = a.event(i);
      const eb = b.event(i);
      return { index: i, fields: differingFields(ea, eb), a: ea, b: eb };
    }
    const ea = a.event(i);
    const eb = b.event(i);
    const fields = differingFields(ea, eb);
    if (fields.length > 0) return { index: i, fields, a: ea, b: eb };
  }
  if (da.length === db.length) return null;
  return { index: n, fields: ["end"], a: n < da.length ? a.event(n) : null, b: n < db.length ? b.event(n) : null };
}
