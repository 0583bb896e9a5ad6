// A recorded run as the pages read it: columns for drawing, event(i) for display, and
// happens-before (vector clocks, causal past) derived exactly from program order plus send -> deliver links.
// What the kernel and the transport record is read here; each layout's own events by its describer.

import type { BYZ_BEHAVIORS } from "./kinds";
import { EVENT_KINDS, DROP_REASONS, EV_CRASH, EV_DELIVER, EV_DROP, EV_DUPLICATE, EV_PAUSE, EV_RESTART, EV_RESUME, EV_SEND, EV_STOP, NO_NODE, STOP_REASONS, type EventKindName } from "./kinds";
import type { TraceData } from "./recorder";
import { describeRequestResponseEvent } from "../protocols/request-response/events";
import { describeNodeEvent } from "../nodes/events";

/** One event as a plain object, for tables, tooltips and JSONL. Absent fields do not apply. */
export interface TraceEvent {
  index: number;
  /** True virtual time, microseconds. */
  timeUs: number;
  /** The node's own clock reading, when its clock is off. */
  localTimeUs?: number;
  node: string | null;
  kind: EventKindName;
  /** The node's Lamport clock after the event. */
  lamport: number;
  message?: number;
  messageType?: "request" | "response";
  from?: string;
  to?: string;
  /** The other end of a message event. */
  peer?: string;
  request?: number;
  attempt?: number;
  op?: "read" | "write";
  key?: string;
  /** Written value (requests) or carried value (responses). */
  value?: string | null;
  /** What executing the operation gave (execute) or the remembered answer (dedupe-hit). */
  result?: string | null;
  /** What the server's true state gave, on responses. */
  trueValue?: string | null;
  /** A Byzantine server's behavior that shaped this response. */
  byzantine?: (typeof BYZ_BEHAVIORS)[number];
  reason?: string;
  /** Index of the fault that caused this (drop, delay, duplicate, crash, restart, pause, resume, byzantine). */
  fault?: number;
  /** For deliver and drop: the index of the message's send event. */
  cause?: number;
  /** For deliver and drop: 0 the original copy, 1 the duplicate. */
  copy?: number;
  durationUs?: number;
  queueLength?: number;
  stoppedBy?: string;
  /** For a downstream call: the request being served when it was made. */
  parentRequest?: number;
  /** Workload entry that issued the request (absent for downstream calls). */
  workload?: number;
  /** For abandon: the downstream request that failed. */
  failedCall?: number;
  /** Nodes layout: the message body's type, and the body (parsed JSON). */
  type?: string;
  body?: unknown;
  /** A node's log line (log) or its error (node-error). */
  line?: string;
  error?: { reason: string; message: string; file?: string; line?: number; column?: number };
  /** A protocol note (note): its name and fields. */
  note?: { name: string; fields: Record<string, unknown> };
  /** A workload operation (invoke, complete). */
  operation?: number;
  input?: unknown;
  output?: unknown;
  outcome?: string;
  /** A timer (timer): its label. */
  timer?: string;
}

export class Trace {
  readonly data: TraceData;
  private seqOnNode: Int32Array | null = null;
  private lamportCol: Uint32Array | null = null;

  constructor(data: TraceData) {
    this.data = data;
  }

  get length(): number {
    return this.data.length;
  }
  get nodes(): readonly string[] {
    return this.data.nodes;
  }
  get engine(): string {
    return this.data.engine;
  }
  get scenario(): string {
    return this.data.scenario;
  }
  get seed(): number {
    return this.data.seed;
  }

  kindName(i: number): EventKindName {
    return EVENT_KINDS[this.data.kind[i]!] ?? "stop";
  }

  /** Node index of event i, or -1 for the run stop. */
  nodeIndex(i: number): number {
    const n = this.data.node[i]!;
    return n === NO_NODE ? -1 : n;
  }

  /** The send event of a deliver or drop event, else -1. */
  cause(i: number): number {
    const k = this.data.kind[i];
    if (k === EV_DELIVER || k === EV_DROP) return this.data.messages.send[this.data.ref[i]!] ?? -1;
    return -1;
  }

  /** String `id` of the trace's table, or null for -1. */
  str(id: number): string | null {
    return id < 0 ? null : (this.data.strings[id] ?? null);
  }

