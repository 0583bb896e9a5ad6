// Focus on one request: the events that belong to it (its messages, retries, the server's work on
// it) and the work it caused (downstream calls, handlers run by its messages), found by following
// the trace's causal links. Pure: columns in, a per-event mask out, so the diagram can dim the rest.

import type { Trace } from "@/server/sim/trace/trace";
import {
  EV_ABANDON, EV_ACCEPT, EV_BACKOFF, EV_COMPLETE, EV_CRASH, EV_DEDUPE_HIT, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_ENQUEUE,
  EV_EXECUTE, EV_FAIL, EV_IGNORE, EV_INVOKE, EV_ISSUE, EV_PROCESS, EV_RESEND, EV_RESPOND, EV_RESTART, EV_SEND, EV_START,
  EV_TIMEOUT, EV_TIMER, EV_WITHHOLD, EV_PAUSE, EV_RESUME,
} from "@/server/sim/trace/kinds";

/** Kinds whose `ref` is a message in a request-response run. */
const RR_MESSAGE_KINDS = new Set<number>([
  EV_SEND, EV_RESEND, EV_RESPOND, EV_DUPLICATE, EV_DELIVER, EV_DROP, EV_ACCEPT, EV_IGNORE,
  EV_ENQUEUE, EV_PROCESS, EV_EXECUTE, EV_DEDUPE_HIT, EV_ABANDON, EV_WITHHOLD,
]);
/** Kinds whose `ref` is a request in a request-response run. */
const RR_REQUEST_KINDS = new Set<number>([EV_ISSUE, EV_TIMEOUT, EV_BACKOFF, EV_FAIL]);
/** Kinds whose `ref` is a message in a run of nodes. */
const NODE_MESSAGE_KINDS = new Set<number>([EV_SEND, EV_DUPLICATE, EV_DELIVER, EV_DROP]);
/** In a run of nodes, these start new work on a node: a handler's effects end where one of them begins. */
const NODE_STIMULUS_KINDS = new Set<number>([EV_DELIVER, EV_TIMER, EV_INVOKE, EV_CRASH, EV_RESTART, EV_START, EV_PAUSE, EV_RESUME]);

export interface Focus {
  /** What is focused, in words: "request 12 (C1 → S, read k)", "operation 3", "message 40". */
  label: string;
  /** Per event: 1 when it belongs to the focused request or the work it caused. */
  mask: Uint8Array;
  count: number;
  /** The focused event chosen to stand for the request (its issue, invoke or send). */
  root: number;
}

/** The request-response request event i belongs to, or -1 (crash, restart, stop). */
export function requestOf(trace: Trace, i: number): number {
  const d = trace.data;
  if (d.layout !== "request-response") return -1;
  const k = d.kind[i]!;
  if (RR_MESSAGE_KINDS.has(k)) return d.messages.request[d.ref[i]!] ?? -1;
  if (RR_REQUEST_KINDS.has(k)) return d.ref[i]!;
  return -1;
}

/** Whether event i can be focused (it belongs to a request, an operation or a message). */
export function canFocus(trace: Trace, i: number): boolean {
  if (i < 0 || i >= trace.length) return false;
  const d = trace.data;
  if (d.layout === "request-response") return requestOf(trace, i) >= 0;
  const k = d.kind[i]!;
  return NODE_MESSAGE_KINDS.has(k) || k === EV_INVOKE || k === EV_COMPLETE;
}

/**
 * The focus around event i, or null when it belongs to no request. A request-response run focuses
 * the request (every attempt) and the downstream calls made while serving it, however deep; a run
 * of nodes focuses the workload operation (invoke to completion) or the message, with everything
 * their deliveries set off: the handler's sends, their deliveries, and so on.
 */
export function focusAround(trace: Trace, i: number): Focus | null {
  if (!canFocus(trace, i)) return null;
  return trace.data.layout === "request-response" ? focusRequest(trace, requestOf(trace, i)) : focusNodes(trace, i);
}

