// Request-response as a module on the kernel: clients with timeouts, retries and backoff; servers
// with a FIFO queue, processing, dedupe, downstream calls and a key-value store each. The kernel
// runs the loop, crashes and restarts; the transport carries and loses its messages.

import * as Dist from "../../engine/distribution";
import type { CompiledDist } from "../../engine/distribution";
import * as Grow from "../../engine/grow";
import { eventsEstimate } from "../../engine/sizing";
import { FIRST_MODULE_KIND, type Kernel, type KernelModule } from "../../engine/kernel";
import type { Transport } from "../../network/transport";
import * as K from "../../trace/kinds";
import { StringTable } from "../../trace/recorder";
import type { Recorder } from "../../trace/recorder";
import type { RequestResponseProtocol, RequestResponseWorkload, Scenario } from "../../scenario/types";
import { sortedCopy } from "../../metrics/sort";
import { MessageTable, RequestTable } from "./tables";

// Local copies of the trace vocabulary: module bindings can compile to getters, too slow in the hot loop.
const BYZ_BEHAVIORS = K.BYZ_BEHAVIORS;
const EV_ABANDON = K.EV_ABANDON;
const EV_ACCEPT = K.EV_ACCEPT;
const EV_BACKOFF = K.EV_BACKOFF;
const EV_DEDUPE_HIT = K.EV_DEDUPE_HIT;
const EV_ENQUEUE = K.EV_ENQUEUE;
const EV_EXECUTE = K.EV_EXECUTE;
const EV_FAIL = K.EV_FAIL;
const EV_IGNORE = K.EV_IGNORE;
const EV_ISSUE = K.EV_ISSUE;
const EV_PROCESS = K.EV_PROCESS;
const EV_RESEND = K.EV_RESEND;
const EV_RESPOND = K.EV_RESPOND;
const EV_SEND = K.EV_SEND;
const EV_TIMEOUT = K.EV_TIMEOUT;
const EV_WITHHOLD = K.EV_WITHHOLD;
const FAIL_CLIENT_CRASHED = K.FAIL_CLIENT_CRASHED;
const FAIL_TIMEOUT = K.FAIL_TIMEOUT;
const IGNORE_DUPLICATE = K.IGNORE_DUPLICATE;
const IGNORE_LATE = K.IGNORE_LATE;
const MSG_REQUEST = K.MSG_REQUEST;
const MSG_RESPONSE = K.MSG_RESPONSE;
const OP_READ = K.OP_READ;
const OP_WRITE = K.OP_WRITE;
const sample = Dist.sample;
const compileDist = Dist.compileDist;
const grow = Grow.grow;
const columns = Grow.columns;

// Queue event kinds of this module (the kernel's own kinds are below FIRST_MODULE_KIND).
const E_ISSUE = FIRST_MODULE_KIND; // a = workload entry, b = k-th request of the entry
const E_CLOSED_START = FIRST_MODULE_KIND + 1; // a = workload entry
const E_TIMEOUT = FIRST_MODULE_KIND + 2; // a = request, b = attempt
const E_BACKOFF = FIRST_MODULE_KIND + 3; // a = request, b = attempt
const E_PROCESS = FIRST_MODULE_KIND + 4; // a = job, b = server epoch, c = server

// Request states.
export const R_WAITING = 0;
export const R_BACKOFF = 1;
export const R_SUCCEEDED = 2;
export const R_FAILED = 3;

const BACKOFF_NONE = 0;
const BACKOFF_CONSTANT = 1;
const BACKOFF_EXPONENTIAL = 2;

const BYZ_LIE = 0;
const BYZ_EQUIVOCATE = 1;
const BYZ_SILENT = 2;
const BYZ_REPLAY = 3;

const INT32_MAX = 0x7fffffff;
const NO_ANSWER_YET = -2;

export interface RequestCounters {
  issued: number;
  succeeded: number;
  failed: number;
  attempts: number;
}

/** What the protocol counts beyond the transport's message counts. */
export interface RequestResponseCounters {
  requests: RequestCounters;
  calls: RequestCounters;
  executions: number;
}

interface OpenEntry {
  index: number;
  client: number;
  server: number;
  tpl: number;
  count: number;
  intervalUs: number;
  startUs: number;
}

