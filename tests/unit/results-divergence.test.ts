// The divergence finder: identical runs agree everywhere; two seeds or two scenario versions part
// at the first event whose meaningful fields differ, and the fields are named.
import { describe, expect, it } from "vitest";
import { differingFields, firstDivergence } from "@/app/_components/results/divergence";
import { runTemplate, runText, templateSource } from "./results-fixtures";

describe("firstDivergence", () => {
  it("finds none between two runs of the same scenario and seed", () => {
    expect(firstDivergence(runTemplate("lossy-retries", 3).trace, runTemplate("lossy-retries", 3).trace)).toBeNull();
  });

  it("finds where two seeds of a lossy network part", () => {
    const a = runTemplate("lossy-retries", 1).trace;
    const b = runTemplate("lossy-retries", 2).trace;
    const d = firstDivergence(a, b)!;
    expect(d).not.toBeNull();
    // Both issue and send the first request at 0: the latency draw differs first.
    expect(d.index).toBeGreaterThan(1);
    for (let i = 0; i < d.index; i++) expect(differingFields(a.event(i), b.event(i))).toEqual([]);
    expect(d.fields.length).toBeGreaterThan(0);
    expect(d.a!.index).toBe(d.index);
    expect(differingFields(d.a!, d.b!)).toEqual(d.fields);
  });

  it("finds the dedupe hit that replaces the second execution when dedupe is switched on", () => {
    const v1 = runTemplate("response-lost").trace;
    const v2 = runText(templateSource("response-lost").replace("dedupe: false", "dedupe: true")).trace;
    const d = firstDivergence(v1, v2)!;
    expect(d.index).toBe(11);
    expect(d.a!.kind).toBe("execute");
    expect(d.b!.kind).toBe("dedupe-hit");
    expect(d.fields).toContain("kind");
    expect(d.fields).not.toContain("timeUs");
  });

  it("reports the end of the shorter run when one is a prefix of the other", () => {
    const a = runTemplate("response-lost").trace;
    const b = runTemplate("response-lost").trace;
    // The same trace cut short by one event (the stop): as if one run had ended earlier.
    const shorter = Object.create(b) as typeof b;
    Object.defineProperty(shorter, "data", { value: { ...b.data, length: b.length - 1 } });
    const d = firstDivergence(a, shorter)!;
    expect(d.index).toBe(a.length - 1);
    expect(d.fields).toEqual(["end"]);
    expect(d.a!.kind).toBe("stop");
    expect(d.b).toBeNull();
  });

  it("does not report fault renumbering as a difference", () => {
    const base = templateSource("response-lost");
    // A second, inert fault listed first shifts the drop rule from index 0 to 1.
    const shifted = base.replace("faults:\n", "faults:\n  - { kind: delay, match: { from: C1, to: C2 }, by: 0ms, from: 9s }\n");
    const d = firstDivergence(runText(base).trace, runText(shifted).trace);
    expect(d).toBeNull();
  });
});
