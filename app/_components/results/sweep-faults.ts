// What the failing seeds of a sweep have in common, in words: per fault rule, in how many failing
// seeds it acted, against the passing ones ("all 12 failing seeds had fault rule 2 act…").
import type { SweepFaultSummary } from "@/server/sim/sweep/faults";
import { formatCount } from "@/app/_components/format";
import { faultRule } from "./narrative-beats";

export interface FaultCommonality {
  rule: number;
  text: string;
  /** Acted in every failing seed. */
  all: boolean;
  /** Share of failing seeds it acted in, minus the share of passing seeds: how much it goes with failing. */
  lift: number;
}

function share(k: number, n: number): string {
  if (n === 0) return "";
  if (k === n) return n === 1 ? "the one" : `all ${formatCount(n)}`;
  if (k === 0) return "none of the";
  return `${formatCount(k)} of ${formatCount(n)}`;
}

/** One sentence per fault rule that acted in some failing seed, the most telling first, then the rules that never did. */
export function commonFaults(f: SweepFaultSummary, labels: readonly string[]): FaultCommonality[] {
  const rules = Math.max(f.firedInFailing.length, f.firedInPassing.length, labels.length);
  const out: FaultCommonality[] = [];
  for (let r = 0; r < rules; r++) {
    const inFailing = f.firedInFailing[r] ?? 0;
    const inPassing = f.firedInPassing[r] ?? 0;
    const name = `${faultRule(r)}${labels[r] ? ` (${labels[r]})` : ""}`;
    const lift = (f.failingSeeds ? inFailing / f.failingSeeds : 0) - (f.passingSeeds ? inPassing / f.passingSeeds : 0);
    const passing = f.passingSeeds > 0 ? `; it acted in ${share(inPassing, f.passingSeeds)} passing ${f.passingSeeds === 1 ? "seed" : "seeds"}` : "";
    const text =
      inFailing === 0
        ? `${name[0]!.toUpperCase()}${name.slice(1)} acted in none of the failing seeds${passing}.`
        : `${share(inFailing, f.failingSeeds).replace(/^./, (c) => c.toUpperCase())} failing ${f.failingSeeds === 1 ? "seed" : "seeds"} had ${name} act${passing}.`;
    out.push({ rule: r, text, all: inFailing > 0 && inFailing === f.failingSeeds, lift });
  }
  return out.sort((a, b) => b.lift - a.lift || a.rule - b.rule);
}
