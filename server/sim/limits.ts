// Every limit of the simulator, as named constants with their unit in the name.
// The service may lower any of them per call (parseScenarioText's `limits`), never raise them.

export const LIMITS = {
  /** Nodes in one scenario. */
  MAX_NODES: 1024,
  /** Processed events in one run (the scenario's `maxEvents` may not exceed this). */
  MAX_EVENTS: 10_000_000,
  /** Default for `maxEvents` when the scenario does not give one. */
  DEFAULT_MAX_EVENTS: 1_000_000,
  /** Size of a scenario document, in UTF-8 bytes. */
  MAX_DOCUMENT_BYTES: 1_048_576,
  /** The latest `until` a scenario may ask for: one day of virtual time. */
  MAX_UNTIL_US: 86_400_000_000,
  /** The longest any single duration may be (timeouts, latencies, delays): ten days. */
  MAX_DURATION_US: 864_000_000_000,
  /** Entries in `faults`. */
  MAX_FAULTS: 1000,
  /** Faults one random nemesis entry may draw (its `max`). */
  MAX_RANDOM_FAULTS: 200,
  /** Entries in `workload`. */
  MAX_WORKLOAD_ENTRIES: 1000,
  /** `count` of one open-loop workload entry. */
  MAX_WORKLOAD_COUNT: 10_000_000,
  /** `outstanding` of one closed-loop workload entry, per client. */
  MAX_OUTSTANDING: 10_000,
  /** `client.retries`. */
  MAX_RETRIES: 1000,
  /** Entries in `network.links`. */
  MAX_LINKS: 100_000,
  /** Entries in `checks`. */
  MAX_CHECKS: 100,
  /** Length of `name`, in characters. */
  MAX_NAME_CHARS: 120,
  /** Length of `description`, in characters. */
  MAX_DESCRIPTION_CHARS: 20_000,
  /** Length of a node's `role`, in characters. */
  MAX_ROLE_CHARS: 64,
  /** Length of a workload key, in characters. */
  MAX_KEY_CHARS: 256,
  /** Length of a written value, in characters. */
  MAX_VALUE_CHARS: 4096,
  /** `slow.factor`. */
  MAX_SLOW_FACTOR: 1_000_000,
  /** `clock.drift` (the clock runs at most this many extra times as fast). */
  MAX_CLOCK_DRIFT: 1000,
  /** YAML aliases in one document (guards against alias bombs). */
  MAX_YAML_ALIASES: 100,
  /** Seeds in one sweep. */
  MAX_SWEEP_SEEDS: 100_000,
  /** Failing seeds listed per check in a sweep summary. */
  MAX_SWEEP_FAILING_SEEDS_LISTED: 20,
  /** Files of one program (protocol.files). */
  MAX_PROGRAM_FILES: 32,
  /** Length of one program file's name, in characters. */
  MAX_PROGRAM_FILE_NAME_CHARS: 128,
  /** Size of one program file, in UTF-16 code units. */
  MAX_PROGRAM_FILE_CHARS: 262_144,
  /** A program node's fuel per event: interpreter steps (counted, not timed). */
  MAX_PROGRAM_FUEL: 1_000_000_000,
  DEFAULT_PROGRAM_FUEL: 50_000_000,
  /** A program node's heap, in bytes. */
  MAX_PROGRAM_MEMORY_BYTES: 256 * 1024 * 1024,
  DEFAULT_PROGRAM_MEMORY_BYTES: 32 * 1024 * 1024,
  /** Nodes that run a program (each has an interpreter of its own, with its own memory). */
  MAX_PROGRAM_NODES: 64,
  /** Clients of one workload (c1..cN). */
  MAX_WORKLOAD_CLIENTS: 256,
  /** A workload's operations per second across its clients. */
  MAX_WORKLOAD_RATE: 100_000,
  /** Keys of a lin-kv workload. */
  MAX_WORKLOAD_KEYS: 10_000,
} as const;