interface ClosedEntry {
  index: number;
  clients: Int32Array;
  /** null: any other node. */
  targets: Int32Array | null;
  outstanding: number;
  tpl: number;
  startUs: number;
  started: boolean;
}

/**
 * The protocol's state for one run. The kernel calls it back for its own events (issue, timeout,
 * backoff, processing), deliveries and crashes; afterwards the checks read its history.
 */
export class RequestResponseModule implements KernelModule {
  readonly scenario: Scenario;
  readonly nodeIds: string[];
  private readonly N: number;
  private readonly kernel: Kernel;
  private readonly transport: Transport;
  private readonly queue: Kernel["queue"];
  readonly rng: Kernel["rng"];
  readonly rec: Recorder;
  readonly strings = new StringTable();
  readonly reqs: RequestTable;
  readonly msgs: MessageTable;
  readonly nemesis: Kernel["nemesis"];

  // Static configuration.
  private readonly timeoutUs: number;
  private readonly retries: number;
  private readonly backoffKind: number;
  private readonly backoffBaseUs: number;
  private readonly backoffMaxUs: number;
  private readonly processing: CompiledDist;
  private readonly concurrency: number;
  private readonly dedupe: boolean;
  private readonly durable: boolean;
  private readonly calls: Int32Array[];
  private readonly tplOp: Uint8Array;
  private readonly tplKey: Int32Array; // string id
  private readonly tplSlot: Int32Array; // key slot in the store
  private readonly tplValue: Int32Array; // string id of the written value, or -1
  private readonly keyCount: number;
  private readonly open: OpenEntry[] = [];
  private readonly closed: ClosedEntry[] = [];
  /** Per node: the closed-loop entries it is a client of. */
  private readonly closedOf: number[][];
  private readonly okId: number;
  private readonly untilUs: number;
  private readonly procStream: Int32Array;
  private readonly workStream: Int32Array;

  // Node state (up/down and epochs are the kernel's).
  private readonly up: Uint8Array;
  private readonly epoch: Int32Array;
  private readonly dedupeGen: Int32Array;
  private readonly running: Int32Array;
  private readonly qHead: Int32Array;
  private readonly qTail: Int32Array;
  private readonly qLen: Int32Array;
  private readonly outHead: Int32Array;
  private readonly lastAnswer: Int32Array;
  private readonly equivocateRank: Map<number, number>[];
  private readonly store: Int32Array;

  // Request runtime state (indexed like reqs), allocated at the tables' size by the constructor.
  state: Uint8Array;
  attempts: Int32Array;
  firstSendUs: Float64Array;
  doneUs: Float64Array;
  executions: Int32Array;
  exec1: Int32Array;
  exec2: Int32Array;
  exec1Us: Float64Array;
  exec2Us: Float64Array;
  acceptMsg: Int32Array;
  acceptIndex: Int32Array;
  failIndex: Int32Array;
  lastSendIndex: Int32Array;
  private rFailReason: Uint8Array;
  private rTpl: Int32Array;
  private rPrev: Int32Array;
  private rNext: Int32Array;
  private rJob: Int32Array;
  private rClosed: Int32Array;
  private rDedupeVal: Int32Array;
  private rDedupeGen: Int32Array;

  // Server jobs (a received request on its way through calls, queue and processing).
  private jMsg = new Int32Array(256);
  private jNode = new Int32Array(256);
  private jNext = new Int32Array(256);
  private jCall = new Int32Array(256);
  private jFree = -1;
  private jCount = 0;

  /** Latencies (µs) of accepted workload requests, in acceptance order, and which request each is. */
  latencyUs: Float64Array;
  latencyReq: Int32Array;
  latencyCount = 0;
  readonly counters: RequestResponseCounters = {
    requests: { issued: 0, succeeded: 0, failed: 0, attempts: 0 },
    calls: { issued: 0, succeeded: 0, failed: 0, attempts: 0 },
    executions: 0,
  };

