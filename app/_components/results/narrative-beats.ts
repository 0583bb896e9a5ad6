// The narrative's raw material: one "beat" per event worth telling (a loss, a timeout and its
// resend, a crash, a pause, a repeated execution, a failed operation…), in the slide's words, read
// from the trace; the faults that leave no event of their own (a slow node, a clock fault) are told
// from the scenario's fault list, on the events they shaped. narrative.ts groups repeats, caps the
// length and adds the checks' verdicts.

import type { Trace, TraceEvent } from "@/server/sim/trace/trace";
import {
  DROP_REASONS,
  EVENT_KINDS,
  EV_ACCEPT,
  EV_BACKOFF,
  EV_DELIVER,
  EV_DROP,
  EV_DUPLICATE,
  EV_EXECUTE,
  EV_FAIL,
  EV_INVOKE,
  EV_COMPLETE,
  EV_ISSUE,
  EV_PROCESS,
  EV_RESEND,
  EV_SEND,
  EV_TIMEOUT,
  IGNORE_REASONS,
  NO_NODE,
  OPS,
  OUTCOMES,
  STOP_REASONS,
} from "@/server/sim/trace/kinds";
import { formatCount } from "@/app/_components/format";
import { formatUs } from "./time";

/** A sentence told about the run, with the events it speaks of (`at` is the one a click selects). */
export interface Beat {
  /** Made only for the beats that are told (a long run has tens of thousands of repeats). */
  text: () => string;
  at: number;
  events: number[];
  /** Repeats share a group: the first is told, the rest become "…and N more ‹noun›". */
  group: string;
  /** "timeouts and resends by C1": what the summary of this group's repeats counts; "" drops repeats unsaid. */
  more: string;
  /** What a long story keeps first (lower first), for the first told and for the count of repeats. */
  priority: { told: number; more: number };
}

/**
 * A fault rule of the run as the narrative needs it (scenario-text.ts reads it from the scenario,
 * the random nemesis's draw included): the ones that leave no event of their own are told from it.
 */
export interface NarrativeFault {
  kind: string;
  node?: string;
  fromUs: number;
  /** null: to the end of the run. */
  untilUs: number | null;
  /** slow: how many times longer processing takes. */
  factor?: number;
  /** clock: offset in µs and drift (0.02: 2 % fast). */
  offsetUs?: number;
  drift?: number;
}

/** Kinds that may make a sentence; the rest (deliveries, processing, timers, logs…) are skipped at once. */
const TOLD_KINDS = new Uint8Array(EVENT_KINDS.length);
for (const k of ["issue", "send", "resend", "respond", "duplicate", "drop", "timeout", "enqueue", "execute", "dedupe-hit", "accept", "ignore", "fail", "abandon", "withhold", "crash", "restart", "pause", "resume", "complete", "note", "node-error", "stop"]) {
  TOLD_KINDS[EVENT_KINDS.indexOf(k as (typeof EVENT_KINDS)[number])] = 1;
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
  /** Per request: how many times a server executed it. */
  executions: Int32Array;
  /** Message → the event where it first arrived (-1: never). */
  arrivals: Int32Array;
  invokes: number[];
  /** info: no answer by the timeout; answered: an answer that leaves it open (an error such as 13, crash). */
  completes: { ok: number; fail: number; info: number; answered: number };
}

/**
 * The answer an operation's complete event took, or -1 when it had none (a timeout): the client
 * completes an operation as its answer is delivered, so that delivery is the event just before.
 */
function answerOf(trace: Trace, complete: number): number {
  const d = trace.data;
  const j = complete - 1;
  return j >= 0 && d.kind[j] === EV_DELIVER && d.node[j] === d.node[complete] ? j : -1;
}

