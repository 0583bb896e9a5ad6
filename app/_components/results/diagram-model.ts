// What the space-time diagram draws, derived once per trace from its columns: message
// arrows (send -> deliver or drop), when each node was down or paused, and same-instant offsets.

import type { Trace } from "@/server/sim/trace/trace";
import { rolesAndEpochs, type EpochMark, type RoleSpan } from "./protocol-state";
import { SERVICE_IDS } from "@/server/sim/scenario/types";
import { EV_BACKOFF, EV_CRASH, EV_DELIVER, EV_DROP, EV_PAUSE, EV_PROCESS, EV_RESTART, EV_RESUME, NO_NODE } from "@/server/sim/trace/kinds";

/** Several events of one node at the same instant are drawn this many pixels apart, in order. */
export const SAME_INSTANT_OFFSET_PX = 4;
/** At most this many same-instant neighbours are spread out; later ones share the last slot. */
export const SAME_INSTANT_RANK_MAX = 4;

export interface DiagramModel {
  trace: Trace;
  length: number;
  /** Lanes drawn: every node but the services no event or message of the run touched (they come last). */
  nodeCount: number;
  /** First and last event time (µs); endUs > startUs even for a run where nothing took time. */
  startUs: number;
  endUs: number;
  /** One arrow per deliver or drop event: the event's index, ascending. */
  arrowEnd: Int32Array;
  /** The matching send event (send, resend or respond). */
  arrowStart: Int32Array;
  /** For each event, its arrow number if it ends an arrow, else -1. */
  arrowOf: Int32Array;
  /** The longest arrow, in µs: how far before the visible window an arrow may start. */
  maxArrowSpanUs: number;
  /** The longest processing or backoff bar, in µs: how far before the window a bar may start. */
  maxBarUs: number;
  /** Per event: how many earlier events of its node share its instant (capped). */
  rank: Uint8Array;
  /** Per node: down intervals as [from, to) pairs in µs, ascending; `to` is endUs when it never came back. */
  down: Float64Array[];
  /** Per node: paused intervals (a pause fault: it processes nothing) as [from, to) pairs in µs; `to` is endUs when the run ended first. */
  paused: Float64Array[];
  /** A protocol's roles over time and its epoch changes (term, ballot, view), from its state notes. */
  roles: RoleSpan[];
  epochs: EpochMark[];
}

