// The raft protocol: the correct one holds every check of Figure 3 and liveness through its example
// (Figure 8's partitions, a crash, loss, duplication, delay); each bug variant is caught by the check
// its documentation names; each check fails on a hand-built history that violates it.

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { NoteLog, OperationHistory } from "@/server/sim/nodes/runtime";
import type { ProtocolCheckInput } from "@/server/sim/protocols/builtin";
import { raft } from "@/server/sim/protocols/raft";

/** How many seeds of the example the correct protocol is run on. */
const SEEDS = 30;
/** The seed budget within which each bug variant must be caught (docs/protocols.md). */
const VARIANT_SEEDS_MAX = 1000;
const RAFT_CHECKS = raft.checks.map((c) => c.name);

function example(variant: string | null, checks: string[]) {
  const text = raft.example
    .replace("protocol: { kind: raft,", `protocol: { kind: raft,${variant ? ` variant: ${variant},` : ""}`)
    .replace(/checks: \[.*\]/, `checks: [${checks.join(", ")}]`);
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** The first seed in 1..max on which `check` fails, or null. */
function firstFailing(variant: string, check: string, max: number): number | null {
  const s = example(variant, [check]);
  for (let seed = 1; seed <= max; seed++) if (!runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === check)!.ok) return seed;
  return null;
}

describe("raft", () => {
  it(`holds every safety check and liveness through Figure 8's partitions, a crash, loss, duplication and delay (${SEEDS} seeds)`, () => {
    const s = example(null, RAFT_CHECKS);
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { summary } = runScenario(s, { seed, recordTrace: false });
      expect(summary.checks.filter((c) => !c.ok), `seed ${seed}`).toEqual([]);
      expect(summary.stoppedBy).toBe("done");
      expect(summary.metrics.operations!.ok).toBeGreaterThan(summary.metrics.operations!.invoked / 2);
    }
  });

  it(`client operations are linearizable (${SEEDS} seeds)`, () => {
    const s = example(null, ["linearizable"]);
    for (let seed = 1; seed <= SEEDS; seed++) expect(runScenario(s, { seed, recordTrace: false }).summary.checks[0]!, `seed ${seed}`).toMatchObject({ ok: true });
  });

  it.each(raft.variants.map((v) => [v.name, v.breaks[0]!] as const))("the %s bug is caught by %s", (variant, check) => {
    const seed = firstFailing(variant, check, VARIANT_SEEDS_MAX);
    console.log(`raft variant ${variant}: ${check} first fails at seed ${seed}`);
    expect(seed).not.toBeNull();
  });

  it("the same seed gives the same trace, another seed another", () => {
    const s = example(null, ["election-safety"]);
    const a = runScenario(s, { seed: 7 }).summary.traceDigest;
    expect(runScenario(s, { seed: 7 }).summary.traceDigest).toBe(a);
    expect(runScenario(s, { seed: 8 }).summary.traceDigest).not.toBe(a);
  });

  it("notes each node's state for the run page: role, term, vote, the log's tail, commit and apply indices", () => {
    const { trace } = runScenario(example(null, ["election-safety"]), { seed: 2 });
    const states = [];
    for (let i = 0; i < trace!.length; i++) {
      const e = trace!.event(i) as { kind: string; note?: { name: string; fields: Record<string, unknown> } };
      if (e.kind === "note" && e.note!.name === "state") states.push(e.note!.fields);
    }
    expect(states.some((s) => s.role === "leader")).toBe(true);
    for (const s of states) {
      expect(Object.keys(s).sort()).toEqual(["commitIndex", "lastApplied", "leader", "log", "logLength", "role", "term", "votedFor"]);
      expect((s.log as unknown[]).length).toBeLessThanOrEqual(Math.min(16, s.logLength as number));
    }
    expect(states.at(-1)!.log).toContainEqual(expect.objectContaining({ op: "read 0" }));
  });
});

/** A hand-built history: notes in order, as (node, name, fields) at 1 ms apart from 1 ms on. */
function input(notes: [number, string, Record<string, unknown>][], quiet: { quietFromUs: number | null; endUs: number } = { quietFromUs: null, endUs: 1e6 }): ProtocolCheckInput {
  const log = new NoteLog();
  notes.forEach(([node, name, fields], i) => log.add(node, name, fields, (i + 1) * 1000, 100 + i));
  return { history: new OperationHistory(), notes: log, nodeIds: ["n1", "n2", "n3"], programIds: ["n1", "n2", "n3"], crashed: new Set(), ...quiet };
}

