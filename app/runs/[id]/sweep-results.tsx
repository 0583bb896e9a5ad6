"use client";
// A finished sweep: per check how many seeds held, and the failing seeds.
import type { RunData } from "./run-view";

export function SweepResults({ run }: { run: RunData; signedIn: boolean }) {
  return (
    <div className="panel">
      <h2>Sweep</h2>
      <pre className="small">{JSON.stringify(run.summary, null, 2)}</pre>
    </div>
  );
}
