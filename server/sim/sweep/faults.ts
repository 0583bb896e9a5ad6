// Which fault rules acted in a sweep's failing seeds, against its passing ones: per rule, the number
// of seeds of each kind in which it acted at least once, and the rules of the lowest failing seeds.
// Read from the seeds' opt-in `faultsFired` counts; counts add up, so shards merge (mergeSweepFaults).

import { LIMITS } from "../limits";
import type { RunSummary } from "../run";

export interface SweepFaultSummary {
  /** Seeds counted here: those whose summary carried `faultsFired`. */
  failingSeeds: number;
  passingSeeds: number;
  /** Per fault rule (scenario order): in how many failing, and how many passing, seeds it acted. */
  firedInFailing: number[];
  firedInPassing: number[];
  /** The lowest failing seeds (at most maxFailingSeeds, ascending) with the rules that acted in each. */
  failing: { seed: number; rules: number[] }[];
}

function add(into: number[], from: readonly number[]): number[] {
  const out = into.slice();
  for (let i = 0; i < from.length; i++) out[i] = (out[i] ?? 0) + from[i]!;
  return out;
}

/** The fault summary of some seeds' run summaries, or null when none counted its faults. */
export function sweepFaults(summaries: readonly RunSummary[], maxFailingSeeds: number = LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED): SweepFaultSummary | null {
  const counted = summaries.filter((s) => s.faultsFired !== undefined).sort((a, b) => a.seed - b.seed);
  if (counted.length === 0) return null;
  let out: SweepFaultSummary = { failingSeeds: 0, passingSeeds: 0, firedInFailing: [], firedInPassing: [], failing: [] };
  for (const s of counted) {
    const acted = s.faultsFired!.map((n) => (n > 0 ? 1 : 0));
    const rules = acted.flatMap((a, i) => (a ? [i] : []));
    const one: SweepFaultSummary = s.ok
      ? { failingSeeds: 0, passingSeeds: 1, firedInFailing: [], firedInPassing: acted, failing: [] }
      : { failingSeeds: 1, passingSeeds: 0, firedInFailing: acted, firedInPassing: [], failing: [{ seed: s.seed, rules }] };
    out = mergeSweepFaults(out, one, maxFailingSeeds);
  }
  return out;
}

/** Two fault summaries of disjoint seeds as one (the same in either order). */
export function mergeSweepFaults(a: SweepFaultSummary, b: SweepFaultSummary, maxFailingSeeds: number = LIMITS.MAX_SWEEP_FAILING_SEEDS_LISTED): SweepFaultSummary {
  return {
    failingSeeds: a.failingSeeds + b.failingSeeds,
    passingSeeds: a.passingSeeds + b.passingSeeds,
    firedInFailing: add(add([], a.firedInFailing), b.firedInFailing),
    firedInPassing: add(add([], a.firedInPassing), b.firedInPassing),
    failing: [...a.failing, ...b.failing].sort((x, y) => x.seed - y.seed).slice(0, maxFailingSeeds),
  };
}
