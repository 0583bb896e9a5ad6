// The nemesis: every fault of the scenario compiled into tables the engine asks at the right moment:
// a message's fate at its send (drop, partition, delay, duplicate), slowness, Byzantine answers, local clocks, crashes, pauses.

import * as Dist from "../engine/distribution";
import type { CompiledDist } from "../engine/distribution";
import type { RandomStreams } from "../engine/rng";
import type { Fault, Scenario } from "../scenario/types";
import type { MessageTypes } from "../network/message-types";
import * as Kinds from "../trace/kinds";

// Local copies: module bindings can compile to getters, too slow per message.
const BYZ_BEHAVIORS = Kinds.BYZ_BEHAVIORS;
const DROP_FAULT = Kinds.DROP_FAULT;
const DROP_PARTITION = Kinds.DROP_PARTITION;
const sample = Dist.sample;
const compileDist = Dist.compileDist;

const K_DROP = 0;
const K_DELAY = 1;
const K_DUPLICATE = 2;

interface WindowRule {
  fault: number;
  fromUs: number;
  untilUs: number;
}

interface MessageRule extends WindowRule {
  kind: number;
  matchFrom: number;
  matchTo: number;
  matchType: number;
  nth: number;
  probability: number;
  by: CompiledDist | null;
}

interface PartitionRule extends WindowRule {
  group: Int32Array;
}

interface NodeRule extends WindowRule {
  value: number;
  drift: number;
}

/** A pause's start or end on a node, for the trace (overlapping or touching pauses of a node are one). */
export interface PauseMark {
  timeUs: number;
  node: number;
  start: boolean;
  /** The fault that starts the pause (start) or whose window ends it (end). */
  fault: number;
  /** Start: how long the pause lasts, in µs (-1: to the end of the run). */
  lengthUs: number;
}

export interface CrashRule {
  fault: number;
  node: number;
  atUs: number;
  restartUs: number | null;
}

export class Nemesis {
  private readonly messageRules: MessageRule[] = [];
  /** How many messages each message rule has matched so far (for nth). */
  private readonly matched: Float64Array;
  private readonly partitions: PartitionRule[] = [];
  private readonly slow: NodeRule[][];
  private readonly byzantine: NodeRule[][];
  private readonly clocks: NodeRule[][];
  private readonly pauses: NodeRule[][];
  private readonly baseClock: (NodeRule | null)[];
  readonly crashes: CrashRule[] = [];
  /** True when any message-level fault exists (lets the common path skip decide()). */
  readonly affectsMessages: boolean;
  readonly hasSlow: boolean;
  readonly hasByzantine: boolean;
  readonly hasPause: boolean;
  /** Per node: 1 when its clock is off at some point of the run. */
  readonly clocked: Uint8Array;
  private readonly faultStreamBase: number;

  /**
   * Per fault rule, how many times it acted (a message dropped, delayed or duplicated, a crash, a
   * slowed job, a Byzantine answer, a skewed clock reading). Counting only: it draws no random
   * numbers and records nothing, so runs and traces are the same; a sweep reads it (countFaults).
   */
  readonly fired: Uint32Array;

  /** From this time on every fault has ended (a workload's final phase); set by Kernel.heal. */
  quietFromUs = Infinity;

  // Outputs of decide().
  dropReason = -1;
  dropFault = -1;
  delayUs = 0;
  delayFault = -1;
  duplicateFault = -1;

