// The simulator's public API: parse and validate scenarios, run one seed, encode and export traces,
// aggregate sweeps. Pure and deterministic: no Node APIs, no wall clock, no Math.random.

export { ENGINE_VERSION, FORMAT_VERSION } from "./version";
export { LIMITS, DEFAULT_LIMITS, effectiveLimits, type ScenarioLimits } from "./limits";
export { parseScenarioText, validateScenario, formatPath, type ParseOptions } from "./scenario/parse";
export { parseDuration, formatDuration } from "./scenario/duration";
export type {
  Scenario,
  ScenarioNode,
  ScenarioProblem,
  ScenarioParseResult,
  Distribution,
  Network,
  NetworkLink,
  Backoff,
  Protocol,
  RequestResponseProtocol,
  Workload,
  OpenLoopWorkload,
  ClosedLoopWorkload,
  Fault,
  FaultKind,
  MessageMatch,
  ByzantineBehavior,
  Check,
  CheckName,
  NodeClock,
  Operation,
  MessageType,
} from "./scenario/types";
export { CHECK_NAMES, FAULT_KINDS, BYZANTINE_BEHAVIORS } from "./scenario/types";
export { runScenario, type RunOptions, type RunResult, type RunSummary, type Progress, type ProgramHost } from "./run";
export type { CheckResult } from "./checkers/result";
export type { RunMetrics, RequestMetrics, LatencySummaryMs } from "./metrics/metrics";
export { nearestRank } from "./metrics/metrics";
export { Trace, type TraceEvent } from "./trace/trace";
export type { TraceData } from "./trace/recorder";
export { encodeTrace, decodeTrace, traceDigest, TraceFormatError, TRACE_FORMAT_VERSION } from "./trace/codec";
export { traceToJsonl, traceJsonlLines } from "./trace/jsonl";
export {
  EVENT_KINDS,
  DROP_REASONS,
  IGNORE_REASONS,
  FAIL_REASONS,
  STOP_REASONS,
  MESSAGE_TYPES,
  type EventKindName,
  type DropReason,
  type StopReason,
} from "./trace/kinds";
export {
  aggregateSweep,
  distribution,
  SWEEP_METRICS,
  type SweepSummary,
  type SweepCheckSummary,
  type MetricDistribution,
  type SweepMetricName,
} from "./sweep/aggregate";
export { sweepFaults, mergeSweepFaults, type SweepFaultSummary } from "./sweep/faults";
export { sweepPartial, mergeSweepPartials, finishSweepPartial, type SweepPartial, type ValueCounts } from "./sweep/partial";
export { sha256Hex } from "./trace/sha256";
export * from "./history";
export * from "./checkers/linearizability";
