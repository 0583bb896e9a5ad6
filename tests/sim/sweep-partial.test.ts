// Sweep shards merge exactly: partials of disjoint seed ranges, merged in any order, finish to the
// very summary aggregateSweep gives for all the seeds at once (server/sim/sweep/partial.ts).

import { describe, expect, it } from "vitest";
import { aggregateSweep, finishSweepPartial, mergeSweepPartials, runScenario, sweepPartial, type RunSummary } from "@/server/sim";
import { sharedScenario } from "./helpers";

/** Cuts seeds into contiguous ranges at the given sizes (the last takes the rest). */
function cut(runs: RunSummary[], sizes: number[]): RunSummary[][] {
  const out: RunSummary[][] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(runs.slice(at, at + n));
    at += n;
  }
  if (at < runs.length) out.push(runs.slice(at));
  return out;
}

/** A deterministic shuffle (no Math.random in tests of a deterministic library). */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("sweep partials", () => {
  const lossy = sharedScenario("09-lossy-network-sweep.yaml");
  const runs: RunSummary[] = [];
  for (let seed = 1; seed <= 60; seed++) runs.push(runScenario(lossy, { seed, recordTrace: false }).summary);

  it("merge, in any order, to exactly the unsharded aggregate", () => {
    const whole = JSON.stringify(aggregateSweep(runs));
    // Several failing seeds and latencies that differ per seed: a real test of lists and percentiles.
    expect(aggregateSweep(runs).failingSeeds.length).toBeGreaterThan(2);
    for (const [i, sizes] of [[60], [1, 59], [7, 7, 7], [13, 1, 20, 3], [30, 30], [1, 1, 1, 1, 1]].entries()) {
      const parts = cut(runs, sizes).map((r) => sweepPartial(shuffled(r, i + 1)));
      // Through JSON, as shards store them.
      const stored = shuffled(parts, i + 7).map((p) => JSON.parse(JSON.stringify(p)) as typeof p);
      expect(JSON.stringify(finishSweepPartial(mergeSweepPartials(stored)))).toBe(whole);
      // Merging is associative: merge halves, then the halves.
      const half = Math.floor(stored.length / 2);
      const twice = mergeSweepPartials([mergeSweepPartials(stored.slice(0, half)), mergeSweepPartials(stored.slice(half))]);
      expect(JSON.stringify(finishSweepPartial(twice))).toBe(whole);
    }
  });

  it("keeps the listing limit: the lowest failing seeds over every shard", () => {
    const whole = aggregateSweep(runs, { maxFailingSeeds: 2 });
    const parts = cut(runs, [10, 10, 10, 10, 10]).reverse().map((r) => sweepPartial(r, { maxFailingSeeds: 2 }));
    expect(finishSweepPartial(mergeSweepPartials(parts))).toEqual(whole);
    expect(() => mergeSweepPartials([sweepPartial(runs.slice(0, 5), { maxFailingSeeds: 2 }), sweepPartial(runs.slice(5))])).toThrow(/listing limits/);
  });

  it("a partial of some shards is the aggregate of their seeds", () => {
    const some = cut(runs, [20, 20, 20]);
    const partial = finishSweepPartial(mergeSweepPartials([sweepPartial(some[2]!), sweepPartial(some[0]!)]));
    expect(partial).toEqual(aggregateSweep([...some[0]!, ...some[2]!]));
    expect(partial.seeds).toBe(40);
    expect(finishSweepPartial(mergeSweepPartials([]))).toEqual(aggregateSweep([]));
  });
});