/** A request and its descendants (downstream calls whose parent chain reaches it). */
export function focusRequest(trace: Trace, request: number): Focus {
  const d = trace.data;
  if (d.layout !== "request-response") throw new Error("focusRequest needs a request-response trace");
  const reqs = d.requests;
  // Requests are numbered in issue order and a call's parent is issued before it: one pass marks descendants.
  const inFocus = new Uint8Array(reqs.count);
  if (request >= 0 && request < reqs.count) inFocus[request] = 1;
  for (let r = request + 1; r < reqs.count; r++) {
    const p = reqs.parent[r]!;
    if (p >= 0 && inFocus[p] === 1) inFocus[r] = 1;
  }
  const mask = new Uint8Array(d.length);
  let count = 0;
  for (let e = 0; e < d.length; e++) {
    const r = requestOf(trace, e);
    if (r >= 0 && inFocus[r] === 1) {
      mask[e] = 1;
      count++;
    }
  }
  const client = trace.nodes[reqs.client[request]!] ?? "?";
  const server = trace.nodes[reqs.server[request]!] ?? "?";
  const key = trace.str(reqs.key[request]!);
  const op = reqs.op[request] === 1 ? "write" : "read";
  const calls = inFocus.reduce((s, v) => s + v, 0) - 1;
  const label = `request ${request} (${client} → ${server}, ${op}${key ? ` ${key}` : ""})${calls > 0 ? ` and ${calls} call${calls === 1 ? "" : "s"} it made` : ""}`;
  return { label, mask, count, root: reqs.issue[request] ?? -1 };
}

/** Run of nodes: an operation (its invoke) or a message (its send), and the cascade it set off. */
function focusNodes(trace: Trace, i: number): Focus {
  const d = trace.data;
  if (d.layout !== "nodes") throw new Error("focusNodes needs a trace of nodes");
  const k = d.kind[i]!;
  let root: number;
  let label: string;
  let end = -1;
  if (k === EV_INVOKE || k === EV_COMPLETE) {
    const op = d.ref[i]!;
    root = d.ops.invoke[op]!;
    end = d.ops.complete[op]!;
    label = `operation ${op} (${trace.nodes[d.ops.client[op]!] ?? "?"} → ${trace.nodes[d.ops.node[op]!] ?? "?"})`;
  } else {
    const m = d.ref[i]!;
    root = d.messages.send[m]!;
    label = `message ${m} (${trace.nodes[d.messages.from[m]!] ?? "?"} → ${trace.nodes[d.messages.to[m]!] ?? "?"}${d.messages.type[m]! >= 0 ? `, ${trace.str(d.messages.type[m]!)}` : ""})`;
  }
  const mask = cascade(trace, root);
  if (end >= 0) mask[end] = 1;
  let count = 0;
  for (let e = 0; e < mask.length; e++) count += mask[e]!;
  return { label, mask, count, root };
}

/**
 * Everything event `root` set off in a run of nodes: the effects recorded with it on its node at
 * the same instant (a handler's sends, notes, completion), the arrivals of the messages sent, the
 * effects of those arrivals, and so on. Timers a handler set are not linked in the trace, so a
 * timer's work is not followed.
 */
export function cascade(trace: Trace, root: number): Uint8Array {
  const d = trace.data;
  const n = d.length;
  const mask = new Uint8Array(n);
  if (root < 0 || root >= n) return mask;
  const sentInFocus = new Uint8Array(d.messages.count);
  mask[root] = 1;
  // The handler of the event being followed, on one node: its effects share its node and instant.
  let handlerNode = -1;
  let handlerTime = NaN;
  for (let e = root; e < n; e++) {
    const k = d.kind[e]!;
    const node = d.node[e]!;
    // Another node's event, a later instant or a new stimulus ends the handler being followed.
    if (handlerNode >= 0 && e !== root && (node !== handlerNode || d.time[e] !== handlerTime || NODE_STIMULUS_KINDS.has(k))) handlerNode = -1;
    const inFocus =
      mask[e] === 1 ||
      (NODE_MESSAGE_KINDS.has(k) && k !== EV_SEND && sentInFocus[d.ref[e]!] === 1) ||
      (handlerNode >= 0 && node === handlerNode);
    if (!inFocus) continue;
    mask[e] = 1;
    if (k === EV_SEND) sentInFocus[d.ref[e]!] = 1;
    if (k === EV_DELIVER || k === EV_INVOKE) {
      handlerNode = node;
      handlerTime = d.time[e]!;
    }
  }
  return mask;
}
