// Test helpers for programs: a tiny event loop of fake NodeContexts that records everything a node
// does (sends, timers, logs, notes, failures, random draws), with clocks that may drift.

import type { MessageBody, NodeBehavior, NodeContext, NodeError } from "@/server/sim/nodes/api";
import type { CustomProtocol } from "@/server/sim/scenario/types";
import { programBehavior, type ProgramRuntime } from "@/server/sim/programs";
import { loadNodeProgramRuntime } from "@/server/runner/programs";

/** What a node did, as the fake context saw it. */
export type Action =
  | { kind: "send"; dest: string; body: MessageBody }
  | { kind: "timer"; delayUs: number }
  | { kind: "cancel"; id: number }
  | { kind: "log"; line: string }
  | { kind: "note"; name: string; fields: Record<string, unknown> }
  | { kind: "fail"; error: NodeError }
  | { kind: "random"; value: number };

export type Record_ = Action & { t: number; node: string };

interface Pending {
  at: number;
  seq: number;
  node: string;
  fire: () => void;
}

export interface FakeNodeOptions {
  /** Local clock rate (1 = true time) and offset, in microseconds. */
  rate?: number;
  offsetUs?: number;
}

/** A run of fake nodes: messages take `latencyUs`; timers and deliveries in (time, order) order. */
export class FakeRun {
  now = 0;
  readonly records: Record_[] = [];
  private queue: Pending[] = [];
  private seq = 0;
  private readonly nodes = new Map<string, FakeNode>();
  /** Messages to ids that are not nodes here (clients). */
  readonly outside: { src: string; dest: string; body: MessageBody }[] = [];

  constructor(readonly latencyUs = 1000) {}

  add(id: string, behavior: NodeBehavior, options: FakeNodeOptions = {}): FakeNode {
    const node = new FakeNode(this, id, behavior, options);
    this.nodes.set(id, node);
    return node;
  }

  node(id: string): FakeNode {
    return this.nodes.get(id)!;
  }

  startAll(): void {
    for (const n of this.nodes.values()) n.start();
  }

  schedule(at: number, node: string, fire: () => void): void {
    this.queue.push({ at, seq: this.seq++, node, fire });
  }

  /** A message from outside (a client) to a node, delivered after the latency. */
  inject(src: string, dest: string, body: MessageBody): void {
    this.schedule(this.now + this.latencyUs, dest, () => this.node(dest).receive(src, body));
  }

  route(src: string, dest: string, body: MessageBody): void {
    const target = this.nodes.get(dest);
    if (!target) this.outside.push({ src, dest, body });
    else this.schedule(this.now + this.latencyUs, dest, () => target.receive(src, body));
  }

  /** Runs events until none is left or the next is after untilUs; returns the number run. */
  runUntil(untilUs: number, maxEvents = 1_000_000): number {
    let n = 0;
    while (n < maxEvents) {
      this.queue.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.queue[0];
      if (!next || next.at > untilUs) break;
      this.queue.shift();
      this.now = next.at;
      next.fire();
      n++;
    }
    if (this.now < untilUs) this.now = untilUs;
    return n;
  }

  of(kind: Record_["kind"], node?: string): Record_[] {
    return this.records.filter((r) => r.kind === kind && (node === undefined || r.node === node));
  }

  sends(node?: string) {
    return this.of("send", node) as Extract<Record_, { kind: "send" }>[];
  }

  failures(node?: string): NodeError[] {
    return (this.of("fail", node) as Extract<Record_, { kind: "fail" }>[]).map((r) => r.error);
  }

  logs(node?: string): string[] {
    return (this.of("log", node) as Extract<Record_, { kind: "log" }>[]).map((r) => r.line);
  }
}

export class FakeNode {
  up = false;
  readonly storage = new Map<string, string>();
  readonly ctx: NodeContext;
  private timerId = 0;
  private readonly liveTimers = new Map<number, number>(); // id -> epoch
  private epoch = 0;
  private draws = 0;

