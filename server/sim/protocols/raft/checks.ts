// Raft's checks, read from the notes alone: the five properties of the paper's Figure 3 (safety,
// each failing with the two events that contradict each other) and liveness after the faults end.

import { notesNamed, type NoteRef } from "../../checkers/notes";
import type { CheckResult } from "../../checkers/result";
import type { ProtocolCheckInput } from "../builtin";
import { intField, Leadership, MalformedNote, RaftLogs, type EntryId } from "./replay";

/** raft-liveness: once the faults end, a leader must exist and have committed in its term within this long (µs). */
export const RAFT_LIVENESS_BOUND_US = 5_000_000;

const LOG_NOTES = ["start", "elected", "append", "truncate", "commit", "apply", "state"];

type Check = (input: ProtocolCheckInput) => CheckResult;

const fail = (name: string, type: "safety" | "liveness", message: string, witness: number[]): CheckResult => ({ name, type, ok: false, message, witness });
const pass = (name: string, type: "safety" | "liveness", message?: string): CheckResult => (message ? { name, type, ok: true, message } : { name, type, ok: true });

const entryText = (e: EntryId) => `${e.id} (term ${e.term})`;
const sameEntry = (a: EntryId | undefined, b: EntryId) => a !== undefined && a.term === b.term && a.id === b.id;

/** Runs a check, turning a note it cannot read into a failure that names it. */
function guarded(name: string, type: "safety" | "liveness", check: Check): Check {
  return (input) => {
    try {
      return check(input);
    } catch (e) {
      if (!(e instanceof MalformedNote)) throw e;
      return fail(name, type, `${input.nodeIds[e.note.node]}'s ${input.notes.name[e.note.at]} note cannot be read: ${e.message}`, [e.note.event]);
    }
  };
}

/** Election safety: at most one leader is elected in a given term. */
function electionSafety(input: ProtocolCheckInput): CheckResult {
  const first = new Map<number, NoteRef>();
  for (const n of notesNamed(input.notes, "elected")) {
    const term = intField(n, "term");
    const prev = first.get(term);
    if (prev && prev.node !== n.node) {
      return fail("election-safety", "safety", `two leaders in term ${term}: ${input.nodeIds[prev.node]} and ${input.nodeIds[n.node]}`, [prev.event, n.event]);
    }
    if (!prev) first.set(term, n);
  }
  return pass("election-safety", "safety");
}

/** Leader append-only: a leader never overwrites or deletes entries in its log; it only appends. */
function leaderAppendOnly(input: ProtocolCheckInput): CheckResult {
  const logs = new RaftLogs();
  const leadership = new Leadership();
  for (const n of notesNamed(input.notes, ...LOG_NOTES)) {
    const name = input.notes.name[n.at]!;
    const leader = leadership.apply(n, name);
    const change = logs.apply(n, name);
    const cut = change.truncatedFrom || change.overwroteFrom;
    if (leader && cut > 0) {
      const what = change.truncatedFrom ? "deleted" : "overwrote";
      return fail("leader-append-only", "safety", `${input.nodeIds[n.node]}, leader of term ${leader.term}, ${what} entries ${cut}..${change.lengthBefore} of its log`, [leader.event, n.event]);
    }
  }
  return pass("leader-append-only", "safety");
}

/** Log matching: if two logs have an entry with the same index and term, they are identical up to it. */
function logMatching(input: ProtocolCheckInput): CheckResult {
  const logs = new RaftLogs();
  const seen = new Map<string, { prefix: number; note: NoteRef }>();
  for (const n of notesNamed(input.notes, "append", "truncate")) {
    for (const a of logs.apply(n, input.notes.name[n.at]!).appended) {
      const key = `${a.index} ${a.entry.term}`;
      const prev = seen.get(key);
      if (!prev) {
        seen.set(key, { prefix: a.prefix, note: n });
        continue;
      }
      if (prev.prefix === a.prefix) continue;
      const mine = logs.prefixes.log(a.prefix);
      const theirs = logs.prefixes.log(prev.prefix);
      let i = 0;
      while (sameEntry(theirs[i], mine[i]!)) i++;
      return fail(
        "log-matching",
        "safety",
        `${input.nodeIds[prev.note.node]} and ${input.nodeIds[n.node]} both have an entry of term ${a.entry.term} at index ${a.index}, but their logs differ at index ${i + 1}: ${entryText(theirs[i]!)} and ${entryText(mine[i]!)}`,
        [prev.note.event, n.event],
      );
    }
  }
  return pass("log-matching", "safety");
}

interface Committed {
  index: number;
  entry: EntryId;
  /** The lowest term in which a node noted it committed. */
  term: number;
  note: NoteRef;
}

/**
 * Leader completeness: an entry committed in term C is in the log of every leader of a term above C
 * (when it was elected; leader append-only covers the rest of its term). Terms, not times: a
 * leader of a later term elected before the commit was noted must have the entry too.
 */
