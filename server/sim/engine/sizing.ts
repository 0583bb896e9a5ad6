// How many events a run is likely to process, from what its scenario declares, for sizing its
// tables (trace records, requests, messages) before it starts. maxEvents bounds every run but is
// 1M by default: tables sized from it took ~150 MB and longer to allocate than a tiny run takes to
// run. An open-loop workload (a fixed number of requests) or a node workload (a rate for a while)
// bounds a run far lower; a closed loop runs until maxEvents or `until`, so it keeps maxEvents.
// An estimate that is too low costs a few copies (tables grow fourfold, engine/grow.ts), never a
// different run: a table's size changes where records live, not what they are.
import type { Scenario } from "../scenario/types";

/** Estimated events of one attempt of one open-loop request (send, delivery, processing, answer, timer). */
const EVENTS_PER_REQUEST_ATTEMPT = 6;
/** Estimated extra events per downstream call a server makes before answering. */
const EVENTS_PER_DOWNSTREAM_CALL = 4;
/** Estimated events of each fault (a crash and its restart, a window opening and closing). */
const EVENTS_PER_FAULT = 4;
/** Estimated events per operation of a node workload, per node. */
const EVENTS_PER_NODE_OPERATION = 6;
/** Estimated events per simulated second, per node, of node programs' own timers. */
const EVENTS_PER_NODE_SECOND = 40;
/** Margin over the estimate: growing costs more than a little room. */
const MARGIN = 2;

/** Events the run will likely process, at most maxEvents. */
export function eventsEstimate(s: Scenario): number {
  if (s.workload.some((w) => w.kind === "closed-loop")) return s.maxEvents;
  let estimate: number;
  const p = s.protocol;
  if (p.kind === "request-response") {
    const calls = Object.values(p.server.calls).reduce((n, c) => n + c.length, 0);
    const copies = s.network.duplicate > 0 || s.network.links.some((l) => (l.duplicate ?? 0) > 0) || s.faults.some((f) => f.kind === "duplicate" || f.kind === "byzantine") ? 2 : 1;
    let requests = 0;
    for (const w of s.workload) if (w.kind === "open-loop") requests += w.count;
    estimate = requests * (p.client.retries + 1) * (EVENTS_PER_REQUEST_ATTEMPT + EVENTS_PER_DOWNSTREAM_CALL * calls) * copies;
  } else {
    let operations = 0;
    let endUs = 0;
    for (const w of s.workload) {
      if (!("rate" in w)) continue;
      operations += (w.rate * w.durationUs) / 1_000_000;
      endUs = Math.max(endUs, w.startUs + w.durationUs + w.recoveryUs + 2 * w.timeoutUs);
    }
    const seconds = Math.min(s.untilUs, endUs || s.untilUs) / 1_000_000;
    estimate = (operations * EVENTS_PER_NODE_OPERATION + seconds * EVENTS_PER_NODE_SECOND) * s.nodes.length;
  }
  estimate += EVENTS_PER_FAULT * s.faults.length;
  if (!Number.isFinite(estimate)) return s.maxEvents;
  return Math.max(1, Math.min(s.maxEvents, Math.ceil(estimate * MARGIN)));
}
