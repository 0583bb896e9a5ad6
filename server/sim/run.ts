// runScenario: one scenario, one seed, in; the spec's run summary (metrics, verdicts, digest) and
// the trace out. A pure function of (scenario, seed, ENGINE_VERSION).

import { evaluateChecks, type CheckResult } from "./checkers/checks";
import { buildMetrics, type RunMetrics } from "./metrics/metrics";
import { RequestResponseSimulation, type Progress } from "./protocols/request-response/simulation";
import type { Scenario } from "./scenario/types";
import { traceDigest } from "./trace/codec";
import { STOP_REASONS, type StopReason } from "./trace/kinds";
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

export function runScenario(scenario: Scenario, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? scenario.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an unsigned 32-bit integer, got ${seed}`);
  }
  const recordTrace = options.recordTrace ?? true;
  const sim = new RequestResponseSimulation(scenario, { seed, recordTrace, onProgress: options.onProgress });
  sim.run();
  const trace = recordTrace ? new Trace(traceData(sim, seed)) : undefined;
  const checks = evaluateChecks(sim, scenario.checks);
  const summary: RunSummary = {
    scenario: scenario.name,
    seed,
    engine: ENGINE_VERSION,
    stoppedBy: STOP_REASONS[sim.stoppedBy] ?? "idle",
    virtualTimeMs: sim.now / 1000,
    events: sim.events,
    traceDigest: trace ? traceDigest(trace, options.sha256Hex) : null,
    metrics: buildMetrics(sim.counters, sim.sortedLatenciesUs()),
    checks,
    ok: checks.every((c) => c.ok),
    traceEvents: sim.rec.length,
  };
  return trace ? { summary, trace } : { summary };
}

function traceData(sim: RequestResponseSimulation, seed: number) {
  return {
    engine: ENGINE_VERSION,
    scenario: sim.scenario.name,
    seed,
    nodes: [...sim.nodeIds],
    faults: sim.scenario.faults.map((f) => f.kind),
    strings: [...sim.strings.list],
    ...sim.rec.exportColumns(),
    requests: sim.reqs.export(),
    messages: sim.msgs.export(),
  };
}