function leaderCompleteness(input: ProtocolCheckInput): CheckResult {
  const logs = new RaftLogs();
  const committed = new Map<string, Committed>();
  const marked = new Map<number, number>();
  const elections: { note: NoteRef; term: number; prefix: number }[] = [];
  for (const n of notesNamed(input.notes, "append", "truncate", "commit", "elected")) {
    const name = input.notes.name[n.at]!;
    const change = logs.apply(n, name);
    const cut = change.truncatedFrom || change.overwroteFrom;
    if (cut > 0) marked.set(n.node, Math.min(marked.get(n.node) ?? 0, cut - 1));
    if (name === "elected") elections.push({ note: n, term: intField(n, "term"), prefix: logs.prefixAt(n.node, logs.length(n.node)) });
    if (name !== "commit") continue;
    const upTo = Math.min(intField(n, "index"), logs.length(n.node));
    const term = intField(n, "term");
    for (let i = (marked.get(n.node) ?? 0) + 1; i <= upTo; i++) {
      const entry = logs.prefixes.entry(logs.prefixAt(n.node, i));
      const key = `${i} ${entry.term} ${entry.id}`;
      const prev = committed.get(key);
      if (!prev || term < prev.term) committed.set(key, { index: i, entry, term, note: n });
    }
    marked.set(n.node, Math.max(marked.get(n.node) ?? 0, upTo));
  }
  const entries = [...committed.values()].sort((a, b) => a.index - b.index || a.note.at - b.note.at);
  for (const e of elections) {
    const log = e.prefix < 0 ? [] : logs.prefixes.log(e.prefix);
    const missing = entries.find((c) => c.term < e.term && !sameEntry(log[c.index - 1], c.entry));
    if (!missing) continue;
    const has = log[missing.index - 1];
    return fail(
      "leader-completeness",
      "safety",
      `${entryText(missing.entry)} at index ${missing.index} was committed in term ${missing.term} (${input.nodeIds[missing.note.node]} noted it), but ${input.nodeIds[e.note.node]} was elected leader of term ${e.term} without it (${has ? `it has ${entryText(has)} there` : `its log has ${log.length} entries`})`,
      [missing.note.event, e.note.event],
    );
  }
  return pass("leader-completeness", "safety");
}

/** State machine safety: no two nodes apply different entries at the same index. */
function stateMachineSafety(input: ProtocolCheckInput): CheckResult {
  const first = new Map<number, { entry: EntryId; note: NoteRef }>();
  for (const n of notesNamed(input.notes, "apply")) {
    const index = intField(n, "index");
    const entry = { term: intField(n, "term"), id: String(n.fields.id) };
    const prev = first.get(index);
    if (!prev) first.set(index, { entry, note: n });
    else if (!sameEntry(prev.entry, entry)) {
      return fail("state-machine-safety", "safety", `${input.nodeIds[prev.note.node]} applied ${entryText(prev.entry)} at index ${index}, ${input.nodeIds[n.node]} applied ${entryText(entry)}`, [prev.note.event, n.event]);
    }
  }
  return pass("state-machine-safety", "safety");
}

/**
 * Liveness: within RAFT_LIVENESS_BOUND_US of the end of the faults (or by the end of the run, if
 * it comes first), the leader of the highest term then led has committed an entry in that term.
 */
function raftLiveness(input: ProtocolCheckInput): CheckResult {
  const name = "raft-liveness";
  if (input.quietFromUs === null) return fail(name, "liveness", "the faults never ended (a workload's final phase ends them), so liveness cannot be judged", []);
  const judgeUs = Math.min(input.quietFromUs + RAFT_LIVENESS_BOUND_US, input.endUs);
  const leadership = new Leadership();
  const committedIn = new Map<number, NoteRef>(); // node -> its commit note in the term it leads
  for (const n of notesNamed(input.notes, ...LOG_NOTES)) {
    if (n.timeUs > judgeUs) break;
    const name = input.notes.name[n.at]!;
    const leader = leadership.apply(n, name);
    if (name === "elected" || !leader) committedIn.delete(n.node);
    if (leader && name === "commit" && intField(n, "term") === leader.term && !committedIn.has(n.node)) committedIn.set(n.node, n);
  }
  const after = `${Math.round((judgeUs - input.quietFromUs) / 1000)} ms after the faults ended`;
  const top = leadership.leaders().sort((a, b) => b.term - a.term)[0];
  if (!top) return fail(name, "liveness", `no node was leader ${after}`, []);
  const commit = committedIn.get(top.node);
  if (!commit) return fail(name, "liveness", `${input.nodeIds[top.node]}, leader of term ${top.term}, had committed nothing in its term ${after}`, [top.event]);
  return pass(name, "liveness", `${input.nodeIds[top.node]} leads term ${top.term} and has committed in it (${after})`);
}

export const RAFT_CHECKS: Record<string, Check> = {
  "election-safety": guarded("election-safety", "safety", electionSafety),
  "leader-append-only": guarded("leader-append-only", "safety", leaderAppendOnly),
  "log-matching": guarded("log-matching", "safety", logMatching),
  "leader-completeness": guarded("leader-completeness", "safety", leaderCompleteness),
  "state-machine-safety": guarded("state-machine-safety", "safety", stateMachineSafety),
  "raft-liveness": guarded("raft-liveness", "liveness", raftLiveness),
};
