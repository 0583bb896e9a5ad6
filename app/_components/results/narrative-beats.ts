// The narrative's raw material: one "beat" per event worth telling (a loss, a timeout and its
// resend, a crash, a repeated execution, a failed operation…), in the slide's words, read from the
// trace alone. narrative.ts groups repeats, caps the length and adds the checks' verdicts.

import type { Trace, TraceEvent } from "@/server/sim/trace/trace";
import { DROP_REASONS, EVENT_KINDS, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_SEND, NO_NODE, OUTCOMES } from "@/server/sim/trace/kinds";
import { formatCount } from "@/app/_components/format";
import { formatUs } from "./time";

/** A sentence told about the run, with the events it speaks of (`at` is the one a click selects). */
export interface Beat {
  text: string;
  at: number;
  events: number[];
  /** Repeats share a group: the first is told, the rest become "…and N more ‹noun›". */
  group: string;
  /** "timeouts and resends by C1": what the summary of this group's repeats counts; "" drops repeats unsaid. */
  more: string;
  /** What a long story keeps first (lower first), for the first told and for the count of repeats. */
  priority: { told: number; more: number };
}

/** Notes of built-in protocols worth a sentence: a new leader or primary, a view change. */
const HEADLINE_NOTES = new Set(["elected", "primary", "view-change"]);

/** How far ahead a timeout looks for the resend it led to (past a backoff). */
const RESEND_LOOKAHEAD_EVENTS = 5_000;

/** Fault rules are counted from 1 on the page; `faults[0]` in the scenario is fault rule 1. */
export function faultRule(i: number): string {
  return `fault rule ${i + 1}`;
}

const at = (us: number) => `at ${formatUs(us)}`;
const quote = (v: string | null | undefined) => (v === null || v === undefined ? "null" : JSON.stringify(v));
const ordinal = (n: number) => (n === 2 ? "a second" : n === 3 ? "a third" : `a ${n}th`);

interface RequestInfo {
  op: string;
  client: string;
  server: string;
  parent: number | null;
}

/** What the opening sentence and the per-request words need, gathered in one pass. */
interface Index {
  requests: Map<number, RequestInfo>;
  /** Workload (not downstream) requests, in issue order, with their issue and first send. */
  workload: { request: number; issue: number; send: number; client: string; server: string; op: string; timeUs: number }[];
  executions: Map<number, number>;
  /** Message → the event where it first arrived (-1: never). */
  arrivals: Int32Array;
  invokes: number[];
  completes: { ok: number; fail: number; info: number };
}

function indexTrace(trace: Trace): Index {
  const d = trace.data;
  const ix: Index = { requests: new Map(), workload: [], executions: new Map(), arrivals: new Int32Array(d.messages.send.length).fill(-1), invokes: [], completes: { ok: 0, fail: 0, info: 0 } };
  const rr = d.layout !== "nodes";
  for (let i = 0; i < trace.length; i++) {
    const k = trace.kindName(i);
    if (k === "deliver") {
      const m = d.ref[i]!;
      if (ix.arrivals[m] === -1) ix.arrivals[m] = i;
    } else if (rr && k === "issue") {
      const e = trace.event(i, false);
      const info = { op: e.op ?? "request", client: e.node ?? "?", server: e.to ?? "?", parent: e.parentRequest ?? null };
      ix.requests.set(e.request!, info);
      if (info.parent === null) {
        const send = trace.kindName(i + 1) === "send" ? i + 1 : i;
        ix.workload.push({ request: e.request!, issue: i, send, client: info.client, server: info.server, op: info.op, timeUs: e.timeUs });
      }
    } else if (rr && k === "execute") {
      const r = trace.event(i, false).request!;
      ix.executions.set(r, (ix.executions.get(r) ?? 0) + 1);
    } else if (k === "invoke") ix.invokes.push(i);
    else if (k === "complete") {
      const o = OUTCOMES[d.aux[i]!];
      if (o === "ok") ix.completes.ok++;
      else if (o === "fail") ix.completes.fail++;
      else ix.completes.info++;
    }
  }
  return ix;
}

const byName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** An arrival of message `send` (its send, resend or respond event), or -1. */
function arrivalOf(trace: Trace, ix: Index, send: number): number {
  return ix.arrivals[trace.data.ref[send]!] ?? -1;
}

/**
 * Event i without what the narrative never reads: a message event of a run of nodes skips parsing
 * its JSON body (tens of thousands of lost or duplicated messages in a long run).
 */
