"use client";
// Picks the run to compare with: the signed-in user's finished runs of the same scenario (other
// seeds, other versions) first, or of every scenario; each row opens the compare page.
import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { StatusBadge } from "@/app/_components/badges";
import { formatDate } from "@/app/_components/format";

/** How many candidate runs the picker lists (newest first). */
const PICKER_RUNS_MAX = 50;

export function compareHref(a: string, b: string, ka?: string | null, kb?: string | null): string {
  const q = new URLSearchParams({ a, b });
  if (ka) q.set("ka", ka);
  if (kb) q.set("kb", kb);
  return `/compare?${q.toString()}`;
}

export function RunPicker({ runId, scenarioId, scenarioName, keyA }: { runId: string; scenarioId: string; scenarioName: string; keyA?: string | null }) {
  const trpc = useTRPC();
  const [everyScenario, setEveryScenario] = useState(false);
  const list = useQuery(
    trpc.run.list.queryOptions({ scenarioId: everyScenario ? undefined : scenarioId, kind: "single", status: "done", pageSize: PICKER_RUNS_MAX }),
  );
  const items = (list.data?.items ?? []).filter((r) => r.id !== runId);
  return (
    <div className="panel run-picker" data-testid="run-picker">
      <h3>Compare with…</h3>
      <div className="row small">
        <label style={{ fontWeight: 400, margin: 0 }}>
          <input type="radio" name="picker-scope" checked={!everyScenario} onChange={() => setEveryScenario(false)} /> runs of <strong>{scenarioName}</strong> (other seeds and versions)
        </label>
        <label style={{ fontWeight: 400, margin: 0 }}>
          <input type="radio" name="picker-scope" checked={everyScenario} onChange={() => setEveryScenario(true)} /> all my runs
        </label>
      </div>
      {list.isPending ? <p className="muted small">Loading your runs…</p> : null}
      {list.error ? <div className="alert error">{list.error.message}</div> : null}
      {list.data && items.length === 0 ? (
        <p className="muted small">No other finished run{everyScenario ? "" : " of this scenario"} yet. Run another seed, or save a new version and run it.</p>
      ) : null}
      {items.length > 0 ? (
        <ul className="verdicts">
          {items.map((r) => (
            <li key={r.id}>
              <Link href={compareHref(runId, r.id, keyA)} data-testid="pick-run">
                {everyScenario ? `${r.scenario.name} · ` : ""}seed {r.seed} · v{r.version.number}
              </Link>
              <StatusBadge status={r.status} verdict={r.verdict} />
              <span className="spacer" />
              <span className="muted small nowrap">{formatDate(r.createdAt)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