  constructor(scenario: Scenario, nodeIndex: ReadonlyMap<string, number>, faultStreamBase: number, types: MessageTypes) {
    const n = nodeIndex.size;
    this.faultStreamBase = faultStreamBase;
    const idx = (id: string | null) => (id === null ? -1 : (nodeIndex.get(id) ?? -1));
    this.slow = Array.from({ length: n }, () => []);
    this.byzantine = Array.from({ length: n }, () => []);
    this.clocks = Array.from({ length: n }, () => []);
    this.pauses = Array.from({ length: n }, () => []);
    this.baseClock = scenario.nodes.map((node) =>
      node.clock ? { fault: -1, fromUs: 0, untilUs: Infinity, value: node.clock.offsetUs, drift: node.clock.drift } : null,
    );
    this.clocked = new Uint8Array(n);
    this.fired = new Uint32Array(scenario.faults.length);
    scenario.nodes.forEach((node, i) => {
      if (node.clock) this.clocked[i] = 1;
    });
    scenario.faults.forEach((f: Fault, i) => {
      const win = "fromUs" in f ? { fault: i, fromUs: f.fromUs, untilUs: f.untilUs ?? Infinity } : null;
      switch (f.kind) {
        case "drop":
        case "delay":
        case "duplicate":
          this.messageRules.push({
            ...win!,
            kind: f.kind === "drop" ? K_DROP : f.kind === "delay" ? K_DELAY : K_DUPLICATE,
            matchFrom: idx(f.match.from),
            matchTo: idx(f.match.to),
            matchType: f.match.type === null ? -1 : types.id(f.match.type, true),
            nth: f.match.nth ?? 0,
            probability: f.kind === "drop" ? f.probability : 1,
            by: f.kind === "delay" ? compileDist(f.by) : null,
          });
          break;
        case "partition": {
          const group = new Int32Array(n).fill(-1);
          f.groups.forEach((g, gi) => g.forEach((id) => (group[idx(id)] = gi)));
          this.partitions.push({ ...win!, group });
          break;
        }
        case "slow":
          this.slow[idx(f.node)]?.push({ ...win!, value: f.factor, drift: 0 });
          break;
        case "byzantine":
          this.byzantine[idx(f.node)]?.push({ ...win!, value: BYZ_BEHAVIORS.indexOf(f.behavior), drift: 0 });
          break;
        case "clock": {
          const node = idx(f.node);
          this.clocks[node]?.push({ ...win!, value: f.offsetUs, drift: f.drift });
          this.clocked[node] = 1;
          break;
        }
        case "pause":
          this.pauses[idx(f.node)]?.push({ ...win!, value: 0, drift: 0 });
          break;
        case "crash":
          this.crashes.push({ fault: i, node: idx(f.node), atUs: f.atUs, restartUs: f.restartUs });
          break;
      }
    });
    this.matched = new Float64Array(this.messageRules.length);
    this.affectsMessages = this.messageRules.length > 0 || this.partitions.length > 0;
    this.hasSlow = this.slow.some((r) => r.length > 0);
    this.hasByzantine = this.byzantine.some((r) => r.length > 0);
    this.hasPause = this.pauses.some((r) => r.length > 0);
  }

  /** When the node's pause ends, if one is active at nowUs (overlapping pauses chain); otherwise nowUs. Called for an event about to happen on the node. */
  pausedUntil(node: number, nowUs: number): number {
    const rules = this.pauses[node]!;
    let t = nowUs;
    for (let changed = true; changed && t < this.quietFromUs; ) {
      changed = false;
      for (const r of rules) {
        if (t >= r.fromUs && t < r.untilUs) {
          t = Math.min(r.untilUs, this.quietFromUs);
          changed = true;
          // The rule held an event back: it acted (a sweep's faults panel counts it).
          this.fired[r.fault]!++;
        }
      }
    }
    return t;
  }

  /**
   * Every pause's start and end, by time then node: a node's overlapping or touching windows make
   * one pause, as pausedUntil chains them. The kernel records them (a pause cut short when the
   * faults end is ended there by the kernel).
   */
  pauseMarks(): PauseMark[] {
    const marks: PauseMark[] = [];
    this.pauses.forEach((rules, node) => {
      const windows = rules.filter((r) => r.untilUs > r.fromUs).sort((a, b) => a.fromUs - b.fromUs || a.fault - b.fault);
      for (let k = 0; k < windows.length; ) {
        const first = windows[k]!;
        let last = first;
        let untilUs = first.untilUs;
        for (k++; k < windows.length && windows[k]!.fromUs <= untilUs; k++) {
          if (windows[k]!.untilUs > untilUs) {
            untilUs = windows[k]!.untilUs;
            last = windows[k]!;
          }
        }
        marks.push({ timeUs: first.fromUs, node, start: true, fault: first.fault, lengthUs: untilUs === Infinity ? -1 : untilUs - first.fromUs });
        if (untilUs !== Infinity) marks.push({ timeUs: untilUs, node, start: false, fault: last.fault, lengthUs: -1 });
      }
    });
    return marks.sort((a, b) => a.timeUs - b.timeUs || a.node - b.node);
  }

