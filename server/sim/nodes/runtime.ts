// A run of nodes on the kernel: every node (program, service, workload client) is a NodeBehavior
// driven through a NodeContext. This module turns what nodes do into messages on the transport,
// timers on the kernel and records in the trace, and calls nodes back for what reaches them.

import { FIRST_MODULE_KIND, type Kernel, type KernelModule } from "../engine/kernel";
import type { MessageTypeRegistry } from "../network/message-types";
import type { Transport } from "../network/transport";
import { EV_COMPLETE, EV_INVOKE, EV_LOG, EV_NODE_ERROR, EV_NOTE, EV_SEND, EV_START, EV_TIMER } from "../trace/kinds";
import { StringTable, TraceLimitReached } from "../trace/recorder";
import type { DurableStorage, MessageBody, NodeBehavior, NodeContext, NodeError } from "./api";
import { NodeMessageTable, NoteTable, OperationTable } from "./tables";

/** The longest message body a node may send, in UTF-16 code units of its JSON; longer is a node error. */
export const MAX_BODY_CHARS = 65_536;
/** Log lines and notes are cut to this many characters. */
export const MAX_LOG_LINE_CHARS = 4096;
/** A protocol note's fields are cut to this many characters of JSON (a Raft log, say, is summarised). */
export const MAX_NOTE_CHARS = 16_384;
/** Characters the trace's string table may hold (bodies, log lines, notes); past it the run stops (traceLimit). */
export const MAX_TRACE_STRING_CHARS = 64 * 1024 * 1024;

const E_START = FIRST_MODULE_KIND; // a = node: its first start, at time 0
const E_CALL = FIRST_MODULE_KIND + 1; // a = scheduled callback (see schedule)

export type NodeRole = "program" | "service" | "client";

export interface NodeSpec {
  role: NodeRole;
  behavior: NodeBehavior;
}

/** Whatever the workload needs besides nodes: called at its own scheduled moments. */
export type ScheduledCall = () => void;

export class NodesModule implements KernelModule {
  readonly kernel: Kernel;
  private readonly transport: Transport;
  private readonly types: MessageTypeRegistry;
  readonly recordTrace: boolean;
  readonly strings = new StringTable();
  readonly msgs = new NodeMessageTable();
  readonly notes = new NoteTable();
  readonly ops = new OperationTable();
  private specs: NodeSpec[] = [];
  private contexts: NodeContext[] = [];
  private readonly storages: Map<string, unknown>[];
  private readonly randomStream: Int32Array;
  /** JSON text of each message body (what a program reads), kept while the run lasts. */
  private readonly texts: string[] = [];
  private readonly timerLabels = new Map<string, number>();
  private readonly calls: ScheduledCall[] = [];
  /** Timer generation by kernel timer id, to cancel the right one. */
  private timerGen = new Int32Array(256);
  /** Messages whose receiver is not a node of the run are counted, not sent. */
  undeliverable = 0;
  /** The workload's operations, kept whether or not the trace is (checks read this). */
  readonly history = new OperationHistory();
  /** Protocol notes, kept whether or not the trace is (protocol checks read these). */
  readonly noteLog = new NoteLog();

  constructor(kernel: Kernel, transport: Transport, types: MessageTypeRegistry, recordTrace: boolean) {
    this.kernel = kernel;
    this.transport = transport;
    this.types = types;
    this.recordTrace = recordTrace;
    this.storages = kernel.nodeIds.map(() => new Map());
    this.randomStream = Int32Array.from(kernel.nodeIds, (id) => kernel.rng.add(`node/${id}`));
  }

  /** The behaviors of the nodes, in kernel order (set once, before the run). */
  setNodes(specs: NodeSpec[]): void {
    this.specs = specs;
    this.contexts = specs.map((_, i) => this.contextFor(i));
  }

  roleOf(node: number): NodeRole {
    return this.specs[node]!.role;
  }

  /** Node ids with this role, in run order. */
  idsWithRole(role: NodeRole): string[] {
    return this.kernel.nodeIds.filter((_, i) => this.specs[i]!.role === role);
  }

  /** Schedules fn at virtual time `atUs` (a workload's own steps: start of the final phase, reads). */
  schedule(atUs: number, fn: ScheduledCall): void {
    this.calls.push(fn);
    this.kernel.queue.push(atUs, E_CALL, this.calls.length - 1, 0, 0);
  }

  /** A string of the trace's table, only when the trace is recorded (-1 otherwise). */
  intern(text: string): number {
    if (!this.recordTrace) return -1;
    const id = this.strings.intern(text);
    if (this.strings.chars > MAX_TRACE_STRING_CHARS) throw new TraceLimitReached(`the trace's text reached ${MAX_TRACE_STRING_CHARS} characters`);
    return id;
  }