export function buildDiagramModel(trace: Trace): DiagramModel {
  const d = trace.data;
  const n = d.length;
  // One pass counts the arrows and marks the nodes that have events (for the lanes drawn).
  const used = new Uint8Array(d.nodes.length);
  let arrows = 0;
  for (let i = 0; i < n; i++) {
    const k = d.kind[i];
    if (k === EV_DELIVER || k === EV_DROP) arrows++;
    if (d.node[i]! !== NO_NODE) used[d.node[i]!] = 1;
  }
  const nodeCount = lanesOf(trace, used);
  const arrowEnd = new Int32Array(arrows);
  const arrowStart = new Int32Array(arrows);
  const arrowOf = new Int32Array(n).fill(-1);
  const rank = new Uint8Array(n);
  const lastTime = new Float64Array(nodeCount).fill(-1);
  const lastRank = new Uint8Array(nodeCount);
  const downLists: number[][] = Array.from({ length: nodeCount }, () => []);
  const downSince = new Float64Array(nodeCount).fill(-1);
  const pausedLists: number[][] = Array.from({ length: nodeCount }, () => []);
  const pausedSince = new Float64Array(nodeCount).fill(-1);
  let maxSpan = 0;
  let maxBar = 0;
  let a = 0;
  for (let i = 0; i < n; i++) {
    const k = d.kind[i]!;
    const node = d.node[i]!;
    const t = d.time[i]!;
    if (node !== NO_NODE) {
      if (lastTime[node] === t) {
        const r = Math.min(SAME_INSTANT_RANK_MAX, lastRank[node]! + 1);
        rank[i] = r;
        lastRank[node] = r;
      } else {
        lastTime[node] = t;
        lastRank[node] = 0;
      }
    }
    if (k === EV_DELIVER || k === EV_DROP) {
      const s = d.messages.send[d.ref[i]!]!;
      arrowEnd[a] = i;
      arrowStart[a] = s;
      arrowOf[i] = a;
      const span = t - d.time[s]!;
      if (span > maxSpan) maxSpan = span;
      a++;
    } else if (k === EV_PROCESS || k === EV_BACKOFF) {
      if (d.aux[i]! > maxBar) maxBar = d.aux[i]!;
    } else if (k === EV_CRASH && node !== NO_NODE) {
      if (downSince[node]! < 0) downSince[node] = t;
    } else if (k === EV_RESTART && node !== NO_NODE) {
      if (downSince[node]! >= 0) {
        downLists[node]!.push(downSince[node]!, t);
        downSince[node] = -1;
      }
    } else if (k === EV_PAUSE && node !== NO_NODE) {
      if (pausedSince[node]! < 0) pausedSince[node] = t;
    } else if (k === EV_RESUME && node !== NO_NODE) {
      if (pausedSince[node]! >= 0) {
        pausedLists[node]!.push(pausedSince[node]!, t);
        pausedSince[node] = -1;
      }
    }
  }
  const startUs = n > 0 ? Math.min(0, d.time[0]!) : 0;
  const lastUs = n > 0 ? d.time[n - 1]! : 0;
  // A run whose events all happen at one instant still gets a visible time span.
  const endUs = Math.max(lastUs, startUs + 1000);
  for (let node = 0; node < nodeCount; node++) {
    if (downSince[node]! >= 0) downLists[node]!.push(downSince[node]!, endUs);
    if (pausedSince[node]! >= 0) pausedLists[node]!.push(pausedSince[node]!, endUs);
  }
  const { roles, marks } = rolesAndEpochs(trace, endUs);
  return {
    roles,
    epochs: marks,
    trace,
    length: n,
    nodeCount,
    startUs,
    endUs,
    arrowEnd,
    arrowStart,
    arrowOf,
    maxArrowSpanUs: maxSpan,
    maxBarUs: maxBar,
    rank,
    down: downLists.map((l) => Float64Array.from(l)),
    paused: pausedLists.map((l) => Float64Array.from(l)),
  };
}

/** First index in ascending `values[0..n)` whose value is >= t (n when none). */
export function lowerBound(values: ArrayLike<number>, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > t. */
export function upperBound(values: ArrayLike<number>, n: number, t: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether node `node` is down at time t. */
export function isDown(model: DiagramModel, node: number, t: number): boolean {
  const iv = model.down[node];
  if (!iv) return false;
  for (let k = 0; k < iv.length; k += 2) if (t >= iv[k]! && t < iv[k + 1]!) return true;
  return false;
}

/** The start of the node's first down interval after t, or Infinity: where a processing bar is cut off. */
export function nextDownAfter(model: DiagramModel, node: number, t: number): number {
  const iv = model.down[node];
  if (!iv) return Infinity;
  for (let k = 0; k < iv.length; k += 2) if (iv[k]! >= t) return iv[k]!;
  return Infinity;
}

/**
 * How many lanes the diagram draws: a run of programs has the services (lin-kv, seq-kv, lww-kv,
 * lin-tso) as its last nodes, and an idle service's empty lane is left out. A node the scenario
 * declares always keeps its lane. `used` marks the nodes with events; the messages' ends are added.
 */
function lanesOf(trace: Trace, used: Uint8Array): number {
  const d = trace.data;
  for (let m = 0; m < d.messages.from.length; m++) used[d.messages.from[m]!] = used[d.messages.to[m]!] = 1;
  let count = d.nodes.length;
  while (count > 1 && !used[count - 1] && (SERVICE_IDS as readonly string[]).includes(d.nodes[count - 1]!)) count--;
  return count;
}