  constructor(
    private readonly run: FakeRun,
    readonly id: string,
    readonly behavior: NodeBehavior,
    private readonly options: FakeNodeOptions,
  ) {
    this.ctx = this.context();
  }

  localTimeUs(): number {
    return Math.round(this.run.now * (this.options.rate ?? 1) + (this.options.offsetUs ?? 0));
  }

  start(): void {
    this.up = true;
    this.behavior.start(this.ctx);
  }

  receive(src: string, body: MessageBody): void {
    if (this.up) this.behavior.receive(this.ctx, src, JSON.parse(JSON.stringify(body)) as MessageBody);
  }

  crash(): void {
    if (!this.up) return;
    this.up = false;
    this.epoch++;
    this.liveTimers.clear();
    this.behavior.crashed?.();
  }

  private record(r: Action): void {
    this.run.records.push({ t: this.run.now, node: this.id, ...r });
  }

  private context(): NodeContext {
    const store = this.storage;
    return {
      id: this.id,
      localTimeUs: () => this.localTimeUs(),
      send: (dest, body) => {
        this.record({ kind: "send", dest, body: JSON.parse(JSON.stringify(body)) as MessageBody });
        this.run.route(this.id, dest, body);
      },
      setTimer: (delayUs, label) => this.setTimer(delayUs, label),
      cancelTimer: (id) => {
        this.record({ kind: "cancel", id });
        this.liveTimers.delete(id);
      },
      storage: {
        get: (k) => (store.has(k) ? (JSON.parse(store.get(k)!) as unknown) : undefined),
        set: (k, v) => void store.set(k, JSON.stringify(v ?? null)),
        delete: (k) => void store.delete(k),
        keys: () => [...store.keys()],
      },
      random: () => {
        // A fixed sequence: the n-th draw of a node is the same in every run.
        const value = ((this.draws++ * 7919 + this.id.length * 104729) % 10007) / 10007;
        this.record({ kind: "random", value });
        return value;
      },
      log: (line) => this.record({ kind: "log", line }),
      note: (name, fields) => this.record({ kind: "note", name, fields }),
      fail: (error) => {
        this.record({ kind: "fail", error });
        this.crash();
      },
    };
  }

  private setTimer(delayUs: number, label: string): number {
    const id = this.timerId++;
    const epoch = this.epoch;
    this.record({ kind: "timer", delayUs });
    this.liveTimers.set(id, epoch);
    const trueDelay = delayUs / (this.options.rate ?? 1);
    this.run.schedule(this.run.now + Math.round(trueDelay), this.id, () => {
      if (!this.up || this.liveTimers.get(id) !== epoch) return;
      this.liveTimers.delete(id);
      this.behavior.timer(this.ctx, id, label);
    });
    return id;
  }
}

// ---------------------------------------------------------------- programs

let runtime: Promise<ProgramRuntime> | null = null;

export function programRuntime(): Promise<ProgramRuntime> {
  runtime ??= loadNodeProgramRuntime();
  return runtime;
}

export function customProtocol(files: Record<string, string>, main?: string, limits: Partial<CustomProtocol["limits"]> = {}): CustomProtocol {
  return {
    kind: "custom",
    main: main ?? Object.keys(files)[0]!,
    files,
    limits: { fuel: limits.fuel ?? 50_000_000, memoryBytes: limits.memoryBytes ?? 32 * 1024 * 1024 },
  };
}

/** A FakeRun whose nodes run `protocol` in the sandbox. */
export async function sandboxRun(protocol: CustomProtocol, ids: string[], options: FakeNodeOptions = {}): Promise<FakeRun> {
  const rt = await programRuntime();
  await rt.prepare(protocol, ids.length);
  const make = programBehavior(rt, protocol, ids);
  const run = new FakeRun();
  for (const id of ids) run.add(id, make(), options);
  return run;
}
