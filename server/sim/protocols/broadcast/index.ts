// The broadcast protocol: best-effort, reliable (eager) and causal broadcast (docs/protocols.md).
// Its checks read the nodes' "broadcast" and "deliver" notes: validity, agreement and integrity
// as the textbooks state them (over correct nodes, those that never crashed), and causal order.

import { notesByNode, notesNamed, show, type NoteRef } from "../../checkers/notes";
import type { CheckResult } from "../../checkers/result";
import type { BuiltinProtocolDefinition, ProtocolCheckInput } from "../builtin";
import { files } from "./generated";

const base = (name: string, type: "safety" | "liveness") => ({ name, type });

function correctNodes(input: ProtocolCheckInput): number[] {
  return input.programIds.map((id) => input.nodeIds.indexOf(id)).filter((n) => n >= 0 && !input.crashed.has(n));
}

/** Each node's delivered messages, by message text, with the first deliver note of each. */
function deliveries(input: ProtocolCheckInput): Map<number, Map<string, NoteRef>> {
  const out = new Map<number, Map<string, NoteRef>>();
  for (const [node, list] of notesByNode(input.notes, "deliver")) {
    const m = new Map<string, NoteRef>();
    for (const n of list) if (!m.has(show(n.fields.message))) m.set(show(n.fields.message), n);
    out.set(node, m);
  }
  return out;
}

/** Validity: a message a correct node broadcast is delivered by every correct node. */
function validity(input: ProtocolCheckInput): CheckResult {
  const correct = correctNodes(input);
  const got = deliveries(input);
  for (const b of notesNamed(input.notes, "broadcast")) {
    if (!correct.includes(b.node)) continue;
    const m = show(b.fields.message);
    const missing = correct.find((n) => !got.get(n)?.has(m));
    if (missing !== undefined) {
      return { ...base("broadcast-validity", "liveness"), ok: false, message: `${input.nodeIds[b.node]} broadcast ${m}, but ${input.nodeIds[missing]} (which never crashed) never delivered it`, witness: [b.event] };
    }
  }
  return { ...base("broadcast-validity", "liveness"), ok: true };
}

/** Agreement: a message one correct node delivered is delivered by every correct node. */
function agreement(input: ProtocolCheckInput): CheckResult {
  const correct = correctNodes(input);
  const got = deliveries(input);
  for (const n of correct) {
    for (const [m, note] of got.get(n) ?? []) {
      const missing = correct.find((o) => !got.get(o)?.has(m));
      if (missing !== undefined) {
        return { ...base("broadcast-agreement", "liveness"), ok: false, message: `${input.nodeIds[n]} delivered ${m}, but ${input.nodeIds[missing]} (which never crashed) never did`, witness: [note.event] };
      }
    }
  }
  return { ...base("broadcast-agreement", "liveness"), ok: true };
}

/** Integrity: every node delivers a message at most once, and only a message that was broadcast. */
function integrity(input: ProtocolCheckInput): CheckResult {
  const sent = new Set(notesNamed(input.notes, "broadcast").map((b) => show(b.fields.message)));
  for (const [node, list] of notesByNode(input.notes, "deliver")) {
    const first = new Map<string, NoteRef>();
    for (const d of list) {
      const m = show(d.fields.message);
      const prev = first.get(m);
      if (prev) return { ...base("broadcast-integrity", "safety"), ok: false, message: `${input.nodeIds[node]} delivered ${m} twice`, witness: [prev.event, d.event] };
      if (!sent.has(m)) return { ...base("broadcast-integrity", "safety"), ok: false, message: `${input.nodeIds[node]} delivered ${m}, which nobody broadcast`, witness: [d.event] };
      first.set(m, d);
    }
  }
  return { ...base("broadcast-integrity", "safety"), ok: true };
}

/**
 * Causal order: if the node that broadcast m2 had delivered m1 before, every node delivers m1
 * before m2. A failure names the delivery of m2 and the broadcast it depends on.
 */
