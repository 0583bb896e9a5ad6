// runScenario: one scenario, one seed, in; the spec's run summary (metrics, verdicts, digest) and
// the trace out. A pure function of (scenario, seed, ENGINE_VERSION). It builds the kernel, the
// network and the nemesis, and hands the run to the module of the scenario's protocol.

import type { CheckResult } from "./checkers/result";
import { evaluateChecks } from "./protocols/request-response/checks";
import { Kernel, type Progress } from "./engine/kernel";
import { RandomStreams } from "./engine/rng";
import { eventsEstimate } from "./engine/sizing";
import { Nemesis } from "./faults/nemesis";
import { expandRandomFaults, hasRandomFaults } from "./faults/random";
import { faultToFormat, type FormatFault } from "./faults/format";
import { buildMetrics, messageMetrics, summarizeLatenciesUs, type RunMetrics } from "./metrics/metrics";
import { evaluateWorkloadChecks, operationLatenciesUs } from "./checkers/workload";
import type { NodeBehavior } from "./nodes/api";
import { NodesModule, type NodeSpec } from "./nodes/runtime";
import { serviceBehavior } from "./services/kv";
import { WorkloadDriver } from "./workloads/driver";
import { historyJson, type HistoryJson } from "./workloads/history-json";
import { MessageTypeRegistry, REQUEST_RESPONSE_TYPES, type MessageTypes } from "./network/message-types";
import { Network } from "./network/network";
import { Transport } from "./network/transport";
import { RequestResponseModule } from "./protocols/request-response/module";
import { configObject, configSource } from "./protocols/builtin";
import { builtinProtocol, evaluateProtocolCheck } from "./protocols/registry";
import { nativeProgramBehavior, type NativeFiles } from "./programs";
import { NODE_WORKLOAD_KINDS, PROTOCOL_CHECK_NAMES, SERVICE_IDS, type BuiltinProtocol, type NodesProtocol, type CustomProtocol, type NodeWorkload, type Scenario } from "./scenario/types";
import { traceDigest, traceDigestStreaming, type Sha256Stream } from "./trace/codec";
import { OUTCOME_FAIL, OUTCOME_INFO, OUTCOME_OK, STOP_REASONS, type StopReason } from "./trace/kinds";
import type { NodeTraceData, RequestResponseTraceData } from "./trace/recorder";
import { Trace } from "./trace/trace";
import { ENGINE_VERSION } from "./version";

export type { Progress };

export interface RunOptions {
  /** Overrides the scenario's seed (unsigned 32-bit integer). */
  seed?: number;
  /** Keep the event trace (default true). Without it the summary's traceDigest is null; everything else is identical. */
  recordTrace?: boolean;
  /** Called every 65536 events and once at the end. */
  onProgress?: (p: Progress) => void;
  /**
   * SHA-256 of bytes as lowercase hex, for the trace digest. Defaults to the pure TypeScript
   * one; Node callers pass node:crypto's, which is several times faster and gives the same
   * digest (tests/sim/trace.test.ts checks both agree).
   */
  sha256Hex?: (bytes: Uint8Array) => string;
  /**
   * A streaming SHA-256 instead: the digest is hashed while the trace is encoded in small pieces,
   * with no copy of the encoding kept (for callers that want only the digest, like `faultline run`;
   * the same digest). Callers that store the encoded trace afterwards pass `sha256Hex` instead.
   */
  sha256Stream?: () => Sha256Stream;
  /** Stop the run (stoppedBy "traceLimit") once the trace holds this many records. */
  maxTraceRecords?: number;
  /** Adds `faultsFired` to the summary: how often each fault rule acted (sweeps compare failing seeds by it). */
  countFaults?: boolean;
  /** Runs programs (protocol.kind custom): the loaded sandbox (server/sim/programs). Required for such scenarios. */
  programs?: ProgramHost;
}

/** What runs a program's nodes: one fresh behavior per node, from the loaded sandbox. */
export interface ProgramHost {
  behaviors(protocol: CustomProtocol, programNodeIds: readonly string[]): () => NodeBehavior;
}