  /** A client invokes an operation on `target`: recorded in the history and the trace. Returns its number. */
  invoke(client: number, target: number, input: Record<string, unknown>): number {
    const invokeIndex = this.kernel.rec.length;
    const row = this.ops.add(client, target, invokeIndex, this.intern(JSON.stringify(input)));
    this.history.add(client, target, input, this.kernel.now, invokeIndex);
    this.kernel.rec.rec(EV_INVOKE, client, row, -1);
    return row;
  }

  /** Operation `row` ends with an outcome (OUTCOME_OK, _FAIL, _INFO) and output. */
  complete(row: number, outcome: number, output: unknown): void {
    const index = this.kernel.rec.length;
    this.ops.complete[row] = index;
    this.ops.outcome[row] = outcome;
    this.ops.output[row] = output === null ? -1 : this.intern(JSON.stringify(output));
    this.history.complete(row, outcome, output, this.kernel.now, index);
    this.kernel.rec.rec(EV_COMPLETE, this.ops.client[row]!, row, outcome);
  }

  // ---------------------------------------------------------------- kernel callbacks

  start(): void {
    // Every node starts at time 0, in run order (crashes at time 0 were scheduled first and win).
    for (let node = 0; node < this.specs.length; node++) this.kernel.queue.push(0, E_START, node, 0, 0);
  }

  isLive(kind: number, a: number): boolean {
    if (kind === E_START) return this.kernel.up[a] === 1;
    return kind === E_CALL;
  }

  skip(): void {
    // A node down at time 0 starts when it restarts.
  }

  /** The node an event happens on, for pauses: a node's start; a scheduled callback belongs to no node. */
  eventNode(kind: number, a: number): number {
    return kind === E_START ? a : -1;
  }

  dispatch(kind: number, a: number): void {
    if (kind === E_START) this.startNode(a);
    else if (kind === E_CALL) this.calls[a]!();
  }

  deliver(node: number, m: number): void {
    const from = this.kernel.nodeIds[this.msgs.from[m]!]!;
    this.guard(node, () => this.specs[node]!.behavior.receive(this.contexts[node]!, from, this.msgs.bodies[m] as MessageBody, this.texts[m]));
  }

  timer(node: number, id: number, labelId: number): void {
    const label = this.labelText(labelId);
    this.kernel.rec.rec(EV_TIMER, node, this.recordTrace ? this.intern(label) : -1, id);
    this.guard(node, () => this.specs[node]!.behavior.timer(this.contexts[node]!, id, label));
  }

  crashed(node: number): void {
    this.specs[node]!.behavior.crashed?.();
  }

  restarted(node: number): void {
    this.startNode(node);
  }

  // ---------------------------------------------------------------- nodes

  /** The message's body as JSON text (what a program's standard input line carries). */
  bodyText(m: number): string {
    return this.texts[m]!;
  }

  private startNode(node: number): void {
    if (this.specs[node]!.role === "program") this.kernel.rec.rec(EV_START, node, -1, -1);
    this.guard(node, () => this.specs[node]!.behavior.start(this.contexts[node]!));
  }

  /** Runs a node's handler; an error escaping a built-in behavior is a bug and is rethrown. */
  private guard(node: number, fn: () => void): void {
    if (this.kernel.up[node] !== 1) return;
    fn();
  }

  private labelText(id: number): string {
    for (const [label, n] of this.timerLabels) if (n === id) return label;
    return "timer";
  }

  private labelId(label: string): number {
    let id = this.timerLabels.get(label);
    if (id === undefined) {
      id = this.timerLabels.size;
      this.timerLabels.set(label, id);
    }
    return id;
  }

  /** Sends `body` from `node` to `dest`; returns false (and sends nothing) when dest is not a node of the run. */
  send(node: number, dest: string, body: MessageBody, text?: string): boolean {
    const to = this.kernel.nodeIndex.get(dest);
    if (to === undefined) {
      this.undeliverable++;
      this.log(node, `message to unknown node ${JSON.stringify(dest)} not sent: ${text ?? JSON.stringify(body)}`);
      return false;
    }
    const json = text ?? JSON.stringify(body);
    const type = typeof body.type === "string" ? body.type : "";
    const m = this.msgs.add(node, to, this.intern(type), this.intern(json), body);
    this.texts.push(json);
    this.msgs.send[m] = this.transport.send(node, to, this.types.id(type, true), m, EV_SEND);
    return true;
  }

  log(node: number, line: string): void {
    const cut = line.length > MAX_LOG_LINE_CHARS ? `${line.slice(0, MAX_LOG_LINE_CHARS)}…` : line;
    this.kernel.rec.rec(EV_LOG, node, this.intern(cut), -1);
  }

