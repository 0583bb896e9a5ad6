// Paxos's checks, read from the notes alone: agreement, validity and integrity of decisions
// (safety, each failing with the events that contradict each other) and termination after faults end.

import { notesNamed, show, type NoteRef } from "../../checkers/notes";
import type { CheckResult } from "../../checkers/result";
import type { ProtocolCheckInput } from "../builtin";

/** paxos-termination: once the faults end, a proposal must be decided on its proposer within this long (µs). */
export const PAXOS_TERMINATION_BOUND_US = 5_000_000;

type Check = (input: ProtocolCheckInput) => CheckResult;

const fail = (name: string, type: "safety" | "liveness", message: string, witness: number[]): CheckResult => ({ name, type, ok: false, message, witness });
const pass = (name: string, type: "safety" | "liveness", message?: string): CheckResult => (message ? { name, type, ok: true, message } : { name, type, ok: true });

const slotOf = (n: NoteRef) => show(n.fields.slot);

/** Agreement: no two nodes decide different values for a slot. */
function agreement(input: ProtocolCheckInput): CheckResult {
  const first = new Map<string, NoteRef>();
  for (const d of notesNamed(input.notes, "decide")) {
    const prev = first.get(slotOf(d));
    if (!prev) first.set(slotOf(d), d);
    else if (show(prev.fields.value) !== show(d.fields.value)) {
      return fail("agreement", "safety", `slot ${slotOf(d)}: ${input.nodeIds[prev.node]} decided ${show(prev.fields.value)}, ${input.nodeIds[d.node]} decided ${show(d.fields.value)}`, [prev.event, d.event]);
    }
  }
  return pass("agreement", "safety");
}

/** Validity: a value decided in a slot was proposed in that slot (before it was decided). */
function validity(input: ProtocolCheckInput): CheckResult {
  const proposed = new Set<string>();
  for (const n of notesNamed(input.notes, "propose", "decide")) {
    const key = `${slotOf(n)} ${show(n.fields.value)}`;
    if (input.notes.name[n.at] === "propose") proposed.add(key);
    else if (!proposed.has(key)) {
      return fail("decision-validity", "safety", `${input.nodeIds[n.node]} decided ${show(n.fields.value)} in slot ${slotOf(n)}, which nobody had proposed there`, [n.event]);
    }
  }
  return pass("decision-validity", "safety");
}

/** Integrity: a node decides at most once per slot. */
function integrity(input: ProtocolCheckInput): CheckResult {
  const first = new Map<string, NoteRef>();
  for (const d of notesNamed(input.notes, "decide")) {
    const key = `${d.node} ${slotOf(d)}`;
    const prev = first.get(key);
    if (prev) return fail("decision-integrity", "safety", `${input.nodeIds[d.node]} decided slot ${slotOf(d)} twice: ${show(prev.fields.value)}, then ${show(d.fields.value)}`, [prev.event, d.event]);
    first.set(key, d);
  }
  return pass("decision-integrity", "safety");
}

/**
 * Termination: every proposal still in progress when the faults end, or made after, is decided on
 * its proposer within PAXOS_TERMINATION_BOUND_US of the later of the two. A proposal whose node
 * restarts before its deadline is abandoned; one whose deadline is past the end is not judged.
 */
function termination(input: ProtocolCheckInput): CheckResult {
  const name = "paxos-termination";
  const quiet = input.quietFromUs;
  if (quiet === null) return fail(name, "liveness", "the faults never ended (a workload's final phase ends them), so termination cannot be judged", []);
  const notes = notesNamed(input.notes, "propose", "decide", "start");
  let judged = 0;
  for (let i = 0; i < notes.length; i++) {
    const p = notes[i]!;
    if (input.notes.name[p.at] !== "propose") continue;
    const deadline = Math.max(p.timeUs, quiet) + PAXOS_TERMINATION_BOUND_US;
    if (deadline > input.endUs) continue;
    const end = notes.slice(i + 1).find((n) => n.node === p.node && n.timeUs <= deadline && (input.notes.name[n.at] === "start" || (input.notes.name[n.at] === "decide" && slotOf(n) === slotOf(p))));
    if (end && input.notes.name[end.at] === "start") continue;
    judged++;
    if (!end) {
      const waited = Math.round((deadline - Math.max(p.timeUs, quiet)) / 1000);
      return fail(name, "liveness", `${input.nodeIds[p.node]} proposed ${show(p.fields.value)} in slot ${slotOf(p)} and had not decided that slot ${waited} ms ${p.timeUs >= quiet ? "later" : "after the faults ended"}`, [p.event]);
    }
  }
  return pass(name, "liveness", `${judged} proposals judged, each decided within ${PAXOS_TERMINATION_BOUND_US / 1e6} s`);
}

export const PAXOS_CHECKS: Record<string, Check> = {
  agreement,
  "decision-validity": validity,
  "decision-integrity": integrity,
  "paxos-termination": termination,
};
