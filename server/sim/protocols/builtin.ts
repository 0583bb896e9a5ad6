// What a built-in protocol is: a program on the node API that ships with Faultline (run natively,
// forkable into a user's own program), its documented parameters, the workload that fits it, its
// checks (safety or liveness, read from the history and the protocol's notes) and its bug variants.

import type { CheckResult } from "../checkers/result";
import type { OperationHistory, NoteLog } from "../nodes/runtime";
import type { NodeWorkloadKind } from "../scenario/types";

/** A parameter of a built-in protocol, as users write it under `protocol:`. */
export interface ParameterSpec {
  name: string;
  kind: "duration" | "integer" | "number" | "boolean" | "enum";
  /** The default, as a user would write it ("150ms", 3, true, "eager"). */
  default: string | number | boolean;
  min?: number;
  max?: number;
  values?: readonly string[];
  doc: string;
}

export interface CheckSpec {
  name: string;
  type: "safety" | "liveness";
  doc: string;
}

export interface VariantSpec {
  name: string;
  /** The checks this bug breaks (one of them fails within at most 1000 seeds of the example). */
  breaks: string[];
  doc: string;
}

/** What a protocol's checks read: the workload's history, the nodes' notes and the run's node ids. */
export interface ProtocolCheckInput {
  history: OperationHistory;
  notes: NoteLog;
  nodeIds: readonly string[];
  /** Program nodes (the protocol's members). */
  programIds: readonly string[];
  /** Nodes that crashed (or failed by themselves) at some point of the run, by node index. */
  crashed: ReadonlySet<number>;
  /** When the faults ended (a workload's final phase), or null if they never did. */
  quietFromUs: number | null;
  /** Virtual time of the run's end, µs. */
  endUs: number;
}

/** Parameters after parsing: durations in µs, others as given. */
export type ProtocolParams = Record<string, number | string | boolean>;

export interface BuiltinProtocolDefinition {
  kind: string;
  /** One sentence: what the protocol does. */
  summary: string;
  parameters: ParameterSpec[];
  checks: CheckSpec[];
  variants: VariantSpec[];
  /** The workload its example uses (its clients speak this workload's messages). */
  workload: NodeWorkloadKind;
  /** The file every member runs, among `sources`. */
  main: string;
  /** The protocol's JavaScript files by name (what a fork copies), with their native functions. */
  sources(): Record<string, { source: string; fn: (...args: unknown[]) => void }>;
  /** A scenario that shows it, YAML. */
  example: string;
  /** Evaluates one of its checks. */
  check(name: string, input: ProtocolCheckInput): CheckResult;
}

/** The `config.js` every built-in protocol's program reads: its parameters (durations in ms) and variant. */
export function configSource(def: BuiltinProtocolDefinition, params: ProtocolParams, variant: string | null): string {
  const config: Record<string, unknown> = { variant };
  for (const p of def.parameters) {
    const v = params[p.name];
    config[p.name] = p.kind === "duration" && typeof v === "number" ? v / 1000 : v;
  }
  return `// The parameters of this ${def.kind} scenario (durations in milliseconds) and its variant.\nmodule.exports = ${JSON.stringify(config, null, 2)};\n`;
}

/** The config object configSource writes, for the native run. */
export function configObject(def: BuiltinProtocolDefinition, params: ProtocolParams, variant: string | null): Record<string, unknown> {
  return JSON.parse(configSource(def, params, variant).replace(/^[\s\S]*?module\.exports = /, "").replace(/;\s*$/, "")) as Record<string, unknown>;
}
