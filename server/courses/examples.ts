// Example assignments, one of each kind, on the lecture slide's journal request: the demo
// course uses them, and the assignment form offers them as a starting point (browser-safe).
import type { AssignmentKind, TAssignmentFields } from "./definition";
import { PROGRAM_TEMPLATES } from "@/server/templates/programs";
import { raft } from "@/server/sim/protocols/raft";

/** The journal write, with no faults yet: the student adds the one that makes it run twice. */
export const BREAK_IT_STARTER = `version: 1
name: Journal write, twice
description: |
  C1 writes to C2's journal and retries when it hears nothing back. C2 does not
  deduplicate. Add faults so that the write is executed twice.
seed: 1
until: 10s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: 10ms
protocol:
  kind: request-response
  client: { timeout: 100ms, retries: 2 }
  server: { processing: 1ms, dedupe: false }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: "dear diary", count: 1 }
faults: []
checks:
  - all-complete
  - at-most-once
`;

/** A lossy network and a client that never retries: the student picks timeouts and retries. */
export const FIX_IT_STARTER = `version: 1
name: Lossy network, your protocol
description: |
  Every message is lost with probability 0.2. Choose the client's timeout, retries
  and backoff (and keep the server's dedupe) so that requests complete without
  flooding the network.
seed: 1
until: 300s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: { dist: exponential, mean: 10ms }
  loss: 0.2
protocol:
  kind: request-response
  client: { timeout: 500ms, retries: 0 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: entry, count: 100, interval: 1s }
checks:
  - all-complete
  - at-most-once
`;

/** The instructor's grading scenario for the fix-it assignment: the same system, more requests. */
export const FIX_IT_HIDDEN = `version: 1
name: Hidden lossy network
seed: 1
until: 600s
nodes:
  - { id: C1, role: client }
  - { id: C2, role: server }
network:
  latency: { dist: exponential, mean: 10ms }
  loss: 0.2
protocol:
  kind: request-response
  client: { timeout: 500ms, retries: 0 }
  server: { processing: 1ms, dedupe: true }
workload:
  - { client: C1, server: C2, op: write, key: journal, value: entry, count: 200, interval: 1s }
checks:
  - all-complete
  - at-most-once
`;

export function demoBreakIt(deadline: Date): TAssignmentFields & { kind: AssignmentKind } {
  return {
    kind: "break-it",
    title: "Break it: the journal write happens twice",
    instructions:
      "Find a schedule where **the journal write happens twice**.\n\nYou may change only the `faults` of the scenario: at most 2 faults, of the kinds `drop`, `delay` or `duplicate`. Your submission passes when the `at-most-once` check fails.",
    starterSource: BREAK_IT_STARTER,
    deadline,
    latePolicy: { kind: "penalty", percentPerDay: 10, cutoffDays: 3 },
    submissionsPerHour: null,
    sharing: "never",
    draft: false,
    rules: { maxFaults: 2, faultKinds: ["drop", "delay", "duplicate"] },
    tests: [
      { name: "at-most-once fails on seed 1", points: 6, visible: true, seeds: { from: 1, count: 1 }, requirements: { check: "at-most-once", failOn: "every" } },
      { name: "at-most-once fails on seeds 1 to 20", points: 4, visible: false, seeds: { from: 1, count: 20 }, requirements: { check: "at-most-once", failOn: "every" } },
    ],
  };
}

export function demoFixIt(deadline: Date): TAssignmentFields & { kind: AssignmentKind } {
  return {
    kind: "fix-it",
    title: "Fix it: 99.9% of requests under 20% loss",
    instructions:
      "Choose timeouts and retries so that **99.9% of requests complete under 20% loss** with at most **3× the messages** of a perfect network (6 messages per request).\n\nYou may change only the `protocol` parameters. Your protocol is graded under hidden scenarios.",
    starterSource: FIX_IT_STARTER,
    deadline,
    latePolicy: { kind: "none" },
    submissionsPerHour: null,
    sharing: "never",
    draft: false,
    rules: {},
    tests: [
      {
        name: "99.9% complete, at most 6 messages a request",
        points: 7,
        visible: true,
        seeds: { from: 1, count: 20 },
        scenario: FIX_IT_HIDDEN,
        requirements: { checks: ["at-most-once"], minHeldShare: 1, minCompletionRate: 0.999, maxMessagesPerRequest: 6 },
      },
      {
        name: "every request completes on most seeds",
        points: 3,
        visible: false,
        seeds: { from: 100, count: 20 },
        scenario: FIX_IT_HIDDEN,
        requirements: { checks: ["all-complete", "at-most-once"], minHeldShare: 0.9 },
      },
    ],
  };
}