function peek(trace: Trace, i: number): TraceEvent {
  const d = trace.data;
  const k = d.kind[i]!;
  if (d.layout !== "nodes" || (k !== EV_DROP && k !== EV_DUPLICATE && k !== EV_SEND && k !== EV_DELIVER)) return trace.event(i, false);
  const m = d.ref[i]!;
  const aux = d.aux[i]!;
  const n = d.node[i]!;
  const e: TraceEvent = { index: i, timeUs: d.time[i]!, node: n === NO_NODE ? null : (d.nodes[n] ?? null), kind: EVENT_KINDS[k]!, lamport: 0 };
  e.from = d.nodes[d.messages.from[m]!];
  e.to = d.nodes[d.messages.to[m]!];
  e.type = trace.str(d.messages.type[m]!) ?? "";
  if (k === EV_DROP) {
    e.reason = DROP_REASONS[aux & 3];
    const f = (aux >> 3) - 1;
    if (f >= 0) e.fault = f;
  } else if ((k === EV_SEND || k === EV_DUPLICATE) && aux >= 0) e.fault = aux;
  return e;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function nodeList(nodes: string[]): string {
  if (nodes.length <= 3) return nodes.length <= 1 ? (nodes[0] ?? "") : `${nodes.slice(0, -1).join(", ")} and ${nodes[nodes.length - 1]}`;
  return `${nodes.length} clients (${nodes[0]}–${nodes[nodes.length - 1]})`;
}

/** The opening: who asked what of whom, and when. */
function opening(trace: Trace, ix: Index): Beat[] {
  if (ix.workload.length === 1) {
    const w = ix.workload[0]!;
    const e = trace.event(w.issue, false);
    const what = w.op === "write" ? `the write (${e.key} = ${quote(e.value)})` : w.op === "read" ? `the read of ${e.key}` : `the ${w.op}`;
    return [{ text: `${w.client} sent ${what} to ${w.server} ${at(w.timeUs)}.`, at: w.send, events: [w.issue, w.send], group: "open", more: "", priority: priorityOf("open") }];
  }
  if (ix.workload.length > 1) {
    const clients = [...new Set(ix.workload.map((w) => w.client))].sort(byName);
    const servers = [...new Set(ix.workload.map((w) => w.server))];
    const ops = [...new Set(ix.workload.map((w) => w.op))];
    const first = ix.workload[0]!;
    const last = ix.workload[ix.workload.length - 1]!;
    const noun = ops.length === 1 ? plural(ix.workload.length, ops[0]!) : plural(ix.workload.length, "request");
    const to = servers.length === 1 ? servers[0]! : `${servers.length} servers`;
    return [{ text: `${nodeList(clients)} sent ${noun} to ${to}, from ${formatUs(first.timeUs)} to ${formatUs(last.timeUs)}.`, at: first.send, events: [first.issue, first.send], group: "open", more: "", priority: priorityOf("open") }];
  }
  if (ix.invokes.length > 0) {
    const clients = [...new Set(ix.invokes.map((i) => trace.data.nodes[trace.data.node[i]!] ?? "?"))].sort(byName);
    const { ok, fail, info } = ix.completes;
    const first = ix.invokes[0]!;
    const last = ix.invokes[ix.invokes.length - 1]!;
    const outcome = [`${formatCount(ok)} succeeded`, ...(fail ? [`${formatCount(fail)} failed`] : []), ...(info ? [`${formatCount(info)} got no answer`] : [])];
    const list = outcome.length === 1 ? outcome[0]! : `${outcome.slice(0, -1).join(", ")} and ${outcome[outcome.length - 1]}`;
    return [{
      text: `${nodeList(clients)} invoked ${plural(ix.invokes.length, "operation")}, from ${formatUs(trace.data.time[first]!)} to ${formatUs(trace.data.time[last]!)}: ${list}.`,
      at: first,
      events: [first],
      group: "open",
      more: "",
      priority: priorityOf("open"),
    }];
  }
  return [];
}

/**
 * How much a group matters when a long story is cut, lower first: the first told and the count of
 * its repeats. Faults, failures and the calls that explain them first, then the reactions to
 * them, then routine noise (random loss, queueing).
 */
function priorityOf(group: string): { told: number; more: number } {
  const kind = group.split(":")[0]!;
  if (kind === "open") return { told: -1, more: -1 };
  if (kind === "call") return { told: 0, more: 2 };
  if (group.startsWith("drop:loss") || group === "dup:net" || kind === "accept-retry") return { told: 2, more: 2.5 };
  if (kind === "queue") return { told: 1, more: 2.5 };
  if (group.startsWith("drop:receiver-down") || ["retry", "dedupe", "exec", "ignore", "accept"].includes(kind)) return { told: 1, more: 1.5 };
  return { told: 0, more: 0.5 };
}

/** Tells the events of a run, in order; repeats are grouped later. */
export function beatsOf(trace: Trace): Beat[] {
  const ix = indexTrace(trace);
  const single = ix.workload.length === 1 ? ix.workload[0]!.request : null;
  const beats: Beat[] = opening(trace, ix);
  const consumed = new Set<number>();
  const executed = new Map<number, number>();
  const lastAttempt = new Map<number, number>();

  const req = (r: number | undefined): string => {
    if (r === undefined) return "a request";
    if (r === single) return `the ${ix.requests.get(r)?.op ?? "request"}`;
    const info = ix.requests.get(r);
    if (info?.parent !== null && info?.parent !== undefined) return `${info.client}'s call to ${info.server} (request #${r})`;
    return `request #${r}`;
  };
  const msg = (e: TraceEvent): string => {
    if (e.type !== undefined) return `the ${e.type} message from ${e.from} to ${e.to}`;
    if (e.request === single) return e.messageType === "response" ? "the response" : "the request";
    return e.messageType === "response" ? `the response to ${req(e.request)}` : req(e.request);
  };
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  const add = (b: Omit<Beat, "priority">) => beats.push({ ...b, priority: priorityOf(b.group) });

  for (let i = 0; i < trace.length; i++) {
    if (consumed.has(i)) continue;
    const k = trace.kindName(i);
    switch (k) {
      case "issue": {
        const e = peek(trace, i);
        if (e.parentRequest === undefined) break;
        add({ text: `To answer ${req(e.parentRequest)}, ${e.node} called ${e.to} (request #${e.request}) ${at(e.timeUs)}.`, at: i, events: [i], group: `call:${e.node}:${e.to}`, more: `calls from ${e.node} to ${e.to}` });
        break;
      }
      case "send":
      case "resend":
      case "respond": {
        // Only a delayed send or a Byzantine answer is worth a sentence; most sends are neither.
        if (k !== "respond" && trace.data.aux[i]! < 0) break;
        const e = peek(trace, i);
        if (k === "respond" && e.byzantine) {
          const arrival = arrivalOf(trace, ix, i);
          const accept = arrival >= 0 && trace.kindName(arrival + 1) === "accept" ? arrival + 1 : undefined;
          if (accept !== undefined) consumed.add(accept);
          const acceptText = accept !== undefined ? `; ${e.to} accepted it ${at(trace.data.time[accept]!)}` : "";
          add({
            text: `${e.node} lied ${at(e.timeUs)} (${faultRule(e.fault ?? 0)}, ${e.byzantine}): it answered ${req(e.request)} with ${quote(e.value)}, though its state gave ${quote(e.trueValue)}${acceptText}.`,
            at: i,
            events: accept !== undefined ? [i, accept] : [i],
            group: `lie:${e.node}`,
            more: `wrong answers from ${e.node}`,
          });
          break;
        }
        if (e.fault === undefined) break;
        const arrival = arrivalOf(trace, ix, i);
        const when = arrival >= 0 ? `: it reached ${e.to} only ${at(trace.data.time[arrival]!)}` : "";
        add({
          text: `${cap(msg(e))} was delayed by ${faultRule(e.fault)}${when}.`,
          at: i,
          events: arrival >= 0 ? [i, arrival] : [i],
          group: `delay:${e.fault}`,
          more: `messages delayed by ${faultRule(e.fault)}`,
        });
        break;
      }
      case "duplicate": {
        const e = peek(trace, i);
        const by = e.fault !== undefined ? faultRule(e.fault) : "the network";
        add({ text: `${cap(by)} duplicated ${msg(e)} ${at(e.timeUs)}: it arrives twice.`, at: i, events: [i], group: `dup:${e.fault ?? "net"}`, more: `messages duplicated by ${by}` });
        break;
      }
      case "drop": {
        const e = peek(trace, i);
        const rule = e.fault !== undefined ? faultRule(e.fault) : null;
        let text: string;
        let more: string;
        switch (e.reason) {
          case "fault":
            text = `${cap(msg(e))} was lost ${at(e.timeUs)} (${rule}).`;
            more = `messages lost to ${rule}`;
            break;
          case "partition":
            text = `A partition${rule ? ` (${rule})` : ""} separated ${e.from} from ${e.to}: ${msg(e)} was lost ${at(e.timeUs)}.`;
            more = `messages lost to the partition${rule ? ` (${rule})` : ""}`;
            break;
          case "receiver-down":
            text = `${cap(msg(e))} reached ${e.to} while it was down and was lost (${formatUs(e.timeUs)}).`;
            more = `messages lost while ${e.to} was down`;
            break;
          default:
            text = `The network lost ${msg(e)} ${at(e.timeUs)}.`;
            more = "messages lost by the network";
        }
        add({ text, at: i, events: [i], group: `drop:${e.reason}:${e.reason === "receiver-down" ? e.to : (e.fault ?? "")}`, more });
        break;
      }
      case "timeout": {
        const e = peek(trace, i);
        lastAttempt.set(e.request!, e.attempt ?? 1);
        const events = [i];
        let resend = -1;
        let waited = 0;
        for (let j = i + 1; j < trace.length && j <= i + RESEND_LOOKAHEAD_EVENTS; j++) {
          const kj = trace.kindName(j);
          if (kj !== "resend" && kj !== "backoff" && kj !== "fail") continue;
          const ej = trace.event(j, false);
          if (ej.request !== e.request || ej.node !== e.node) continue;
          if (kj === "backoff") {
            waited = ej.durationUs ?? 0;
            events.push(j);
            consumed.add(j);
            continue;
          }
          if (kj === "resend") resend = j;
          break;
        }
        if (resend < 0) break; // the last attempt: the fail event tells it
        events.push(resend);
        consumed.add(resend);
        add({
          text: `${e.node} timed out ${at(e.timeUs)} and resent ${req(e.request)}${waited ? ` after waiting ${formatUs(waited)}` : ""}.`,
          at: i,
          events,
          group: `retry:${e.node}`,
          more: `timeouts and resends by ${e.node}`,
        });
        break;
      }
      case "enqueue": {
        const e = peek(trace, i);
        add({ text: `${e.node} was busy: ${req(e.request)} waited in its queue ${at(e.timeUs)}.`, at: i, events: [i], group: `queue:${e.node}`, more: `requests that waited in ${e.node}'s queue` });
        break;
      }
      case "execute": {
        const e = peek(trace, i);
        const r = e.request!;
        const n = (executed.get(r) ?? 0) + 1;
        executed.set(r, n);
        if ((ix.executions.get(r) ?? 0) < 2) break;
        if (n === 1) add({ text: `${e.node} executed ${req(r)} ${at(e.timeUs)}.`, at: i, events: [i], group: `exec:${e.node}`, more: "" });
        else add({ text: `${e.node} executed ${req(r)} ${ordinal(n)} time ${at(e.timeUs)}.`, at: i, events: [i], group: `exec-again:${e.node}`, more: `repeated executions on ${e.node}` });
        break;
      }
      case "dedupe-hit": {
        const e = peek(trace, i);
        add({ text: `${e.node} recognised ${req(e.request)} as a repeat ${at(e.timeUs)} and answered from its dedupe table, without executing it again.`, at: i, events: [i], group: `dedupe:${e.node}`, more: `repeats answered from ${e.node}'s dedupe table` });
        break;
      }
      case "accept": {
        const e = peek(trace, i);
        if (e.request === single) add({ text: `${e.node} got ${e.value === null ? "its answer (null)" : `the answer ${quote(e.value)}`} ${at(e.timeUs)}${(e.attempt ?? 1) > 1 ? `, on attempt ${e.attempt}` : ""}.`, at: i, events: [i], group: "accept", more: "answers" });
        else if ((e.attempt ?? 1) > 1) add({ text: `${e.node} got the answer to ${req(e.request)} ${at(e.timeUs)}, on attempt ${e.attempt}.`, at: i, events: [i], group: `accept-retry:${e.node}`, more: `answers ${e.node} got after retrying` });
        break;
      }
      case "ignore": {
        const e = peek(trace, i);
        const what = e.reason === "duplicate" ? "a duplicate answer" : "the late answer";
        add({ text: `${e.node} ignored ${what} to ${req(e.request)} ${at(e.timeUs)}.`, at: i, events: [i], group: `ignore:${e.node}:${e.reason}`, more: `${e.reason === "duplicate" ? "duplicate" : "late"} answers ignored by ${e.node}` });
        break;
      }
      case "fail": {
        const e = peek(trace, i);
        const why = e.reason === "client-crashed" ? `${e.node} crashed` : `no answer after ${plural(lastAttempt.get(e.request!) ?? 1, "attempt")}`;
        add({ text: `${cap(req(e.request))} failed ${at(e.timeUs)}: ${why}.`, at: i, events: [i], group: `fail:${e.node}`, more: `failed requests from ${e.node}` });
        break;
      }
      case "abandon": {
        const e = peek(trace, i);
        add({ text: `${e.node} gave up ${req(e.request)} ${at(e.timeUs)}: its call (request #${e.failedCall}) failed, so it sends no answer.`, at: i, events: [i], group: `abandon:${e.node}`, more: `requests ${e.node} gave up` });
        break;
      }
      case "withhold": {
        const e = peek(trace, i);
        add({ text: `${e.node} executed ${req(e.request)} ${at(e.timeUs)} but, silent (${faultRule(e.fault ?? 0)}), never answered.`, at: i, events: [i], group: `withhold:${e.node}`, more: `answers withheld by ${e.node}` });
        break;
      }
      case "crash": {
        const e = peek(trace, i);
        const text = e.fault === undefined ? `${e.node} crashed by itself ${at(e.timeUs)}: its program failed.` : `${e.node} crashed ${at(e.timeUs)} (${faultRule(e.fault)}), losing its timers and work in progress.`;
        add({ text, at: i, events: [i], group: `crash:${e.node}`, more: `crashes of ${e.node}` });
        break;
      }
      case "restart": {
        const e = peek(trace, i);
        add({ text: `${e.node} restarted ${at(e.timeUs)}.`, at: i, events: [i], group: `restart:${e.node}`, more: `restarts of ${e.node}` });
        break;
      }
      case "complete": {
        if (OUTCOMES[trace.data.aux[i]!] === "ok") break;
        const e = peek(trace, i);
        const op = e.input && typeof e.input === "object" && "op" in e.input ? String((e.input as { op: unknown }).op) : "operation";
        const text = e.outcome === "fail" ? `${e.node}'s ${op} (operation #${e.operation}) failed ${at(e.timeUs)}: it did not happen.` : `${e.node}'s ${op} (operation #${e.operation}) got no answer by ${formatUs(e.timeUs)}: it may or may not have happened.`;
        add({ text, at: i, events: [i], group: `complete:${e.outcome}`, more: e.outcome === "fail" ? "failed operations" : "operations without an answer" });
        break;
      }
      case "note": {
        const d = trace.data;
        if (d.layout !== "nodes" || !HEADLINE_NOTES.has(trace.str(d.notes.name[d.ref[i]!]!) ?? "")) break;
        const e = peek(trace, i);
        const f = e.note?.fields ?? {};
        const name = e.note?.name;
        if (name === "elected") add({ text: `${e.node} became leader${f.term !== undefined ? ` of term ${String(f.term)}` : ""} ${at(e.timeUs)}.`, at: i, events: [i], group: "elected", more: "elections" });
        else if (name === "primary") add({ text: `${e.node} became primary${f.view !== undefined ? ` (view ${String(f.view)})` : ""} ${at(e.timeUs)}.`, at: i, events: [i], group: "primary", more: "new primaries" });
        else if (name === "view-change") add({ text: `${e.node} started a view change${f.view !== undefined ? ` to view ${String(f.view)}` : ""} ${at(e.timeUs)}.`, at: i, events: [i], group: "view-change", more: "view changes" });
        break;
      }
      case "node-error": {
        const e = peek(trace, i);
        add({ text: `${e.node}'s program failed ${at(e.timeUs)}: ${e.error?.message ?? "error"}.`, at: i, events: [i], group: `node-error:${e.node}`, more: `program failures on ${e.node}` });
        break;
      }
      case "stop": {
        const e = peek(trace, i);
        if (e.stoppedBy === "maxEvents" || e.stoppedBy === "traceLimit") add({ text: `The run was cut off ${at(e.timeUs)}: the ${e.stoppedBy === "maxEvents" ? "event" : "trace"} limit was reached.`, at: i, events: [i], group: "stop", more: "" });
        break;
      }
      default:
        break;
    }
  }
  return beats;
}
