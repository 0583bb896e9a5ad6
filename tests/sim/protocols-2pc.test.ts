// Two-phase commit: atomicity and commit validity hold through crashes with restarts, partitions,
// loss, duplication and delay, and every transaction terminates once the faults end; it blocks when
// the coordinator crashes at the wrong moment and stays down. Each bug variant is caught by the
// check its documentation names; each check fails on a hand-built history that violates it;
// forked into a program, it runs as built in.

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario, traceJsonlLines } from "@/server/sim";
import { configSource, type ProtocolCheckInput } from "@/server/sim/protocols/builtin";
import type { BuiltinProtocol } from "@/server/sim/scenario/types";
import { customProtocol, programRuntime } from "./programs-helpers";
import { twoPhaseCommit } from "@/server/sim/protocols/two-phase-commit";
import { NoteLog, OperationHistory } from "@/server/sim/nodes/runtime";
import { OUTCOME_OK } from "@/server/sim/trace/kinds";

/** Seeds each safety test runs (each run is about 0.1 s on one core). */
const SAFETY_SEEDS = 30;
/** Seeds a variant search may try before the test fails (the documented bound). */
const VARIANT_SEEDS_MAX = 1000;
/** Seeds the blocking search may try: the coordinator's crash must fall between a yes vote and the decision. */
const BLOCKING_SEEDS_MAX = 50;

