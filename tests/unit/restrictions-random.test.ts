// Break-it rules and the random nemesis: one random entry counts as the most faults it may draw,
// so it cannot slip past an assignment's fault limit.
import { describe, expect, it } from "vitest";
import { editProblems } from "@/server/courses/restrictions";
import { checkScenario } from "@/server/scenarios/validate";
import { RR } from "../sim/nemesis-helpers";

function scenario(source: string) {
  const c = checkScenario(source);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.scenario;
}

describe("break-it fault limit", () => {
  const starter = scenario(RR("  []").replace("faults:\n  []", "faults: []"));
  it("counts a random nemesis as its max", () => {
    const five = scenario(RR("  - { kind: random, max: 5 }"));
    expect(editProblems("break-it", starter, five, { maxFaults: 4 })).toEqual([{ path: "faults", message: "5 faults (a random nemesis counts as its max); this assignment allows at most 4" }]);
    expect(editProblems("break-it", starter, scenario(RR("  - { kind: random, max: 4 }")), { maxFaults: 4 })).toEqual([]);
  });
});
