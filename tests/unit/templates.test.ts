// Every template in the gallery is a valid scenario, and covers its failure on the slide.
import { describe, expect, it } from "vitest";
import { TEMPLATES } from "@/server/templates";
import { checkScenario } from "@/server/scenarios/validate";

describe("templates", () => {
  it.each(TEMPLATES.map((t) => [t.id, t] as const))("%s is a valid scenario", (_id, template) => {
    const checked = checkScenario(template.source);
    if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join("\n"));
    expect(checked.facts.name).toBe(template.title);
  });

  it("has one template per failure on the slide, with unique ids", () => {
    expect(new Set(TEMPLATES.map((t) => t.id)).size).toBe(TEMPLATES.length);
    const kinds = new Set(TEMPLATES.flatMap((t) => (checkScenario(t.source) as { ok: true; facts: { faultKinds: string[] } }).facts.faultKinds));
    for (const kind of ["drop", "delay", "crash", "slow", "byzantine", "partition", "clock"]) expect(kinds).toContain(kind);
    expect(TEMPLATES.some((t) => t.source.includes("calls:"))).toBe(true);
  });
});
