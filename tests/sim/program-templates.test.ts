// The program templates do what their titles say: each working program holds its workload's
// check on every seed tried; each "classic bug" fails it within a few seeds, in the sandbox.

import { describe, expect, it } from "vitest";
import { parseScenarioText, runScenario } from "@/server/sim";
import { programOptions } from "@/server/runner/programs";
import { PROGRAM_TEMPLATES } from "@/server/templates/programs";

function scenarioOf(source: string) {
  const r = parseScenarioText(source);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
}

describe("program templates", () => {
  it.each(PROGRAM_TEMPLATES.map((t) => [t.id, t] as const))("%s", async (id, template) => {
    const s = scenarioOf(template.source);
    const own = s.checks[0]!.name;
    const verdicts: boolean[] = [];
    for (let seed = 1; seed <= 4; seed++) {
      const { summary } = runScenario(s, { seed, recordTrace: false, ...(await programOptions(s)) });
      verdicts.push(summary.checks.find((c) => c.name === own)!.ok);
      expect(summary.stoppedBy).toBe("done");
    }
    if (id.endsWith("-bug")) expect(verdicts).toContain(false);
    else expect(verdicts).toEqual([true, true, true, true]);
  }, 120_000);
});
