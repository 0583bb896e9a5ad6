// The broadcast protocol: the correct modes hold their checks under a partition, a crash and loss;
// each bug variant is caught by the check its documentation names; each check fails on a
// hand-built history that violates it (so a check that never fails would be caught).

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { broadcast } from "@/server/sim/protocols/broadcast";
import type { ProtocolCheckInput } from "@/server/sim/protocols/builtin";
import { NoteLog, OperationHistory } from "@/server/sim/nodes/runtime";

function example(mode: string, variant: string | null, checks: string[]) {
  const text = broadcast.example
    .replace("protocol: { kind: broadcast, mode: reliable }", `protocol: { kind: broadcast, mode: ${mode}${variant ? `, variant: ${variant}` : ""} }`)
    .replace(/checks: \[.*\]/, `checks: [${checks.join(", ")}]`);
  const r = parseScenarioText(text);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

/** The first seed in 1..max on which `check` fails, or null. */
function firstFailing(mode: string, variant: string | null, check: string, max: number): number | null {
  const s = example(mode, variant, [check]);
  for (let seed = 1; seed <= max; seed++) if (!runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === check)!.ok) return seed;
  return null;
}

describe("broadcast", () => {
  it.each([["reliable"], ["causal"]])("%s: every check holds through a partition, a crash and loss (20 seeds)", (mode) => {
    const checks = ["set-full", "broadcast-validity", "broadcast-agreement", "broadcast-integrity", ...(mode === "causal" ? ["causal-order"] : [])];
    const s = example(mode, null, checks);
    for (let seed = 1; seed <= 20; seed++) {
      const { summary } = runScenario(s, { seed, recordTrace: false });
      expect(summary.checks.filter((c) => !c.ok)).toEqual([]);
      expect(summary.stoppedBy).toBe("done");
    }
  });

  it.each(broadcast.variants.map((v) => [v.name, v.breaks[0]!] as const))("the %s bug is caught by %s", (variant, check) => {
    const mode = variant === "causal-no-wait" ? "causal" : "reliable";
    expect(firstFailing(mode, variant, check, 200)).not.toBeNull();
  });

  it("best-effort broadcast loses messages under loss: agreement fails", () => {
    expect(firstFailing("best-effort", null, "broadcast-agreement", 10)).not.toBeNull();
  });
});

/** A hand-built history: notes in order, as (node, name, fields). */
function input(notes: [number, string, Record<string, unknown>][], crashed: number[] = []): ProtocolCheckInput {
  const log = new NoteLog();
  notes.forEach(([node, name, fields], i) => log.add(node, name, fields, i * 1000, 100 + i));
  return { history: new OperationHistory(), notes: log, nodeIds: ["n1", "n2", "n3"], programIds: ["n1", "n2", "n3"], crashed: new Set(crashed), quietFromUs: null, endUs: 1e6 };
}

describe("broadcast checks on hand-built histories", () => {
  const sent: [number, string, Record<string, unknown>][] = [[0, "broadcast", { message: 1 }], [0, "deliver", { message: 1, origin: "n1" }]];
  it("validity fails when a correct node never delivers a correct node's broadcast", () => {
    const r = broadcast.check("broadcast-validity", input([...sent, [1, "deliver", { message: 1, origin: "n1" }]]));
    expect(r).toMatchObject({ ok: false, message: "n1 broadcast 1, but n3 (which never crashed) never delivered it", witness: [100] });
    expect(broadcast.check("broadcast-validity", input([...sent, [1, "deliver", { message: 1, origin: "n1" }]], [2])).ok).toBe(true);
  });
  it("agreement fails when one correct node delivered what another never did", () => {
    const r = broadcast.check("broadcast-agreement", input([[1, "deliver", { message: 7, origin: "n9" }], [2, "deliver", { message: 7, origin: "n9" }]]));
    expect(r).toMatchObject({ ok: false, message: "n2 delivered 7, but n1 (which never crashed) never did" });
  });
  it("integrity fails on a second delivery, and on a message nobody broadcast", () => {
    expect(broadcast.check("broadcast-integrity", input([...sent, [0, "deliver", { message: 1, origin: "n1" }]]))).toMatchObject({ ok: false, message: "n1 delivered 1 twice", witness: [101, 102] });
    expect(broadcast.check("broadcast-integrity", input([[1, "deliver", { message: 5, origin: "n1" }]]))).toMatchObject({ ok: false, message: "n2 delivered 5, which nobody broadcast" });
  });
  it("causal order fails when a message is delivered before one its sender had delivered", () => {
    const r = broadcast.check(
      "causal-order",
      input([
        [0, "broadcast", { message: "a" }],
        [0, "deliver", { message: "a", origin: "n1" }],
        [1, "deliver", { message: "a", origin: "n1" }],
        [1, "broadcast", { message: "b" }],
        [1, "deliver", { message: "b", origin: "n2" }],
        [2, "deliver", { message: "b", origin: "n2" }],
        [2, "deliver", { message: "a", origin: "n1" }],
      ]),
    );
    expect(r).toMatchObject({ ok: false, message: `n3 delivered "b" before "a", though "b"'s sender had delivered "a" when it broadcast "b"`, witness: [105, 106] });
  });
});