function indexTrace(trace: Trace): Index {
  const d = trace.data;
  const rr = d.layout === "nodes" ? null : d;
  const ix: Index = {
    requests: new Map(),
    workload: [],
    executions: new Int32Array(rr ? rr.requests.count : 0),
    arrivals: new Int32Array(d.messages.send.length).fill(-1),
    invokes: [],
    completes: { ok: 0, fail: 0, info: 0, answered: 0 },
  };
  if (rr) {
    const q = rr.requests;
    for (let r = 0; r < q.count; r++) {
      const info = { op: OPS[q.op[r]!] ?? "request", client: d.nodes[q.client[r]!] ?? "?", server: d.nodes[q.server[r]!] ?? "?", parent: q.parent[r]! >= 0 ? q.parent[r]! : null };
      ix.requests.set(r, info);
      const issue = q.issue[r]!;
      if (info.parent !== null || issue < 0) continue;
      const send = d.kind[issue + 1] === EV_SEND ? issue + 1 : issue;
      ix.workload.push({ request: r, issue, send, client: info.client, server: info.server, op: info.op, timeUs: d.time[issue]! });
    }
    ix.workload.sort((x, y) => x.issue - y.issue);
  }
  for (let i = 0; i < trace.length; i++) {
    const k = d.kind[i]!;
    if (k === EV_DELIVER) {
      const m = d.ref[i]!;
      if (ix.arrivals[m] === -1) ix.arrivals[m] = i;
    } else if (rr && k === EV_EXECUTE) {
      const r = rr.messages.request[d.ref[i]!]!;
      ix.executions[r] = (ix.executions[r] ?? 0) + 1;
    } else if (k === EV_INVOKE) ix.invokes.push(i);
    else if (k === EV_COMPLETE) {
      const o = OUTCOMES[d.aux[i]!];
      if (o === "ok") ix.completes.ok++;
      else if (o === "fail") ix.completes.fail++;
      else if (answerOf(trace, i) >= 0) ix.completes.answered++;
      else ix.completes.info++;
    }
  }
  return ix;
}

