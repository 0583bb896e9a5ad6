// The service's view of a scenario document: the simulator's parser with the service's
// own (lower) limits, plus the facts lists and filters need (name, protocol, faults).
// The same function runs in the browser editor and in the API, so both agree.
import { parseScenarioText, type Scenario, type ScenarioProblem } from "@/server/sim";
import { nestingExcess } from "./nesting";

/** What the hosted service allows, below the format's own limits (server/sim LIMITS). */
export const SERVICE_LIMITS = {
  maxEvents: 1_000_000,
  maxDocumentBytes: 256 * 1024,
  /** A program node's interpreter steps per event, and its memory. */
  maxProgramFuel: 200_000_000,
  maxProgramMemoryBytes: 64 * 1024 * 1024,
  /** Nodes that run a program: each has an interpreter and memory of its own. */
  maxProgramNodes: 32,
  /**
   * Trace records one run may keep (an event records one or more): about 285 MB while it runs
   * and 30 MB stored. A run that reaches it stops cleanly with stoppedBy "traceLimit"; the
   * runner passes it to the simulator (server/runner/worker.ts).
   */
  maxTraceRecords: 10_000_000,
} as const;

/**
 * Levels a document may nest (block levels plus brackets); the deepest scenario field nests 6
 * deep. Checked before parsing: the YAML parser takes seconds on deep nesting.
 */
export const SCENARIO_NESTING_DEPTH_MAX = 32;

/** Seeds of one sweep through the service: it is cut into shards any worker may take (server/worker/shards.ts). */
export const SWEEP_SEEDS_MAX = 100_000;
/** Versions one scenario may have: storage stays bounded. */
export const VERSIONS_PER_SCENARIO_MAX = 1000;
export const SEED_MAX = 0xffff_ffff;

/** A problem with a document, as the editor and the API show it: the simulator's own. */
export type ScenarioProblemView = ScenarioProblem;

export interface ScenarioFacts {
  name: string;
  description: string;
  protocol: string;
  faultKinds: string[];
  seed: number;
}

export type CheckedScenario =
  | { ok: true; scenario: Scenario; facts: ScenarioFacts }
  | { ok: false; problems: ScenarioProblemView[] };

/** The checks that cost microseconds (size, nesting): a refusal, or null when the parser may read it. */
export function quickRefusal(source: string): CheckedScenario | null {
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > SERVICE_LIMITS.maxDocumentBytes) {
    return {
      ok: false,
      problems: [{ path: "", message: `the document is ${Math.ceil(bytes / 1024)} KiB; the limit is ${SERVICE_LIMITS.maxDocumentBytes / 1024} KiB` }],
    };
  }
  const deep = nestingExcess(source, SCENARIO_NESTING_DEPTH_MAX);
  if (deep) {
    return {
      ok: false,
      problems: [{ path: "", message: `the document nests deeper than ${SCENARIO_NESTING_DEPTH_MAX} levels`, line: deep.line, column: deep.column, endLine: deep.line, endColumn: deep.column + 1 }],
    };
  }
  return null;
}

export function checkScenario(source: string): CheckedScenario {
  const refused = quickRefusal(source);
  if (refused) return refused;
  const result = parseScenarioText(source, { limits: SERVICE_LIMITS });
  if (!result.ok) return { ok: false, problems: result.problems };
  const s = result.scenario;
  const faultKinds = [...new Set(s.faults.map((f) => f.kind))].sort();
  return {
    ok: true,
    scenario: s,
    facts: { name: s.name, description: s.description ?? "", protocol: s.protocol.kind, faultKinds, seed: s.seed },
  };
}

/** Fault kinds stored as ",crash,drop," so a filter is a plain substring match. */
export function encodeFaultKinds(kinds: string[]): string {
  return kinds.length ? `,${kinds.join(",")},` : "";
}

export function decodeFaultKinds(stored: string): string[] {
  return stored.split(",").filter(Boolean);
}
