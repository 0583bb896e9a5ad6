// The paxos protocol: both modes hold agreement, validity, integrity and termination through their
// example's partition, crashes, loss, duplication and delay; each bug variant is caught by the check
// its documentation names; each check fails on a hand-built history that violates it.

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { NoteLog, OperationHistory } from "@/server/sim/nodes/runtime";
import type { ProtocolCheckInput } from "@/server/sim/protocols/builtin";
import { paxos } from "@/server/sim/protocols/paxos";

/** How many seeds of the example each mode is run on. */
const SEEDS = 20;
/** The seed budget within which each bug variant must be caught (docs/protocols.md). */
const VARIANT_SEEDS_MAX = 1000;
const PAXOS_CHECKS = paxos.checks.map((c) => c.name);

/** The example in a mode; single mode gets 20 keys, since each key is decided only once. */
function example(mode: "single" | "multi", variant: string | null, checks: string[]) {
  let text = paxos.example
    .replace("protocol: { kind: paxos, mode: multi,", `protocol: { kind: paxos, mode: ${mode},${variant ? ` variant: ${variant},` : ""}`)
    .replace(/checks: \[.*\]/, `checks: [${checks.join(", ")}]`);
  if (mode === "single") text = text.replace("keys: 3", "keys: 20");
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** The first seed in 1..max on which `check` fails, or null. */
function firstFailing(variant: string, check: string, max: number): number | null {
  const s = example("multi", variant, [check]);
  for (let seed = 1; seed <= max; seed++) if (!runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === check)!.ok) return seed;
  return null;
}

describe("paxos", () => {
  it.each([["multi"], ["single"]] as const)(`%s: agreement, validity, integrity and termination hold through a partition, crashes, loss, duplication and delay (${SEEDS} seeds)`, (mode) => {
    const s = example(mode, null, PAXOS_CHECKS);
    let decisions = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { summary } = runScenario(s, { seed, recordTrace: false });
      expect(summary.checks.filter((c) => !c.ok), `seed ${seed}`).toEqual([]);
      expect(summary.stoppedBy).toBe("done");
      decisions += summary.metrics.operations!.ok;
    }
    expect(decisions).toBeGreaterThan(SEEDS * 50);
  });

  it.each([["multi"], ["single"]] as const)(`%s: client operations are linearizable (${SEEDS} seeds)`, (mode) => {
    const s = example(mode, null, ["linearizable"]);
    for (let seed = 1; seed <= SEEDS; seed++) expect(runScenario(s, { seed, recordTrace: false }).summary.checks[0]!, `seed ${seed}`).toMatchObject({ ok: true });
  });

  it.each(paxos.variants.map((v) => [v.name, v.breaks[0]!] as const))("the %s bug is caught by %s", (variant, check) => {
    const seed = firstFailing(variant, check, VARIANT_SEEDS_MAX);
    console.log(`paxos variant ${variant}: ${check} first fails at seed ${seed}`);
    expect(seed).not.toBeNull();
  });

  it("single mode is a write-once register: a write of another value fails, a cas to another value is refused", () => {
    const { trace } = runScenario(example("single", null, ["agreement"]), { seed: 3 });
    const outcomes = new Map<string, number>();
    for (let i = 0; i < trace!.length; i++) {
      const e = trace!.event(i) as { kind: string; input?: { op: string }; outcome?: string; output?: { error?: number } };
      if (e.kind === "complete") outcomes.set(`${e.input!.op} ${e.outcome} ${e.output?.error ?? ""}`, (outcomes.get(`${e.input!.op} ${e.outcome} ${e.output?.error ?? ""}`) ?? 0) + 1);
    }
    expect(outcomes.get("write ok ")).toBeGreaterThan(0);
    expect(outcomes.get("write fail 22")).toBeGreaterThan(0);
    expect(outcomes.get("read ok ")).toBeGreaterThan(0);
  });

  it("the same seed gives the same trace, another seed another", () => {
    const s = example("multi", null, ["agreement"]);
    const a = runScenario(s, { seed: 7 }).summary.traceDigest;
    expect(runScenario(s, { seed: 7 }).summary.traceDigest).toBe(a);
    expect(runScenario(s, { seed: 8 }).summary.traceDigest).not.toBe(a);
  });

  it("notes each node's state for the run page: role, ballot, proposals, per slot the promise, acceptance and decision, and the log", () => {
    const { trace } = runScenario(example("multi", null, ["agreement"]), { seed: 2 });
    const slots: { slot: number; promised: string | null; decided: string | null }[] = [];
    const roles = new Set<string>();
    for (let i = 0; i < trace!.length; i++) {
      const e = trace!.event(i) as { kind: string; note?: { name: string; fields: Record<string, unknown> } };
      if (e.kind !== "note" || e.note!.name !== "state") continue;
      expect(Object.keys(e.note!.fields).sort()).toEqual(["ballot", "commitIndex", "log", "mode", "proposing", "role", "slots"]);
      expect((e.note!.fields.slots as unknown[]).length).toBeLessThanOrEqual(5);
      expect((e.note!.fields.log as unknown[]).length).toBeLessThanOrEqual(12);
      roles.add(e.note!.fields.role as string);
      slots.push(...(e.note!.fields.slots as typeof slots));
    }
    expect(slots).toContainEqual(expect.objectContaining({ promised: expect.stringMatching(/^\d+\.n\d$/), decided: expect.stringMatching(/^c\d+:\d+ read 0$/) }));
    expect([...roles].sort()).toEqual(["acceptor", "proposer"]);
  });
});

