// The queue's weight of a run under the random nemesis: it is charged for the most faults the
// nemesis may draw (and for duplicated messages when it may duplicate), so its declared bound
// covers what its runs really process.
import { describe, expect, it } from "vitest";
import { declaredEventsBound } from "@/server/worker/fairness";
import { checkScenario } from "@/server/scenarios/validate";
import { runScenario } from "@/server/sim";
import { RANDOM_RR, RR } from "../sim/nemesis-helpers";

function scenario(source: string) {
  const c = checkScenario(source);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.scenario;
}

describe("run weights under the random nemesis", () => {
  it("bound the events of every seed tried, and grow with the faults it may draw", () => {
    const s = scenario(RANDOM_RR);
    const bound = declaredEventsBound(s);
    for (let seed = 1; seed <= 5; seed++) expect(bound).toBeGreaterThanOrEqual(runScenario(s, { seed, recordTrace: false }).summary.events);
    const more = scenario(RR("  - { kind: random, every: 500ms, max: 100 }"));
    expect(declaredEventsBound(more)).toBeGreaterThan(declaredEventsBound(scenario(RR("  - { kind: random, every: 500ms, max: 1, kinds: [duplicate] }"))));
  });
});
