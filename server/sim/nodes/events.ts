// Events of a run of nodes in the words the pages use: each message's type and JSON body, log
// lines, node errors, protocol notes and workload operations, from the trace's own tables.

import { EV_COMPLETE, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_INVOKE, EV_LOG, EV_NODE_ERROR, EV_NOTE, EV_SEND, EV_TIMER, OUTCOMES } from "../trace/kinds";
import type { NodeTraceData } from "../trace/recorder";
import type { Trace, TraceEvent } from "../trace/trace";

function json(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Fills in what event i of a nodes trace refers to. */
export function describeNodeEvent(trace: Trace, d: NodeTraceData, ev: TraceEvent, i: number): void {
  const k = d.kind[i]!;
  const ref = d.ref[i]!;
  switch (k) {
    case EV_SEND:
    case EV_DUPLICATE:
    case EV_DELIVER:
    case EV_DROP: {
      const m = d.messages;
      ev.message = ref;
      ev.from = d.nodes[m.from[ref]!];
      ev.to = d.nodes[m.to[ref]!];
      ev.peer = d.node[i] === m.from[ref] ? ev.to : ev.from;
      ev.type = trace.str(m.type[ref]!) ?? "";
      ev.body = json(trace.str(m.body[ref]!));
      break;
    }
    case EV_LOG:
      ev.line = trace.str(ref) ?? "";
      break;
    case EV_NODE_ERROR:
      ev.error = json(trace.str(ref)) as TraceEvent["error"];
      break;
    case EV_TIMER:
      ev.timer = trace.str(ref) ?? "timer";
      break;
    case EV_NOTE: {
      const name = trace.str(d.notes.name[ref]!) ?? "";
      const fields = json(trace.str(d.notes.fields[ref]!));
      ev.note = { name, fields: fields !== null && typeof fields === "object" ? (fields as Record<string, unknown>) : {} };
      break;
    }
    case EV_INVOKE:
    case EV_COMPLETE: {
      const o = d.ops;
      ev.operation = ref;
      ev.from = d.nodes[o.client[ref]!];
      ev.to = d.nodes[o.node[ref]!];
      ev.input = json(trace.str(o.input[ref]!));
      if (k === EV_COMPLETE) {
        ev.output = json(trace.str(o.output[ref]!));
        ev.outcome = OUTCOMES[d.aux[i]!] ?? "info";
      }
      break;
    }
  }
}
