// The kernel: virtual time, the event loop and why it stops, which nodes are up (crash, restart),
// timers with cancellation, named random streams and the recorder. It knows no protocol: a module
// schedules events of its own kinds and is called back for them, for deliveries, timers and crashes.

import type { Nemesis, PauseMark } from "../faults/nemesis";
import type { Scenario } from "../scenario/types";
import * as Grow from "./grow";
import { EventQueue } from "./queue";
import { RandomStreams } from "./rng";
import * as K from "../trace/kinds";
import { Recorder, TraceLimitReached } from "../trace/recorder";

const grow = Grow.grow;
const EV_CRASH = K.EV_CRASH;
const EV_RESTART = K.EV_RESTART;
const EV_PAUSE = K.EV_PAUSE;
const EV_RESUME = K.EV_RESUME;
const INT32_MAX = 0x7fffffff;
const EV_STOP = K.EV_STOP;
const NO_NODE = K.NO_NODE;
const STOP_IDLE = K.STOP_IDLE;
const STOP_UNTIL = K.STOP_UNTIL;
const STOP_MAX_EVENTS = K.STOP_MAX_EVENTS;
const STOP_TRACE_LIMIT = K.STOP_TRACE_LIMIT;
const STOP_DONE = K.STOP_DONE;

/** Queue kinds the kernel handles itself; modules number theirs from FIRST_MODULE_KIND. */
export const Q_DELIVER = 0; // a = message, b = copy, c = receiver
export const Q_CRASH = 1; // a = crash rule
export const Q_RESTART = 2; // a = crash rule
export const Q_TIMER = 3; // a = timer id, b = generation
export const FIRST_MODULE_KIND = 8;

export interface Progress {
  events: number;
  virtualTimeUs: number;
  /** Of the run's budget (events or virtual time, whichever is further along), 0..1. */
  fraction: number;
}

/** What a protocol module does for the kernel. Kinds passed here are the module's own (>= FIRST_MODULE_KIND). */
export interface KernelModule {
  /** Schedules the run's first events; the kernel has already scheduled crashes and restarts. */
  start(): void;
  /** Whether a queued event of the module's kinds still happens (false: it is skipped, not counted). */
  isLive(kind: number, a: number, b: number, c: number): boolean;
  /** Bookkeeping for a skipped event (it is not an event: nothing is recorded). */
  skip(kind: number, a: number, b: number, c: number, timeUs: number): void;
  dispatch(kind: number, a: number, b: number, c: number): void;
  /** A message arrived at an up node (the delivery is recorded). */
  deliver(node: number, message: number, copy: number): void;
  /** A timer set with Kernel.setTimer fired (the module records what it means). */
  timer(node: number, id: number, tag: number, tagB: number): void;
  /** The node just crashed (recorded); its timers are void already. */
  crashed(node: number): void;
  /** The node just restarted (recorded). */
  restarted(node: number): void;
  /** The node a queued event of the module's kinds happens on, or -1 (a pause defers the event: see Kernel.loop). */
  eventNode?(kind: number, a: number, b: number, c: number): number;
}

/** Carries messages: the kernel hands it each due delivery (the transport). */
export interface Deliverer {
  deliver(message: number, copy: number, to: number): void;
}

export interface KernelOptions {
  seed: number;
  recordTrace: boolean;
  onProgress?: (p: Progress) => void;
  /** Call onProgress every this many events (default 65536). */
  progressEveryEvents?: number;
  /** Stop (stoppedBy "traceLimit") when the trace holds this many records. */
  maxTraceRecords?: number;
}

/** Trace records one event may add past maxTraceRecords before the run is cut inside that event. */
export const TRACE_RECORDS_SLACK = 65_536;

export class Kernel {
  readonly scenario: Scenario;
  readonly nodeIds: string[];
  readonly nodeIndex: ReadonlyMap<string, number>;
  readonly N: number;
  readonly queue: EventQueue;
  readonly rng: RandomStreams;
  readonly rec: Recorder;
  readonly nemesis: Nemesis;
  private module: KernelModule | null = null;
  private deliverer: Deliverer | null = null;
  private readonly opts: KernelOptions;
  readonly untilUs: number;
  readonly maxEvents: number;

  // Node liveness.
  readonly up: Uint8Array;
  /** Crash rules in force on the node (overlapping crashes nest). */
  readonly downCount: Int32Array;
  /** Bumped on every crash: work scheduled in an earlier epoch is void. */
  readonly epoch: Int32Array;
  /** The fault that last crashed the node, or -1 (for receiver-down drops). */
  readonly lastCrashFault: Int32Array;
  /** 1 while the node is down because it failed by itself (a crash fault's restart brings it back). */
  readonly selfDown: Uint8Array;
  /** 1 for a node that went down at some point of the run (it is not "correct" in the textbooks' sense). */
  readonly everDown: Uint8Array;
  /** From this time on no crash fault applies (a workload's final phase: every fault has ended). */
  quietFromUs = Infinity;

