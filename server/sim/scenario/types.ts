// The normalized scenario: what the parser returns and the engine runs.
// Every default is filled in, every duration is an integer number of microseconds, nodes are named by id.

export type Distribution =
  | { dist: "constant"; valueUs: number }
  | { dist: "uniform"; minUs: number; maxUs: number }
  | { dist: "exponential"; meanUs: number }
  | { dist: "normal"; meanUs: number; sdUs: number }
  | { dist: "lognormal"; medianUs: number; sigma: number };

export interface NodeClock {
  /** How far the node's clock is ahead (negative: behind), in microseconds. */
  offsetUs: number;
  /** The clock runs 1 + drift times as fast as true time. */
  drift: number;
}

export interface ScenarioNode {
  id: string;
  role: string | null;
  /** A clock that is off for the whole run (a `clock` fault does the same for a window). */
  clock: NodeClock | null;
}

export interface NetworkLink {
  from: string;
  to: string;
  latency: Distribution | null;
  loss: number | null;
  duplicate: number | null;
}

export interface Network {
  latency: Distribution;
  loss: number;
  duplicate: number;
  links: NetworkLink[];
}

export interface Backoff {
  kind: "constant" | "exponential";
  baseUs: number;
  /** Cap on one backoff wait; null means no cap. */
  maxUs: number | null;
}

export interface RequestResponseProtocol {
  kind: "request-response";
  client: { timeoutUs: number; retries: number; backoff: Backoff | null };
  server: {
    processing: Distribution;
    concurrency: number | "unlimited";
    dedupe: boolean;
    durable: boolean;
    /** node id -> the nodes it calls, in order, before answering. */
    calls: Record<string, string[]>;
  };
}

/** A program: JavaScript or TypeScript files every program node runs in the sandbox (docs/programs.md). */
export interface CustomProtocol {
  kind: "custom";
  /** The file every program node runs. */
  main: string;
  /** The program's files by name; `main` is one of them. */
  files: Record<string, string>;
  limits: ProgramLimits;
}

export interface ProgramLimits {
  /** Interpreter work one node may do in one event. */
  fuel: number;
  /** Heap one node may use, in bytes. */
  memoryBytes: number;
}

/** A protocol that ships with Faultline (raft, paxos, ...): its parameters (durations in µs) and bug variant (docs/protocols.md). */
export interface BuiltinProtocol {
  kind: BuiltinProtocolKind;
  variant: string | null;
  params: Record<string, number | string | boolean>;
}

export const BUILTIN_PROTOCOL_KINDS = ["broadcast", "two-phase-commit", "primary-backup", "paxos", "raft"] as const;
export type BuiltinProtocolKind = (typeof BUILTIN_PROTOCOL_KINDS)[number];

export type NodesProtocol = CustomProtocol | BuiltinProtocol;

export const PROTOCOL_KINDS = ["request-response", "custom", ...BUILTIN_PROTOCOL_KINDS] as const;

export type Protocol = RequestResponseProtocol | NodesProtocol;

export type Operation = "read" | "write";

export interface OpenLoopWorkload {
  kind: "open-loop";
  client: string;
  server: string;
  op: Operation;
  key: string;
  /** The value written (writes only); null for reads. */
  value: string | null;
  count: number;
  intervalUs: number;
  startUs: number;
}

export interface ClosedLoopWorkload {
  kind: "closed-loop";
  /** The clients, `all` expanded to every node in scenario order. */
  clients: string[];
  /** `random`: any other node; otherwise one of these, chosen at random (never the client itself). */
  target: "random" | string[];
  outstanding: number;
  op: Operation;
  key: string;
  value: string | null;
  startUs: number;
}

export type RequestResponseWorkload = OpenLoopWorkload | ClosedLoopWorkload;

export const NODE_WORKLOAD_KINDS = ["echo", "unique-ids", "broadcast", "g-set", "g-counter", "pn-counter", "lin-kv", "txn"] as const;
export type NodeWorkloadKind = (typeof NODE_WORKLOAD_KINDS)[number];

export const TOPOLOGIES = ["grid", "line", "tree2", "tree3", "tree4", "total"] as const;
export type Topology = (typeof TOPOLOGIES)[number];

/** A Maelstrom-style workload: clients c1..cN drive the program nodes (docs/programs.md). */
export interface NodeWorkload {
  kind: NodeWorkloadKind;
  clients: number;
  /** Operations per second across all clients. */
  rate: number;
  startUs: number;
  durationUs: number;
  /** An operation with no answer after this long is indeterminate. */
  timeoutUs: number;
  /** set-full, counter, txn and lin-kv: after the faults end, how long the network is reliable before the final reads. */
  recoveryUs: number;
  /** broadcast: the neighbours each node is told about. */
  topology: Topology;
  /** lin-kv: how many keys operations pick from. */
  keys: number;
}

export type Workload = RequestResponseWorkload | NodeWorkload;

export type MessageType = "request" | "response";

export interface MessageMatch {
  from: string | null;
  to: string | null;
  /** request-response: request or response; a run of nodes: any body `type` (echo, append_entries, ...). */
  type: string | null;
  /** 1-based: only the n-th matching message sent while the fault is active. */
  nth: number | null;
}

/** Fault activity window: active while fromUs <= t < untilUs (untilUs null: to the end). */
interface Window {
  fromUs: number;
  untilUs: number | null;
}

