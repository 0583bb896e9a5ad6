// The two-phase commit protocol (docs/protocols.md): a coordinator, participants that vote, and a
// recovery log. Its checks read the "begin", "vote" and "decide" notes and the clients' answers:
// atomicity and commit validity (safety), and termination at every correct node (liveness).

import { notesNamed, show, type NoteRef } from "../../checkers/notes";
import type { CheckResult } from "../../checkers/result";
import { OUTCOME_OK } from "../../trace/kinds";
import type { BuiltinProtocolDefinition, ProtocolCheckInput } from "../builtin";
import { files } from "./generated";

const base = (name: string, type: "safety" | "liveness") => ({ name, type });

/** Somewhere a transaction's outcome was decided: a node's "decide" note, or a client's answer. */
interface Decision {
  txn: string;
  decision: "commit" | "abort";
  where: string;
  event: number;
}

function nodeName(input: ProtocolCheckInput, node: number): string {
  return input.nodeIds[node] ?? `node ${node}`;
}

/** Every decision, in event order: the nodes' "decide" notes and the answers clients got. */
function decisions(input: ProtocolCheckInput): Decision[] {
  const out: Decision[] = notesNamed(input.notes, "decide").map((d) => ({ txn: show(d.fields.txn), decision: d.fields.decision === "commit" ? "commit" : "abort", where: nodeName(input, d.node), event: d.event }));
  const h = input.history;
  for (let i = 0; i < h.count; i++) {
    const committed = (h.output[i] as { committed?: unknown } | null)?.committed;
    if (h.outcome[i] !== OUTCOME_OK || h.input[i]!.op !== "txn" || typeof committed !== "boolean") continue;
    out.push({ txn: show(h.input[i]!.txn), decision: committed ? "commit" : "abort", where: `the client ${nodeName(input, h.client[i]!)}`, event: h.completeEvent[i]! });
  }
  return out.sort((a, b) => a.event - b.event);
}

/** Atomicity: no transaction is committed anywhere (a node, or a client's answer) and aborted anywhere else. */
function atomicity(input: ProtocolCheckInput): CheckResult {
  const first = new Map<string, Decision>();
  for (const d of decisions(input)) {
    const prev = first.get(d.txn);
    if (!prev) first.set(d.txn, d);
    else if (prev.decision !== d.decision) {
      return { ...base("atomicity", "safety"), ok: false, message: `transaction ${d.txn} was ${past(prev.decision)} (${prev.where}) and ${past(d.decision)} (${d.where})`, witness: [prev.event, d.event] };
    }
  }
  return { ...base("atomicity", "safety"), ok: true, message: `${first.size} transactions, each decided one way everywhere` };
}

const past = (d: "commit" | "abort") => (d === "commit" ? "committed" : "aborted");

/**
 * Commit validity: a transaction is committed only if every participant its coordinator named
 * (the "begin" note) voted yes before that commit, and none voted no.
 */
function commitValidity(input: ProtocolCheckInput): CheckResult {
  const begins = new Map<string, NoteRef>();
  for (const b of notesNamed(input.notes, "begin")) if (!begins.has(show(b.fields.txn))) begins.set(show(b.fields.txn), b);
  const votes = new Map<string, NoteRef[]>();
  for (const v of notesNamed(input.notes, "vote")) votes.set(show(v.fields.txn), [...(votes.get(show(v.fields.txn)) ?? []), v]);
  const checked = new Set<string>();
  for (const d of decisions(input)) {
    if (d.decision !== "commit" || checked.has(d.txn)) continue;
    checked.add(d.txn);
    const fail = (message: string, witness: number[]) => ({ ...base("commit-validity", "safety"), ok: false, message: `transaction ${d.txn} was committed (${d.where}) ${message}`, witness });
    const begin = begins.get(d.txn);
    if (!begin) return fail("though no coordinator began it", [d.event]);
    const no = votes.get(d.txn)?.find((v) => v.fields.vote !== "yes");
    if (no) return fail(`though ${nodeName(input, no.node)} voted no`, no.event < d.event ? [no.event, d.event] : [d.event, no.event]);
    const named = Array.isArray(begin.fields.participants) ? begin.fields.participants.map(String) : [];
    for (const p of named) {
      const yes = votes.get(d.txn)?.find((v) => nodeName(input, v.node) === p);
      if (!yes) return fail(`though ${p} never voted`, [begin.event, d.event]);
      if (yes.event > d.event) return fail(`before ${p} voted`, [d.event, yes.event]);
    }
  }
  return { ...base("commit-validity", "safety"), ok: true, message: `${checked.size} commits, each after every participant voted yes` };
}

/**
 * Termination: every transaction some node began, voted on or decided is decided by every correct
 * node (a program node that never crashed), by the end of the run.
 */