  // Pauses, for the trace: their starts and ends, recorded as time reaches them (see recordPauses).
  private readonly pauseMarks: PauseMark[];
  private pauseNext = 0;
  private nextPauseUs = Infinity;
  /** 1 while the node is paused (its pause start recorded, its end not yet). */
  private readonly paused: Uint8Array;

  // Timers: id -> node, epoch at setting, tags, generation (bumped on cancel and reuse).
  private tNode = new Int32Array(32);
  private tEpoch = new Int32Array(32);
  private tTag = new Int32Array(32);
  private tTagB = new Int32Array(32);
  private tGen = new Int32Array(32);
  private tNext = new Int32Array(32);
  private tFree = -1;
  private tCount = 0;

  now = 0;
  events = 0;
  stoppedBy = STOP_IDLE;
  /** Set by a module whose work is over (a workload that finished): the run stops after this event. */
  private finished = false;

  constructor(scenario: Scenario, nemesis: Nemesis, rng: RandomStreams, opts: KernelOptions, recorderCapacity: number) {
    this.scenario = scenario;
    this.opts = opts;
    this.nodeIds = scenario.nodes.map((n) => n.id);
    this.N = this.nodeIds.length;
    this.nodeIndex = new Map(this.nodeIds.map((id, i) => [id, i] as const));
    this.nemesis = nemesis;
    this.rng = rng;
    this.untilUs = scenario.untilUs;
    this.maxEvents = scenario.maxEvents;
    const hardCap = opts.maxTraceRecords === undefined ? Infinity : opts.maxTraceRecords + TRACE_RECORDS_SLACK;
    this.rec = new Recorder(opts.recordTrace, nemesis.clocked, (node, t) => nemesis.localTime(node, t), recorderCapacity, hardCap);
    // Pending events are few next to the events a run processes: a short run (a sweep's seed)
    // starts small, since allocating and zeroing tables costs more than it runs; the queue grows.
    this.queue = new EventQueue(Math.max(64, Math.min(4096, recorderCapacity >> 4)));
    const N = this.N;
    this.up = new Uint8Array(N).fill(1);
    this.downCount = new Int32Array(N);
    this.epoch = new Int32Array(N);
    this.lastCrashFault = new Int32Array(N).fill(-1);
    this.selfDown = new Uint8Array(N);
    this.everDown = new Uint8Array(N);
    this.paused = new Uint8Array(N);
    this.pauseMarks = nemesis.hasPause ? nemesis.pauseMarks() : [];
    this.nextPauseUs = this.pauseMarks[0]?.timeUs ?? Infinity;
  }

  /** The protocol module this run drives, and the transport that delivers its messages. */
  attach(module: KernelModule, deliverer: Deliverer): void {
    this.module = module;
    this.deliverer = deliverer;
  }

  // ---------------------------------------------------------------- timers

  /** Sets a timer on `node` that fires after trueDelayUs unless cancelled or the node crashes first. Returns its id. */
  setTimer(node: number, trueDelayUs: number, tag: number, tagB: number): number {
    let id = this.tFree;
    if (id >= 0) this.tFree = this.tNext[id]!;
    else {
      id = this.tCount++;
      if (id === this.tNode.length) {
        const n = id * 2;
        this.tNode = grow(this.tNode, n);
        this.tEpoch = grow(this.tEpoch, n);
        this.tTag = grow(this.tTag, n);
        this.tTagB = grow(this.tTagB, n);
        this.tGen = grow(this.tGen, n);
        this.tNext = grow(this.tNext, n);
      }
    }
    this.tNode[id] = node;
    this.tEpoch[id] = this.epoch[node]!;
    this.tTag[id] = tag;
    this.tTagB[id] = tagB;
    this.queue.push(this.now + trueDelayUs, Q_TIMER, id, this.tGen[id]!, 0);
    return id;
  }

  /** Cancels a pending timer: it will not fire. Cancelling one that fired or was cancelled does nothing. */
  cancelTimer(id: number, generation: number): void {
    if (id >= 0 && id < this.tCount && this.tGen[id] === generation) this.tGen[id]!++;
  }

  /** The generation a timer id has now (to cancel it later). */
  timerGeneration(id: number): number {
    return this.tGen[id]!;
  }

