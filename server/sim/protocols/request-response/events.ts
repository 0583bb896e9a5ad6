// Request-response's events in words the pages use: the request and message each event refers to
// (operation, key, values, attempt, Byzantine answers) and the meaning of its own kinds' aux codes.

import {
  BYZ_BEHAVIORS,
  EV_ABANDON,
  EV_ACCEPT,
  EV_BACKOFF,
  EV_DEDUPE_HIT,
  EV_DELIVER,
  EV_DROP,
  EV_DUPLICATE,
  EV_ENQUEUE,
  EV_EXECUTE,
  EV_FAIL,
  EV_IGNORE,
  EV_ISSUE,
  EV_PROCESS,
  EV_RESEND,
  EV_RESPOND,
  EV_SEND,
  EV_TIMEOUT,
  EV_WITHHOLD,
  FAIL_REASONS,
  IGNORE_REASONS,
  MESSAGE_TYPES,
  OPS,
} from "../../trace/kinds";
import type { RequestResponseTraceData } from "../../trace/recorder";
import type { Trace, TraceEvent } from "../../trace/trace";

const MESSAGE_KINDS = new Set<number>([EV_SEND, EV_RESEND, EV_RESPOND, EV_DUPLICATE, EV_DELIVER, EV_DROP, EV_ACCEPT, EV_IGNORE]);
const JOB_KINDS = new Set<number>([EV_ENQUEUE, EV_PROCESS, EV_EXECUTE, EV_DEDUPE_HIT, EV_ABANDON, EV_WITHHOLD]);
const REQUEST_KINDS = new Set<number>([EV_ISSUE, EV_TIMEOUT, EV_BACKOFF, EV_FAIL]);

/** Fills in what event i of a request-response trace refers to. */
export function describeRequestResponseEvent(trace: Trace, d: RequestResponseTraceData, ev: TraceEvent, i: number): void {
  const k = d.kind[i]!;
  const ref = d.ref[i]!;
  const aux = d.aux[i]!;
  if (MESSAGE_KINDS.has(k) || JOB_KINDS.has(k)) describeMessage(trace, d, ev, ref, d.node[i]!);
  else if (REQUEST_KINDS.has(k)) describeRequest(trace, d, ev, ref);
  switch (k) {
    case EV_RESEND:
    case EV_RESPOND:
      if (aux >= 0) ev.fault = aux;
      break;
    case EV_TIMEOUT:
      ev.attempt = aux;
      break;
    case EV_BACKOFF:
      ev.durationUs = aux;
      break;
    case EV_ENQUEUE:
      ev.queueLength = aux;
      break;
    case EV_PROCESS:
      ev.durationUs = aux;
      break;
    case EV_EXECUTE:
    case EV_DEDUPE_HIT:
      ev.result = trace.str(aux);
      break;
    case EV_IGNORE:
      ev.reason = IGNORE_REASONS[aux];
      break;
    case EV_FAIL:
      ev.reason = FAIL_REASONS[aux];
      break;
    case EV_ABANDON:
      ev.failedCall = aux;
      break;
    case EV_WITHHOLD:
      ev.fault = aux;
      ev.byzantine = "silent";
      break;
  }
}

function describeRequest(trace: Trace, d: RequestResponseTraceData, ev: TraceEvent, r: number): void {
  const q = d.requests;
  ev.request = r;
  ev.from = d.nodes[q.client[r]!];
  ev.to = d.nodes[q.server[r]!];
  ev.op = OPS[q.op[r]!];
  ev.key = trace.str(q.key[r]!) ?? "";
  if (q.op[r] === 1) ev.value = trace.str(q.value[r]!);
  if (q.workload[r]! >= 0) ev.workload = q.workload[r]!;
  if (q.parent[r]! >= 0) ev.parentRequest = q.parent[r]!;
}

function describeMessage(trace: Trace, d: RequestResponseTraceData, ev: TraceEvent, m: number, nodeIdx: number): void {
  const msgs = d.messages;
  const r = msgs.request[m]!;
  describeRequest(trace, d, ev, r);
  ev.message = m;
  const type = msgs.type[m]!;
  ev.messageType = MESSAGE_TYPES[type];
  ev.from = d.nodes[msgs.from[m]!];
  ev.to = d.nodes[msgs.to[m]!];
  const peer = msgs.from[m] === nodeIdx ? msgs.to[m]! : msgs.from[m]!;
  ev.peer = d.nodes[peer];
  ev.attempt = msgs.attempt[m]!;
  if (type === 1) {
    ev.value = trace.str(msgs.value[m]!);
    ev.trueValue = trace.str(msgs.trueValue[m]!);
    const b = msgs.byzantine[m]!;
    if (b >= 0) {
      ev.byzantine = BYZ_BEHAVIORS[b];
      ev.fault = msgs.byzantineFault[m]!;
    }
  }
}