/** The implement-it starter: a gossip that passes each message on once (the classic first attempt). */
export function implementItStarter(): string {
  const template = PROGRAM_TEMPLATES.find((t) => t.id === "program-broadcast-bug")!;
  return template.source
    .replace('name: "Gossip broadcast (with a classic bug)"', 'name: "Implement it: broadcast that loses nothing"')
    .replace(/description: \|\n( {2}.*\n)+/, "description: |\n  Make every acknowledged message reach every node, through loss and a partition.\n  You may change only the program's files.\n");
}

/** A grading scenario for the broadcast program: `faults` and `network` differ per test. */
function broadcastGrading(name: string, network: string, faults: string): string {
  return `version: 1
name: ${JSON.stringify(name)}
seed: 1
until: 60s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }, { id: n4 }, { id: n5 }]
network: ${network}
protocol: { kind: custom, main: gossip.js, files: { gossip.js: "// the student's program runs here" } }
workload:
  - { kind: broadcast, clients: 2, rate: 20, duration: 5s, topology: grid }
faults:
${faults}
checks: [set-full]
`;
}

export function demoImplementIt(deadline: Date): TAssignmentFields & { kind: AssignmentKind } {
  return {
    kind: "implement-it",
    title: "Implement it: broadcast that loses nothing",
    instructions:
      "Write the node program for the **broadcast** workload so that every acknowledged message reaches every node (`set-full`), through message loss, a partition and a crash.\n\nYou may change only the program's files. The starter passes each message on once: find out why that is not enough. The visible test's scenario is shown below, and you can open the runs of the seeds it fails on; the hidden test is graded the same way.",
    starterSource: implementItStarter(),
    deadline,
    latePolicy: { kind: "none" },
    submissionsPerHour: null,
    sharing: "never",
    draft: false,
    rules: {},
    tests: [
      {
        name: "loss and a partition",
        points: 6,
        visible: true,
        seeds: { from: 1, count: 5 },
        scenario: broadcastGrading("Broadcast under loss and a partition", "{ latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }", "  - { kind: partition, groups: [[n1, n2, c1, c2], [n3, n4, n5]], from: 1s, until: 3s }"),
        requirements: { checks: ["set-full"], minHeldShare: 1 },
      },
      {
        name: "loss and a crash",
        points: 4,
        visible: false,
        seeds: { from: 100, count: 5 },
        scenario: broadcastGrading("Broadcast under loss and a crash", "{ latency: { dist: uniform, min: 1ms, max: 20ms }, loss: 0.1 }", "  - { kind: crash, node: n3, at: 2s, restart: 1s }"),
        requirements: { checks: ["set-full"], minHeldShare: 1 },
      },
    ],
  };
}

/**
 * The scenario text with its `faults:` list (one `  - { ... }` line a fault) emptied: how the
 * examples turn a protocol's example scenario into a starter or a fault-free grading scenario.
 */
export function withoutFaults(source: string): string {
  const emptied = source.replace(/^faults:\n( {2}- .*\n)+/m, "faults: []\n");
  if (emptied === source) throw new Error("the scenario has no faults list to empty");
  return emptied;
}

/**
 * The Raft break-it starter: the built-in raft with the bug that skips the log check when voting,
 * no faults yet. The example's Figure 8 partitions (docs/protocols.md) are one answer.
 */
export function raftBreakItStarter(): string {
  return withoutFaults(raft.example)
    .replace(/^name: .*$/m, "name: Break Raft's leader completeness")
    .replace(/description: \|\n( {2}.*\n)+/, "description: |\n  These nodes grant votes without checking that the candidate's log is as up to date as their own.\n  Add partitions and crashes so that a committed entry is lost by a later leader.\n")
    .replace("batch: 16 }", "batch: 16, variant: vote-without-log-check }")
    .replace(/^checks: .*$/m, "checks: [leader-completeness, state-machine-safety]");
}

export function demoRaftBreakIt(deadline: Date): TAssignmentFields & { kind: AssignmentKind } {
  return {
    kind: "break-it",
    title: "Break it: a Raft that votes without looking at logs",
    instructions:
      "These Raft nodes grant their vote to any candidate of a new term, without checking that its log is at least as up to date as their own (section 5.4.1 of the paper).\n\nAdd at most 4 faults, of the kinds `partition` and `crash`, so that **an entry committed in one term is missing from the log of a later leader** (`leader-completeness` fails). Think about which node must miss the entry, and how it can still win an election.",
    starterSource: raftBreakItStarter(),
    deadline,
    latePolicy: { kind: "none" },
    submissionsPerHour: null,
    sharing: "never",
    draft: false,
    rules: { maxFaults: 4, faultKinds: ["partition", "crash"] },
    tests: [
      { name: "leader-completeness fails on one of seeds 1 to 5", points: 6, visible: true, seeds: { from: 1, count: 5 }, requirements: { check: "leader-completeness", failOn: "any" } },
      { name: "leader-completeness fails on one of seeds 101 to 110", points: 4, visible: false, seeds: { from: 101, count: 10 }, requirements: { check: "leader-completeness", failOn: "any" } },
    ],
  };
}