  constructor(kernel: Kernel, transport: Transport, recordTrace: boolean) {
    const scenario = kernel.scenario;
    this.scenario = scenario;
    this.kernel = kernel;
    this.transport = transport;
    this.queue = kernel.queue;
    this.rng = kernel.rng;
    this.rec = kernel.rec;
    this.nemesis = kernel.nemesis;
    this.nodeIds = kernel.nodeIds;
    const N = (this.N = this.nodeIds.length);
    const nodeIndex = kernel.nodeIndex;
    const at = (id: string) => nodeIndex.get(id) ?? 0;
    this.up = kernel.up;
    this.epoch = kernel.epoch;

    // Random streams of this protocol, named by what they are for.
    this.procStream = Int32Array.from(this.nodeIds, (id) => this.rng.add(`proc/${id}`));
    this.workStream = Int32Array.from(this.nodeIds, (id) => this.rng.add(`work/${id}`));
    // Tables are sized from the events the run will likely process (engine/sizing.ts): generously
    // for a recorded run (untouched typed-array memory costs little, growing by copies costs a
    // lot), modestly for sweeps (thousands of short runs).
    const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
    const hint = eventsEstimate(scenario);
    const big = recordTrace;
    const reqCap = clamp(hint >> 1, big ? 1 << 10 : 1 << 6, big ? 1 << 22 : 1 << 16);
    this.reqs = new RequestTable(reqCap);
    this.msgs = new MessageTable(clamp(hint, big ? 1 << 11 : 1 << 7, big ? 1 << 23 : 1 << 17));
    // The request state's columns in one allocation (engine/grow.ts, columns).
    [
      this.firstSendUs,
      this.doneUs,
      this.exec1Us,
      this.exec2Us,
      this.latencyUs,
      this.attempts,
      this.executions,
      this.exec1,
      this.exec2,
      this.acceptMsg,
      this.acceptIndex,
      this.failIndex,
      this.lastSendIndex,
      this.rTpl,
      this.rPrev,
      this.rNext,
      this.rJob,
      this.rClosed,
      this.rDedupeVal,
      this.rDedupeGen,
      this.latencyReq,
      this.state,
      this.rFailReason,
    ] = columns(
      reqCap,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Int32Array,
      Uint8Array,
      Uint8Array,
    );

    const p = scenario.protocol as RequestResponseProtocol;
    this.timeoutUs = p.client.timeoutUs;
    this.retries = p.client.retries;
    const b = p.client.backoff;
    this.backoffKind = b === null ? BACKOFF_NONE : b.kind === "constant" ? BACKOFF_CONSTANT : BACKOFF_EXPONENTIAL;
    this.backoffBaseUs = b?.baseUs ?? 0;
    this.backoffMaxUs = b?.maxUs ?? Infinity;
    this.processing = compileDist(p.server.processing);
    this.concurrency = p.server.concurrency === "unlimited" ? INT32_MAX : p.server.concurrency;
    this.dedupe = p.server.dedupe;
    this.durable = p.server.durable;
    this.calls = this.nodeIds.map((id) => Int32Array.from((p.server.calls[id] ?? []).map(at)));
    this.okId = this.strings.intern("ok");

    // Request templates: one per workload entry (op, key, value).
    const workload = scenario.workload as RequestResponseWorkload[];
    const W = workload.length;
    this.tplOp = new Uint8Array(W);
    this.tplKey = new Int32Array(W);
    this.tplSlot = new Int32Array(W);
    this.tplValue = new Int32Array(W);
    const slots = new Map<string, number>();
    this.closedOf = this.nodeIds.map(() => []);
    workload.forEach((w, i) => {
      this.tplOp[i] = w.op === "read" ? OP_READ : OP_WRITE;
      this.tplKey[i] = this.strings.intern(w.key);
      let slot = slots.get(w.key);
      if (slot === undefined) slots.set(w.key, (slot = slots.size));
      this.tplSlot[i] = slot;
      this.tplValue[i] = w.value === null ? -1 : this.strings.intern(w.value);
      if (w.kind === "open-loop") {
        this.open.push({ index: i, client: at(w.client), server: at(w.server), tpl: i, count: w.count, intervalUs: w.intervalUs, startUs: w.startUs });
      } else {
        const clients = Int32Array.from(w.clients.map(at));
        const entry: ClosedEntry = {
          index: i,
          clients,
          targets: w.target === "random" ? null : Int32Array.from(w.target.map(at)),
          outstanding: w.outstanding,
          tpl: i,
          startUs: w.startUs,
          started: false,
        };
        const ci = this.closed.length;
        this.closed.push(entry);
        for (const c of clients) this.closedOf[c]!.push(ci);
      }
    });
    this.keyCount = Math.max(1, slots.size);
    this.untilUs = scenario.untilUs;

    this.dedupeGen = new Int32Array(N).fill(1);
    this.running = new Int32Array(N);
    this.qHead = new Int32Array(N).fill(-1);
    this.qTail = new Int32Array(N).fill(-1);
    this.qLen = new Int32Array(N);
    this.outHead = new Int32Array(N).fill(-1);
    this.lastAnswer = new Int32Array(N).fill(NO_ANSWER_YET);
    this.equivocateRank = this.nodeIds.map(() => new Map());
    this.store = new Int32Array(N * this.keyCount).fill(-1);
  }