function causalOrder(input: ProtocolCheckInput): CheckResult {
  // What each broadcast depends on: everything its node had delivered before it.
  const past = new Map<string, { before: Set<string>; note: NoteRef }>();
  const seen = new Map<number, Set<string>>();
  for (const n of notesNamed(input.notes, "broadcast", "deliver")) {
    const set = seen.get(n.node) ?? new Set<string>();
    seen.set(n.node, set);
    const m = show(n.fields.message);
    if (input.notes.name[n.at] === "broadcast") past.set(m, { before: new Set(set), note: n });
    else set.add(m);
  }
  for (const [node, list] of notesByNode(input.notes, "deliver")) {
    const done = new Map<string, NoteRef>();
    for (const d of list) {
      const m2 = show(d.fields.message);
      for (const m1 of past.get(m2)?.before ?? []) {
        if (done.has(m1)) continue;
        const later = list.find((x) => show(x.fields.message) === m1 && x.at > d.at);
        return {
          ...base("causal-order", "safety"),
          ok: false,
          message: `${input.nodeIds[node]} delivered ${m2} before ${m1}, though ${m2}'s sender had delivered ${m1} when it broadcast ${m2}`,
          witness: later ? [d.event, later.event] : [d.event, past.get(m2)!.note.event],
        };
      }
      done.set(m2, d);
    }
  }
  return { ...base("causal-order", "safety"), ok: true };
}

const CHECKS: Record<string, (input: ProtocolCheckInput) => CheckResult> = {
  "broadcast-validity": validity,
  "broadcast-agreement": agreement,
  "broadcast-integrity": integrity,
  "causal-order": causalOrder,
};

export const broadcast: BuiltinProtocolDefinition = {
  kind: "broadcast",
  summary: "Every node delivers what any node broadcasts: best-effort, reliable (eager relaying) or causal order (vector clocks).",
  parameters: [
    { name: "mode", kind: "enum", default: "reliable", values: ["best-effort", "reliable", "causal"], doc: "best-effort sends once; reliable relays every delivery; causal also waits for each message's causal past" },
    { name: "resend", kind: "duration", default: "100ms", min: 1000, max: 60_000_000, doc: "how long a node waits for an acknowledgement before sending again (reliable and causal)" },
  ],
  checks: [
    { name: "broadcast-validity", type: "liveness", doc: "a message a correct node broadcast is delivered by every correct node" },
    { name: "broadcast-agreement", type: "liveness", doc: "a message delivered by one correct node is delivered by every correct node" },
    { name: "broadcast-integrity", type: "safety", doc: "a node delivers a message at most once, and only if it was broadcast" },
    { name: "causal-order", type: "safety", doc: "if m1 was delivered where m2 was broadcast, before m2 was, every node delivers m1 before m2" },
  ],
  variants: [
    { name: "no-relay", breaks: ["broadcast-agreement"], doc: "reliable mode that never passes a message on: when the sender crashes mid-broadcast, some correct nodes have it and others never will" },
    { name: "no-dedupe", breaks: ["broadcast-integrity"], doc: "delivers a message again each time a copy arrives (relays and resends make copies)" },
    { name: "causal-no-wait", breaks: ["causal-order"], doc: "causal mode that delivers at once instead of waiting for the message's causal past" },
  ],
  workload: "broadcast",
  main: "broadcast.js",
  sources: () => files,
  example: `version: 1
name: reliable broadcast through a partition and a crash
description: |
  Clients broadcast through n1 and n2. A partition splits the cluster for two seconds, and n1
  crashes in the middle of it, with messages it has not yet got across. Reliable broadcast still
  delivers everything everywhere once the partition heals.
until: 30s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }, { id: n4 }, { id: n5 }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05 }
protocol: { kind: broadcast, mode: reliable }
workload: [{ kind: broadcast, clients: 2, rate: 20, duration: 5s, recovery: 5s, timeout: 1s }]
faults:
  - { kind: partition, groups: [[n1, n2, c1, c2], [n3, n4, n5]], from: 1s, until: 3s }
  - { kind: crash, node: n1, at: 2s, restart: 500ms }
checks: [set-full, broadcast-validity, broadcast-agreement, broadcast-integrity]
`,
  check: (name, input) => (CHECKS[name] ?? (() => ({ name, ok: false, message: `${name} is not a broadcast check` })))(input),
};
