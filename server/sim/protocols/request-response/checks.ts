// Request-response's checks, read from the run's history (requests, messages, executions, latencies),
// never from node internals. A failed check says why in words and names witness events.

import type { CheckResult } from "../../checkers/result";
import { formatDuration } from "../../scenario/duration";
import type { Check } from "../../scenario/types";
import { nearestRankIndex } from "../../metrics/metrics";
import { FAIL_CLIENT_CRASHED, OPS } from "../../trace/kinds";

export type { CheckResult };

/** What the checkers read: the run's history, as the simulation leaves it. */
export interface History {
  nodeIds: readonly string[];
  strings: { list: readonly string[] };
  reqs: {
    count: number;
    client: Uint16Array;
    server: Uint16Array;
    op: Uint8Array;
    key: Int32Array;
    workload: Int32Array;
    issue: Int32Array;
  };
  msgs: { value: Int32Array; trueValue: Int32Array; send: Int32Array; from: Uint16Array; byzantine: Int8Array };
  state: Uint8Array;
  attempts: Int32Array;
  firstSendUs: Float64Array;
  doneUs: Float64Array;
  executions: Int32Array;
  exec1: Int32Array;
  exec2: Int32Array;
  exec1Us: Float64Array;
  exec2Us: Float64Array;
  acceptMsg: Int32Array;
  acceptIndex: Int32Array;
  failIndex: Int32Array;
  lastSendIndex: Int32Array;
  latencyUs: Float64Array;
  latencyReq: Int32Array;
  latencyCount: number;
  /** Request runtime state codes (see simulation.ts). */
  isWorkloadRequest(r: number): boolean;
  /** latencyUs[0..latencyCount) sorted ascending. */
  sortedLatenciesUs(): Float64Array;
  failReason(r: number): number;
}


const SUCCEEDED = 2;
const FAILED = 3;

const ms = (us: number) => formatDuration(Math.round(us));

function describe(h: History, r: number): string {
  const q = h.reqs;
  const key = h.strings.list[q.key[r]!] ?? "";
  return `request #${r} (${h.nodeIds[q.client[r]!]} → ${h.nodeIds[q.server[r]!]} ${OPS[q.op[r]!]} ${key})`;
}

function quote(h: History, id: number): string {
  return id < 0 ? "null" : JSON.stringify(h.strings.list[id] ?? "");
}

function allComplete(h: History, withinUs: number | null): CheckResult & { name: string } {
  const q = h.reqs;
  let issued = 0;
  let bad = 0;
  let first = -1;
  const state = h.state;
  const count = q.count;
  for (let r = 0; r < count; r++) {
    if (!h.isWorkloadRequest(r)) continue;
    issued++;
    const st = state[r];
    const late = st === SUCCEEDED && withinUs !== null && h.doneUs[r]! - h.firstSendUs[r]! > withinUs;
    if (st !== SUCCEEDED || late) {
      bad++;
      if (first < 0) first = r;
    }
  }
  if (bad === 0) return { name: "all-complete", ok: true };
  const r = first;
  let why: string;
  let last: number;
  const st = h.state[r];
  if (st === SUCCEEDED) {
    why = `was answered ${ms(h.doneUs[r]! - h.firstSendUs[r]!)} after its first send, later than within ${ms(withinUs ?? 0)}`;
    last = h.acceptIndex[r]!;
  } else if (st === FAILED) {
    const client = h.nodeIds[q.client[r]!];
    why =
      h.failReason(r) === FAIL_CLIENT_CRASHED
        ? `was abandoned when ${client} crashed at ${ms(h.doneUs[r]!)}`
        : `failed after ${h.attempts[r]} attempt${h.attempts[r] === 1 ? "" : "s"}, at ${ms(h.doneUs[r]!)}`;
    last = h.failIndex[r]!;
  } else {
    why = `was still waiting for a response when the run stopped (${h.attempts[r]} attempt${h.attempts[r] === 1 ? "" : "s"})`;
    last = h.lastSendIndex[r]!;
  }
  const summary = withinUs === null ? `${bad} of ${issued} requests got no response` : `${bad} of ${issued} requests were not answered within ${ms(withinUs)}`;
  return { name: "all-complete", ok: false, message: `${summary}; the first, ${describe(h, r)}, ${why}`, witness: [q.issue[r]!, last] };
}

