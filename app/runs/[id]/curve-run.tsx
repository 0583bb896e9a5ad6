"use client";
// A curve run's page (kind "curve", docs/search.md "Parameter curves"): one run whose shards are
// (point, seed range). Its points, each with its seeds done so far, link to ?point=N, which shows
// that point's sweep results (partial while the curve runs); the curve's own page draws the chart.
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { CurveRunSummary } from "@/server/worker/shards";
import { SweepResults } from "./sweep-results";
import type { RunData } from "./run-view";

export function CurveRunResults({ run, signedIn }: { run: RunData; signedIn: boolean }) {
  const params = useSearchParams();
  const s = run.summary as CurveRunSummary | null;
  if (!s || s.kind !== "curve") return null;
  const asked = Number(params.get("point"));
  const selected = Number.isInteger(asked) && asked >= 0 && asked < s.points.length ? asked : null;
  const point = selected === null ? null : s.points[selected]!;
  const key = params.get("key");
  const href = (i: number) => `/runs/${run.id}?point=${i}${key ? `&key=${encodeURIComponent(key)}` : ""}`;
  return (
    <div className="stack" data-testid="curve-run">
      <div className="panel stack">
        <p className="small">
          A curve of {s.points.length} points, {s.seedsPerPoint.toLocaleString("en-US")} seeds each: one run whose shards, a point&apos;s range of seeds each, every
          worker shares{run.isOwner ? <>; <Link href={`/curves/${run.scenario.id}`}>its chart</Link></> : null}.
        </p>
        <ul className="small" data-testid="curve-run-points">
          {s.points.map((p, i) => (
            <li key={p.version}>
              <Link href={href(i)} aria-current={i === selected ? "page" : undefined}>{p.label}</Link>: {(p.summary?.seeds ?? 0).toLocaleString("en-US")} of {s.seedsPerPoint.toLocaleString("en-US")} seeds
              {p.summary ? `, ${p.summary.allHeld} with every check holding` : ""}
            </li>
          ))}
        </ul>
      </div>
      {point ? (
        <div className="panel stack" data-testid="curve-run-point">
          <h2>{point.label}</h2>
          {point.summary ? (
            <SweepResults run={{ ...run, kind: "sweep", seedCount: s.seedsPerPoint, summary: point.summary }} signedIn={signedIn} point={selected!} />
          ) : (
            <p className="small">None of this point&apos;s seeds has finished yet.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
