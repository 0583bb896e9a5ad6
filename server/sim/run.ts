// runScenario: one scenario, one seed, in; the spec's run summary (metrics, verdicts, digest) and
// the trace out. A pure function of (scenario, seed, ENGINE_VERSION). It builds the kernel, the
// network and the nemesis, and hands the run to the module of the scenario's protocol.

import type { CheckResult } from "./checkers/result";
import { evaluateChecks } from "./protocols/request-response/checks";
import { Kernel, type Progress } from "./engine/kernel";
import { RandomStreams } from "./engine/rng";
import { Nemesis } from "./faults/nemesis";
import { buildMetrics, type RunMetrics } from "./metrics/metrics";
import { REQUEST_RESPONSE_TYPES, type MessageTypes } from "./network/message-types";
import { Network } from "./network/network";
import { Transport } from "./network/transport";
import { RequestResponseModule } from "./protocols/request-response/module";
import type { Scenario } from "./scenario/types";
import { traceDigest } from "./trace/codec";
import { STOP_REASONS, type StopReason } from "./trace/kinds";
import type { RequestResponseTraceData } from "./trace/recorder";
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
  /** Stop the run (stoppedBy "traceLimit") once the trace holds this many records. */
  maxTraceRecords?: number;
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
}

export interface RunResult {
  summary: RunSummary;
  trace?: Trace;
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
  const base = createRunBase(scenario, seed, options);
  return runRequestResponse(base, options);
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
  // The recorder is sized from maxEvents: generously (untouched typed-array memory costs nothing,
  // growing by copies costs a lot).
  const capacity = Math.max(1 << 12, Math.min(1 << 24, scenario.maxEvents * 3));
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
    traceDigest: trace ? traceDigest(trace, options.sha256Hex) : null,
    metrics: buildMetrics(transport.counters, rr.counters, rr.sortedLatenciesUs()),
    checks,
    ok: checks.every((c) => c.ok),
    traceEvents: kernel.rec.length,
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
