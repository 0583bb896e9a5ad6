// The transport: sends a message with its fate decided at send time (timing rule 1: loss, drop,
// partition, delay, duplicate), records send, drop and duplicate, and delivers copies to nodes that
// are up (rule 2: a message that arrives at a crashed node is lost). Generic over the message table.

import * as Dist from "../engine/distribution";
import { Q_DELIVER, type Deliverer, type Kernel, type KernelModule } from "../engine/kernel";
import type { Nemesis } from "../faults/nemesis";
import * as K from "../trace/kinds";
import type { Network } from "./network";

const sample = Dist.sample;
const DROP_LOSS = K.DROP_LOSS;
const DROP_RECEIVER_DOWN = K.DROP_RECEIVER_DOWN;
const EV_DELIVER = K.EV_DELIVER;
const EV_DROP = K.EV_DROP;
const EV_DUPLICATE = K.EV_DUPLICATE;

/** Message counts as the format defines them: sent + duplicated = delivered + dropped + inFlight. */
export interface MessageCounters {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  /** Dropped by reason: loss, partition, fault, receiver-down. */
  droppedBy: [number, number, number, number];
  inFlight: number;
}

export class Transport implements Deliverer {
  readonly counters: MessageCounters = { sent: 0, delivered: 0, dropped: 0, duplicated: 0, droppedBy: [0, 0, 0, 0], inFlight: 0 };
  private readonly kernel: Kernel;
  private readonly net: Network;
  private readonly nemesis: Nemesis;
  /** Random stream of each sender's network draws (net/<id>). */
  private readonly netStream: Int32Array;
  /** Told of every copy that reaches an up node, after its delivery is recorded. */
  private module: KernelModule | null = null;

  constructor(kernel: Kernel, net: Network, netStream: Int32Array) {
    this.kernel = kernel;
    this.net = net;
    this.nemesis = kernel.nemesis;
    this.netStream = netStream;
  }

  /** The module whose nodes receive what this transport delivers. */
  attach(module: KernelModule): void {
    this.module = module;
  }

  /**
   * Sends message `m` (a row of the caller's message table) of type `type` from -> to, recording it
   * as `sendKind`. Returns the index of the send record.
   */
  send(from: number, to: number, type: number, m: number, sendKind: number): number {
    const kernel = this.kernel;
    const rec = kernel.rec;
    const c = this.counters;
    c.sent++;
    const net = this.net;
    const rng = kernel.rng;
    net.draw(from, to, rng, this.netStream[from]!);
    const nem = this.nemesis;
    // Once every fault has ended (a workload's final phase) the network is reliable too.
    const quiet = kernel.now >= kernel.quietFromUs;
    let dropReason = net.lost && !quiet ? DROP_LOSS : -1;
    let dropFault = -1;
    let delayUs = 0;
    let delayFault = -1;
    let dupFault = -1;
    if (nem.affectsMessages) {
      nem.decide(from, to, type, kernel.now, rng);
      if (nem.dropReason >= 0) {
        // Partition and drop rules name themselves as the reason; plain loss only when no rule applies.
        dropReason = nem.dropReason;
        dropFault = nem.dropFault;
      }
      delayUs = nem.delayUs;
      delayFault = nem.delayFault;
      dupFault = nem.duplicateFault;
    }
    const sendIndex = rec.rec(sendKind, from, m, delayFault);
    if (dropReason >= 0) {
      rec.rec(EV_DROP, from, m, dropReason | ((dropFault + 1) << 3));
      c.dropped++;
      c.droppedBy[dropReason as 0 | 1 | 2 | 3]++;
      return sendIndex;
    }
    const q = kernel.queue;
    const now = kernel.now;
    q.push(now + net.latencyUs + delayUs, Q_DELIVER, m, 0, to);
    c.inFlight++;
    if ((net.duplicated && !quiet) || dupFault >= 0) {
      const latency2 = net.duplicated ? net.latency2Us : sample(net.latencyOf(from, to), rng, nem.faultStream(dupFault));
      rec.rec(EV_DUPLICATE, from, m, dupFault);
      c.duplicated++;
      q.push(now + latency2 + delayUs, Q_DELIVER, m, 1, to);
      c.inFlight++;
    }
    return sendIndex;
  }

  /** A copy arrives (the kernel's Q_DELIVER event). */
  deliver(m: number, copy: number, to: number): void {
    const c = this.counters;
    c.inFlight--;
    const kernel = this.kernel;
    if (kernel.up[to] !== 1) {
      kernel.rec.rec(EV_DROP, to, m, DROP_RECEIVER_DOWN | (copy << 2) | ((kernel.lastCrashFault[to]! + 1) << 3));
      c.dropped++;
      c.droppedBy[DROP_RECEIVER_DOWN]++;
      return;
    }
    c.delivered++;
    kernel.rec.rec(EV_DELIVER, to, m, copy);
    this.module!.deliver(to, m, copy);
  }
}