  private freeTimer(id: number): void {
    this.tGen[id]!++;
    this.tNext[id] = this.tFree;
    this.tFree = id;
  }

  // ---------------------------------------------------------------- crashes

  /** Crashes the node now (fault: the crash fault's index). A node that is already down stays down. */
  crash(node: number, fault: number): void {
    this.downCount[node]!++;
    if (this.up[node] === 0) return;
    this.up[node] = 0;
    this.everDown[node] = 1;
    this.epoch[node]!++;
    this.lastCrashFault[node] = fault;
    if (fault >= 0) this.nemesis.fired[fault]!++;
    this.rec.rec(EV_CRASH, node, fault, -1);
    this.module!.crashed(node);
  }

  /**
   * The node fails by itself (its program threw, ran out of fuel or memory): it crashes now and
   * stays down until a crash fault's restart, or the end of the faults, brings it back.
   */
  crashBySelf(node: number): void {
    if (this.up[node] === 0) return;
    this.selfDown[node] = 1;
    this.crash(node, -1);
  }

  private restart(node: number, fault: number): void {
    this.downCount[node]! -= 1 + this.selfDown[node]!;
    this.selfDown[node] = 0;
    this.up[node] = 1;
    this.rec.rec(EV_RESTART, node, fault, -1);
    this.module!.restarted(node);
  }

  /** Every fault ends now: no crash fault applies from here on, every node that is down restarts, and every pause ends. */
  heal(): void {
    this.quietFromUs = this.now;
    this.nemesis.quietFromUs = this.now;
    for (let node = 0; node < this.N; node++) {
      if (this.up[node] === 1) continue;
      this.downCount[node] = 1 + this.selfDown[node]!;
      this.restart(node, -1);
    }
    for (let node = 0; node < this.N; node++) {
      if (this.paused[node] === 0) continue;
      this.paused[node] = 0;
      this.rec.rec(EV_RESUME, node, -1, -1);
    }
    this.pauseNext = this.pauseMarks.length;
    this.nextPauseUs = Infinity;
  }

  /**
   * Records the pause starts and ends due by time t, each at its own time, before the event at t
   * (so a pause is in the trace before the work it deferred). A record, not an event: it does not
   * count as one and keeps no run going; pause marks past the run's last event are not recorded.
   */
  private recordPauses(t: number): void {
    const marks = this.pauseMarks;
    const rec = this.rec;
    let k = this.pauseNext;
    for (; k < marks.length && marks[k]!.timeUs <= t; k++) {
      const m = marks[k]!;
      rec.now = m.timeUs;
      this.paused[m.node] = m.start ? 1 : 0;
      if (m.start) rec.rec(EV_PAUSE, m.node, m.fault, m.lengthUs > INT32_MAX ? INT32_MAX : m.lengthUs);
      else rec.rec(EV_RESUME, m.node, m.fault, -1);
    }
    this.pauseNext = k;
    this.nextPauseUs = k < marks.length ? marks[k]!.timeUs : Infinity;
  }

  /** The module's work is over: the run stops after the current event (stoppedBy "done"). */
  finish(): void {
    this.finished = true;
  }

  // ---------------------------------------------------------------- loop

  /** Runs to the first stop reason. A trace that outgrows its limit inside one event stops the run there. */
  run(): void {
    const module = this.module!;
    const q = this.queue;
    // Setup order decides ties at equal times (rule 7): crashes and restarts first, then the module's events.
    this.nemesis.crashes.forEach((c, i) => {
      q.push(c.atUs, Q_CRASH, i, 0, 0);
      if (c.restartUs !== null) q.push(c.atUs + c.restartUs, Q_RESTART, i, 0, 0);
    });
    module.start();
    try {
      this.loop(module, this.deliverer!);
    } catch (err) {
      if (!(err instanceof TraceLimitReached)) throw err;
      this.stoppedBy = STOP_TRACE_LIMIT;
    }
    this.rec.now = this.now;
    this.rec.recFinal(EV_STOP, NO_NODE, -1, this.stoppedBy);
    this.opts.onProgress?.({ events: this.events, virtualTimeUs: this.now, fraction: 1 });
  }

