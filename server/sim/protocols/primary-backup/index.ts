// The primary-backup protocol (docs/protocols.md): a key-value store replicated by a primary that
// forwards every operation to its backups, with view changes on suspicion. Its checks read the
// nodes' "ack", "apply" and "primary" notes: no acknowledged write is lost, one primary per view.

import { notesNamed, show, type NoteRef } from "../../checkers/notes";
import type { CheckResult } from "../../checkers/result";
import { evaluateWorkloadChecks } from "../../checkers/workload";
import type { BuiltinProtocolDefinition, ProtocolCheckInput } from "../builtin";
import { files } from "./generated";

const base = (name: string, type: "safety" | "liveness") => ({ name, type });
const who = (input: ProtocolCheckInput, n: NoteRef) => input.nodeIds[n.node] ?? `node ${n.node}`;
const ordered = (a: number, b: number) => (a <= b ? [a, b] : [b, a]);

/**
 * No lost writes: once a node has acknowledged a write (or a successful cas) at log index i, no
 * node ever applies another entry at index i (before or after), and no other write is acknowledged
 * there. Every later primary's log holds it at i, since every node applies the same log.
 */
function noLostWrites(input: ProtocolCheckInput): CheckResult {
  const acks = new Map<number, NoteRef>();
  for (const a of notesNamed(input.notes, "ack")) {
    const index = Number(a.fields.index);
    const prev = acks.get(index);
    if (!prev) acks.set(index, a);
    else if (show(prev.fields.id) !== show(a.fields.id)) {
      return { ...base("no-lost-writes", "safety"), ok: false, message: `${who(input, prev)} acknowledged ${show(prev.fields.id)} at log index ${index} and ${who(input, a)} acknowledged ${show(a.fields.id)} there: one of the two writes is lost`, witness: [prev.event, a.event] };
    }
  }
  for (const ap of notesNamed(input.notes, "apply")) {
    const index = Number(ap.fields.index);
    const ack = acks.get(index);
    if (!ack || show(ack.fields.id) === show(ap.fields.id)) continue;
    return {
      ...base("no-lost-writes", "safety"),
      ok: false,
      message: `${who(input, ack)} acknowledged the write ${show(ack.fields.id)} at log index ${index}, but ${who(input, ap)} applied ${show(ap.fields.id)} there: the acknowledged write is lost`,
      witness: ordered(ack.event, ap.event),
    };
  }
  return { ...base("no-lost-writes", "safety"), ok: true, message: `${acks.size} acknowledged writes, each applied at its own log index by every node that got that far` };
}

/** Single primary: all the nodes that act as primary of a view (a "primary" note) are the same node. */
function singlePrimary(input: ProtocolCheckInput): CheckResult {
  const first = new Map<string, NoteRef>();
  for (const p of notesNamed(input.notes, "primary")) {
    const view = show(p.fields.view);
    const prev = first.get(view);
    if (!prev) first.set(view, p);
    else if (prev.node !== p.node) {
      return { ...base("single-primary", "safety"), ok: false, message: `${who(input, prev)} and ${who(input, p)} both acted as primary of view ${view}`, witness: [prev.event, p.event] };
    }
  }
  return { ...base("single-primary", "safety"), ok: true, message: `${first.size} views, each with one primary` };
}

/** The lin-kv workload's own check, listed here because it is one of this protocol's. */
function linearizable(input: ProtocolCheckInput): CheckResult {
  return evaluateWorkloadChecks(input, [{ name: "linearizable" }])[0]!;
}

const CHECKS: Record<string, (input: ProtocolCheckInput) => CheckResult> = {
  "no-lost-writes": noLostWrites,
  "single-primary": singlePrimary,
  linearizable,
};

export const primaryBackup: BuiltinProtocolDefinition = {
  kind: "primary-backup",
  summary: "A key-value store replicated by a primary that forwards every operation to its backups and answers once a majority has it; the next node in order takes over when the primary is suspected.",
  parameters: [
    { name: "heartbeat", kind: "duration", default: "50ms", min: 1000, max: 10_000_000, doc: "how often the primary sends its backups what they lack (an empty prepare when they lack nothing)" },
    { name: "suspectAfter", kind: "duration", default: "200ms", min: 1000, max: 60_000_000, doc: "a backup that hears nothing from the primary for this long suspects it and starts a view change; a view change that takes this long gives way to the next view" },
    { name: "batch", kind: "integer", default: 32, min: 1, max: 256, doc: "log entries in one prepare or fetch_ok message" },
  ],
  checks: [
    { name: "no-lost-writes", type: "safety", doc: "once a write is acknowledged at log index i, no node applies anything else at i" },
    { name: "single-primary", type: "safety", doc: "no two nodes act as primary in the same view" },
    { name: "linearizable", type: "safety", doc: "the clients' reads, writes and cas operations are linearizable (the lin-kv workload's check)" },
  ],
  variants: [
    { name: "ack-before-backup", breaks: ["no-lost-writes"], doc: "the primary applies and answers as soon as the operation is in its own log, before any backup has it: a primary cut off or crashed takes acknowledged writes with it" },
    { name: "every-backup-takes-over", breaks: ["single-primary"], doc: "every backup that suspects the primary claims the next view for itself, and backs any node that claims it, instead of the view's own primary (the next in order)" },
  ],
  workload: "lin-kv",
  main: "primary-backup.js",
  sources: () => files,
  example: `version: 1
name: primary-backup through a partition and a primary crash
description: |
  Three replicas of a key-value store; n1 is the first primary. A partition cuts n1 off for two
  seconds and n2 takes over (view 1). Later n2 crashes and restarts, and n3 takes over. Messages
  are lost, duplicated and, for a second, delayed. No acknowledged write is lost, and each view
  has one primary.
until: 60s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05, duplicate: 0.02 }
protocol: { kind: primary-backup, heartbeat: 50ms, suspectAfter: 200ms }
workload: [{ kind: lin-kv, clients: 3, rate: 30, duration: 10s, timeout: 1s, keys: 3 }]
faults:
  - { kind: partition, groups: [[n1, c1], [n2, n3, c2, c3]], from: 2s, until: 4s }
  - { kind: crash, node: n2, at: 6s, restart: 1s }
  - { kind: delay, match: { type: prepare }, by: { dist: uniform, min: 0ms, max: 30ms }, from: 8s, until: 9s }
checks: [linearizable, no-lost-writes, single-primary]
`,
  check: (name, input) => (CHECKS[name] ?? (() => ({ name, ok: false, message: `${name} is not a primary-backup check` })))(input),
};