  localTimeUs(i: number): number | undefined {
    const { index, timeUs, count } = this.data.local;
    let lo = 0;
    let hi = count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = index[mid]!;
      if (v === i) return timeUs[mid];
      if (v < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Event i as a plain object. */
  /**
   * Event i as a plain object. The Lamport clock needs one pass over the whole trace the first
   * time; a caller that shows a few events of a huge trace without it passes withLamport false (0).
   */
  event(i: number, withLamport = true): TraceEvent {
    const d = this.data;
    if (i < 0 || i >= d.length) throw new RangeError(`event ${i} is outside the trace (0..${d.length - 1})`);
    const k = d.kind[i]!;
    const nodeIdx = d.node[i]!;
    const ev: TraceEvent = {
      index: i,
      timeUs: d.time[i]!,
      node: nodeIdx === NO_NODE ? null : (d.nodes[nodeIdx] ?? null),
      kind: this.kindName(i),
      lamport: withLamport ? this.lamport[i]! : 0,
    };
    const local = this.localTimeUs(i);
    if (local !== undefined) ev.localTimeUs = local;
    const ref = d.ref[i]!;
    const aux = d.aux[i]!;
    if (d.layout === "nodes") describeNodeEvent(this, d, ev, i);
    else describeRequestResponseEvent(this, d, ev, i);
    // What the kernel and the transport record means the same in every layout.
    switch (k) {
      case EV_SEND:
        if (aux >= 0) ev.fault = aux;
        break;
      case EV_DUPLICATE:
        if (aux >= 0) ev.fault = aux;
        ev.reason = aux >= 0 ? "fault" : "network";
        break;
      case EV_DELIVER:
        ev.copy = aux;
        ev.cause = d.messages.send[ref]!;
        break;
      case EV_DROP: {
        ev.reason = DROP_REASONS[aux & 3];
        ev.copy = (aux >> 2) & 1;
        const f = (aux >> 3) - 1;
        if (f >= 0) ev.fault = f;
        ev.cause = d.messages.send[ref]!;
        break;
      }
      case EV_CRASH:
      case EV_RESTART:
      case EV_RESUME:
        if (ref >= 0) ev.fault = ref;
        break;
      case EV_PAUSE:
        if (ref >= 0) ev.fault = ref;
        if (aux >= 0) ev.durationUs = aux;
        break;
      case EV_STOP:
        ev.stoppedBy = STOP_REASONS[aux];
        break;
    }
    return ev;
  }

  /**
   * Lamport clock of each event's node after it: one more than the node's previous event, and a
   * delivery first catches up with its send. Derived in one pass (the trace does not store it).
   */
  get lamport(): Uint32Array {
    if (this.lamportCol) return this.lamportCol;
    const d = this.data;
    const out = new Uint32Array(d.length);
    const clock = new Uint32Array(d.nodes.length);
    for (let i = 0; i < d.length; i++) {
      const n = d.node[i]!;
      if (n === NO_NODE) continue;
      let l = clock[n]!;
      if (d.kind[i] === EV_DELIVER) {
        const s = d.messages.send[d.ref[i]!]!;
        if (out[s]! > l) l = out[s]!;
      }
      out[i] = clock[n] = l + 1;
    }
    this.lamportCol = out;
    return out;
  }

  /** Per event: how many earlier events its node had (its position in the node's own history). */
  private nodeSeq(): Int32Array {
    if (this.seqOnNode) return this.seqOnNode;
    const d = this.data;
    const seq = new Int32Array(d.length);
    const count = new Int32Array(d.nodes.length);
    for (let i = 0; i < d.length; i++) {
      const n = d.node[i]!;
      if (n === NO_NODE) seq[i] = -1;
      else seq[i] = count[n]!++;
    }
    this.seqOnNode = seq;
    return seq;
  }

  /**
   * Walks the causal past of event i backwards: an event is in it when it is at or before a known
   * past event of the same node (program order), and a delivery brings its send into it.
   * Returns a mask over events 0..i and the vector clock.
   */
  private walkPast(i: number): { mask: Uint8Array; vc: number[] } {
    const d = this.data;
    const nodes = d.nodes.length;
    const vc = new Array<number>(nodes).fill(0);
    const mask = new Uint8Array(i + 1);
    const n0 = d.node[i]!;
    if (n0 === NO_NODE) {
      mask[i] = 1;
      return { mask, vc };
    }
    const seq = this.nodeSeq();
    const need = new Float64Array(nodes).fill(-1);
    need[n0] = i;
    for (let j = i; j >= 0; j--) {
      const n = d.node[j]!;
      if (n === NO_NODE || j > need[n]!) continue;
      mask[j] = 1;
      if (vc[n] === 0) vc[n] = seq[j]! + 1;
      if (d.kind[j] === EV_DELIVER) {
        const s = d.messages.send[d.ref[j]!]!;
        const sn = d.node[s]!;
        if (s > need[sn]!) need[sn] = s;
      }
    }
    return { mask, vc };
  }

  /** The vector clock of event i: for each node, how many of its events happened before or at i. */
  vectorClock(i: number): number[] {
    if (i < 0 || i >= this.data.length) throw new RangeError(`event ${i} is outside the trace`);
    return this.walkPast(i).vc;
  }

  /** Indices of every event that happened before i (i included), ascending. */
  causalPast(i: number): Int32Array {
    if (i < 0 || i >= this.data.length) throw new RangeError(`event ${i} is outside the trace`);
    const { mask } = this.walkPast(i);
    let n = 0;
    for (let j = 0; j <= i; j++) n += mask[j]!;
    const out = new Int32Array(n);
    let k = 0;
    for (let j = 0; j <= i; j++) if (mask[j]) out[k++] = j;
    return out;
  }

  /** True when a happened before b (a != b). */
  happensBefore(a: number, b: number): boolean {
    if (a === b || a > b) return false;
    const na = this.data.node[a]!;
    if (na === NO_NODE) return false;
    const vb = this.vectorClock(b);
    return (vb[na] ?? 0) > this.nodeSeq()[a]!;
  }
}
