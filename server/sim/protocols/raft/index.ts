// The raft protocol: leader election and log replication as in the Raft paper, with a key-value
// state machine serving lin-kv (docs/protocols.md). Its checks read the nodes' notes (checks.ts).

import type { BuiltinProtocolDefinition } from "../builtin";
import { RAFT_CHECKS } from "./checks";
import { files } from "./generated";

export const raft: BuiltinProtocolDefinition = {
  kind: "raft",
  summary: "Leader election and log replication as in the Raft paper (Figure 2), with a replicated key-value store serving lin-kv.",
  parameters: [
    { name: "electionTimeoutMin", kind: "duration", default: "150ms", min: 1000, max: 1_000_000, doc: "shortest election timeout: a follower that hears no leader for a random time between the two bounds stands for election" },
    { name: "electionTimeoutMax", kind: "duration", default: "300ms", min: 1000, max: 1_000_000, doc: "longest election timeout (taken as electionTimeoutMin if smaller)" },
    { name: "heartbeat", kind: "duration", default: "50ms", min: 1000, max: 1_000_000, doc: "how often a leader sends AppendEntries to every follower (and a candidate asks again for missing votes); keep it well below electionTimeoutMin" },
    { name: "batch", kind: "integer", default: 16, min: 1, max: 256, doc: "most log entries in one AppendEntries" },
  ],
  checks: [
    { name: "election-safety", type: "safety", doc: "at most one leader is elected in a given term" },
    { name: "leader-append-only", type: "safety", doc: "a leader never overwrites or deletes entries in its log; it only appends" },
    { name: "log-matching", type: "safety", doc: "if two logs contain an entry with the same index and term, the logs are identical in all entries up to that index" },
    { name: "leader-completeness", type: "safety", doc: "an entry committed in a term is in the log of the leader of every higher term" },
    { name: "state-machine-safety", type: "safety", doc: "no two nodes apply different entries at the same index" },
    { name: "raft-liveness", type: "liveness", doc: "within 5 s of the end of the faults, a leader exists and has committed an entry of its term" },
  ],
  variants: [
    { name: "vote-without-log-check", breaks: ["leader-completeness", "state-machine-safety"], doc: "grants votes without checking that the candidate's log is at least as up-to-date as its own: a node that missed committed entries can win and overwrite them" },
    { name: "commit-old-term", breaks: ["leader-completeness", "state-machine-safety"], doc: "a leader commits an entry of an earlier term once a majority has it, and (reading Figure 2 alone) appends no no-op when elected: the paper's Figure 8, where such an entry is overwritten after being applied" },
    { name: "vote-twice", breaks: ["election-safety"], doc: "grants a vote to any candidate with an up-to-date log, even after voting for another in the same term: two candidates of one term both win" },
    { name: "skip-prev-term-check", breaks: ["log-matching"], doc: "the AppendEntries consistency check only asks for an entry at prevLogIndex, not that its term is prevLogTerm: new entries land after a different history" },
  ],
  workload: "lin-kv",
  main: "raft.js",
  sources: () => files,
  example: `version: 1
name: raft through the partitions of the paper's Figure 8
description: |
  Five nodes replicate a key-value store for five clients (ci talks to ni). The partitions replay
  Figure 8 of the Raft paper: first n1 and n2 are cut off with every client (a leader among them
  keeps appending entries it cannot commit); then n5 is cut off with the clients (a leader there
  appends entries of a later term that nobody else has); then n1 and n2 are cut off again, and
  n2 crashes and restarts. The network loses, duplicates and delays messages throughout. After the
  workload every fault ends: a leader must commit within 5 s, and the final reads go through it.
until: 60s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }, { id: n4 }, { id: n5 }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.02, duplicate: 0.02 }
protocol: { kind: raft, electionTimeoutMin: 150ms, electionTimeoutMax: 300ms, heartbeat: 50ms, batch: 16 }
workload: [{ kind: lin-kv, clients: 5, rate: 25, duration: 8s, recovery: 6s, timeout: 1s, keys: 3 }]
faults:
  - { kind: partition, groups: [[n1, n2, c1, c2, c3, c4, c5], [n3, n4, n5]], from: 1s, until: 2500ms }
  - { kind: partition, groups: [[n5, c1, c2, c3, c4, c5], [n1, n2, n3, n4]], from: 2500ms, until: 4s }
  - { kind: partition, groups: [[n1, n2], [n3, n4, n5, c1, c2, c3, c4, c5]], from: 4s, until: 5500ms }
  - { kind: crash, node: n2, at: 4500ms, restart: 500ms }
  - { kind: delay, match: { type: append_entries }, by: { dist: uniform, min: 0ms, max: 20ms }, from: 5500ms, until: 7s }
checks: [election-safety, leader-append-only, log-matching, leader-completeness, state-machine-safety, raft-liveness]
`,
  check: (name, input) => (RAFT_CHECKS[name] ?? (() => ({ name, ok: false, message: `${name} is not a raft check` })))(input),
};