function termination(input: ProtocolCheckInput): CheckResult {
  const correct = input.programIds.map((id) => input.nodeIds.indexOf(id)).filter((n) => n >= 0 && !input.crashed.has(n));
  const known = new Map<string, NoteRef>();
  const decided = new Map<number, Set<string>>();
  const votedYes = new Map<string, NoteRef>();
  for (const n of notesNamed(input.notes, "begin", "vote", "decide")) {
    const txn = show(n.fields.txn);
    if (!known.has(txn)) known.set(txn, n);
    const name = input.notes.name[n.at];
    if (name === "decide") decided.set(n.node, (decided.get(n.node) ?? new Set()).add(txn));
    if (name === "vote" && n.fields.vote === "yes") votedYes.set(`${n.node} ${txn}`, n);
  }
  for (const [txn, first] of known) {
    const missing = correct.find((n) => !decided.get(n)?.has(txn));
    if (missing === undefined) continue;
    const yes = votedYes.get(`${missing} ${txn}`);
    const why = yes ? ": it voted yes, so it may not decide alone, and never heard the outcome (blocked)" : "";
    return { ...base("termination", "liveness"), ok: false, message: `${nodeName(input, missing)} (which never crashed) never decided transaction ${txn}${why}`, witness: [(yes ?? first).event] };
  }
  return { ...base("termination", "liveness"), ok: true, message: `${known.size} transactions, each decided by every node that never crashed` };
}

const CHECKS: Record<string, (input: ProtocolCheckInput) => CheckResult> = {
  atomicity,
  "commit-validity": commitValidity,
  termination,
};

export const twoPhaseCommit: BuiltinProtocolDefinition = {
  kind: "two-phase-commit",
  summary: "A coordinator asks every participant to vote on each transaction and commits only if all vote yes; votes and decisions are logged, so it recovers from crashes, but participants block while the coordinator is down.",
  parameters: [
    { name: "abortRate", kind: "number", default: 0.1, min: 0, max: 1, doc: "the probability that a participant votes no on a transaction" },
    { name: "voteTimeout", kind: "duration", default: "500ms", min: 1000, max: 60_000_000, doc: "the coordinator aborts a transaction whose votes are not all in after this long" },
    { name: "resend", kind: "duration", default: "100ms", min: 1000, max: 60_000_000, doc: "how often a node asks again for what it lacks: missing votes, acknowledgements of decisions, the outcome of a transaction it voted yes on" },
  ],
  checks: [
    { name: "atomicity", type: "safety", doc: "no transaction is committed anywhere (at a node, or in a client's answer) and aborted anywhere else" },
    { name: "commit-validity", type: "safety", doc: "a transaction is committed only after every participant voted yes" },
    { name: "termination", type: "liveness", doc: "every transaction is decided by every node that never crashed, by the end of the run" },
  ],
  variants: [
    { name: "decide-before-all-votes", breaks: ["commit-validity", "atomicity"], doc: "the coordinator commits on the first yes vote, without waiting for the others" },
    { name: "no-decision-log", breaks: ["atomicity"], doc: "the coordinator sends its decision without logging it (it logs only once every participant has acknowledged): restarted, it aborts a transaction it had committed" },
  ],
  workload: "txn",
  main: "two-phase-commit.js",
  sources: () => files,
  example: `version: 1
name: two-phase commit through a coordinator crash
description: |
  n1 coordinates; n2 and n3 take part. Clients start transactions at every node (participants pass
  them on to n1). The coordinator crashes at 3s and restarts a second later: participants that had
  voted yes wait for it (they may not decide alone) and learn the outcome when it is back. Later a
  partition cuts n3 off, and transactions abort when its vote does not come in time; then n2
  crashes and restarts, and decisions are slow for a second.
until: 60s
nodes: [{ id: n1 }, { id: n2 }, { id: n3 }]
network: { latency: { dist: uniform, min: 1ms, max: 10ms }, loss: 0.05, duplicate: 0.02 }
protocol: { kind: two-phase-commit, abortRate: 0.1, voteTimeout: 500ms, resend: 100ms }
workload: [{ kind: txn, clients: 3, rate: 20, duration: 10s, recovery: 3s, timeout: 2s }]
faults:
  - { kind: crash, node: n1, at: 3s, restart: 1s }
  - { kind: partition, groups: [[n1, n2, c1, c2], [n3, c3]], from: 6s, until: 7s }
  - { kind: crash, node: n2, at: 8s, restart: 500ms }
  - { kind: delay, match: { type: decide }, by: { dist: uniform, min: 0ms, max: 200ms }, from: 9s, until: 10s }
checks: [atomicity, commit-validity, termination]
`,
  check: (name, input) => (CHECKS[name] ?? (() => ({ name, ok: false, message: `${name} is not a two-phase-commit check` })))(input),
};
