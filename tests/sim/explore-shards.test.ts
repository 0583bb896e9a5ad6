// An exploration cut into slices (server/sim/search/explore-shards.ts) gives explore()'s result, field
// for field, whatever the slice size: the same schedules counted per level, the same repeated traces,
// the same failures listed, the same shortest counterexample, the same place where the budget stops it;
// and slices merged in any order within a round give the same.

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { explore, type ExploreResult } from "@/server/sim/search/explore";
import {
  exploreMergeResult,
  exploreSlice,
  mergeExploreRound,
  planExploreRound,
  startExploreMerge,
  type ExploreSliceOptions,
  type ExploreSliceResult,
} from "@/server/sim/search/explore-shards";
import type { Scenario } from "@/server/sim";
import { scenario, SHARED_SCENARIOS } from "./helpers";

const responseLostText = fs
  .readFileSync(path.join(SHARED_SCENARIOS, "05-response-lost.yaml"), "utf8")
  .replace(/faults:\n( {2}- .*\n)+/, "");
const responseLost = scenario(responseLostText);
const withDedupe = scenario(responseLostText.replace("dedupe: false", "dedupe: true"));
const twoWrites = scenario(`
version: 1
name: two writes
nodes: [{ id: C1 }, { id: C2 }, { id: C3 }]
network: { latency: 10ms }
protocol: { kind: request-response, client: { timeout: 100ms, retries: 2 }, server: { dedupe: true } }
workload: [{ client: C1, server: C2, op: write, key: k, value: v, count: 2, interval: 30ms }]
checks: [all-complete, at-most-once]
`);

/** The search in slices of `perSlice` candidates, merged round by round; `reverse` merges each round's results backwards. */
function sliced(s: Scenario, options: ExploreSliceOptions, perSlice: number, reverse = false): { result: ExploreResult; rounds: number; slices: number } {
  let state = startExploreMerge(s, options);
  let rounds = 0;
  let slices = 0;
  while (!state.stoppedBy) {
    const plan = planExploreRound(state, perSlice);
    const results: ExploreSliceResult[] = plan.slices.map((slice) => JSON.parse(JSON.stringify(exploreSlice(s, options, JSON.parse(JSON.stringify(slice))))) as ExploreSliceResult);
    if (reverse) results.reverse();
    state = JSON.parse(JSON.stringify(mergeExploreRound(plan.state, results)));
    rounds++;
    slices += plan.slices.length;
  }
  return { result: exploreMergeResult(state), rounds, slices };
}

const cases: [string, Scenario, ExploreSliceOptions][] = [
  ["the lost response, drops, K=2", responseLost, { faults: 2, depth: 6, kinds: ["drop"] }],
  ["the lost response, every kind, K=1, at-most-once only", responseLost, { faults: 1, depth: 6, checks: ["at-most-once"] }],
  ["dedupe, drops and duplicates, K=2, N=8 (clean)", withDedupe, { faults: 2, depth: 8, kinds: ["drop", "duplicate"] }],
  ["dedupe, three drops exhaust two retries", withDedupe, { faults: 3, depth: 8, kinds: ["drop"] }],
  ["two writes, every kind, K=2, to the bound (--all)", twoWrites, { faults: 2, depth: 6, exhaustive: true }],
  ["dedupe, K=3, stopped by the budget in the middle of a level", withDedupe, { faults: 3, depth: 8, kinds: ["drop", "duplicate"], maxSchedules: 40 }],
  ["dedupe, K=3, the budget used up exactly at the end of a level", withDedupe, { faults: 3, depth: 8, kinds: ["drop", "duplicate"], maxSchedules: 17 }],
];

describe("an exploration in slices", () => {
  it.each(cases)("gives explore()'s result: %s", (_name, s, options) => {
    const whole = explore(s, options);
    for (const perSlice of [1, 7, 50, 100_000]) {
      const { result } = sliced(s, options, perSlice);
      expect(result).toEqual(JSON.parse(JSON.stringify(whole)));
    }
    expect(sliced(s, options, 3, true).result).toEqual(JSON.parse(JSON.stringify(whole)));
  });

  it("cuts a level into slices, and a budget that repeated sets of faults leave room in into a further round", () => {
    const options: ExploreSliceOptions = { faults: 3, depth: 8, kinds: ["drop", "duplicate"], maxSchedules: 40 };
    const { result, slices, rounds } = sliced(withDedupe, options, 5);
    expect(result).toMatchObject({ stoppedBy: "limit", explored: 40, byLevel: [1, 4, 12, 23] });
    // The scenario as written, level 1 in one slice, level 2 in three, level 3 in slices of five up to the budget.
    expect(slices).toBeGreaterThanOrEqual(1 + 1 + 3 + 5);
    expect(rounds).toBeGreaterThanOrEqual(4);
  });

  it("runs a slice's parents again to find their choice points, and reports its progress", () => {
    let state = startExploreMerge(twoWrites, { faults: 1, depth: 6 });
    const root = planExploreRound(state, 5);
    state = mergeExploreRound(root.state, root.slices.map((slice) => exploreSlice(twoWrites, { faults: 1, depth: 6 }, slice)));
    expect(state.level).toBe(1);
    expect(state.candidates).toBeGreaterThan(5);
    const plan = planExploreRound(state, 5);
    expect(plan.slices[0]).toMatchObject({ level: 1, from: 0, count: 5, parentsFrom: 0 });
    const seen: number[] = [];
    const r = exploreSlice(twoWrites, { faults: 1, depth: 6 }, plan.slices[1]!, (done) => seen.push(done));
    expect(r.visits.map((v) => v.index)).toEqual([5, 6, 7, 8, 9]);
    // The parent's run again, then its five children.
    expect(r.runs).toBe(6);
    expect(seen.at(-1)).toBe(5);
  });
});