function scenario(text: string) {
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

function example(variant: string | null, checks: string[]) {
  return scenario(
    twoPhaseCommit.example
      .replace("protocol: { kind: two-phase-commit,", `protocol: { kind: two-phase-commit,${variant ? ` variant: ${variant},` : ""}`)
      .replace(/checks: \[.*\]/, `checks: [${checks.join(", ")}]`),
  );
}

/** The coordinator crashes at 3s; `restart` or not. Without it, the run ends at 8s (before the final phase would restart it). */
function coordinatorCrash(restart: boolean) {
  const faults = restart ? "faults: [{ kind: crash, node: n1, at: 3s, restart: 1s }]" : "faults: [{ kind: crash, node: n1, at: 3s }]";
  return scenario(
    twoPhaseCommit.example
      .replace(/faults:\n( {2}- .*\n)+/, `${faults}\n`)
      .replace("until: 60s", restart ? "until: 60s" : "until: 8s")
      .replace(/checks: \[.*\]/, "checks: [atomicity, commit-validity, termination]"),
  );
}

const check = (summary: { checks: { name: string; ok: boolean; message?: string }[] }, name: string) => summary.checks.find((c) => c.name === name)!;

/** The first seed in 1..max on which `check` fails, or null. */
function firstFailing(variant: string, name: string, max: number): number | null {
  const s = example(variant, [name]);
  for (let seed = 1; seed <= max; seed++) if (!check(runScenario(s, { seed, recordTrace: false }).summary, name).ok) return seed;
  return null;
}

describe("two-phase-commit", () => {
  it(`atomicity, commit validity and termination hold over ${SAFETY_SEEDS} seeds of the example (coordinator crash and restart, partition, participant crash, loss, duplication, delay)`, () => {
    const s = example(null, ["atomicity", "commit-validity", "termination"]);
    for (let seed = 1; seed <= SAFETY_SEEDS; seed++) {
      const { summary } = runScenario(s, { seed, recordTrace: false });
      expect({ seed, failed: summary.checks.filter((c) => !c.ok) }).toEqual({ seed, failed: [] });
      expect(summary.stoppedBy).toBe("done");
    }
  });

  it("blocks when the coordinator crashes between the votes and the decision and stays down; terminates when it restarts", () => {
    const down = coordinatorCrash(false);
    let seed = 1;
    while (seed <= BLOCKING_SEEDS_MAX && check(runScenario(down, { seed, recordTrace: false }).summary, "termination").ok) seed++;
    console.log(`two-phase-commit: the coordinator's crash blocks a participant first at seed ${seed}`);
    expect(seed).toBeLessThanOrEqual(BLOCKING_SEEDS_MAX);
    const blocked = runScenario(down, { seed, recordTrace: false }).summary;
    expect(check(blocked, "termination").message).toMatch(/^n[23] \(which never crashed\) never decided transaction \d+: it voted yes, so it may not decide alone, and never heard the outcome \(blocked\)$/);
    expect(check(blocked, "atomicity").ok && check(blocked, "commit-validity").ok).toBe(true);
    const recovered = runScenario(coordinatorCrash(true), { seed, recordTrace: false }).summary;
    expect(recovered.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it.each(twoPhaseCommit.variants.map((v) => [v.name, v.breaks[0]!] as const))(`the %s bug is caught by %s within ${VARIANT_SEEDS_MAX} seeds`, (variant, name) => {
    const seed = firstFailing(variant, name, VARIANT_SEEDS_MAX);
    console.log(`two-phase-commit ${variant}: ${name} first fails at seed ${seed}`);
    expect(seed).not.toBeNull();
  });

  it("forked into a program (its files and config.js, in the sandbox), the example runs event for event as built in", async () => {
    const s = example(null, ["atomicity", "commit-validity", "termination"]);
    const p = s.protocol as BuiltinProtocol;
    const files: Record<string, string> = { "config.js": configSource(twoPhaseCommit, p.params, p.variant) };
    for (const [name, file] of Object.entries(twoPhaseCommit.sources())) files[name] = file.source;
    const forked = { ...s, protocol: customProtocol(files, twoPhaseCommit.main) };
    const runtime = await programRuntime();
    await runtime.prepare(forked.protocol, s.nodes.length);
    const builtIn = [...traceJsonlLines(runScenario(s, { seed: 1 }).trace!)];
    const fork = [...traceJsonlLines(runScenario(forked, { seed: 1, programs: runtime }).trace!)];
    const first = builtIn.findIndex((line, i) => line !== fork[i]);
    expect({ events: fork.length, firstDifference: first, line: fork[first] }).toEqual({ events: builtIn.length, firstDifference: -1, line: undefined });
  });

  it("the same seed gives the same trace", () => {
    const s = example(null, ["atomicity", "commit-validity", "termination"]);
    expect(runScenario(s, { seed: 7 }).summary.traceDigest).toBe(runScenario(s, { seed: 7 }).summary.traceDigest);
  });
});

type Note = [number, string, Record<string, unknown>];

/** A hand-built history: notes in order, as (node, name, fields), then clients' answers (event 200 on). */
function input(notes: Note[], answers: { txn: number; committed: boolean }[] = [], crashed: number[] = []): ProtocolCheckInput {
  const log = new NoteLog();
  notes.forEach(([node, name, fields], i) => log.add(node, name, fields, i * 1000, 100 + i));
  const history = new OperationHistory();
  answers.forEach((a, i) => {
    history.add(3, 0, { op: "txn", txn: a.txn }, 0, 199);
    history.complete(i, OUTCOME_OK, { committed: a.committed }, 1e5, 200 + i);
  });
  return { history, notes: log, nodeIds: ["n1", "n2", "n3", "c1"], programIds: ["n1", "n2", "n3"], crashed: new Set(crashed), quietFromUs: null, endUs: 1e6 };
}

describe("two-phase-commit checks on hand-built histories", () => {
  const committed: Note[] = [
    [0, "begin", { txn: 1, participants: ["n2", "n3"] }],
    [1, "vote", { txn: 1, vote: "yes" }],
    [2, "vote", { txn: 1, vote: "yes" }],
    [0, "decide", { txn: 1, decision: "commit" }],
    [1, "decide", { txn: 1, decision: "commit" }],
    [2, "decide", { txn: 1, decision: "commit" }],
  ];
  it("every check holds on a committed transaction", () => {
    for (const c of twoPhaseCommit.checks) expect(twoPhaseCommit.check(c.name, input(committed, [{ txn: 1, committed: true }]))).toMatchObject({ ok: true });
  });
  it("atomicity fails when one node commits and another aborts, or a client is told otherwise", () => {
    const split = input([...committed.slice(0, 5), [2, "decide", { txn: 1, decision: "abort" }]]);
    expect(twoPhaseCommit.check("atomicity", split)).toMatchObject({ ok: false, message: "transaction 1 was committed (n1) and aborted (n3)", witness: [103, 105] });
    const told = input(committed, [{ txn: 1, committed: false }]);
    expect(twoPhaseCommit.check("atomicity", told)).toMatchObject({ ok: false, message: "transaction 1 was committed (n1) and aborted (the client c1)", witness: [103, 200] });
  });
  it("commit validity fails on a commit despite a no vote, before a vote, or without a begin", () => {
    const no = input([committed[0]!, [1, "vote", { txn: 1, vote: "no" }], committed[2]!, committed[3]!]);
    expect(twoPhaseCommit.check("commit-validity", no)).toMatchObject({ ok: false, message: "transaction 1 was committed (n1) though n2 voted no", witness: [101, 103] });
    const early = input([committed[0]!, committed[1]!, committed[3]!, committed[2]!]);
    expect(twoPhaseCommit.check("commit-validity", early)).toMatchObject({ ok: false, message: "transaction 1 was committed (n1) before n3 voted", witness: [102, 103] });
    const never = input([committed[0]!, committed[1]!, committed[3]!]);
    expect(twoPhaseCommit.check("commit-validity", never)).toMatchObject({ ok: false, message: "transaction 1 was committed (n1) though n3 never voted", witness: [100, 102] });
    expect(twoPhaseCommit.check("commit-validity", input(committed.slice(1)))).toMatchObject({ ok: false, message: "transaction 1 was committed (n1) though no coordinator began it" });
  });
  it("termination fails when a node that never crashed has no decision; crashed nodes are not waited for", () => {
    const blocked = input(committed.slice(0, 5));
    expect(twoPhaseCommit.check("termination", blocked)).toMatchObject({ ok: false, message: "n3 (which never crashed) never decided transaction 1: it voted yes, so it may not decide alone, and never heard the outcome (blocked)", witness: [102] });
    expect(twoPhaseCommit.check("termination", input(committed.slice(0, 5), [], [2]))).toMatchObject({ ok: true });
    const unheard = input([committed[0]!, [0, "decide", { txn: 1, decision: "abort" }], [1, "decide", { txn: 1, decision: "abort" }]]);
    expect(twoPhaseCommit.check("termination", unheard)).toMatchObject({ ok: false, message: "n3 (which never crashed) never decided transaction 1", witness: [100] });
  });
});