  faultStream(fault: number): number {
    return this.faultStreamBase + fault;
  }

  /**
   * Decides what the active faults do to a message sent now (timing rule 1). Every active rule that
   * matches counts the message for its `nth`, even when another rule already drops it.
   */
  decide(from: number, to: number, type: number, nowUs: number, rng: RandomStreams): void {
    this.dropReason = -1;
    this.dropFault = -1;
    this.delayUs = 0;
    this.delayFault = -1;
    this.duplicateFault = -1;
    if (nowUs >= this.quietFromUs) return;
    for (const p of this.partitions) {
      if (nowUs < p.fromUs || nowUs >= p.untilUs) continue;
      const gf = p.group[from]!;
      if (gf < 0 || gf !== p.group[to]!) {
        if (this.dropReason < 0) {
          this.dropReason = DROP_PARTITION;
          this.dropFault = p.fault;
        }
      }
    }
    const rules = this.messageRules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      if (nowUs < rule.fromUs || nowUs >= rule.untilUs) continue;
      if (rule.matchFrom >= 0 && rule.matchFrom !== from) continue;
      if (rule.matchTo >= 0 && rule.matchTo !== to) continue;
      if (rule.matchType >= 0 && rule.matchType !== type) continue;
      const count = ++this.matched[r]!;
      if (rule.nth > 0 && count !== rule.nth) continue;
      if (rule.kind === K_DROP) {
        const hit = rule.probability >= 1 || rng.float(this.faultStream(rule.fault)) < rule.probability;
        if (hit && this.dropReason < 0) {
          this.dropReason = DROP_FAULT;
          this.dropFault = rule.fault;
        }
      } else if (rule.kind === K_DELAY) {
        this.delayUs += sample(rule.by!, rng, this.faultStream(rule.fault));
        if (this.delayFault < 0) this.delayFault = rule.fault;
      } else if (this.duplicateFault < 0) {
        this.duplicateFault = rule.fault;
      }
    }
    if (this.dropFault >= 0) this.fired[this.dropFault]!++;
    if (this.delayFault >= 0) this.fired[this.delayFault]!++;
    if (this.duplicateFault >= 0) this.fired[this.duplicateFault]!++;
  }

  /** Product of the `slow` factors active on the node now (timing rule 4). */
  slowFactor(node: number, nowUs: number): number {
    let f = 1;
    if (nowUs >= this.quietFromUs) return f;
    for (const r of this.slow[node]!) {
      if (nowUs < r.fromUs || nowUs >= r.untilUs) continue;
      f *= r.value;
      this.fired[r.fault]!++;
    }
    return f;
  }

  /** The Byzantine fault active on the node now (the last listed wins), or -1. */
  byzantineFault(node: number, nowUs: number): number {
    if (nowUs >= this.quietFromUs) return -1;
    const rules = this.byzantine[node]!;
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i]!;
      if (nowUs >= r.fromUs && nowUs < r.untilUs) {
        this.fired[r.fault]!++;
        return r.fault;
      }
    }
    return -1;
  }

  byzantineBehavior(node: number, fault: number): number {
    for (const r of this.byzantine[node]!) if (r.fault === fault) return r.value;
    return -1;
  }

  private clockAt(node: number, nowUs: number): NodeRule | null {
    if (nowUs >= this.quietFromUs) return this.baseClock[node] ?? null;
    const rules = this.clocks[node]!;
    for (let i = rules.length - 1; i >= 0; i--) {
      const r = rules[i]!;
      if (nowUs >= r.fromUs && nowUs < r.untilUs) return r;
    }
    return this.baseClock[node] ?? null;
  }

  /** The node's local clock reading at true time nowUs (integer µs). */
  localTime(node: number, nowUs: number): number {
    const c = this.clockAt(node, nowUs);
    if (c === null) return nowUs;
    if (c.fault >= 0) this.fired[c.fault]!++;
    return Math.round(nowUs + c.value + c.drift * (nowUs - c.fromUs));
  }

  /** True duration of a timer of local length d set now on the node (drift active when it is set). */
  timerTrueUs(node: number, localUs: number, nowUs: number): number {
    if (this.clocked[node] === 0) return localUs;
    const c = this.clockAt(node, nowUs);
    if (c === null || c.drift === 0) return localUs;
    return Math.round(localUs / (1 + c.drift));
  }
}