  private get now(): number {
    return this.kernel.now;
  }

  // ---------------------------------------------------------------- kernel callbacks

  start(): void {
    const q = this.queue;
    scenarioWorkloadOrder: for (let w = 0; w < this.scenario.workload.length; w++) {
      const o = this.open.findIndex((e) => e.index === w);
      if (o >= 0) {
        q.push(this.open[o]!.startUs, E_ISSUE, o, 0, 0);
        continue scenarioWorkloadOrder;
      }
      const ci = this.closed.findIndex((e) => e.index === w);
      if (ci >= 0) q.push(this.closed[ci]!.startUs, E_CLOSED_START, ci, 0, 0);
    }
  }

  /** False for events that were cancelled or are due while their node is down: they are not events. */
  isLive(kind: number, a: number, b: number, c: number): boolean {
    switch (kind) {
      case E_TIMEOUT:
        return this.state[a] === R_WAITING && this.attempts[a] === b;
      case E_BACKOFF:
        return this.state[a] === R_BACKOFF && this.attempts[a] === b;
      case E_PROCESS:
        return this.epoch[c] === b;
      case E_ISSUE:
        return this.up[this.open[a]!.client] === 1;
      case E_CLOSED_START: {
        for (const n of this.closed[a]!.clients) if (this.up[n] === 1) return true;
        return false;
      }
      default:
        return false;
    }
  }

  /** The node an event happens on, for pauses: the server that processes, the client that times out or issues. */
  eventNode(kind: number, a: number, _b: number, c: number): number {
    switch (kind) {
      case E_TIMEOUT:
      case E_BACKOFF:
        return this.reqs.client[a]!;
      case E_PROCESS:
        return c;
      case E_ISSUE:
        return this.open[a]!.client;
      default:
        return -1;
    }
  }

  /** Bookkeeping for an event that does not happen. */
  skip(kind: number, a: number, b: number, _c: number, t: number): void {
    switch (kind) {
      case E_PROCESS:
        this.freeJob(a);
        break;
      case E_ISSUE:
        this.scheduleNextIssue(a, b);
        break;
      case E_CLOSED_START:
        if (t <= this.untilUs) this.closed[a]!.started = true;
        break;
    }
  }

  dispatch(kind: number, a: number, b: number, c: number): void {
    switch (kind) {
      case E_TIMEOUT:
        this.onTimeout(a, b);
        break;
      case E_BACKOFF:
        this.sendAttempt(a);
        break;
      case E_PROCESS:
        this.onProcessed(a, c);
        break;
      case E_ISSUE: {
        const e = this.open[a]!;
        this.issue(e.client, e.server, e.tpl, e.index, -1, -1, -1);
        this.scheduleNextIssue(a, b);
        break;
      }
      case E_CLOSED_START: {
        const e = this.closed[a]!;
        e.started = true;
        for (const n of e.clients) {
          if (this.up[n] !== 1) continue;
          for (let k = 0; k < e.outstanding; k++) this.issueClosed(a, n);
        }
        break;
      }
    }
  }

  deliver(node: number, m: number): void {
    if (this.msgs.type[m] === MSG_REQUEST) this.onRequest(node, m);
    else this.onResponse(node, m);
  }