function atMostOnce(h: History): CheckResult {
  let bad = 0;
  let first = -1;
  const executions = h.executions;
  const exec2 = h.exec2;
  const count = h.reqs.count;
  for (let r = 0; r < count; r++) {
    if (executions[r]! < 2) continue;
    bad++;
    if (first < 0 || exec2[r]! < exec2[first]!) first = r;
  }
  if (bad === 0) return { name: "at-most-once", ok: true };
  const r = first;
  const n = h.executions[r]!;
  const times = n === 2 ? "twice" : `${n} times`;
  const server = h.nodeIds[h.reqs.server[r]!];
  const more = bad > 1 ? ` (${bad} requests were executed more than once)` : "";
  return {
    name: "at-most-once",
    ok: false,
    message: `${describe(h, r)} was executed ${times} by ${server}: first at ${ms(h.exec1Us[r]!)}, again at ${ms(h.exec2Us[r]!)}${more}`,
    witness: [h.exec1[r]!, h.exec2[r]!],
  };
}

function correctResponses(h: History): CheckResult {
  let bad = 0;
  let first = -1;
  const state = h.state;
  const acceptMsg = h.acceptMsg;
  const value = h.msgs.value;
  const trueValue = h.msgs.trueValue;
  const count = h.reqs.count;
  for (let r = 0; r < count; r++) {
    if (state[r] !== SUCCEEDED) continue;
    const m = acceptMsg[r]!;
    if (value[m] === trueValue[m]) continue;
    bad++;
    if (first < 0 || h.acceptIndex[r]! < h.acceptIndex[first]!) first = r;
  }
  if (bad === 0) return { name: "correct-responses", ok: true };
  const r = first;
  const m = h.acceptMsg[r]!;
  const client = h.nodeIds[h.reqs.client[r]!];
  const server = h.nodeIds[h.msgs.from[m]!];
  const more = bad > 1 ? ` (${bad} accepted responses were wrong)` : "";
  return {
    name: "correct-responses",
    ok: false,
    message: `${client} accepted ${quote(h, h.msgs.value[m]!)} for ${describe(h, r)}, but ${server}'s state gave ${quote(h, h.msgs.trueValue[m]!)}${more}`,
    witness: [h.msgs.send[m]!, h.acceptIndex[r]!],
  };
}

function latency(h: History, c: Extract<Check, { name: "latency" }>): CheckResult {
  const n = h.latencyCount;
  if (n === 0) return { name: "latency", ok: true };
  const sorted = h.sortedLatenciesUs();
  const problems: string[] = [];
  const witness: number[] = [];
  const bound = (label: string, p: number, limitUs: number | null) => {
    if (limitUs === null) return;
    const v = sorted[nearestRankIndex(n, p)]!;
    if (v > limitUs) {
      problems.push(`${label} latency ${ms(v)} is over the bound ${ms(limitUs)}`);
      if (witness.length === 0) {
        // The first answered request with that latency.
        let k = 0;
        while (k < n - 1 && h.latencyUs[k] !== v) k++;
        const r = h.latencyReq[k]!;
        witness.push(h.reqs.issue[r]!, h.acceptIndex[r]!);
      }
    }
  };
  bound("p50", 50, c.p50Us);
  bound("p99", 99, c.p99Us);
  bound("max", 100, c.maxUs);
  if (problems.length === 0) return { name: "latency", ok: true };
  return { name: "latency", ok: false, message: `${problems.join("; ")} (over ${n} answered requests)`, witness };
}

export function evaluateChecks(h: History, checks: readonly Check[]): CheckResult[] {
  return checks.map((c): CheckResult => {
    switch (c.name) {
      case "all-complete":
        return allComplete(h, c.withinUs);
      case "at-most-once":
        return atMostOnce(h);
      case "exactly-once": {
        const a = allComplete(h, c.withinUs);
        const b = atMostOnce(h);
        if (a.ok && b.ok) return { name: "exactly-once", ok: true };
        const parts = [a, b].filter((x) => !x.ok);
        return {
          name: "exactly-once",
          ok: false,
          message: parts.map((x) => x.message).join("; and "),
          witness: parts.flatMap((x) => x.witness ?? []),
        };
      }
      case "correct-responses":
        return correctResponses(h);
      case "latency":
        return latency(h, c);
      default:
        // The parser refuses other checks for request-response.
        return { name: c.name, ok: false, message: `${c.name} is not a check of request-response` };
    }
  });
}
