// Records a run as it happens: the event columns (time, kind, node, ref, aux: 19 bytes an event) in
// growable typed arrays, local clock readings, and a string table. Lamport clocks are derived later.
// What `ref` points into (messages, requests, operations, notes) is each protocol's own tables.

import * as Grow from "../engine/grow";
import type { RequestResponseTables } from "../protocols/request-response/tables";
import type { NodeTables } from "../nodes/tables";

const grow = Grow.grow;
const view = Grow.view;
const columns = Grow.columns;

/** The columns and tables every trace has, whatever ran. */
export interface TraceColumns {
  engine: string;
  scenario: string;
  seed: number;
  /** Node ids in scenario order; event columns hold indices into it. */
  nodes: string[];
  /** The kind of each fault, by fault index. */
  faults: string[];
  /** Keys, values, message bodies, log lines; -1 stands for null. */
  strings: string[];
  length: number;
  time: Float64Array;
  kind: Uint8Array;
  node: Uint16Array;
  ref: Int32Array;
  aux: Int32Array;
  /** Local clock readings for events on nodes whose clock is off: sorted by event index. */
  local: { count: number; index: Int32Array; timeUs: Float64Array };
}

/** A request-response run: its requests and its messages (with the values they carry). */
export interface RequestResponseTraceData extends TraceColumns, RequestResponseTables {
  layout: "request-response";
}

/** A run of nodes (programs, built-in protocols, services, workload clients): messages with bodies, operations, notes. */
export interface NodeTraceData extends TraceColumns, NodeTables {
  layout: "nodes";
  /** The scenario's protocol kind ("custom", "raft", ...). */
  protocol: string;
}

/** Everything a Trace holds, as plain typed arrays: what is encoded, decoded and sent to a browser. */
export type TraceData = RequestResponseTraceData | NodeTraceData;

/** Thrown by the recorder when one event would take the trace past its hard cap; the kernel stops the run. */
export class TraceLimitReached extends Error {
  override name = "TraceLimitReached";
}

export class StringTable {
  readonly list: string[] = [];
  private readonly ids = new Map<string, number>();
  /** UTF-16 code units held, for the trace's byte budget. */
  chars = 0;
  intern(s: string): number {
    let id = this.ids.get(s);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(s);
      this.ids.set(s, id);
      this.chars += s.length;
    }
    return id;
  }
}

/**
 * The event log. `length` counts every event even when recording is off, so event indices
 * (check witnesses) are the same whether or not the trace was kept.
 */
export class Recorder {
  length = 0;
  /** Virtual time of the events being recorded (set by the simulation before each event). */
  now = 0;
  readonly on: boolean;
  time: Float64Array;
  kind: Uint8Array;
  node: Uint16Array;
  ref: Int32Array;
  aux: Int32Array;
  /** Nodes whose clock is off at some point (their events get a local timestamp). */
  private readonly clocked: Uint8Array;
  private readonly localTimeOf: (node: number, trueUs: number) => number;
  private localIndex: Int32Array = new Int32Array(0);
  private localTime: Float64Array = new Float64Array(0);
  private localCount = 0;
  /** Recording past this many records throws TraceLimitReached (counted whether or not recording is on). */
  private readonly hardCap: number;
  /** Records that fit before the next check: min(capacity, hardCap). */
  private room: number;

  constructor(on: boolean, clocked: Uint8Array, localTimeOf: (node: number, trueUs: number) => number, capacity = 1 << 16, hardCap = Infinity) {
    this.on = on;
    this.hardCap = hardCap;
    const cap = on ? Math.max(16, capacity) : 0;
    this.room = Math.min(hardCap, on ? cap : Infinity);
    [this.time, this.ref, this.aux, this.node, this.kind] = columns(cap, Float64Array, Int32Array, Int32Array, Uint16Array, Uint8Array);
    this.clocked = clocked;
    this.localTimeOf = localTimeOf;
  }

  private grow(): void {
    const n = this.time.length * 2;
    this.time = grow(this.time, n);
    this.kind = grow(this.kind, n);
    this.node = grow(this.node, n);
    this.ref = grow(this.ref, n);
    this.aux = grow(this.aux, n);
  }

  /** Records an event on `node` (NO_NODE for the run stop); returns its index. */
  rec(kind: number, node: number, ref: number, aux: number): number {
    const i = this.length;
    // One comparison on the common path: `room` is the smaller of the capacity and the hard cap.
    if (i >= this.room) this.makeRoom(i);
    this.length = i + 1;
    if (this.on) {
      this.time[i] = this.now;
      this.kind[i] = kind;
      this.node[i] = node;
      this.ref[i] = ref;
      this.aux[i] = aux;
      if (this.clocked[node] === 1) this.recLocal(i, node);
    }
    return i;
  }

  /** Records without the cap: the run's final stop record. */
  recFinal(kind: number, node: number, ref: number, aux: number): number {
    const i = this.length;
    if (this.on && i === this.time.length) this.grow();
    this.room = Infinity;
    return this.rec(kind, node, ref, aux);
  }

  private makeRoom(i: number): void {
    if (i >= this.hardCap) throw new TraceLimitReached(`the trace reached ${this.hardCap} records`);
    if (this.on && i >= this.time.length) this.grow();
    this.room = Math.min(this.hardCap, this.on ? this.time.length : Infinity);
  }

  private recLocal(i: number, node: number): void {
    const k = this.localCount++;
    if (k >= this.localIndex.length) {
      this.localIndex = grow(this.localIndex, k + 1);
      this.localTime = grow(this.localTime, k + 1);
    }
    this.localIndex[k] = i;
    this.localTime[k] = this.localTimeOf(node, this.now);
  }

  /** The recorded columns, as views (no copy). */
  exportColumns(): Pick<TraceColumns, "length" | "time" | "kind" | "node" | "ref" | "aux" | "local"> {
    const n = this.on ? this.length : 0;
    return {
      length: n,
      time: view(this.time, n),
      kind: view(this.kind, n),
      node: view(this.node, n),
      ref: view(this.ref, n),
      aux: view(this.aux, n),
      local: { count: this.localCount, index: view(this.localIndex, this.localCount), timeUs: view(this.localTime, this.localCount) },
    };
  }
}
