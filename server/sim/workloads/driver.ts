// A workload's clients c1..cN driving the program nodes, as Maelstrom's workloads do: each client
// keeps at most one operation outstanding, invokes them at `rate` per second across all clients
// (exponential think times from its own stream) until `duration` has passed, and records each in
// the history. set-full, counter, txn and lin-kv end with a final phase: every fault ends, the
// network is reliable for `recovery`, then every client reads from every program node. Then the run
// is done.

import type { MessageBody, NodeBehavior, NodeContext } from "../nodes/api";
import type { NodesModule } from "../nodes/runtime";
import type { NodeWorkload } from "../scenario/types";
import { OUTCOME_INFO } from "../trace/kinds";
import { workloadModel, type OpDraft, type OpResult, type WorkloadModel } from "./models";
import { topologyOf } from "./topology";

const NEXT = "next operation";
const TIMEOUT = "operation timeout";
const TOPOLOGY = "topology retry";
/** Client c1 tells the nodes their neighbours again at least this often until each acknowledges. */
const TOPOLOGY_RETRY_US_MAX = 500_000;

interface Pending {
  row: number;
  msgId: number;
  draft: OpDraft;
  timer: number;
}

export class WorkloadDriver {
  readonly spec: NodeWorkload;
  readonly model: WorkloadModel;
  readonly programIds: string[];
  readonly clientIds: string[];
  private readonly module: NodesModule;
  private counter = 0;
  private finishedClients = 0;
  /** The invocations stop at this time; the final phase (if any) follows. */
  readonly endUs: number;
  /** Final reads start at this time (set-full, counter), or null. */
  readonly finalReadsUs: number | null;
  private readonly clients: WorkloadClient[] = [];

  constructor(module: NodesModule, spec: NodeWorkload, programIds: string[], clientIds: string[]) {
    this.module = module;
    this.spec = spec;
    this.model = workloadModel(spec.kind, spec.keys);
    this.programIds = programIds;
    this.clientIds = clientIds;
    this.endUs = spec.startUs + spec.durationUs;
    this.finalReadsUs = this.model.finalRead ? this.endUs + spec.recoveryUs : null;
  }

  /** The behavior of client i (0-based). */
  client(i: number): NodeBehavior {
    const c = new WorkloadClient(this, this.module, i);
    this.clients.push(c);
    return c;
  }

  /** Schedules the phases: the end of the invocations and, with a final phase, healing and the reads. */
  schedule(): void {
    const m = this.module;
    m.schedule(this.endUs, () => {
      if (this.finalReadsUs === null) for (const c of this.clients) c.stopInvoking();
      else m.kernel.heal();
    });
    if (this.finalReadsUs !== null) m.schedule(this.finalReadsUs, () => this.clients.forEach((c) => c.startFinalReads()));
  }

  unique(): number {
    return this.counter++;
  }

  /** The node client i talks to (ci talks to the (i mod n)-th program node). */
  targetOf(i: number): string {
    return this.programIds[i % this.programIds.length]!;
  }

  clientFinished(): void {
    this.finishedClients++;
    if (this.finishedClients === this.clients.length) this.module.kernel.finish();
  }

  /** Think time before a client's next operation, in µs: exponential, so the clients together invoke `rate` per second. */
  thinkUs(random: () => number): number {
    const meanUs = (this.spec.clients / this.spec.rate) * 1e6;
    return Math.round(-meanUs * Math.log(1 - random()));
  }

  topology(): Record<string, string[]> {
    return topologyOf(this.spec.topology, this.programIds);
  }
}

class WorkloadClient implements NodeBehavior {
  private nextMsgId = 0;
  private pending: Pending | null = null;
  private invoking = true;
  /** Program nodes this client still has to read from in the final phase; null before it. */
  private finalQueue: string[] | null = null;
  private done = false;
  private ctx: NodeContext | null = null;
  private readonly topologyPending = new Map<number, string>();
  private topologySent = false;

  constructor(
    private readonly driver: WorkloadDriver,
    private readonly module: NodesModule,
    private readonly index: number,
  ) {}

  private get node(): number {
    return this.module.kernel.nodeIndex.get(this.driver.clientIds[this.index]!)!;
  }