  timer(): void {
    // Timeouts, backoff and processing are this module's own kinds of event, cancelled by their request's state.
  }

  private scheduleNextIssue(openIdx: number, k: number): void {
    const e = this.open[openIdx]!;
    if (k + 1 < e.count) this.queue.push(e.startUs + (k + 1) * e.intervalUs, E_ISSUE, openIdx, k + 1, 0);
  }

  // ---------------------------------------------------------------- clients

  private ensureRequestCapacity(n: number): void {
    if (n <= this.state.length) return;
    const m = Math.max(n, this.state.length * 2);
    this.state = grow(this.state, m);
    this.attempts = grow(this.attempts, m);
    this.firstSendUs = grow(this.firstSendUs, m);
    this.doneUs = grow(this.doneUs, m);
    this.executions = grow(this.executions, m);
    this.exec1 = grow(this.exec1, m);
    this.exec2 = grow(this.exec2, m);
    this.exec1Us = grow(this.exec1Us, m);
    this.exec2Us = grow(this.exec2Us, m);
    this.acceptMsg = grow(this.acceptMsg, m);
    this.acceptIndex = grow(this.acceptIndex, m);
    this.failIndex = grow(this.failIndex, m);
    this.lastSendIndex = grow(this.lastSendIndex, m);
    this.rFailReason = grow(this.rFailReason, m);
    this.rTpl = grow(this.rTpl, m);
    this.rPrev = grow(this.rPrev, m);
    this.rNext = grow(this.rNext, m);
    this.rJob = grow(this.rJob, m);
    this.rClosed = grow(this.rClosed, m);
    this.rDedupeVal = grow(this.rDedupeVal, m);
    this.rDedupeGen = grow(this.rDedupeGen, m);
  }

  /** Issues a new request (workload entry >= 0, or a downstream call made for `job`). */
  private issue(client: number, server: number, tpl: number, workload: number, closed: number, job: number, parentReq: number): number {
    const r = this.reqs.add(client, server, this.tplOp[tpl]!, this.tplKey[tpl]!, this.tplValue[tpl]!, workload, parentReq);
    this.ensureRequestCapacity(r + 1);
    // Request slots are never reused, so fresh zeroed memory already reads: waiting, no attempts,
    // no executions, never remembered (dedupe generations start at 1).
    this.acceptMsg[r] = -1;
    this.rTpl[r] = tpl;
    this.rJob[r] = job;
    this.rClosed[r] = closed;
    // Link into the client's list of waiting requests.
    const head = this.outHead[client]!;
    this.rPrev[r] = -1;
    this.rNext[r] = head;
    if (head >= 0) this.rPrev[head] = r;
    this.outHead[client] = r;
    this.reqs.issue[r] = this.rec.rec(EV_ISSUE, client, r, -1);
    if (workload >= 0 && job < 0) this.counters.requests.issued++;
    else this.counters.calls.issued++;
    this.sendAttempt(r);
    return r;
  }

  private issueClosed(ci: number, client: number): void {
    const e = this.closed[ci]!;
    const stream = this.workStream[client]!;
    let target: number;
    if (e.targets === null) {
      target = this.rng.below(stream, this.N - 1);
      if (target >= client) target++;
    } else {
      const t = e.targets;
      let candidates = 0;
      for (let i = 0; i < t.length; i++) if (t[i] !== client) candidates++;
      let pick = this.rng.below(stream, candidates);
      target = client;
      for (let i = 0; i < t.length; i++) {
        if (t[i] === client) continue;
        if (pick-- === 0) {
          target = t[i]!;
          break;
        }
      }
    }
    this.issue(client, target, e.tpl, e.index, ci, -1, -1);
  }

  private unlink(r: number): void {
    const client = this.reqs.client[r]!;
    const p = this.rPrev[r]!;
    const n = this.rNext[r]!;
    if (p >= 0) this.rNext[p] = n;
    else this.outHead[client] = n;
    if (n >= 0) this.rPrev[n] = p;
  }

  isWorkloadRequest(r: number): boolean {
    return this.rJob[r]! < 0 && this.reqs.workload[r]! >= 0;
  }