  private loop(module: KernelModule, deliverer: Deliverer): void {
    const q = this.queue;
    const every = this.opts.progressEveryEvents ?? 65536;
    const onProgress = this.opts.onProgress;
    let nextProgress = every;
    const until = this.untilUs;
    const maxEvents = this.maxEvents;
    const maxRecords = this.opts.maxTraceRecords ?? Infinity;
    const rec = this.rec;
    const hasPause = this.nemesis.hasPause;
    for (;;) {
      if (q.count === 0) {
        this.stoppedBy = STOP_IDLE;
        return;
      }
      const slot = q.top();
      const t = q.topTime;
      const kind = q.kind[slot]!;
      const a = q.a[slot]!;
      const b = q.b[slot]!;
      const c = q.c[slot]!;
      if (kind !== Q_DELIVER && !this.isLive(module, kind, a, b, c, t)) {
        q.popTop();
        this.skip(module, kind, a, b, c, t);
        q.free(slot);
        continue;
      }
      if (hasPause && this.deferIfPaused(module, slot, kind, a, b, c, t)) continue;
      if (t > until) {
        this.stoppedBy = STOP_UNTIL;
        return;
      }
      if (this.events >= maxEvents) {
        this.stoppedBy = STOP_MAX_EVENTS;
        return;
      }
      if (rec.length >= maxRecords) {
        this.stoppedBy = STOP_TRACE_LIMIT;
        return;
      }
      if (hasPause && t >= this.nextPauseUs) this.recordPauses(t);
      q.popTop();
      this.now = t;
      rec.now = t;
      this.events++;
      q.free(slot);
      switch (kind) {
        case Q_DELIVER:
          deliverer.deliver(a, b, c);
          break;
        case Q_TIMER: {
          const node = this.tNode[a]!;
          const tag = this.tTag[a]!;
          const tagB = this.tTagB[a]!;
          this.freeTimer(a);
          module.timer(node, a, tag, tagB);
          break;
        }
        case Q_CRASH: {
          const rule = this.nemesis.crashes[a]!;
          this.crash(rule.node, rule.fault);
          break;
        }
        case Q_RESTART: {
          const rule = this.nemesis.crashes[a]!;
          this.restart(rule.node, rule.fault);
          break;
        }
        default:
          module.dispatch(kind, a, b, c);
      }
      if (this.finished) {
        this.stoppedBy = STOP_DONE;
        return;
      }
      if (this.events >= nextProgress) {
        nextProgress += every;
        if (onProgress) onProgress(this.progress());
      }
    }
  }

  /**
   * A paused node processes nothing: an event on it (a delivery, a timer, the module's work) moves,
   * unchanged, to the end of the pause, after everything already scheduled then (rule 7). It is not
   * an event until it happens.
   */
  private deferIfPaused(module: KernelModule, slot: number, kind: number, a: number, b: number, c: number, t: number): boolean {
    let node = -1;
    if (kind === Q_DELIVER) node = c;
    else if (kind === Q_TIMER) node = this.tNode[a]!;
    else if (kind >= FIRST_MODULE_KIND && module.eventNode) node = module.eventNode(kind, a, b, c);
    if (node < 0) return false;
    const endUs = this.nemesis.pausedUntil(node, t);
    if (endUs <= t) return false;
    this.queue.popTop();
    this.queue.free(slot);
    this.queue.push(endUs, kind, a, b, c);
    return true;
  }

  private isLive(module: KernelModule, kind: number, a: number, b: number, c: number, t: number): boolean {
    switch (kind) {
      case Q_TIMER:
        return this.tGen[a] === b && this.up[this.tNode[a]!] === 1 && this.epoch[this.tNode[a]!] === this.tEpoch[a];
      case Q_CRASH: {
        const node = this.nemesis.crashes[a]!.node;
        return t < this.quietFromUs && this.downCount[node]! - this.selfDown[node]! === 0;
      }
      case Q_RESTART: {
        const node = this.nemesis.crashes[a]!.node;
        return this.downCount[node]! - this.selfDown[node]! === 1;
      }
      default:
        return module.isLive(kind, a, b, c);
    }
  }

  private skip(module: KernelModule, kind: number, a: number, b: number, c: number, t: number): void {
    switch (kind) {
      case Q_TIMER:
        // Cancelled, or its node crashed since: the id is free again once its event leaves the queue.
        this.freeTimer(a);
        break;
      case Q_CRASH:
        // Crash faults nest: the node comes back with the restart of the outermost one.
        if (t < this.quietFromUs) this.downCount[this.nemesis.crashes[a]!.node]!++;
        break;
      case Q_RESTART: {
        const node = this.nemesis.crashes[a]!.node;
        if (this.downCount[node]! > 0) this.downCount[node]!--;
        break;
      }
      default:
        module.skip(kind, a, b, c, t);
    }
  }

  private progress(): Progress {
    const byEvents = this.events / this.maxEvents;
    const byTime = this.untilUs > 0 ? this.now / this.untilUs : 0;
    return { events: this.events, virtualTimeUs: this.now, fraction: Math.min(1, Math.max(byEvents, byTime)) };
  }
}
