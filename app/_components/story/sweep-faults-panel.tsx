"use client";
// A sweep's failing seeds and the fault rules they have in common (app/_components/results/sweep-faults.ts),
// with the rules that acted in each of the lowest failing seeds.
import type { SweepFaultSummary } from "@/server/sim/sweep/faults";
import { commonFaults } from "@/app/_components/results/sweep-faults";
import { faultRule } from "@/app/_components/results/narrative";

export function SweepFaultsPanel({ faults, labels }: { faults: SweepFaultSummary | undefined; labels: readonly string[] }) {
  if (!faults || faults.failingSeeds === 0) return null;
  const rows = commonFaults(faults, labels);
  return (
    <div className="panel" data-testid="sweep-common-faults">
      <h2>What the failing seeds have in common</h2>
      {rows.length === 0 ? (
        <p>This scenario has no fault rules: its seeds fail from the network&apos;s own randomness (loss, latency, duplication) and the timing it causes.</p>
      ) : (
        <ul className="common-faults">
          {rows.map((r) => (
            <li key={r.rule} className={r.all ? "all" : undefined}>{r.text}</li>
          ))}
        </ul>
      )}
      {rows.length > 0 && faults.failing.length > 0 ? (
        <details>
          <summary className="small">Rules that acted in each of the lowest failing seeds</summary>
          <ul className="small mono">
            {faults.failing.map((s) => (
              <li key={s.seed}>seed {s.seed}: {s.rules.length ? s.rules.map((r) => faultRule(r)).join(", ") : "no fault rule"}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}