  /** Sends (or resends) request r and starts its timeout (rule 5). */
  private sendAttempt(r: number): void {
    const client = this.reqs.client[r]!;
    const attempt = ++this.attempts[r]!;
    if (attempt === 1) this.firstSendUs[r] = this.now;
    if (this.isWorkloadRequest(r)) this.counters.requests.attempts++;
    else this.counters.calls.attempts++;
    this.state[r] = R_WAITING;
    const m = this.transmit(client, this.reqs.server[r]!, MSG_REQUEST, r, attempt, -1, -1, -1, -1, attempt === 1 ? EV_SEND : EV_RESEND);
    this.lastSendIndex[r] = this.msgs.send[m]!;
    const wait = this.nemesis.timerTrueUs(client, this.timeoutUs, this.now);
    // Timeouts of one length are scheduled in time order: the queue's FIFO lane takes them.
    this.queue.pushInOrder(this.now + wait, E_TIMEOUT, r, attempt, 0);
  }

  private onTimeout(r: number, attempt: number): void {
    const client = this.reqs.client[r]!;
    this.rec.rec(EV_TIMEOUT, client, r, attempt);
    if (attempt > this.retries) {
      this.fail(r, FAIL_TIMEOUT);
      return;
    }
    if (this.backoffKind === BACKOFF_NONE) {
      this.sendAttempt(r);
      return;
    }
    // The k-th resend waits base (constant) or base * 2^(k-1) (exponential), capped at max.
    const k = attempt;
    let waitUs = this.backoffKind === BACKOFF_CONSTANT ? this.backoffBaseUs : this.backoffBaseUs * Math.pow(2, k - 1);
    if (waitUs > this.backoffMaxUs) waitUs = this.backoffMaxUs;
    if (waitUs > 1e15) waitUs = 1e15;
    const trueWait = this.nemesis.timerTrueUs(client, waitUs, this.now);
    this.state[r] = R_BACKOFF;
    this.rec.rec(EV_BACKOFF, client, r, trueWait > INT32_MAX ? INT32_MAX : trueWait);
    this.queue.push(this.now + trueWait, E_BACKOFF, r, attempt, 0);
  }

  private fail(r: number, reason: number): void {
    const client = this.reqs.client[r]!;
    this.state[r] = R_FAILED;
    this.rFailReason[r] = reason;
    this.doneUs[r] = this.now;
    this.unlink(r);
    this.failIndex[r] = this.rec.rec(EV_FAIL, client, r, reason);
    if (this.isWorkloadRequest(r)) this.counters.requests.failed++;
    else this.counters.calls.failed++;
    const job = this.rJob[r]!;
    if (job >= 0) {
      // A downstream call failed: the request it was made for gets no answer.
      if (reason === FAIL_TIMEOUT) this.rec.rec(EV_ABANDON, client, this.jMsg[job]!, r);
      this.freeJob(job);
    }
    const ci = this.rClosed[r]!;
    if (ci >= 0 && this.up[client] === 1) this.issueClosed(ci, client);
  }

  private onResponse(node: number, m: number): void {
    const r = this.msgs.request[m]!;
    const st = this.state[r];
    if (st !== R_WAITING && st !== R_BACKOFF) {
      this.rec.rec(EV_IGNORE, node, m, this.acceptMsg[r] === m ? IGNORE_DUPLICATE : IGNORE_LATE);
      return;
    }
    this.state[r] = R_SUCCEEDED;
    this.doneUs[r] = this.now;
    this.acceptMsg[r] = m;
    this.acceptIndex[r] = this.rec.rec(EV_ACCEPT, node, m, -1);
    this.unlink(r);
    const job = this.rJob[r]!;
    if (job >= 0) {
      this.counters.calls.succeeded++;
      this.callDone(job);
    } else {
      if (this.reqs.workload[r]! >= 0) {
        this.counters.requests.succeeded++;
        const k = this.latencyCount++;
        if (k === this.latencyUs.length) {
          this.latencyUs = grow(this.latencyUs, k + 1);
          this.latencyReq = grow(this.latencyReq, k + 1);
        }
        this.latencyUs[k] = this.now - this.firstSendUs[r]!;
        this.latencyReq[k] = r;
      }
      const ci = this.rClosed[r]!;
      if (ci >= 0) this.issueClosed(ci, node);
    }
  }