  start(ctx: NodeContext): void {
    this.ctx = ctx;
    const now = this.module.kernel.now;
    if (this.index === 0 && this.driver.spec.kind === "broadcast") {
      // First start: tell every node; after a restart, those that had not acknowledged yet.
      if (!this.topologySent) this.sendTopology(ctx, null);
      else if (this.topologyPending.size > 0) this.sendTopology(ctx, 0);
      this.topologySent = true;
    }
    if (this.finalQueue !== null) this.nextFinalRead(ctx);
    else if (this.invoking) this.scheduleNext(ctx, Math.max(0, this.driver.spec.startUs - now));
  }

  crashed(): void {
    // Its outstanding operation is abandoned: it may or may not have happened.
    if (this.pending) this.complete(this.pending, { outcome: OUTCOME_INFO, output: null });
  }

  receive(ctx: NodeContext, _src: string, body: MessageBody): void {
    const inReplyTo = body.in_reply_to;
    if (typeof inReplyTo !== "number") return;
    if (this.topologyPending.delete(inReplyTo)) return;
    const p = this.pending;
    if (!p || inReplyTo !== p.msgId) return; // late or stray: the operation already ended
    ctx.cancelTimer(p.timer);
    this.complete(p, this.driver.model.answer(p.draft, body));
    this.afterOperation(ctx);
  }

  timer(ctx: NodeContext, id: number, label: string): void {
    if (label === NEXT) {
      if (this.invoking && this.module.kernel.now < this.driver.endUs) this.invoke(ctx, this.driver.model.next(() => ctx.random(), () => this.driver.unique()), this.driver.targetOf(this.index));
    } else if (label === TIMEOUT) {
      const p = this.pending;
      if (p && p.timer === id) {
        this.complete(p, { outcome: OUTCOME_INFO, output: null });
        this.afterOperation(ctx);
      }
    } else if (label === TOPOLOGY) this.sendTopology(ctx, id);
  }

  /** The invocations are over (no final phase): finished once nothing is outstanding. */
  stopInvoking(): void {
    this.invoking = false;
    if (!this.pending) this.finish();
  }

  startFinalReads(): void {
    this.invoking = false;
    this.finalQueue = [...this.driver.programIds];
    if (!this.pending && this.ctx && this.module.kernel.up[this.node] === 1) this.nextFinalRead(this.ctx);
  }

  private afterOperation(ctx: NodeContext): void {
    if (this.finalQueue !== null) this.nextFinalRead(ctx);
    else if (this.invoking) this.scheduleNext(ctx, 0);
    else this.finish();
  }

  private scheduleNext(ctx: NodeContext, afterUs: number): void {
    ctx.setTimer(afterUs + this.driver.thinkUs(() => ctx.random()), NEXT);
  }

  private nextFinalRead(ctx: NodeContext): void {
    const dest = this.finalQueue!.shift();
    if (dest === undefined) return this.finish();
    const read = this.driver.model.finalRead!;
    this.invoke(ctx, { input: { ...read.input }, body: { ...read.body } }, dest);
  }

  private invoke(ctx: NodeContext, draft: OpDraft, dest: string): void {
    const m = this.module;
    const row = m.invoke(this.node, m.kernel.nodeIndex.get(dest)!, draft.input);
    const msgId = this.nextMsgId++;
    ctx.send(dest, { ...draft.body, msg_id: msgId });
    this.pending = { row, msgId, draft, timer: ctx.setTimer(this.driver.spec.timeoutUs, TIMEOUT) };
  }

  private complete(p: Pending, result: OpResult): void {
    this.pending = null;
    this.module.complete(p.row, result.outcome, result.output);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.driver.clientFinished();
  }

  /** Client c1 tells every program node its neighbours, and tells again those that did not answer. */
  private sendTopology(ctx: NodeContext, _timer: number | null): void {
    const topology = this.driver.topology();
    const unanswered = _timer === null ? this.driver.programIds : [...new Set(this.topologyPending.values())];
    this.topologyPending.clear();
    if (unanswered.length === 0) return;
    for (const dest of unanswered) {
      const msgId = this.nextMsgId++;
      this.topologyPending.set(msgId, dest);
      ctx.send(dest, { type: "topology", topology, msg_id: msgId });
    }
    ctx.setTimer(Math.min(this.driver.spec.timeoutUs, TOPOLOGY_RETRY_US_MAX), TOPOLOGY);
  }
}
