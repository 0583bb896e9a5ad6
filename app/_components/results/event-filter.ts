// The event log's filters (node, kind, message type) over the trace's columns, giving the
// matching event indices at once, so a 100,000-row log filters without building objects.

import type { Trace } from "@/server/sim/trace/trace";
import { EVENT_KINDS, MESSAGE_TYPES, NO_NODE, EV_ACCEPT, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_IGNORE, EV_RESEND, EV_RESPOND, EV_SEND, EV_ENQUEUE, EV_PROCESS, EV_EXECUTE, EV_DEDUPE_HIT, EV_ABANDON, EV_WITHHOLD } from "@/server/sim/trace/kinds";

export interface EventFilter {
  /** Node id, "" for any. */
  node: string;
  /** Event kind name, "" for any. */
  kind: string;
  /** A message type ("request", "response", or a program's body type such as "echo"), "none" (events that carry no message), or "" for any. */
  messageType: string;
}

export const NO_FILTER: EventFilter = { node: "", kind: "", messageType: "" };

/** Kinds whose `ref` is a message (their message type is that message's). */
const MESSAGE_REF_KINDS = new Set<number>([
  EV_SEND, EV_RESEND, EV_RESPOND, EV_DUPLICATE, EV_DELIVER, EV_DROP, EV_ACCEPT, EV_IGNORE,
  EV_ENQUEUE, EV_PROCESS, EV_EXECUTE, EV_DEDUPE_HIT, EV_ABANDON, EV_WITHHOLD,
]);

/** Kinds whose `ref` is a message in a run of nodes. */
const NODE_MESSAGE_KINDS = new Set<number>([EV_SEND, EV_DUPLICATE, EV_DELIVER, EV_DROP]);

/** The message type of event i ("request", "echo", ...), or null when it carries none. */
export function messageTypeOf(trace: Trace, i: number): string | null {
  const d = trace.data;
  const k = d.kind[i]!;
  if (d.layout === "nodes") return NODE_MESSAGE_KINDS.has(k) ? trace.str(d.messages.type[d.ref[i]!]!) : null;
  if (!MESSAGE_REF_KINDS.has(k)) return null;
  return MESSAGE_TYPES[d.messages.type[d.ref[i]!]!] ?? null;
}

/** The message types a trace has, for the filter's choices. */
export function messageTypesPresent(trace: Trace): string[] {
  const d = trace.data;
  if (d.layout !== "nodes") return [...MESSAGE_TYPES];
  const seen = new Set<string>();
  for (let m = 0; m < d.messages.count; m++) seen.add(trace.str(d.messages.type[m]!) ?? "");
  return [...seen].sort();
}

/** Indices of the events that pass the filter, ascending. */
export function filterEvents(trace: Trace, filter: EventFilter): Int32Array {
  const d = trace.data;
  const n = d.length;
  const node = filter.node ? d.nodes.indexOf(filter.node) : -2;
  const kind = filter.kind ? (EVENT_KINDS as readonly string[]).indexOf(filter.kind) : -2;
  // A filter naming something this trace does not have matches nothing.
  if ((filter.node && node < 0) || (filter.kind && kind < 0)) return new Int32Array(0);
  if (node === -2 && kind === -2 && !filter.messageType) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const wantType = filter.messageType === "none" ? null : filter.messageType;
  const out = new Int32Array(n);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (node !== -2 && (d.node[i] === NO_NODE ? -1 : d.node[i]) !== node) continue;
    if (kind !== -2 && d.kind[i] !== kind) continue;
    if (filter.messageType && messageTypeOf(trace, i) !== wantType) continue;
    out[c++] = i;
  }
  return out.slice(0, c);
}

/** The kinds that occur in a trace, in the vocabulary's order, for the filter's choices. */
export function kindsPresent(trace: Trace): string[] {
  const d = trace.data;
  const seen = new Uint8Array(EVENT_KINDS.length);
  for (let i = 0; i < d.length; i++) seen[d.kind[i]!] = 1;
  return EVENT_KINDS.filter((_, k) => seen[k] === 1);
}