  // ---------------------------------------------------------------- network

  /** Adds a message to the table and hands it to the transport, which decides its fate (rule 1). */
  private transmit(from: number, to: number, type: number, r: number, attempt: number, value: number, trueValue: number, byz: number, byzFault: number, kind: number): number {
    const m = type === MSG_REQUEST ? this.msgs.addRequest(from, to, r, attempt) : this.msgs.addResponse(from, to, r, attempt, value, trueValue, byz, byzFault);
    this.msgs.send[m] = this.transport.send(from, to, type, m, kind);
    return m;
  }

  // ---------------------------------------------------------------- servers

  private allocJob(m: number, node: number): number {
    let j = this.jFree;
    if (j >= 0) this.jFree = this.jNext[j]!;
    else {
      j = this.jCount++;
      if (j === this.jMsg.length) {
        const n = j * 2;
        this.jMsg = grow(this.jMsg, n);
        this.jNode = grow(this.jNode, n);
        this.jNext = grow(this.jNext, n);
        this.jCall = grow(this.jCall, n);
      }
    }
    this.jMsg[j] = m;
    this.jNode[j] = node;
    this.jNext[j] = -1;
    this.jCall[j] = 0;
    return j;
  }

  private freeJob(j: number): void {
    this.jNext[j] = this.jFree;
    this.jFree = j;
  }

  /** Order: receive, make the downstream calls, then queue, process, execute, answer. */
  private onRequest(node: number, m: number): void {
    const job = this.allocJob(m, node);
    const calls = this.calls[node]!;
    if (calls.length > 0) {
      const r = this.msgs.request[m]!;
      this.issue(node, calls[0]!, this.rTpl[r]!, -1, -1, job, r);
    } else this.enqueue(node, job);
  }

  private callDone(job: number): void {
    const node = this.jNode[job]!;
    const calls = this.calls[node]!;
    const i = ++this.jCall[job]!;
    if (i < calls.length) {
      const r = this.msgs.request[this.jMsg[job]!]!;
      this.issue(node, calls[i]!, this.rTpl[r]!, -1, -1, job, r);
    } else this.enqueue(node, job);
  }

  private enqueue(node: number, job: number): void {
    if (this.running[node]! < this.concurrency) {
      this.startProcessing(node, job);
      return;
    }
    const tail = this.qTail[node]!;
    this.jNext[job] = -1;
    if (tail >= 0) this.jNext[tail] = job;
    else this.qHead[node] = job;
    this.qTail[node] = job;
    const len = ++this.qLen[node]!;
    this.rec.rec(EV_ENQUEUE, node, this.jMsg[job]!, len);
  }

  private startProcessing(node: number, job: number): void {
    this.running[node]!++;
    let d = sample(this.processing, this.rng, this.procStream[node]!);
    if (this.nemesis.hasSlow) d = Math.round(d * this.nemesis.slowFactor(node, this.now));
    this.rec.rec(EV_PROCESS, node, this.jMsg[job]!, d > INT32_MAX ? INT32_MAX : d);
    this.queue.push(this.now + d, E_PROCESS, job, this.epoch[node]!, node);
  }

  /** Rule 3: execute at the end of processing and answer at that same moment. */
  private onProcessed(job: number, node: number): void {
    this.running[node]!--;
    const m = this.jMsg[job]!;
    const r = this.msgs.request[m]!;
    let value: number;
    if (this.dedupe && this.rDedupeGen[r] === this.dedupeGen[node]) {
      value = this.rDedupeVal[r]!;
      this.rec.rec(EV_DEDUPE_HIT, node, m, value);
    } else {
      const tpl = this.rTpl[r]!;
      const slot = node * this.keyCount + this.tplSlot[tpl]!;
      if (this.tplOp[tpl] === OP_READ) value = this.store[slot]!;
      else {
        this.store[slot] = this.tplValue[tpl]!;
        value = this.okId;
      }
      const idx = this.rec.rec(EV_EXECUTE, node, m, value);
      const n = ++this.executions[r]!;
      if (n === 1) {
        this.exec1[r] = idx;
        this.exec1Us[r] = this.now;
      } else if (n === 2) {
        this.exec2[r] = idx;
        this.exec2Us[r] = this.now;
      }
      if (this.isWorkloadRequest(r)) this.counters.executions++;
      if (this.dedupe) {
        this.rDedupeVal[r] = value;
        this.rDedupeGen[r] = this.dedupeGen[node]!;
      }
    }
    this.respond(node, m, r, value);
    this.freeJob(job);
    const next = this.qHead[node]!;
    if (next >= 0) {
      const after = this.jNext[next]!;
      this.qHead[node] = after;
      if (after < 0) this.qTail[node] = -1;
      this.qLen[node]!--;
      this.startProcessing(node, next);
    }
  }

