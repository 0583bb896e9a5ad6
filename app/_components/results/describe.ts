// One event in words, for the details panel, tooltips and the compare page: what happened,
// on which computer, to which request, in the lecture's vocabulary (lost, slow, crash, lie).

import type { TraceEvent } from "@/server/sim/trace/trace";
import { formatUs } from "./time";
import { stopReason } from "./stop-reason";

const DROP_WORDS: Record<string, string> = {
  loss: "lost by the network (random loss)",
  partition: "lost: a network partition separates the two",
  fault: "lost: a drop fault rule matched it",
  "receiver-down": "lost: the receiver was down when it arrived",
};

function quote(v: string | null | undefined): string {
  return v === null || v === undefined ? "null" : JSON.stringify(v);
}

function what(e: TraceEvent): string {
  const type = e.messageType === "response" ? "response" : "request";
  return `${type} of request #${e.request ?? "?"}`;
}

function operation(e: TraceEvent): string {
  if (!e.op) return "";
  return e.op === "write" ? `write ${e.key ?? ""} = ${quote(e.value)}` : `read ${e.key ?? ""}`;
}

function short(v: unknown, max = 80): string {
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text === undefined ? "" : text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A sentence for an event of a run of nodes (programs, built-in protocols, workloads). */
function describeNodeEvent(e: TraceEvent): string | null {
  const node = e.node ?? "The run";
  switch (e.kind) {
    case "send":
      return `${node} sends ${e.type} to ${e.to}: ${short(e.body)}${e.fault !== undefined ? " (a delay fault slows it)" : ""}`;
    case "deliver":
      return `${node} receives ${e.type} from ${e.from}${e.copy === 1 ? " (the duplicate copy)" : ""}: ${short(e.body)}`;
    case "drop":
      return `The ${e.type} message from ${e.from} to ${e.to}${e.copy === 1 ? " (duplicate copy)" : ""} is ${DROP_WORDS[e.reason ?? ""] ?? `lost (${e.reason})`}`;
    case "duplicate":
      return `The ${e.type} message from ${e.from} to ${e.to} will arrive twice (${e.reason === "fault" ? "a duplicate fault" : "network duplication"})`;
    default:
      return null;
  }
}

/** A sentence for event e, e.g. "C2 executes request #0 (write journal = "dear diary") → ok". */
export function describeEvent(e: TraceEvent): string {
  const node = e.node ?? "The run";
  if (e.type !== undefined) {
    const sentence = describeNodeEvent(e);
    if (sentence) return sentence;
  }
  const attempt = e.attempt && e.attempt > 1 ? `, attempt ${e.attempt}` : e.attempt === 1 ? ", attempt 1" : "";
  switch (e.kind) {
    case "issue":
      return `${node} issues request #${e.request} to ${e.to}: ${operation(e)}${e.parentRequest !== undefined ? ` (a downstream call made for request #${e.parentRequest})` : ""}`;
    case "send":
      return `${node} sends request #${e.request} to ${e.to}${attempt}${e.fault !== undefined ? " (a delay fault slows it)" : ""}`;
    case "resend":
      return `${node} resends request #${e.request} to ${e.to} (a retry${attempt})${e.fault !== undefined ? "; a delay fault slows it" : ""}`;
    case "respond": {
      const lie = e.byzantine ? `, a Byzantine answer (${e.byzantine}): the true value is ${quote(e.trueValue)}` : "";
      return `${node} answers request #${e.request} to ${e.to} with ${quote(e.value)}${lie}${e.fault !== undefined && !e.byzantine ? " (a delay fault slows it)" : ""}`;
    }
    case "duplicate":
      return `The ${what(e)} from ${e.from} to ${e.to} will arrive twice (${e.reason === "fault" ? "a duplicate fault" : "network duplication"})`;
    case "deliver":
      return `${node} receives the ${what(e)} from ${e.from}${attempt}${e.copy === 1 ? " (the duplicate copy)" : ""}`;
    case "drop":
      return `The ${what(e)} from ${e.from} to ${e.to}${e.copy === 1 ? " (duplicate copy)" : ""} is ${DROP_WORDS[e.reason ?? ""] ?? `lost (${e.reason})`}`;
    case "timeout":
      return `${node}'s timer for request #${e.request} (attempt ${e.attempt}) fires with no answer`;
    case "backoff":
      return `${node} backs off ${formatUs(e.durationUs ?? 0)} before resending request #${e.request}`;
    case "enqueue":
      return `${node} queues request #${e.request} behind others (queue length ${e.queueLength})`;
    case "process":
      return `${node} starts processing request #${e.request} (${formatUs(e.durationUs ?? 0)})`;
    case "execute":
      return `${node} executes request #${e.request} (${operation(e)}) → ${quote(e.result)}`;
    case "dedupe-hit":
      return `${node} recognises request #${e.request} as a repeat and answers from its dedupe table (${quote(e.result)}), without executing again`;
    case "accept":
      return `${node} accepts the answer to request #${e.request}: ${quote(e.value)}${e.byzantine ? ` (a ${e.byzantine}: the true value was ${quote(e.trueValue)})` : ""}`;
    case "ignore":
      return `${node} ignores a ${e.reason === "duplicate" ? "duplicate" : "late"} answer to request #${e.request}`;
    case "fail":
      return `Request #${e.request} from ${node} fails: ${e.reason === "client-crashed" ? "the client crashed" : "no answer after the last retry"}`;
    case "crash":
      return e.fault === undefined ? `${node} crashes by itself: its program failed` : `${node} crashes: it loses its timers, queue and work in progress`;
    case "restart":
      return `${node} restarts`;
    case "pause":
      return `${node} pauses${e.durationUs !== undefined ? ` for ${formatUs(e.durationUs)}` : ""}: it keeps its state but processes nothing; what arrives, its timers and its work wait until it resumes`;
    case "resume":
      return `${node} resumes${e.fault === undefined ? " (every fault has ended)" : ""}: what waited during the pause happens now, in order`;
    case "abandon":
      return `${node} gives up request #${e.request}: its downstream call #${e.failedCall} failed, so the request gets no answer`;
    case "withhold":
      return `${node} (Byzantine, silent) executes request #${e.request} but never answers`;
    case "stop":
      return `The run stops (${stopReason(e.stoppedBy ?? "idle").short})`;
    case "timer":
      return `${node}'s timer fires (${e.timer ?? "timer"})`;
    case "log":
      return `${node} logs: ${short(e.line, 160)}`;
    case "note":
      return `${node}: ${e.note?.name ?? "note"} ${short(e.note?.fields ?? {}, 160)}`;
    case "invoke":
      return `${node} invokes operation #${e.operation} on ${e.to}: ${short(e.input)}`;
    case "complete":
      return `${node}'s operation #${e.operation} ${e.outcome === "ok" ? "succeeds" : e.outcome === "fail" ? "fails (it did not happen)" : "is indeterminate (no answer: it may or may not have happened)"}: ${short(e.output)}`;
    case "start":
      return `${node} starts its program and is sent init`;
    case "node-error":
      return `${node} fails: ${e.error?.message ?? "error"}${e.error?.file ? ` (${e.error.file}:${e.error.line ?? "?"}:${e.error.column ?? "?"})` : ""}`;
  }
  return `${node}: ${e.kind}`;
}

/** The event's fields as label/value rows for a details table, in a stable, readable order. */
export function eventFields(e: TraceEvent): [string, string][] {
  const rows: [string, string][] = [];
  const add = (label: string, v: unknown) => {
    if (v === undefined) return;
    rows.push([label, v === null ? "null" : typeof v === "string" ? v : String(v)]);
  };
  add("index", e.index);
  add("time", `${formatUs(e.timeUs)} (${e.timeUs} µs)`);
  if (e.localTimeUs !== undefined) add("local clock", `${formatUs(e.localTimeUs)} (${e.localTimeUs} µs)`);
  add("node", e.node ?? "–");
  add("kind", e.kind);
  add("message", e.message);
  add("message type", e.messageType);
  add("from", e.from);
  add("to", e.to);
  add("peer", e.peer);
  add("request", e.request);
  add("attempt", e.attempt);
  add("op", e.op);
  add("key", e.key);
  add("value", e.value);
  add("result", e.result);
  add("true value", e.trueValue);
  add("byzantine", e.byzantine);
  add("reason", e.reason);
  add("fault", e.fault);
  add("cause (send event)", e.cause);
  add("copy", e.copy);
  if (e.durationUs !== undefined) add("duration", `${formatUs(e.durationUs)} (${e.durationUs} µs)`);
  add("queue length", e.queueLength);
  add("stopped by", e.stoppedBy);
  add("parent request", e.parentRequest);
  add("workload entry", e.workload);
  add("failed call", e.failedCall);
  add("type", e.type);
  if (e.body !== undefined) add("body", JSON.stringify(e.body));
  add("log line", e.line);
  if (e.error) add("error", `${e.error.reason}: ${e.error.message}${e.error.file ? ` at ${e.error.file}:${e.error.line}:${e.error.column}` : ""}`);
  if (e.note) add(e.note.name, JSON.stringify(e.note.fields));
  add("operation", e.operation);
  if (e.input !== undefined) add("input", JSON.stringify(e.input));
  if (e.output !== undefined) add("output", JSON.stringify(e.output));
  add("outcome", e.outcome);
  add("timer", e.timer);
  return rows;
}