  note(node: number, name: string, fields: Record<string, unknown>): void {
    let json = JSON.stringify(fields) ?? "{}";
    if (json.length > MAX_NOTE_CHARS) json = JSON.stringify({ truncated: json.slice(0, MAX_NOTE_CHARS) });
    const row = this.notes.add(this.intern(name), this.intern(json));
    const index = this.kernel.rec.rec(EV_NOTE, node, row, -1);
    this.noteLog.add(node, name, JSON.parse(json) as Record<string, unknown>, this.kernel.now, index);
  }

  /** The node fails by itself: the error goes in the trace and the node crashes. */
  fail(node: number, error: NodeError): void {
    if (this.kernel.up[node] !== 1) return;
    this.kernel.rec.rec(EV_NODE_ERROR, node, this.intern(JSON.stringify(error)), -1);
    this.kernel.crashBySelf(node);
  }

  private contextFor(node: number): NodeContext {
    const kernel = this.kernel;
    const id = kernel.nodeIds[node]!;
    const storage = this.storageFor(node);
    const stream = this.randomStream[node]!;
    return {
      id,
      localTimeUs: () => kernel.nemesis.localTime(node, kernel.now),
      send: (dest, body) => {
        this.send(node, dest, body);
      },
      setTimer: (delayUs, label) => {
        const trueUs = kernel.nemesis.timerTrueUs(node, Math.max(0, Math.round(delayUs)), kernel.now);
        const timer = kernel.setTimer(node, trueUs, this.labelId(label), 0);
        if (timer >= this.timerGen.length) {
          const next = new Int32Array(Math.max(timer + 1, this.timerGen.length * 2));
          next.set(this.timerGen);
          this.timerGen = next;
        }
        this.timerGen[timer] = kernel.timerGeneration(timer);
        return timer;
      },
      cancelTimer: (timer) => {
        if (timer >= 0 && timer < this.timerGen.length) kernel.cancelTimer(timer, this.timerGen[timer]!);
      },
      storage,
      random: () => kernel.rng.float(stream),
      log: (line) => this.log(node, line),
      note: (name, fields) => this.note(node, name, fields),
      fail: (error) => this.fail(node, error),
    };
  }

  private storageFor(node: number): DurableStorage {
    const map = this.storages[node]!;
    // Values are kept as JSON text: what survives a crash is data, never an object a node still holds.
    return {
      get: (key) => {
        const v = map.get(key);
        return v === undefined ? undefined : (JSON.parse(v as string) as unknown);
      },
      set: (key, value) => {
        map.set(key, JSON.stringify(value ?? null));
      },
      delete: (key) => {
        map.delete(key);
      },
      keys: () => [...map.keys()],
    };
  }
}

/** The workload's operations as checkers read them: inputs, outputs, outcomes, times and events. */
export class OperationHistory {
  readonly client: number[] = [];
  readonly node: number[] = [];
  readonly input: Record<string, unknown>[] = [];
  readonly output: unknown[] = [];
  /** OUTCOME_OK, _FAIL, _INFO, or -1 while pending. */
  readonly outcome: number[] = [];
  readonly invokeUs: number[] = [];
  /** -1 while pending. */
  readonly completeUs: number[] = [];
  readonly invokeEvent: number[] = [];
  readonly completeEvent: number[] = [];

  get count(): number {
    return this.client.length;
  }

  add(client: number, node: number, input: Record<string, unknown>, nowUs: number, event: number): void {
    this.client.push(client);
    this.node.push(node);
    this.input.push(input);
    this.output.push(null);
    this.outcome.push(-1);
    this.invokeUs.push(nowUs);
    this.completeUs.push(-1);
    this.invokeEvent.push(event);
    this.completeEvent.push(-1);
  }

  complete(row: number, outcome: number, output: unknown, nowUs: number, event: number): void {
    this.outcome[row] = outcome;
    this.output[row] = output;
    this.completeUs[row] = nowUs;
    this.completeEvent[row] = event;
  }
}

/** Protocol notes as checkers read them: which node said what, when, at which event. */
export class NoteLog {
  readonly node: number[] = [];
  readonly name: string[] = [];
  readonly fields: Record<string, unknown>[] = [];
  readonly timeUs: number[] = [];
  readonly event: number[] = [];

  get count(): number {
    return this.node.length;
  }

  add(node: number, name: string, fields: Record<string, unknown>, timeUs: number, event: number): void {
    this.node.push(node);
    this.name.push(name);
    this.fields.push(fields);
    this.timeUs.push(timeUs);
    this.event.push(event);
  }
}