  private respond(node: number, reqMsg: number, r: number, value: number): void {
    const to = this.msgs.from[reqMsg]!;
    const attempt = this.msgs.attempt[reqMsg]!;
    let answer = value;
    let behavior = -1;
    const fault = this.nemesis.hasByzantine ? this.nemesis.byzantineFault(node, this.now) : -1;
    if (fault >= 0) {
      behavior = this.nemesis.byzantineBehavior(node, fault);
      answer = this.byzantineAnswer(node, behavior, fault, value, to);
      if (behavior === BYZ_SILENT) {
        this.rec.rec(EV_WITHHOLD, node, reqMsg, fault);
        return;
      }
    }
    this.lastAnswer[node] = answer;
    this.transmit(node, to, MSG_RESPONSE, r, attempt, answer, value, behavior, fault, EV_RESPOND);
  }

  private text(id: number): string {
    return id < 0 ? "null" : (this.strings.list[id] ?? "null");
  }

  private byzantineAnswer(node: number, behavior: number, fault: number, value: number, client: number): number {
    switch (behavior) {
      case BYZ_LIE:
        return this.strings.intern(`not ${this.text(value)}`);
      case BYZ_EQUIVOCATE: {
        const ranks = this.equivocateRank[node]!;
        let rank = ranks.get(client);
        if (rank === undefined) ranks.set(client, (rank = ranks.size));
        return rank === 0 ? value : this.strings.intern(`${this.text(value)} (as told to ${this.nodeIds[client]})`);
      }
      case BYZ_SILENT:
        return value;
      case BYZ_REPLAY: {
        const last = this.lastAnswer[node]!;
        return last === NO_ANSWER_YET ? value : last;
      }
      default: {
        const x = this.rng.u32(this.nemesis.faultStream(fault));
        return this.strings.intern(`random ${x.toString(16).padStart(8, "0")}`);
      }
    }
  }

  // ---------------------------------------------------------------- crashes

  crashed(node: number): void {
    // Rule 6: timers, in-flight processing and the queue are gone.
    this.running[node] = 0;
    let j = this.qHead[node]!;
    while (j >= 0) {
      const next = this.jNext[j]!;
      this.freeJob(j);
      j = next;
    }
    this.qHead[node] = -1;
    this.qTail[node] = -1;
    this.qLen[node] = 0;
    if (!this.durable) this.dedupeGen[node]!++;
    // Its waiting requests are abandoned and count as failed (their timers die with them).
    let r = this.outHead[node]!;
    while (r >= 0) {
      const next = this.rNext[r]!;
      this.fail(r, FAIL_CLIENT_CRASHED);
      r = next;
    }
  }

  restarted(node: number): void {
    // A closed-loop client that has started resumes with its full number of outstanding requests.
    for (const ci of this.closedOf[node]!) {
      const e = this.closed[ci]!;
      if (!e.started) continue;
      for (let k = 0; k < e.outstanding; k++) this.issueClosed(ci, node);
    }
  }

  private sortedLatencyCache: Float64Array | null = null;

  /** Latencies of accepted workload requests, ascending (computed once). */
  sortedLatenciesUs(): Float64Array {
    if (!this.sortedLatencyCache) this.sortedLatencyCache = sortedCopy(this.latencyUs, this.latencyCount);
    return this.sortedLatencyCache;
  }

  failReason(r: number): number {
    return this.rFailReason[r]!;
  }

  /** The kind name of a byzantine behavior code (for messages). */
  static behaviorName(code: number): string {
    return BYZ_BEHAVIORS[code] ?? "honest";
  }
}