/** A hand-built history: notes in order, as (node, name, fields), 1 ms apart from 1 ms on. */
function input(notes: [number, string, Record<string, unknown>][], quiet: { quietFromUs: number | null; endUs: number } = { quietFromUs: null, endUs: 1e6 }): ProtocolCheckInput {
  const log = new NoteLog();
  notes.forEach(([node, name, fields], i) => log.add(node, name, fields, (i + 1) * 1000, 100 + i));
  return { history: new OperationHistory(), notes: log, nodeIds: ["n1", "n2", "n3"], programIds: ["n1", "n2", "n3"], crashed: new Set(), ...quiet };
}

describe("paxos checks on hand-built histories", () => {
  const a = { id: "c1:0", value: 1 };
  const b = { id: "c2:0", value: 2 };
  const proposed: [number, string, Record<string, unknown>][] = [[0, "propose", { slot: 1, value: a }], [1, "propose", { slot: 1, value: b }]];

  it("agreement fails when two nodes decide different values in a slot", () => {
    const r = paxos.check("agreement", input([...proposed, [0, "decide", { slot: 1, value: a }], [2, "decide", { slot: 1, value: a }], [1, "decide", { slot: 1, value: b }]]));
    expect(r).toMatchObject({ ok: false, type: "safety", message: `slot 1: n1 decided ${JSON.stringify(a)}, n2 decided ${JSON.stringify(b)}`, witness: [102, 104] });
    expect(paxos.check("agreement", input([...proposed, [0, "decide", { slot: 1, value: a }], [1, "decide", { slot: 2, value: b }]])).ok).toBe(true);
  });

  it("validity fails when a decided value was not proposed in that slot", () => {
    expect(paxos.check("decision-validity", input([...proposed, [2, "decide", { slot: 2, value: a }]]))).toMatchObject({ ok: false, message: `n3 decided ${JSON.stringify(a)} in slot 2, which nobody had proposed there`, witness: [102] });
    expect(paxos.check("decision-validity", input([[2, "decide", { slot: 1, value: a }], ...proposed])).ok).toBe(false);
    expect(paxos.check("decision-validity", input([...proposed, [2, "decide", { slot: 1, value: b }]])).ok).toBe(true);
  });

  it("integrity fails when a node decides a slot twice", () => {
    const r = paxos.check("decision-integrity", input([...proposed, [0, "decide", { slot: 1, value: a }], [1, "decide", { slot: 1, value: a }], [0, "decide", { slot: 1, value: a }]]));
    expect(r).toMatchObject({ ok: false, message: `n1 decided slot 1 twice: ${JSON.stringify(a)}, then ${JSON.stringify(a)}`, witness: [102, 104] });
  });

  it("termination fails when a proposal is not decided on its proposer within the bound after the faults end", () => {
    const quiet = { quietFromUs: 1500, endUs: 10e6 };
    expect(paxos.check("paxos-termination", input([...proposed, [0, "decide", { slot: 1, value: a }], [1, "decide", { slot: 1, value: a }]], quiet))).toMatchObject({ ok: true, type: "liveness" });
    const r = paxos.check("paxos-termination", input([...proposed, [0, "decide", { slot: 1, value: a }]], quiet));
    expect(r).toMatchObject({ ok: false, message: `n2 proposed ${JSON.stringify(b)} in slot 1 and had not decided that slot 5000 ms later`, witness: [101] });
    // A proposer that restarted gave its proposal up; a deadline past the end of the run is not judged.
    expect(paxos.check("paxos-termination", input([...proposed, [0, "decide", { slot: 1, value: a }], [1, "start", {}]], quiet)).ok).toBe(true);
    expect(paxos.check("paxos-termination", input([...proposed, [0, "decide", { slot: 1, value: a }]], { quietFromUs: 1500, endUs: 4e6 })).ok).toBe(true);
    expect(paxos.check("paxos-termination", input(proposed))).toMatchObject({ ok: false, message: expect.stringContaining("the faults never ended") });
  });
});