const byName = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/** A workload operation's name from its input ("echo", "read"…). */
const opOf = (e: TraceEvent): string => (e.input && typeof e.input === "object" && "op" in e.input ? String((e.input as { op: unknown }).op) : "operation");
const field = (body: unknown, key: string): unknown => (body && typeof body === "object" ? (body as Record<string, unknown>)[key] : undefined);
const codeOf = (body: unknown): string => String(field(body, "code") ?? "?");
/** An error body's text, quoted and cut to a sentence's length ("" when it has none). */
function textOf(body: unknown): string {
  const t = field(body, "text");
  if (typeof t !== "string" || t === "") return "";
  return ` (${JSON.stringify(t.length > 120 ? `${t.slice(0, 119)}…` : t)})`;
}

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
    return [{ text: () => `${w.client} sent ${what} to ${w.server} ${at(w.timeUs)}.`, at: w.send, events: [w.issue, w.send], group: "open", more: "", priority: priorityOf("open") }];
  }
  if (ix.workload.length > 1) {
    const clients = [...new Set(ix.workload.map((w) => w.client))].sort(byName);
    const servers = [...new Set(ix.workload.map((w) => w.server))];
    const ops = [...new Set(ix.workload.map((w) => w.op))];
    const first = ix.workload[0]!;
    const last = ix.workload[ix.workload.length - 1]!;
    const noun = ops.length === 1 ? plural(ix.workload.length, ops[0]!) : plural(ix.workload.length, "request");
    const to = servers.length === 1 ? servers[0]! : `${servers.length} servers`;
    return [{ text: () => `${nodeList(clients)} sent ${noun} to ${to}, from ${formatUs(first.timeUs)} to ${formatUs(last.timeUs)}.`, at: first.send, events: [first.issue, first.send], group: "open", more: "", priority: priorityOf("open") }];
  }
  if (ix.invokes.length > 0) {
    const clients = [...new Set(ix.invokes.map((i) => trace.data.nodes[trace.data.node[i]!] ?? "?"))].sort(byName);
    const { ok, fail, info, answered } = ix.completes;
    const first = ix.invokes[0]!;
    const last = ix.invokes[ix.invokes.length - 1]!;
    const outcome = [`${formatCount(ok)} succeeded`, ...(fail ? [`${formatCount(fail)} failed`] : []), ...(answered ? [`${formatCount(answered)} got an answer that leaves them open (an error such as 13, crash)`] : []), ...(info ? [`${formatCount(info)} got no answer`] : [])];
    const list = outcome.length === 1 ? outcome[0]! : `${outcome.slice(0, -1).join(", ")} and ${outcome[outcome.length - 1]}`;
    return [{
      text: () => `${nodeList(clients)} invoked ${plural(ix.invokes.length, "operation")}, from ${formatUs(trace.data.time[first]!)} to ${formatUs(trace.data.time[last]!)}: ${list}.`,
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

/** How long a window is, in words: "from 0 ms to 2 s", "from 1 s on". */
function window(f: NarrativeFault): string {
  return f.untilUs === null ? `from ${formatUs(f.fromUs)} on` : `from ${formatUs(f.fromUs)} to ${formatUs(f.untilUs)}`;
}

const times = (x: number) => `${String(Number(x.toFixed(2)))} times`;

/**
 * The faults that record nothing of their own, told on the first event they shaped: a slow node on
 * the first processing it slowed ("C2 worked 10 times slower from 0 ms to 2 s (fault rule 1):
 * processing request #0 took it 50 ms, starting at 6.541 ms; 39 more jobs were slowed."), a clock
 * fault on the node's first reading in its window.
 * Only the rules the trace's own fault list agrees with are told (the same kinds, in order).
 */
function faultBeats(trace: Trace, faults: readonly NarrativeFault[], req: (r: number) => string): Beat[] {
  const d = trace.data;
  if (faults.length !== d.faults.length || faults.some((f, i) => f.kind !== d.faults[i])) return [];
  const rr = d.layout === "nodes" ? null : d;
  const out: Beat[] = [];
  faults.forEach((f, rule) => {
    const node = f.node === undefined ? -1 : d.nodes.indexOf(f.node);
    if (node < 0 || (f.kind !== "slow" && f.kind !== "clock")) return;
    const until = f.untilUs ?? Infinity;
    const inWindow = (i: number) => d.node[i] === node && d.time[i]! >= f.fromUs && d.time[i]! < until;
    if (f.kind === "slow") {
      // Processing is what a slow node does slower: a run of nodes has none to tell.
      if (!rr || !(f.factor !== undefined && f.factor > 1)) return;
      const events: number[] = [];
      let slowed = 0;
      for (let i = 0; i < trace.length; i++) {
        if (d.kind[i] !== EV_PROCESS || !inWindow(i)) continue;
        slowed++;
        if (events.length < NARRATIVE_FAULT_EVENTS_MAX) events.push(i);
      }
      if (events.length === 0) return;
      const first = events[0]!;
      const r = rr.messages.request[d.ref[first]!] ?? -1;
      const rest = slowed > 1 ? `; ${formatCount(slowed - 1)} more ${slowed === 2 ? "job was" : "jobs were"} slowed` : "";
      out.push({
        text: () => `${f.node} worked ${times(f.factor!)} slower ${window(f)} (${faultRule(rule)}): processing ${req(r)} took it ${formatUs(d.aux[first]!)}, starting ${at(d.time[first]!)}${rest}.`,
        at: first,
        events,
        group: `slow:${rule}`,
        more: "",
        priority: priorityOf("slow"),
      });
      return;
    }
    let first = -1;
    for (let i = 0; i < trace.length; i++) {
      if (inWindow(i) && trace.localTimeUs(i) !== undefined) {
        first = i;
        break;
      }
    }
    if (first < 0) return;
    const offset = f.offsetUs ?? 0;
    const drift = f.drift ?? 0;
    const how = [
      ...(offset !== 0 ? [`${formatUs(Math.abs(offset))} ${offset > 0 ? "ahead" : "behind"}`] : []),
      ...(drift !== 0 ? [`running ${String(Number((Math.abs(drift) * 100).toFixed(2)))} % ${drift > 0 ? "fast" : "slow"} (a 100 ms timer fires after ${formatUs(Math.round(100_000 / (1 + drift)))})`] : []),
    ];
    const local = trace.localTimeUs(first)!;
    out.push({
      text: () => `${f.node}'s clock was off ${window(f)} (${faultRule(rule)})${how.length ? `: ${how.join(" and ")}` : ""}; ${at(d.time[first]!)} it read ${formatUs(local)}.`,
      at: first,
      events: [first],
      group: `clock:${rule}`,
      more: "",
      priority: priorityOf("clock"),
    });
  });
  return out;
}

/** Events a fault's sentence keeps (every processing a slow node slowed, up to this many). */
const NARRATIVE_FAULT_EVENTS_MAX = 200;

/** Events at the instant a pause ends that it held (deliveries to the node, its timers and work). */
function heldAtResume(trace: Trace, resume: number): { messages: number[]; other: number } {
  const d = trace.data;
  const node = d.node[resume];
  const t = d.time[resume];
  const messages: number[] = [];
  let other = 0;
  for (let j = resume + 1; j < trace.length && d.time[j] === t; j++) {
    if (d.node[j] !== node) continue;
    if (d.kind[j] === EV_DELIVER) messages.push(j);
    else other++;
  }
  return { messages, other };
}

/**
 * Tells the events of a run, in order; repeats are grouped later. Texts are made only for what is
 * told. With the scenario's fault list, the faults that record nothing of their own are told too.
 */
export function beatsOf(trace: Trace, faults: readonly NarrativeFault[] = []): Beat[] {
  const ix = indexTrace(trace);
  const d = trace.data;
  const rr = d.layout === "nodes" ? null : d;
  const single = ix.workload.length === 1 ? ix.workload[0]!.request : null;
  const beats: Beat[] = opening(trace, ix);
  const consumed = new Uint8Array(trace.length);
  const executed = new Map<number, number>();
  const lastAttempt = new Map<number, number>();

  // Column reads, so that the thousands of repeats a long run has cost no event objects.
  const nodeAt = (i: number) => d.nodes[d.node[i]!] ?? "the run";
  const timeAt = (i: number) => d.time[i]!;
  const reqOf = (i: number): number => {
    if (!rr) return -1;
    const k = d.kind[i]!;
    return k === EV_ISSUE || k === EV_TIMEOUT || k === EV_BACKOFF || k === EV_FAIL ? d.ref[i]! : (rr.messages.request[d.ref[i]!] ?? -1);
  };

  const req = (r: number | undefined): string => {
    if (r === undefined || r < 0) return "a request";
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
  const add = (group: string, more: string, events: number[], text: (e: TraceEvent) => string) => {
    const i = events[0]!;
    beats.push({ text: () => text(peek(trace, i)), at: i, events, group, more, priority: priorityOf(group) });
  };
  /** Per node: the pause told last, until its resume comes (the sentence is made after the loop). */
  const openPause = new Map<number, { resume: number; events: number[] }>();

  for (let i = 0; i < trace.length; i++) {
    const kc = d.kind[i]!;
    if (!TOLD_KINDS[kc] || consumed[i]) continue;
    const k = EVENT_KINDS[kc];
    switch (k) {
      case "issue": {
        if (!rr || (rr.requests.parent[d.ref[i]!] ?? -1) < 0) break;
        add("call", "downstream calls", [i], (e) => `To answer ${req(e.parentRequest)}, ${e.node} called ${e.to} (request #${e.request}) ${at(e.timeUs)}.`);
        break;
      }
      case "send":
      case "resend":
      case "respond": {
        // Only a delayed send or a Byzantine answer is worth a sentence; most sends are neither.
        const byzantine = rr !== null && k === "respond" && (rr.messages.byzantine[d.ref[i]!] ?? -1) >= 0;
        if (!byzantine && d.aux[i]! < 0) break;
        const arrival = arrivalOf(trace, ix, i);
        if (byzantine) {
          const accept = arrival >= 0 && d.kind[arrival + 1] === EV_ACCEPT ? arrival + 1 : -1;
          if (accept >= 0) consumed[accept] = 1;
          add("lie", "wrong answers", accept >= 0 ? [i, accept] : [i], (e) => {
            const accepted = accept >= 0 ? `; ${e.to} accepted it ${at(timeAt(accept))}` : "";
            return `${e.node} lied ${at(e.timeUs)} (${faultRule(e.fault ?? 0)}, ${e.byzantine}): it answered ${req(e.request)} with ${quote(e.value)}, though its state gave ${quote(e.trueValue)}${accepted}.`;
          });
          break;
        }
        const fault = d.aux[i]!;
        add(`delay:${fault}`, `messages delayed by ${faultRule(fault)}`, arrival >= 0 ? [i, arrival] : [i], (e) => {
          const when = arrival >= 0 ? `: it reached ${e.to} only ${at(timeAt(arrival))}` : "";
          return `${cap(msg(e))} was delayed by ${faultRule(fault)}${when}.`;
        });
        break;
      }
      case "duplicate": {
        const fault = d.aux[i]!;
        const by = fault >= 0 ? faultRule(fault) : "the network";
        add(`dup:${fault >= 0 ? fault : "net"}`, `messages duplicated by ${by}`, [i], (e) => `${cap(by)} duplicated ${msg(e)} ${at(e.timeUs)}: it arrives twice.`);
        break;
      }
      case "drop": {
        const aux = d.aux[i]!;
        const reason = DROP_REASONS[aux & 3];
        const fault = (aux >> 3) - 1;
        const rule = fault >= 0 ? faultRule(fault) : "";
        if (reason === "fault") add(`drop:fault:${fault}`, `messages lost to ${rule}`, [i], (e) => `${cap(msg(e))} was lost ${at(e.timeUs)} (${rule}).`);
        else if (reason === "partition") {
          const by = `the partition${rule ? ` (${rule})` : ""}`;
          add(`drop:partition:${fault}`, `messages lost to ${by}`, [i], (e) => `A partition${rule ? ` (${rule})` : ""} separated ${e.from} from ${e.to}: ${msg(e)} was lost ${at(e.timeUs)}.`);
        } else if (reason === "receiver-down") {
          const down = d.nodes[d.messages.to[d.ref[i]!]!] ?? "?";
          add(`drop:receiver-down:${down}`, `messages lost while ${down} was down`, [i], (e) => `${cap(msg(e))} reached ${down} while it was down and was lost (${formatUs(e.timeUs)}).`);
        } else add("drop:loss", "messages lost by the network", [i], (e) => `The network lost ${msg(e)} ${at(e.timeUs)}.`);
        break;
      }
      case "timeout": {
        const r = reqOf(i);
        const node = d.node[i];
        if (rr) lastAttempt.set(r, d.aux[i]!);
        const events = [i];
        let resend = -1;
        let waitedUs = 0;
        for (let j = i + 1; j < trace.length && j <= i + RESEND_LOOKAHEAD_EVENTS; j++) {
          const kj = d.kind[j];
          if ((kj !== EV_RESEND && kj !== EV_BACKOFF && kj !== EV_FAIL) || d.node[j] !== node || reqOf(j) !== r) continue;
          if (kj === EV_BACKOFF) {
            waitedUs = d.aux[j]!;
            events.push(j);
            consumed[j] = 1;
            continue;
          }
          if (kj === EV_RESEND) resend = j;
          break;
        }
        if (resend < 0) break; // the last attempt: the fail event tells it
        events.push(resend);
        consumed[resend] = 1;
        add("retry", "timeouts and resends", events, (e) => `${e.node} timed out ${at(e.timeUs)} and resent ${req(e.request)}${waitedUs ? ` after waiting ${formatUs(waitedUs)}` : ""}.`);
        break;
      }
      case "enqueue":
        add("queue", "requests that waited in a busy server's queue", [i], (e) => `${e.node} was busy: ${req(e.request)} waited in its queue ${at(e.timeUs)}.`);
        break;
      case "execute": {
        const r = reqOf(i);
        const n = (executed.get(r) ?? 0) + 1;
        executed.set(r, n);
        if ((ix.executions[r] ?? 0) < 2) break;
        if (n === 1) add("exec", "", [i], (e) => `${e.node} executed ${req(r)} ${at(e.timeUs)}.`);
        else add("exec-again", "repeated executions", [i], (e) => `${e.node} executed ${req(r)} ${ordinal(n)} time ${at(e.timeUs)}.`);
        break;
      }
      case "dedupe-hit":
        add("dedupe", "repeats answered from a dedupe table", [i], (e) => `${e.node} recognised ${req(e.request)} as a repeat ${at(e.timeUs)} and answered from its dedupe table, without executing it again.`);
        break;
      case "accept": {
        if (!rr) break;
        const r = reqOf(i);
        const attempt = rr.messages.attempt[d.ref[i]!] ?? 1;
        if (r === single) add("accept", "answers", [i], (e) => `${e.node} got ${e.value === null ? "its answer (null)" : `the answer ${quote(e.value)}`} ${at(e.timeUs)}${attempt > 1 ? `, on attempt ${attempt}` : ""}.`);
        else if (attempt > 1) add("accept-retry", "answers that came after retrying", [i], (e) => `${e.node} got the answer to ${req(e.request)} ${at(e.timeUs)}, on attempt ${attempt}.`);
        break;
      }
      case "ignore": {
        const late = IGNORE_REASONS[d.aux[i]!] !== "duplicate";
        add(`ignore:${late ? "late" : "dup"}`, `${late ? "late" : "duplicate"} answers ignored`, [i], (e) => `${e.node} ignored ${late ? "the late answer" : "a duplicate answer"} to ${req(e.request)} ${at(e.timeUs)}.`);
        break;
      }
      case "fail": {
        const attempts = lastAttempt.get(reqOf(i)) ?? 1;
        add("fail", "failed requests", [i], (e) => `${cap(req(e.request))} failed ${at(e.timeUs)}: ${e.reason === "client-crashed" ? `${e.node} crashed` : `no answer after ${plural(attempts, "attempt")}`}.`);
        break;
      }
      case "abandon":
        add("abandon", "requests given up when a downstream call failed", [i], (e) => `${e.node} gave up ${req(e.request)} ${at(e.timeUs)}: its call (request #${e.failedCall}) failed, so it sends no answer.`);
        break;
      case "withhold":
        add("withhold", "answers withheld", [i], (e) => `${e.node} executed ${req(e.request)} ${at(e.timeUs)} but, silent (${faultRule(e.fault ?? 0)}), never answered.`);
        break;
      case "crash": {
        const node = nodeAt(i);
        add(`crash:${node}`, `crashes of ${node}`, [i], (e) =>
          e.fault === undefined ? `${node} crashed by itself ${at(e.timeUs)}: its program failed.` : `${node} crashed ${at(e.timeUs)} (${faultRule(e.fault)}), losing its timers and work in progress.`,
        );
        break;
      }
      case "restart": {
        const node = nodeAt(i);
        add(`restart:${node}`, `restarts of ${node}`, [i], (e) => `${node} restarted ${at(e.timeUs)}.`);
        break;
      }
      case "pause": {
        // "C2 paused at 50 ms for 200 ms (fault rule 1); the request waited until it resumed at 250 ms."
        const node = nodeAt(i);
        const events = [i];
        const pause = { resume: -1, events };
        openPause.set(d.node[i]!, pause);
        add(`pause:${node}`, `pauses of ${node}`, events, (e) => {
          const rule = e.fault !== undefined ? ` (${faultRule(e.fault)})` : "";
          if (pause.resume < 0) return `${node} paused ${at(e.timeUs)}${rule}${e.durationUs !== undefined ? ` for ${formatUs(e.durationUs)}` : ""}; the run ended before it resumed.`;
          const r = pause.resume;
          const lasted = formatUs(timeAt(r) - e.timeUs);
          const healed = d.ref[r]! < 0 ? ", when every fault ended" : "";
          const held = heldAtResume(trace, r);
          const what =
            held.messages.length === 1 ? msg(peek(trace, held.messages[0]!)) : held.messages.length > 1 ? plural(held.messages.length, "message") : held.other > 0 ? "its work" : "";
          return what
            ? `${node} paused ${at(e.timeUs)} for ${lasted}${rule}; ${what} waited until it resumed ${at(timeAt(r))}${healed}.`
            : `${node} paused ${at(e.timeUs)} for ${lasted}${rule} and resumed ${at(timeAt(r))}${healed}.`;
        });
        break;
      }
      case "resume": {
        const pause = openPause.get(d.node[i]!);
        if (!pause || pause.resume >= 0) break;
        // The pause's sentence selects its resume and what the pause held too.
        pause.resume = i;
        pause.events.push(i, ...heldAtResume(trace, i).messages);
        break;
      }
      case "complete": {
        const outcome = OUTCOMES[d.aux[i]!];
        if (outcome === "ok") break;
        const answer = outcome === "info" ? answerOf(trace, i) : -1;
        if (answer >= 0) {
          const from = d.nodes[d.messages.from[d.ref[answer]!]!] ?? "?";
          add(`complete:answered:${from}`, `operations left open by ${from}'s answers`, [i, answer], (e) => {
            const a = trace.event(answer); // with its body, parsed only for a sentence that is told
            const why = a.type === "error" ? `error ${codeOf(a.body)}${textOf(a.body)}` : `a ${a.type ?? "message"} it does not expect`;
            return `${e.node}'s ${opOf(e)} (operation #${e.operation}) was answered by ${a.from} ${at(e.timeUs)} with ${why}: it may or may not have happened.`;
          });
          break;
        }
        add(`complete:${outcome}`, outcome === "fail" ? "failed operations" : "operations with no answer", [i], (e) => {
          const op = opOf(e);
          return outcome === "fail" ? `${e.node}'s ${op} (operation #${e.operation}) failed ${at(e.timeUs)}: it did not happen.` : `${e.node}'s ${op} (operation #${e.operation}) got no answer by ${formatUs(e.timeUs)}: it may or may not have happened.`;
        });
        break;
      }
      case "note": {
        if (d.layout !== "nodes") break;
        const name = trace.str(d.notes.name[d.ref[i]!]!) ?? "";
        if (!HEADLINE_NOTES.has(name)) break;
        const field = (e: TraceEvent, f: string) => e.note?.fields[f];
        if (name === "elected") add("elected", "elections", [i], (e) => `${e.node} became leader${field(e, "term") !== undefined ? ` of term ${String(field(e, "term"))}` : ""} ${at(e.timeUs)}.`);
        else if (name === "primary") add("primary", "new primaries", [i], (e) => `${e.node} became primary${field(e, "view") !== undefined ? ` (view ${String(field(e, "view"))})` : ""} ${at(e.timeUs)}.`);
        else add("view-change", "view changes", [i], (e) => `${e.node} started a view change${field(e, "view") !== undefined ? ` to view ${String(field(e, "view"))}` : ""} ${at(e.timeUs)}.`);
        break;
      }
      case "node-error": {
        const node = nodeAt(i);
        add(`node-error:${node}`, `program failures on ${node}`, [i], (e) => `${node}'s program failed ${at(e.timeUs)}: ${e.error?.message ?? "error"}.`);
        break;
      }
      case "stop": {
        const by = STOP_REASONS[d.aux[i]!];
        if (by === "maxEvents" || by === "traceLimit") add("stop", "", [i], (e) => `The run was cut off ${at(e.timeUs)}: the ${by === "maxEvents" ? "event" : "trace"} limit was reached.`);
        break;
      }
      default:
        break;
    }
  }
  // The faults without events of their own go where their first event is (after the opening).
  for (const extra of faultBeats(trace, faults, req)) {
    let k = beats.length;
    while (k > 0 && beats[k - 1]!.at > extra.at && beats[k - 1]!.group !== "open") k--;
    beats.splice(k, 0, extra);
  }
  return beats;
}
