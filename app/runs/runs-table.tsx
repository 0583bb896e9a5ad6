"use client";
// The runs list's table with a checkbox on each finished single run: tick two and press
// Compare to open them side by side.
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { StatusBadge } from "../_components/badges";
import { formatCount, formatDate } from "../_components/format";
import { compareHref } from "../compare/run-picker";

export interface RunRow {
  id: string;
  kind: string;
  seed: number;
  seedCount: number;
  status: string;
  verdict: string | null;
  eventCount: number | null;
  createdAt: string;
  scenario: { id: string; name: string };
  version: { number: number };
}

export function RunsTable({ items }: { items: RunRow[] }) {
  const router = useRouter();
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string, on: boolean) =>
    // Ticking a third run replaces the older of the two: the last two ticked are compared.
    setPicked((p) => (on ? [...p.filter((x) => x !== id), id].slice(-2) : p.filter((x) => x !== id)));
  const [a, b] = picked;
  return (
    <>
      <div className="row compare-bar">
        <button type="button" className="primary small" disabled={picked.length !== 2} onClick={() => a && b && router.push(compareHref(a, b))}>
          Compare
        </button>
        <span className="muted small" data-testid="compare-hint">
          {picked.length === 2 ? "Two runs picked." : `Tick two finished runs to compare them (${picked.length} of 2).`}
        </span>
      </div>
      <div className="table-wrap">
        <table className="table" data-testid="runs-table">
          <thead>
            <tr><th aria-label="Pick to compare" /><th>Run</th><th>Scenario</th><th>Seed</th><th className="num">Events</th><th>Result</th><th>Started</th></tr>
          </thead>
          <tbody>
            {items.map((r) => {
              const comparable = r.kind === "single" && r.status === "done";
              const label = `${r.scenario.name} v${r.version.number} seed ${r.seed}`;
              return (
                <tr key={r.id}>
                  <td>
                    {comparable ? (
                      <input type="checkbox" aria-label={`Compare ${label}`} checked={picked.includes(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
                    ) : null}
                  </td>
                  <td><Link href={`/runs/${r.id}`}>{r.kind === "sweep" ? `Sweep of ${r.seedCount} seeds` : r.kind === "curve" ? `Curve of ${r.seedCount} seeds` : r.kind === "explore" ? "Exploration" : r.kind === "grade" ? "Grading run" : "Run"}</Link></td>
                  <td><Link href={`/scenarios/${r.scenario.id}?v=${r.version.number}`}>{r.scenario.name}</Link> <span className="muted small">v{r.version.number}</span></td>
                  <td className="mono">{r.kind === "sweep" ? `${r.seed}…${r.seed + r.seedCount - 1}` : r.kind === "curve" ? "each point's" : r.seed}</td>
                  <td className="num">{formatCount(r.eventCount)}</td>
                  <td><StatusBadge status={r.status} verdict={r.verdict} /></td>
                  <td className="nowrap muted">{formatDate(r.createdAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}