/** The limits one parse or run works under, named in camelCase (`maxEvents` is LIMITS.MAX_EVENTS). */
export interface ScenarioLimits {
  maxNodes: number;
  maxEvents: number;
  defaultMaxEvents: number;
  maxDocumentBytes: number;
  maxUntilUs: number;
  maxDurationUs: number;
  maxFaults: number;
  maxWorkloadEntries: number;
  maxWorkloadCount: number;
  maxOutstanding: number;
  maxRetries: number;
  maxLinks: number;
  maxChecks: number;
  maxNameChars: number;
  maxDescriptionChars: number;
  maxRoleChars: number;
  maxKeyChars: number;
  maxValueChars: number;
  maxSlowFactor: number;
  maxClockDrift: number;
  maxYamlAliases: number;
  maxProgramFiles: number;
  maxProgramFileChars: number;
  maxProgramFuel: number;
  maxProgramMemoryBytes: number;
  maxWorkloadClients: number;
  maxWorkloadRate: number;
  maxProgramNodes: number;
}

export const DEFAULT_LIMITS: Readonly<ScenarioLimits> = Object.freeze({
  maxNodes: LIMITS.MAX_NODES,
  maxEvents: LIMITS.MAX_EVENTS,
  defaultMaxEvents: LIMITS.DEFAULT_MAX_EVENTS,
  maxDocumentBytes: LIMITS.MAX_DOCUMENT_BYTES,
  maxUntilUs: LIMITS.MAX_UNTIL_US,
  maxDurationUs: LIMITS.MAX_DURATION_US,
  maxFaults: LIMITS.MAX_FAULTS,
  maxWorkloadEntries: LIMITS.MAX_WORKLOAD_ENTRIES,
  maxWorkloadCount: LIMITS.MAX_WORKLOAD_COUNT,
  maxOutstanding: LIMITS.MAX_OUTSTANDING,
  maxRetries: LIMITS.MAX_RETRIES,
  maxLinks: LIMITS.MAX_LINKS,
  maxChecks: LIMITS.MAX_CHECKS,
  maxNameChars: LIMITS.MAX_NAME_CHARS,
  maxDescriptionChars: LIMITS.MAX_DESCRIPTION_CHARS,
  maxRoleChars: LIMITS.MAX_ROLE_CHARS,
  maxKeyChars: LIMITS.MAX_KEY_CHARS,
  maxValueChars: LIMITS.MAX_VALUE_CHARS,
  maxSlowFactor: LIMITS.MAX_SLOW_FACTOR,
  maxClockDrift: LIMITS.MAX_CLOCK_DRIFT,
  maxYamlAliases: LIMITS.MAX_YAML_ALIASES,
  maxProgramFiles: LIMITS.MAX_PROGRAM_FILES,
  maxProgramFileChars: LIMITS.MAX_PROGRAM_FILE_CHARS,
  maxProgramFuel: LIMITS.MAX_PROGRAM_FUEL,
  maxProgramMemoryBytes: LIMITS.MAX_PROGRAM_MEMORY_BYTES,
  maxWorkloadClients: LIMITS.MAX_WORKLOAD_CLIENTS,
  maxWorkloadRate: LIMITS.MAX_WORKLOAD_RATE,
  maxProgramNodes: LIMITS.MAX_PROGRAM_NODES,
});

/** The limits in force: DEFAULT_LIMITS, lowered (never raised) by `override`. */
export function effectiveLimits(override?: Partial<ScenarioLimits>): ScenarioLimits {
  const out: ScenarioLimits = { ...DEFAULT_LIMITS };
  if (override) {
    for (const key of Object.keys(DEFAULT_LIMITS) as (keyof ScenarioLimits)[]) {
      const v = override[key];
      if (typeof v === "number" && Number.isFinite(v) && v >= 0 && v < out[key]) out[key] = Math.floor(v);
    }
  }
  if (out.defaultMaxEvents > out.maxEvents) out.defaultMaxEvents = out.maxEvents;
  return out;
}
