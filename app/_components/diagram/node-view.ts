// The diagram's view of a run of nodes: arrows coloured by message type (replies share their
// request's colour, lighter), and the label a protocol note gets (role, term, decision).

import type { Trace } from "@/server/sim/trace/trace";
import { TYPE_PALETTE } from "./styles";

/** The base type of a message type: "read_ok" and "read" share a colour. */
export function baseType(type: string): string {
  return type.endsWith("_ok") ? type.slice(0, -3) : type;
}

const colorCache = new WeakMap<Trace, Map<number, string>>();

/** The arrow colour of message m: by its type (errors are red). */
export function nodesArrowColor(trace: Trace, m: number): string {
  const d = trace.data;
  if (d.layout !== "nodes") return TYPE_PALETTE[0];
  let byType = colorCache.get(trace);
  if (!byType) {
    byType = new Map();
    const order = new Map<string, number>();
    for (let k = 0; k < d.messages.count; k++) {
      const typeId = d.messages.type[k]!;
      if (byType.has(typeId)) continue;
      const type = trace.str(typeId) ?? "";
      if (type === "error") {
        byType.set(typeId, "#c92a2a");
        continue;
      }
      const base = baseType(type);
      if (!order.has(base)) order.set(base, order.size);
      byType.set(typeId, TYPE_PALETTE[order.get(base)! % TYPE_PALETTE.length]!);
    }
    colorCache.set(trace, byType);
  }
  return byType.get(d.messages.type[m]!) ?? TYPE_PALETTE[0];
}

/** The message types of a run, each with its colour, for the legend. */
export function messageTypeColors(trace: Trace): { type: string; color: string }[] {
  const d = trace.data;
  if (d.layout !== "nodes") return [];
  const seen = new Map<string, string>();
  for (let m = 0; m < d.messages.count; m++) {
    const base = baseType(trace.str(d.messages.type[m]!) ?? "");
    if (!seen.has(base)) seen.set(base, nodesArrowColor(trace, m));
  }
  return [...seen].map(([type, color]) => ({ type, color }));
}

/** A short label for note row `row`: its name and the first of its fields, e.g. "role leader". */
export function noteLabel(trace: Trace, row: number): string | null {
  const d = trace.data;
  if (d.layout !== "nodes") return null;
  const name = trace.str(d.notes.name[row]!) ?? "";
  // A state note is drawn as the lane's role band and epoch marks, not as a label.
  if (name === "state") return null;
  let fields: Record<string, unknown> = {};
  try {
    fields = JSON.parse(trace.str(d.notes.fields[row]!) ?? "{}") as Record<string, unknown>;
  } catch {
    fields = {};
  }
  const first = Object.entries(fields)[0];
  if (!first) return name;
  const v = typeof first[1] === "string" || typeof first[1] === "number" ? String(first[1]) : JSON.stringify(first[1]);
  return `${first[0] === name ? "" : `${name} `}${first[0]} ${v.length > 24 ? `${v.slice(0, 23)}…` : v}`.trim();
}