export type ByzantineBehavior = "lie" | "equivocate" | "silent" | "replay" | "random";

export type Fault =
  | ({ kind: "drop"; match: MessageMatch; probability: number } & Window)
  | ({ kind: "delay"; match: MessageMatch; by: Distribution } & Window)
  | ({ kind: "duplicate"; match: MessageMatch } & Window)
  | { kind: "crash"; node: string; atUs: number; restartUs: number | null }
  | ({ kind: "slow"; node: string; factor: number } & Window)
  | ({ kind: "partition"; groups: string[][] } & Window)
  | ({ kind: "byzantine"; node: string; behavior: ByzantineBehavior } & Window)
  | ({ kind: "clock"; node: string; offsetUs: number; drift: number } & Window)
  /** The node processes nothing in the window (its deliveries, timers and work wait), then resumes with its state. */
  | ({ kind: "pause"; node: string } & Window)
  /** The random nemesis: expanded from the run's seed into plain faults before the run (server/sim/faults/random.ts). */
  | ({ kind: "random" } & RandomNemesis & Window);

/** A fault the random nemesis can draw. `loss` is a burst of drops, `partition` one of the partition shapes. */
export const RANDOM_FAULT_KINDS = ["crash", "pause", "partition", "loss", "delay", "duplicate", "clock"] as const;
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];

export interface RandomNemesis {
  /** The kinds it draws from (each equally likely). */
  kinds: RandomFaultKind[];
  /** The nodes it crashes, pauses, skews and partitions; null: every node the protocol runs on. */
  nodes: string[] | null;
  /** Mean gap between two fault starts (exponentially distributed). */
  everyUs: number;
  /** Each fault lasts between these (uniform). */
  lengthMinUs: number;
  lengthMaxUs: number;
  /** No fault starts or lasts into the last `quietUs` before the window's end; -1: a fifth of the window. */
  quietUs: number;
  /** At most this many drawn faults (a bridge partition counts once). */
  max: number;
}

export type FaultKind = Fault["kind"];

export type Check =
  | { name: "all-complete"; withinUs: number | null }
  | { name: "at-most-once" }
  | { name: "exactly-once"; withinUs: number | null }
  | { name: "correct-responses" }
  | { name: "latency"; p50Us: number | null; p99Us: number | null; maxUs: number | null }
  | { name: "echo" }
  | { name: "unique-ids" }
  | { name: "set-full" }
  | { name: "counter" }
  | { name: "linearizable" }
  /** A built-in protocol's own check (raft-election-safety, broadcast-agreement, ...), read from its notes. */
  | { name: ProtocolCheckName };

/** The checks built-in protocols define; any program that writes the same notes may use them too. */
export const PROTOCOL_CHECK_NAMES = [
  "broadcast-validity",
  "broadcast-agreement",
  "broadcast-integrity",
  "causal-order",
  "atomicity",
  "commit-validity",
  "termination",
  "no-lost-writes",
  "single-primary",
  "agreement",
  "decision-validity",
  "decision-integrity",
  "paxos-termination",
  "election-safety",
  "leader-append-only",
  "log-matching",
  "leader-completeness",
  "state-machine-safety",
  "raft-liveness",
] as const;
export type ProtocolCheckName = (typeof PROTOCOL_CHECK_NAMES)[number];

export type CheckName = Check["name"];

export interface Scenario {
  version: 1;
  name: string;
  description: string;
  seed: number;
  untilUs: number;
  maxEvents: number;
  nodes: ScenarioNode[];
  network: Network;
  protocol: Protocol;
  workload: Workload[];
  faults: Fault[];
  checks: Check[];
}

export interface ScenarioProblem {
  /** Where: "faults[2].node", or "" for the document as a whole. */
  path: string;
  /** What is wrong, in words a student understands. */
  message: string;
  /** 1-based position in the source text, when known. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** A program file's problem: the file, and the line and column in it (1-based). */
  file?: string;
  fileLine?: number;
  fileColumn?: number;
}

export type ScenarioParseResult = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

export const CHECK_NAMES: readonly CheckName[] = [
  "all-complete",
  "at-most-once",
  "exactly-once",
  "correct-responses",
  "latency",
  "echo",
  "unique-ids",
  "set-full",
  "counter",
  "linearizable",
  ...PROTOCOL_CHECK_NAMES,
];
/** The checks of request-response runs. */
export const REQUEST_RESPONSE_CHECKS: readonly CheckName[] = ["all-complete", "at-most-once", "exactly-once", "correct-responses", "latency"];
/** The checks of runs of nodes (besides each protocol's own). */
export const NODE_CHECKS: readonly CheckName[] = ["all-complete", "latency", "echo", "unique-ids", "set-full", "counter", "linearizable", ...PROTOCOL_CHECK_NAMES];
/** The node ids of the built-in services every run of nodes has. */
export const SERVICE_IDS = ["lin-kv", "seq-kv", "lww-kv", "lin-tso"] as const;
export const FAULT_KINDS: readonly FaultKind[] = ["drop", "delay", "duplicate", "crash", "slow", "partition", "byzantine", "clock", "pause", "random"];
export const BYZANTINE_BEHAVIORS: readonly ByzantineBehavior[] = ["lie", "equivocate", "silent", "replay", "random"];
