// A protocol's state as the run page shows it, from the "state" notes nodes write: each node's
// state at any step (RaftScope's view, but of a stored, reproducible run), the role each node
// plays over time (for the diagram's lane colours) and where its term, ballot or view changes.

import type { Trace } from "@/server/sim/trace/trace";
import { EV_NOTE } from "@/server/sim/trace/kinds";

export interface NodeStates {
  /** Per node: the events of its state notes, ascending, and the states they carry. */
  events: Int32Array[];
  states: Record<string, unknown>[][];
}

/** The field names that mark an epoch: a change is drawn on the lane. */
const EPOCH_FIELDS = ["term", "ballot", "view", "epoch"] as const;

const cache = new WeakMap<Trace, NodeStates | null>();

/** Every node's state notes; null when the run has none (request-response, or a program that writes none). */
export function nodeStates(trace: Trace): NodeStates | null {
  if (cache.has(trace)) return cache.get(trace)!;
  const d = trace.data;
  let result: NodeStates | null = null;
  if (d.layout === "nodes") {
    const events: number[][] = d.nodes.map(() => []);
    const states: Record<string, unknown>[][] = d.nodes.map(() => []);
    for (let i = 0; i < d.length; i++) {
      if (d.kind[i] !== EV_NOTE) continue;
      const row = d.ref[i]!;
      if (trace.str(d.notes.name[row]!) !== "state") continue;
      let fields: unknown = null;
      try {
        fields = JSON.parse(trace.str(d.notes.fields[row]!) ?? "null");
      } catch {
        continue;
      }
      if (fields === null || typeof fields !== "object") continue;
      events[d.node[i]!]!.push(i);
      states[d.node[i]!]!.push(fields as Record<string, unknown>);
    }
    if (events.some((e) => e.length > 0)) result = { events: events.map((e) => Int32Array.from(e)), states };
  }
  cache.set(trace, result);
  return result;
}

/** Node n's state after event i (its latest state note at or before i), or null. */
export function stateAt(s: NodeStates, n: number, i: number): Record<string, unknown> | null {
  const ev = s.events[n]!;
  let lo = 0;
  let hi = ev.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ev[mid]! <= i) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : s.states[n]![lo - 1]!;
}

export interface RoleSpan {
  node: number;
  fromUs: number;
  toUs: number;
  role: string;
}

export interface EpochMark {
  node: number;
  timeUs: number;
  label: string;
}

/** Roles over time (from each state's `role`) and epoch changes (term, ballot, view), for the diagram. */
export function rolesAndEpochs(trace: Trace, endUs: number): { roles: RoleSpan[]; marks: EpochMark[] } {
  const s = nodeStates(trace);
  const roles: RoleSpan[] = [];
  const marks: EpochMark[] = [];
  if (!s) return { roles, marks };
  const time = trace.data.time;
  s.events.forEach((ev, node) => {
    let role: string | null = null;
    let since = 0;
    let epoch: string | null = null;
    ev.forEach((i, k) => {
      const st = s.states[node]![k]!;
      const t = time[i]!;
      const r = typeof st.role === "string" ? st.role : null;
      if (r !== role) {
        if (role !== null) roles.push({ node, fromUs: since, toUs: t, role });
        role = r;
        since = t;
      }
      const field = EPOCH_FIELDS.find((f) => st[f] !== undefined);
      const e = field ? `${field} ${JSON.stringify(st[field])}` : null;
      if (e !== null && e !== epoch) {
        marks.push({ node, timeUs: t, label: e });
        epoch = e;
      }
    });
    if (role !== null) roles.push({ node, fromUs: since, toUs: endUs, role });
  });
  return { roles, marks };
}

/** A colour per role, the same on every page: leaders and primaries stand out. */
export function roleColor(role: string): string {
  switch (role) {
    case "leader":
    case "primary":
    case "coordinator":
      return "rgba(47, 95, 179, 0.16)";
    case "candidate":
    case "proposer":
      return "rgba(217, 72, 15, 0.14)";
    case "follower":
    case "backup":
    case "participant":
    case "acceptor":
      return "rgba(31, 138, 76, 0.08)";
    default:
      return "rgba(112, 72, 232, 0.10)";
  }
}