/** The run summary, as `faultline run --json` prints it. */
export interface RunSummary {
  scenario: string;
  seed: number;
  engine: string;
  stoppedBy: StopReason;
  /** Time of the last event, in milliseconds. */
  virtualTimeMs: number;
  /** Processed events (what maxEvents limits). */
  events: number;
  /** "sha256:<hex>" of the canonical trace; null when the trace was not recorded. */
  traceDigest: string | null;
  metrics: RunMetrics;
  checks: CheckResult[];
  /** Extra: true when every check holds. */
  ok: boolean;
  /** Extra: number of trace records (a processed event records one or more). */
  traceEvents: number;
  /**
   * Only when the scenario has a random nemesis: the faults it drew for this seed, as a scenario
   * writes them. `faults:` set to these replays the run to the same trace digest.
   */
  schedule?: FormatFault[];
  /** Only with RunOptions.countFaults: per fault rule (scenario order), how many times it acted. */
  faultsFired?: number[];
}

export interface RunResult {
  summary: RunSummary;
  trace?: Trace;
  /** A run of nodes with a workload: its history, as `--history` writes it (docs/histories.md). */
  history?: HistoryJson;
}

/** What every protocol's run is built on: the kernel, with its random streams, nemesis and transport. */
export interface RunBase {
  kernel: Kernel;
  transport: Transport;
  seed: number;
  recordTrace: boolean;
}

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? scenario.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an unsigned 32-bit integer, got ${seed}`);
  }
  if (hasRandomFaults(scenario)) {
    // The random nemesis is drawn before the run: the run is the expanded scenario's, and its
    // summary carries the drawn faults so the run can be saved as an ordinary scenario.
    const expanded = expandRandomFaults(scenario, seed);
    const result = runScenario(expanded, { ...options, seed });
    return { ...result, summary: { ...result.summary, schedule: expanded.faults.map(faultToFormat) } };
  }
  if (scenario.protocol.kind === "request-response") return runRequestResponse(createRunBase(scenario, seed, options), options);
  return runNodes(scenario, seed, options);
}

/** Builds the kernel of one run: streams net/<node> then fault/<i>, the nemesis, the network and the transport. */
export function createRunBase(scenario: Scenario, seed: number, options: RunOptions, types: MessageTypes = REQUEST_RESPONSE_TYPES): RunBase {
  const recordTrace = options.recordTrace ?? true;
  const rng = new RandomStreams(seed);
  const netStream = Int32Array.from(scenario.nodes, (n) => rng.add(`net/${n.id}`));
  let faultStreamBase = -1;
  scenario.faults.forEach((_, i) => {
    const s = rng.add(`fault/${i}`);
    if (i === 0) faultStreamBase = s;
  });
  const nodeIndex = new Map(scenario.nodes.map((n, i) => [n.id, i] as const));
  const nemesis = new Nemesis(scenario, nodeIndex, faultStreamBase, types);
  // The recorder is sized from the events the run will likely process (engine/sizing.ts):
  // generously (untouched typed-array memory costs little, growing by copies costs a lot).
  const capacity = Math.max(1 << 12, Math.min(1 << 24, eventsEstimate(scenario) * 3));
  const kernel = new Kernel(
    scenario,
    nemesis,
    rng,
    { seed, recordTrace, onProgress: options.onProgress, maxTraceRecords: options.maxTraceRecords },
    capacity,
  );
  const transport = new Transport(kernel, new Network(scenario.network, nodeIndex), netStream);
  return { kernel, transport, seed, recordTrace };
}

function runRequestResponse(base: RunBase, options: RunOptions): RunResult {
  const { kernel, transport, seed, recordTrace } = base;
  const rr = new RequestResponseModule(kernel, transport, recordTrace);
  kernel.attach(rr, transport);
  transport.attach(rr);
  kernel.run();
  const trace = recordTrace ? new Trace(requestResponseTraceData(rr, kernel, seed)) : undefined;
  const checks = evaluateChecks(rr, kernel.scenario.checks);
  const summary: RunSummary = {
    scenario: kernel.scenario.name,
    seed,
    engine: ENGINE_VERSION,
    stoppedBy: STOP_REASONS[kernel.stoppedBy] ?? "idle",
    virtualTimeMs: kernel.now / 1000,
    events: kernel.events,
    traceDigest: trace ? digestOf(trace, options) : null,
    metrics: buildMetrics(transport.counters, rr.counters, rr.sortedLatenciesUs()),
    checks,
    ok: checks.every((c) => c.ok),
    traceEvents: kernel.rec.length,
    ...(options.countFaults ? { faultsFired: Array.from(kernel.nemesis.fired) } : {}),
  };
  return trace ? { summary, trace } : { summary };
}

function requestResponseTraceData(rr: RequestResponseModule, kernel: Kernel, seed: number): RequestResponseTraceData {
  return {
    layout: "request-response",
    engine: ENGINE_VERSION,
    scenario: kernel.scenario.name,
    seed,
    nodes: [...kernel.nodeIds],
    faults: kernel.scenario.faults.map((f) => f.kind),
    strings: [...rr.strings.list],
    ...kernel.rec.exportColumns(),
    requests: rr.reqs.export(),
    messages: rr.msgs.export(),
  };
}

/** The nodes of a run of nodes: the declared ones, then the workload's clients c1..cN, then the services. */
export function runNodeList(scenario: Scenario): { nodes: Scenario["nodes"]; programIds: string[]; clientIds: string[] } {
  const declared = new Set(scenario.nodes.map((n) => n.id));
  const w = scenario.workload[0];
  const clients = w && (NODE_WORKLOAD_KINDS as readonly string[]).includes(w.kind) ? (w as NodeWorkload).clients : 0;
  const clientIds = Array.from({ length: clients }, (_, i) => `c${i + 1}`);
  const nodes = [...scenario.nodes];
  for (const id of [...clientIds, ...SERVICE_IDS]) if (!declared.has(id)) nodes.push({ id, role: null, clock: null });
  const clientSet = new Set(clientIds);
  const programIds = scenario.nodes.filter((n) => n.role !== "client" && !clientSet.has(n.id) && !(SERVICE_IDS as readonly string[]).includes(n.id)).map((n) => n.id);
  return { nodes, programIds, clientIds };
}

/** A built-in protocol's members: its program run natively, with its parameters as config.js. */
function builtinBehaviors(protocol: BuiltinProtocol, programIds: string[]): () => NodeBehavior {
  const def = builtinProtocol(protocol.kind)!;
  const config = configObject(def, protocol.params, protocol.variant);
  const files: NativeFiles = {
    ...def.sources(),
    "config.js": { source: configSource(def, protocol.params, protocol.variant), fn: (_exports, _require, module) => ((module as { exports: unknown }).exports = config) },
  };
  return nativeProgramBehavior({ main: def.main, files }, programIds);
}

function runNodes(scenario: Scenario, seed: number, options: RunOptions): RunResult {
  const protocol = scenario.protocol as NodesProtocol;
  if (protocol.kind === "custom" && !options.programs) throw new Error("this scenario runs a program: pass the loaded program runtime as options.programs");
  const { nodes, programIds, clientIds } = runNodeList(scenario);
  const types = new MessageTypeRegistry();
  const { kernel, transport, recordTrace } = createRunBase({ ...scenario, nodes }, seed, options, types);
  const module = new NodesModule(kernel, transport, types, recordTrace);
  const workload = scenario.workload[0] as NodeWorkload | undefined;
  const driver = workload ? new WorkloadDriver(module, workload, programIds, clientIds) : null;
  const program = protocol.kind === "custom" ? options.programs!.behaviors(protocol, programIds) : builtinBehaviors(protocol, programIds);
  const clientIndex = new Map(clientIds.map((id, i) => [id, i] as const));
  const programSet = new Set(programIds);
  module.setNodes(
    nodes.map((n): NodeSpec => {
      const c = clientIndex.get(n.id);
      if (c !== undefined && driver) return { role: "client", behavior: driver.client(c) };
      if (programSet.has(n.id)) return { role: "program", behavior: program() };
      if ((SERVICE_IDS as readonly string[]).includes(n.id)) return { role: "service", behavior: serviceBehavior(n.id) };
      return { role: "client", behavior: IDLE };
    }),
  );
  driver?.schedule();
  kernel.attach(module, transport);
  transport.attach(module);
  kernel.run();
  const trace = recordTrace ? new Trace(nodeTraceData(module, kernel, seed, protocol.kind)) : undefined;
  const checks = evaluateNodeChecks(scenario, module, kernel, programIds);
  const summary: RunSummary = {
    scenario: scenario.name,
    seed,
    engine: ENGINE_VERSION,
    stoppedBy: STOP_REASONS[kernel.stoppedBy] ?? "idle",
    virtualTimeMs: kernel.now / 1000,
    events: kernel.events,
    traceDigest: trace ? digestOf(trace, options) : null,
    metrics: nodeMetrics(transport, module),
    checks,
    ok: checks.every((c) => c.ok),
    traceEvents: kernel.rec.length,
    ...(options.countFaults ? { faultsFired: Array.from(kernel.nemesis.fired) } : {}),
  };
  const history = workload ? historyJson(module.history, kernel.nodeIds, workload.kind).history : undefined;
  return { summary, ...(trace ? { trace } : {}), ...(history ? { history } : {}) };
}

/** Workload checks read the history; protocol checks read the notes (any program that writes them may use them). */
function evaluateNodeChecks(scenario: Scenario, module: NodesModule, kernel: Kernel, programIds: string[]): CheckResult[] {
  const input = {
    history: module.history,
    notes: module.noteLog,
    nodeIds: kernel.nodeIds,
    programIds,
    crashed: new Set(kernel.nodeIds.map((_, i) => i).filter((i) => kernel.everDown[i] === 1)),
    quietFromUs: Number.isFinite(kernel.quietFromUs) ? kernel.quietFromUs : null,
    endUs: kernel.now,
  };
  const workloadChecks = scenario.checks.filter((c) => !(PROTOCOL_CHECK_NAMES as readonly string[]).includes(c.name));
  const byName = new Map(evaluateWorkloadChecks(input, workloadChecks).map((r) => [r.name, r] as const));
  return scenario.checks.map((c) => byName.get(c.name) ?? evaluateProtocolCheck(c.name, input));
}

/** A node that does nothing: a declared client that is not one of the workload's. */
const IDLE: NodeBehavior = { start: () => undefined, receive: () => undefined, timer: () => undefined };

function nodeMetrics(transport: Transport, module: NodesModule): RunMetrics {
  const h = module.history;
  let ok = 0;
  let failed = 0;
  let info = 0;
  for (let i = 0; i < h.count; i++) {
    if (h.outcome[i] === OUTCOME_OK) ok++;
    else if (h.outcome[i] === OUTCOME_FAIL) failed++;
    else if (h.outcome[i] === OUTCOME_INFO) info++;
  }
  const pending = h.count - ok - failed - info;
  return {
    messages: messageMetrics(transport.counters),
    requests: { issued: h.count, succeeded: ok, failed: failed + info, attempts: h.count, pending },
    latencyMs: summarizeLatenciesUs(operationLatenciesUs(h)),
    operations: { invoked: h.count, ok, failed, indeterminate: info, pending },
  };
}

function nodeTraceData(module: NodesModule, kernel: Kernel, seed: number, protocol: string): NodeTraceData {
  return {
    layout: "nodes",
    protocol,
    engine: ENGINE_VERSION,
    scenario: kernel.scenario.name,
    seed,
    nodes: [...kernel.nodeIds],
    faults: kernel.scenario.faults.map((f) => f.kind),
    strings: [...module.strings.list],
    ...kernel.rec.exportColumns(),
    messages: module.msgs.export(),
    ops: module.ops.export(),
    notes: module.notes.export(),
  };
}

function digestOf(trace: Trace, options: RunOptions): string {
  return options.sha256Stream ? traceDigestStreaming(trace, options.sha256Stream) : traceDigest(trace, options.sha256Hex);
}
