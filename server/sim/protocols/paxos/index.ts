// The paxos protocol: single-decree Paxos per key (a write-once register) or a replicated log of
// single-decree slots (multi-decree), serving lin-kv (docs/protocols.md). Checks read the notes.

import type { BuiltinProtocolDefinition } from "../builtin";
import { PAXOS_CHECKS } from "./checks";
import { files } from "./generated";

export const paxos: BuiltinProtocolDefinition = {
  kind: "paxos",
  summary: "Paxos as in Paxos Made Simple: a write-once register per key (single-decree) or a replicated log of key-value commands (multi-decree), serving lin-kv.",
  parameters: [
    { name: "mode", kind: "enum", default: "multi", values: ["single", "multi"], doc: "single: one single-decree instance per key, a write-once register (the first value chosen wins); multi: a replicated log of commands, one instance per slot" },
    { name: "timeout", kind: "duration", default: "100ms", min: 1000, max: 10_000_000, doc: "how long a proposer waits for a majority in a phase before it tries again with a higher ballot" },
    { name: "backoff", kind: "duration", default: "20ms", min: 1000, max: 10_000_000, doc: "a proposer that failed waits a random time below this, doubled after each failure (at most 32 times this), before trying a higher ballot" },
  ],
  checks: [
    { name: "agreement", type: "safety", doc: "no two nodes decide different values for a slot" },
    { name: "decision-validity", type: "safety", doc: "a value decided in a slot was proposed in that slot" },
    { name: "decision-integrity", type: "safety", doc: "a node decides at most once per slot" },
    { name: "paxos-termination", type: "liveness", doc: "a proposal in progress when the faults end, or made after, is decided on its proposer within 5 s" },
  ],
  variants: [
    { name: "accept-without-promise-quorum", breaks: ["agreement"], doc: "a proposer moves to phase 2 after the first promise (its own) instead of a majority: two proposers each get a value chosen in the same slot" },
    { name: "ignore-accepted-value", breaks: ["agreement"], doc: "a proposer with a value of its own proposes it even when a promise reports a value already accepted: a chosen value is replaced" },
  ],
  workload: "lin-kv",
  main: "paxos.js",
  sources: () => files,
  example: `version: 1
name: multi-paxos with duelling proposers through a partition and crashes
description: |
  Five nodes keep a replicated log of key-value commands. Each of five clients talks to its own
  node, so five proposers compete for the same slots and back off when pre-empted. The cluster
  is split for two seconds, two nodes crash and restart, and the network loses, duplicates and
  delays messages. After the workload every fault ends: every proposal must then be decided
  within 5 s, and the final reads go through the log.
until: 60s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }, { id: n4 }, { id: n5 }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.02, duplicate: 0.02 }
protocol: { kind: paxos, mode: multi, timeout: 100ms, backoff: 20ms }
workload: [{ kind: lin-kv, clients: 5, rate: 25, duration: 8s, recovery: 6s, timeout: 1s, keys: 3 }]
faults:
  - { kind: partition, groups: [[n1, n2, c1, c2], [n3, n4, n5, c3, c4, c5]], from: 2s, until: 4s }
  - { kind: crash, node: n3, at: 4500ms, restart: 500ms }
  - { kind: crash, node: n1, at: 5500ms, restart: 300ms }
  - { kind: delay, match: { type: accept }, by: { dist: uniform, min: 0ms, max: 20ms }, from: 6s, until: 7s }
checks: [agreement, decision-validity, decision-integrity, paxos-termination]
`,
  check: (name, input) => (PAXOS_CHECKS[name] ?? (() => ({ name, ok: false, message: `${name} is not a paxos check` })))(input),
};