describe("raft checks on hand-built histories", () => {
  it("election safety fails on two leaders of one term", () => {
    const twice = input([[0, "elected", { term: 2 }], [1, "elected", { term: 2 }]]);
    expect(raft.check("election-safety", twice)).toMatchObject({ ok: false, type: "safety", message: "two leaders in term 2: n1 and n2", witness: [100, 101] });
    expect(raft.check("election-safety", input([[0, "elected", { term: 2 }], [1, "elected", { term: 3 }], [0, "elected", { term: 2 }]])).ok).toBe(true);
  });

  it("leader append-only fails when a leader deletes or overwrites entries, not once it has moved to a later term", () => {
    const a: [number, string, Record<string, unknown>][] = [[0, "elected", { term: 2 }], [0, "append", { term: 2, index: 1, entries: [[2, "a"], [2, "b"]] }]];
    expect(raft.check("leader-append-only", input([...a, [0, "truncate", { term: 2, index: 2 }]]))).toMatchObject({ ok: false, message: "n1, leader of term 2, deleted entries 2..2 of its log", witness: [100, 102] });
    expect(raft.check("leader-append-only", input([...a, [0, "append", { term: 2, index: 1, entries: [[2, "c"]] }]]))).toMatchObject({ ok: false, message: "n1, leader of term 2, overwrote entries 1..2 of its log" });
    expect(raft.check("leader-append-only", input([...a, [0, "state", { term: 3 }], [0, "truncate", { term: 3, index: 2 }]])).ok).toBe(true);
    expect(raft.check("leader-append-only", input([...a, [0, "start", { term: 2 }], [0, "truncate", { term: 2, index: 2 }]])).ok).toBe(true);
  });

  it("log matching fails when two logs share an entry's index and term but not what precedes it", () => {
    const r = raft.check(
      "log-matching",
      input([
        [0, "append", { term: 1, index: 1, entries: [[1, "a"], [2, "b"]] }],
        [1, "append", { term: 2, index: 1, entries: [[2, "x"]] }],
        [1, "append", { term: 2, index: 2, entries: [[2, "b"]] }],
      ]),
    );
    expect(r).toMatchObject({ ok: false, message: "n1 and n2 both have an entry of term 2 at index 2, but their logs differ at index 1: a (term 1) and x (term 2)", witness: [100, 102] });
    const sameSlot = input([[0, "append", { term: 1, index: 1, entries: [[1, "a"]] }], [1, "append", { term: 1, index: 1, entries: [[1, "x"]] }]]);
    expect(raft.check("log-matching", sameSlot)).toMatchObject({ ok: false, message: "n1 and n2 both have an entry of term 1 at index 1, but their logs differ at index 1: a (term 1) and x (term 1)" });
    expect(raft.check("log-matching", input([[0, "append", { term: 1, index: 1, entries: [[1, "a"]] }], [1, "append", { term: 1, index: 1, entries: [[1, "a"]] }]])).ok).toBe(true);
  });

  it("leader completeness fails when a leader of a later term lacks a committed entry", () => {
    const committed: [number, string, Record<string, unknown>][] = [
      [0, "elected", { term: 1 }],
      [0, "append", { term: 1, index: 1, entries: [[1, "a"]] }],
      [0, "commit", { term: 1, index: 1 }],
    ];
    const r = raft.check("leader-completeness", input([...committed, [1, "elected", { term: 2 }]]));
    expect(r).toMatchObject({ ok: false, message: "a (term 1) at index 1 was committed in term 1 (n1 noted it), but n2 was elected leader of term 2 without it (its log has 0 entries)", witness: [102, 103] });
    expect(raft.check("leader-completeness", input([...committed, [1, "append", { term: 1, index: 1, entries: [[1, "a"]] }], [1, "elected", { term: 2 }]])).ok).toBe(true);
    // Terms, not times: a leader of term 2 elected before the commit of term 1 was noted must have the entry too.
    expect(raft.check("leader-completeness", input([committed[0]!, committed[1]!, [1, "elected", { term: 2 }], committed[2]!])).ok).toBe(false);
  });

  it("state machine safety fails when two nodes apply different entries at one index", () => {
    const r = raft.check("state-machine-safety", input([[0, "apply", { index: 1, term: 1, id: "a" }], [1, "apply", { index: 1, term: 1, id: "a" }], [2, "apply", { index: 1, term: 2, id: "b" }]]));
    expect(r).toMatchObject({ ok: false, message: "n1 applied a (term 1) at index 1, n3 applied b (term 2)", witness: [100, 102] });
  });

  it("liveness fails without a leader that has committed in its term within the bound after the faults end", () => {
    const quiet = { quietFromUs: 2000, endUs: 10e6 };
    const elected: [number, string, Record<string, unknown>] = [0, "elected", { term: 3 }];
    expect(raft.check("raft-liveness", input([elected, [0, "commit", { term: 3, index: 4 }]], quiet))).toMatchObject({ ok: true, type: "liveness" });
    expect(raft.check("raft-liveness", input([elected], quiet))).toMatchObject({ ok: false, message: "n1, leader of term 3, had committed nothing in its term 5000 ms after the faults ended", witness: [100] });
    expect(raft.check("raft-liveness", input([elected, [0, "commit", { term: 3, index: 4 }], [0, "start", { term: 3 }]], quiet))).toMatchObject({ ok: false, message: "no node was leader 5000 ms after the faults ended" });
    expect(raft.check("raft-liveness", input([elected, [0, "commit", { term: 3, index: 4 }]]))).toMatchObject({ ok: false, message: expect.stringContaining("the faults never ended") });
  });

  it("a note a check cannot read fails the check and names the note", () => {
    expect(raft.check("election-safety", input([[0, "elected", { term: "two" }]]))).toMatchObject({ ok: false, message: "n1's elected note cannot be read: its term is not a whole number", witness: [100] });
  });
});
