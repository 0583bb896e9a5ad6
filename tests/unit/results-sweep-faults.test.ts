// A sweep's common faults in words, and the fault rules' labels read from the scenario text.
import { describe, expect, it } from "vitest";
import { commonFaults } from "@/app/_components/results/sweep-faults";
import { scenarioDescription, scenarioFaultLabels } from "@/app/_components/results/scenario-text";
import { sharedScenario } from "../helpers/scenarios";

describe("commonFaults", () => {
  it("puts the rules that go with failing first, in the sweep's words", () => {
    const rows = commonFaults(
      { failingSeeds: 12, passingSeeds: 38, firedInFailing: [9, 12, 0], firedInPassing: [30, 3, 5], failing: [] },
      ["crash C2", "drop C2 → C1 response", "delay any → any message"],
    );
    expect(rows.map((r) => r.text)).toEqual([
      "All 12 failing seeds had fault rule 2 (drop C2 → C1 response) act; it acted in 3 of 38 passing seeds.",
      "9 of 12 failing seeds had fault rule 1 (crash C2) act; it acted in 30 of 38 passing seeds.",
      "Fault rule 3 (delay any → any message) acted in none of the failing seeds; it acted in 5 of 38 passing seeds.",
    ]);
    expect(rows.map((r) => r.all)).toEqual([true, false, false]);
  });
  it("says so when every seed failed", () => {
    const [row] = commonFaults({ failingSeeds: 1, passingSeeds: 0, firedInFailing: [1], firedInPassing: [0], failing: [] }, []);
    expect(row!.text).toBe("The one failing seed had fault rule 1 act.");
  });
});

describe("scenario text", () => {
  it("reads the description and labels each fault rule", () => {
    expect(scenarioDescription(sharedScenario("05-response-lost.yaml"))).toMatch(/^C2 executes the write, but the "ok" never reaches C1/);
    expect(scenarioFaultLabels(sharedScenario("05-response-lost.yaml"))).toEqual(["drop C2 → C1 response"]);
    expect(scenarioFaultLabels(sharedScenario("03-server-crash.yaml"))).toEqual(["crash C2"]);
    expect(scenarioFaultLabels(sharedScenario("07-byzantine-lie.yaml"))).toEqual(["byzantine C2 (lie)"]);
    expect(scenarioDescription("name: [unclosed")).toBe("");
    expect(scenarioDescription("name: x\ndescription: 3")).toBe("");
  });
});
