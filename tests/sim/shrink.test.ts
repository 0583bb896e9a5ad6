// Shrinking: a failing run under the random nemesis shrinks to a handful of plain faults that fail
// the same check; the written scenario replays that failure; budgets and progress are honoured;
// `faultline shrink` exits 1 / 0 / 2.

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runScenario } from "@/server/sim";
import { spelledOutDocument } from "@/server/sim/search/document";
import { ddmin, shrinkScenario, type ShrinkProgress } from "@/server/sim/search/shrink";
import { REPO_ROOT, SHARED_SCENARIOS, scenario } from "./helpers";
import { RANDOM_RR, RR } from "./nemesis-helpers";

/** A seed at which the random nemesis makes RANDOM_RR execute a write twice (nemesis.test.ts finds one within 3). */
function failingSeed(): number {
  const s = scenario(RANDOM_RR);
  for (let seed = 1; seed <= 3; seed++) if (!runScenario(s, { seed, recordTrace: false }).summary.checks.find((c) => c.name === "at-most-once")!.ok) return seed;
  throw new Error("no failing seed in 1..3");
}

describe("shrinkScenario", () => {
  it("shrinks a random-nemesis failure to at most 3 plain faults that fail the same check, and the saved scenario replays it", () => {
    const seed = failingSeed();
    const s = scenario(RANDOM_RR);
    const progress: ShrinkProgress[] = [];
    const r = shrinkScenario(s, { seed, check: "at-most-once", onProgress: (p) => progress.push(p) });
    expect(r.failing).toBe(true);
    if (!r.failing) return;
    expect(r.check).toBe("at-most-once");
    expect(r.before.faults).toBeGreaterThan(5);
    expect(r.after.faults).toBeLessThanOrEqual(3);
    expect(r.after.faults).toBeGreaterThan(0);
    expect(r.after.events).toBeLessThan(r.before.events);
    expect(r.scenario.faults.every((f) => f.kind !== "random")).toBe(true);
    // Progress comes in order and ends with "done".
    expect(progress.map((p) => p.step)).toEqual([...progress.map((p) => p.step)].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({ phase: "done", step: r.steps });

    const saved = spelledOutDocument(RANDOM_RR, r.scenario, { seed, workloadKept: r.workloadKept, note: "shrunk" });
    const replay = runScenario(scenario(saved)).summary;
    expect(replay.seed).toBe(seed);
    expect(replay.checks.find((c) => c.name === "at-most-once")!.ok).toBe(false);
    expect(replay.events).toBe(r.after.events);
    expect(scenario(saved).faults).toHaveLength(r.after.faults);
  });

  it("reports a run that does not fail, and stops at its step budget with a failing scenario so far", () => {
    const fixed = scenario(RANDOM_RR.replace("dedupe: false", "dedupe: true"));
    const ok = shrinkScenario(fixed, { seed: 1, check: "at-most-once" });
    expect(ok).toMatchObject({ failing: false, check: "at-most-once", steps: 1 });

    const seed = failingSeed();
    const r = shrinkScenario(scenario(RANDOM_RR), { seed, check: "at-most-once", maxSteps: 4 });
    expect(r).toMatchObject({ failing: true, exhausted: true, steps: 4 });
  });

  it("moves a shortened window to the start when the check still fails there, keeping its length; a shorter run follows", () => {
    const late = RR("  - { kind: pause, node: C2, from: 2985ms, until: 3141ms }");
    const r = shrinkScenario(scenario(late), { seed: 1, check: "at-most-once" });
    expect(r.failing).toBe(true);
    if (!r.failing) return;
    expect(r.scenario.faults).toEqual([{ kind: "pause", node: "C2", fromUs: 0, untilUs: 156_000 }]);
    // Failing at the first request, the workload shrinks to it: far fewer events than failing at 3 s.
    expect(r.after.events).toBeLessThan(r.before.events / 4);
    const saved = spelledOutDocument(late, r.scenario, { seed: 1, workloadKept: r.workloadKept, note: "shrunk" });
    const replay = runScenario(scenario(saved)).summary;
    expect(replay.checks.find((c) => c.name === "at-most-once")!.ok).toBe(false);
    expect(replay.events).toBe(r.after.events);
  });

  it("leaves a window where it is when no earlier place fails the check", () => {
    // The pause must hold the request of 1 s past its client's timeout: nowhere earlier does.
    const r = shrinkScenario(scenario(RR("  - { kind: pause, node: C2, from: 1005ms, until: 1091ms }")), { seed: 1, check: "at-most-once" });
    expect(r.failing).toBe(true);
    if (!r.failing) return;
    expect(r.scenario.faults).toEqual([{ kind: "pause", node: "C2", fromUs: 1_005_000, untilUs: 1_091_000 }]);
  });

  it("picks the first failing check when none is named", () => {
    const text = fs.readFileSync(path.join(SHARED_SCENARIOS, "05-response-lost.yaml"), "utf8");
    const r = shrinkScenario(scenario(text), { seed: 1 });
    expect(r).toMatchObject({ failing: true, check: "at-most-once", after: { faults: 1 } });
  });
});

describe("ddmin", () => {
  it("finds the two items that together make the test hold", () => {
    const tested: number[][] = [];
    const out = ddmin([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], (xs) => {
      tested.push(xs);
      return xs.includes(3) && xs.includes(7);
    });
    expect(out).toEqual([3, 7]);
    expect(tested.every((xs) => xs.length > 0)).toBe(true);
  });
});

describe("faultline shrink", () => {
  const bin = path.join(REPO_ROOT, "bin", "faultline.mjs");
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "faultline-shrink-"));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const faultline = (...args: string[]) => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it("exits 1 and writes the shrunk scenario with its faults spelled out; running it fails the same check", () => {
    const file = path.join(tmp, "random.yaml");
    fs.writeFileSync(file, RANDOM_RR);
    const out = path.join(tmp, "shrunk.yaml");
    const seed = failingSeed();
    const r = faultline("shrink", file, "--seed", String(seed), "--check", "at-most-once", "--out", out);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/at-most-once fails/);
    expect(r.out).toMatch(/faults: \d+ -> [123]; simulator steps: \d+ -> \d+/);
    const written = fs.readFileSync(out, "utf8");
    expect(written).not.toContain("kind: random");
    const again = faultline("run", out);
    expect(again.code).toBe(1);
    expect(again.out).toContain("FAIL  at-most-once");
  });

  it("exits 0 when the run does not fail", () => {
    const r = faultline("shrink", path.join(SHARED_SCENARIOS, "01-request-lost.yaml"), "--seed", "7");
    expect(r.code).toBe(0);
    expect(r.out).toContain("nothing to shrink");
  });

  it("exits 2 for an invalid file, naming the bad field", () => {
    const bad = path.join(tmp, "bad.yaml");
    fs.writeFileSync(bad, RANDOM_RR.replace("every: 500ms", "every: soon"));
    const r = faultline("shrink", bad, "--seed", "1");
    expect(r.code).toBe(2);
    expect(r.err).toContain("faults[0].every");
  });
});
