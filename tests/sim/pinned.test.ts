// Pinned results: every template, every slide scenario, feature scenarios and a fixed sample of
// random ones, over five seeds, must give exactly the event counts, trace digests and summaries
// recorded in fixtures/pinned.json. Restructuring the engine may not change what a run produces.

import { describe, expect, it } from "vitest";
import pinned from "./fixtures/pinned.json";
import { pinnedRun, type PinnedCase } from "./fixtures/pinned-run";

const cases = pinned as PinnedCase[];

describe("pinned results", () => {
  it("covers the templates, the slide and random scenarios", () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.name.startsWith("template ")).length).toBeGreaterThanOrEqual(11);
    expect(cases.filter((c) => c.name.startsWith("slide ")).length).toBe(9);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s gives its pinned digests", (_name, c) => {
    const actual = c.seeds.map((s) => pinnedRun(c.source, s.seed));
    expect(actual).toEqual(c.seeds);
  });
});
