// The queue's weights (server/worker/fairness.ts): what a scenario declares decides how much
// of the workers a run is charged for, and whether it is heavy.
import { describe, expect, it } from "vitest";
import { declaredEventsBound, gradingWeight, heavyRunsCap, isHeavy, runWeight } from "@/server/worker/fairness";
import { checkScenario } from "@/server/scenarios/validate";
import { runScenario } from "@/server/sim";
import { TEMPLATES } from "@/server/templates";
import { programOptions } from "@/server/runner/programs";

function scenario(source: string) {
  const c = checkScenario(source);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.scenario;
}

const closedLoop = (nodes: number, outstanding: number) =>
  scenario(`version: 1
name: closed loop
maxEvents: 1000000
nodes: [${Array.from({ length: nodes }, (_, i) => `{ id: N${i} }`).join(", ")}]
protocol: { kind: request-response }
workload:
  - { clients: all, target: random, outstanding: ${outstanding}, op: read, key: k }
`);

describe("run weights", () => {
  it("bound every template's events from what it declares, without charging it for maxEvents", async () => {
    for (const t of TEMPLATES) {
      const s = scenario(t.source);
      const bound = declaredEventsBound(s);
      // Programs and built-in protocols run in their sandbox, as the worker runs them.
      expect(bound, t.id).toBeGreaterThanOrEqual(runScenario(s, { recordTrace: false, ...(await programOptions(s)) }).summary.events);
      expect(bound, t.id).toBeLessThan(s.maxEvents / 100);
      expect(runWeight(s, 1), t.id).toBe(1);
    }
  }, 120_000);

  it("charge a sweep for every seed, and make large ones heavy", () => {
    const busy = closedLoop(8, 2);
    expect(declaredEventsBound(busy)).toBe(1_000_000);
    expect(isHeavy(runWeight(busy, 1))).toBe(false);
    expect(runWeight(busy, 20)).toBe(20 * runWeight(busy, 1));
    expect(isHeavy(runWeight(busy, 20))).toBe(true);
    // A thousand seeds of a small template are quick: not heavy.
    expect(isHeavy(runWeight(scenario(TEMPLATES[0]!.source), 1000))).toBe(false);
  });

  it("make a run with huge state heavy even when its events are few", () => {
    expect(isHeavy(runWeight(closedLoop(1024, 10_000), 1))).toBe(true);
  });

  it("charge a grading for every test's seeds", () => {
    const busy = closedLoop(8, 2);
    const small = scenario(TEMPLATES[0]!.source);
    expect(gradingWeight([{ seeds: { count: 3 }, scenario: small }])).toBe(1);
    expect(gradingWeight([{ seeds: { count: 3 }, scenario: busy }, { seeds: { count: 2 }, scenario: busy }])).toBe(5 * runWeight(busy, 1));
  });

  it("let heavy runs hold half the live slots, and always at least one", () => {
    expect(heavyRunsCap(0)).toBe(1);
    expect(heavyRunsCap(1)).toBe(1);
    expect(heavyRunsCap(2)).toBe(1);
    expect(heavyRunsCap(6)).toBe(3);
  });
});
