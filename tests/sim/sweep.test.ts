// Pure sweep aggregation: held/failed per check, first failing seeds, nearest-rank distributions.

import { describe, expect, it } from "vitest";
import { aggregateSweep, nearestRank, runScenario, type RunSummary } from "@/server/sim";
import { sharedScenario } from "./helpers";

describe("aggregateSweep", () => {
  const s = sharedScenario("09-lossy-network-sweep.yaml");
  const runs: RunSummary[] = [];
  for (let seed = 1; seed <= 40; seed++) runs.push(runScenario(s, { seed, recordTrace: false }).summary);

  it("counts seeds per check and lists the first failing ones, whatever the input order", () => {
    const a = aggregateSweep(runs);
    const b = aggregateSweep([...runs].reverse());
    expect(b).toEqual(a);
    const failing = runs.filter((r) => !r.checks[0]!.ok).map((r) => r.seed);
    expect(a.checks[0]).toMatchObject({ name: "all-complete", held: 40 - failing.length, failed: failing.length, failingSeeds: failing.slice(0, 20) });
    expect(a.checks[1]).toMatchObject({ name: "at-most-once", held: 40, failed: 0, failingSeeds: [] });
    expect(a.allHeld).toBe(40 - failing.length);
    expect(a.stoppedBy.idle).toBe(40);
    expect(aggregateSweep(runs, { maxFailingSeeds: 2 }).checks[0]!.failingSeeds).toEqual(failing.slice(0, 2));
  });

  it("gives each metric's mean, min, max and nearest-rank percentiles over seeds", () => {
    const a = aggregateSweep(runs);
    const sent = runs.map((r) => r.metrics.messages.sent).sort((x, y) => x - y);
    expect(a.metrics["messages.sent"]).toEqual({
      count: 40,
      mean: sent.reduce((x, y) => x + y, 0) / 40,
      min: sent[0],
      p50: sent[19],
      p90: sent[35],
      p99: sent[39],
      max: sent[39],
    });
  });

  it("nearest rank: the smallest value with at least p% at or below it", () => {
    const v = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect(nearestRank(v, 50)).toBe(50);
    expect(nearestRank(v, 90)).toBe(90);
    expect(nearestRank(v, 99)).toBe(100);
    expect(nearestRank(v, 1)).toBe(10);
    expect(nearestRank([7], 99)).toBe(7);
    expect(Number.isNaN(nearestRank([], 50))).toBe(true);
  });
});
