"use client";
// An exploration's page (a run of kind "explore", docs/search.md): while it runs, the schedules
// explored of those known so far; when done, whether any schedule within the bounds fails a check, how
// many were explored (and per second), and the shortest counterexample with a link to its run page.
import Link from "next/link";
import type { ExploreLiveSummary, ExploreSummary } from "@/server/worker/explore";
import type { RunData } from "./run-view";

const plural = (n: number, what: string) => `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;

function boundsText(r: ExploreLiveSummary["request"]): string {
  return `up to ${plural(r.faults, "added fault")} (${r.kinds.join(", ")}) among the first ${plural(r.depth, "message")}, at most ${plural(r.maxSchedules, "schedule")}`;
}

/**
 * The bounds and, while it runs, how far the search got (pushed with the run's live state): the
 * schedules explored, and the shards of the current level that every worker shares (docs/search.md).
 * After a cancel, how far it had got.
 */
export function ExploreLive({ run }: { run: RunData }) {
  const s = run.summary as ExploreLiveSummary | null;
  if (!s?.request) return null;
  const cancelled = run.status === "cancelled";
  return (
    <div className="panel" data-testid="explore-live" aria-live="polite">
      <p className="small">{cancelled ? "Was exploring" : "Exploring"} {boundsText(s.request)}.</p>
      {s.progress ? (
        <p data-testid="explore-progress">
          <strong>{s.progress.explored.toLocaleString("en-US")}</strong> of {plural(s.progress.known, "schedule")} known so far explored
          {s.progress.level > 0 ? `, ${cancelled ? "then" : "now"} with ${plural(s.progress.level, "fault")}` : ""}
          {cancelled ? " when it was cancelled; nothing was saved" : ""}.
        </p>
      ) : null}
      {s.shards && !cancelled ? (
        <p className="small" data-testid="explore-shards">
          {s.shards.level === 0 ? "The scenario as written" : `Schedules with ${plural(s.shards.level, "fault")}`}: {s.shards.done} of {plural(s.shards.round, "shard")} done, shared by every worker
          {s.shards.total > s.shards.round ? ` (${plural(s.shards.total, "shard")} so far)` : ""}.
        </p>
      ) : null}
    </div>
  );
}

/** A finished exploration: the verdict within the bounds, the counts, and the shortest counterexample. */
export function ExploreResults({ run }: { run: RunData }) {
  const s = run.summary as ExploreSummary | null;
  if (!s || s.explored === undefined) return null;
  const k = s.shortest?.faults.length ?? 0;
  return (
    <div className="panel stack" data-testid="explore-results">
      <h2>Exploration of version {run.version.number}, seed {s.seed}</h2>
      <p className="small">{boundsText(s.request)}.</p>
      <p data-testid="explore-verdict">
        {s.shortest ? (
          k === 0 ? (
            <strong>The scenario fails as written, with no added fault.</strong>
          ) : (
            <strong>
              {plural(s.failing, "schedule")} of {plural(k, "fault")} fail{s.failing === 1 ? "s" : ""} a check
              {s.stoppedBy === "failure" ? "; none with fewer faults does" : ""}.
            </strong>
          )
        ) : s.complete ? (
          <strong>No schedule within these bounds fails a check.</strong>
        ) : (
          <strong>No failing schedule among those explored, but the budget ran out before every schedule within the bounds was run.</strong>
        )}
      </p>
      <p data-testid="explore-counts">
        Explored {plural(s.explored, "schedule")} in {s.seconds.toFixed(2)} s of simulation ({s.schedulesPerSecond.toLocaleString("en-US")} schedules/s):{" "}
        {s.byLevel.map((n, level) => `${n.toLocaleString("en-US")} with ${plural(level, "fault")}`).join(", ")}
        {s.repeatedTraces > 0 ? `; ${plural(s.repeatedTraces, "run")} repeated an earlier trace and ${s.repeatedTraces === 1 ? "was" : "were"} not extended` : ""}.
      </p>
      {s.shards ? (
        <p className="small" data-testid="explore-shard-counts">
          In {plural(s.shards.count, "shard")} shared by the workers, {s.shards.wallSeconds.toFixed(2)} s from the first to the end
          {s.shards.runs > s.explored ? `; ${plural(s.shards.runs - s.explored, "run")} of a schedule's parent again, to find its choice points, or of a set of faults another shard ran too` : ""}.
        </p>
      ) : null}
      {s.shortest && k > 0 ? (
        <div data-testid="explore-shortest">
          <h3>The shortest counterexample</h3>
          <ul>
            {s.shortest.describe.map((d) => (
              <li key={d}>{d}</li>
            ))}
          </ul>
          <ul className="verdicts">
            {s.shortest.failed.map((c) => (
              <li key={c.name}>
                <span className="tag">{c.name}</span> <span className="small">{c.message}</span>
              </li>
            ))}
          </ul>
          {s.counterexampleRunId ? (
            <p className="row">
              <Link className="button primary" href={`/runs/${s.counterexampleRunId}`} data-testid="counterexample-run">
                Open the counterexample&apos;s run →
              </Link>
              {s.versionNumber ? (
                <Link className="small" href={`/scenarios/${run.scenario.id}?v=${s.versionNumber}`} data-testid="counterexample-version">
                  saved as version {s.versionNumber}
                </Link>
              ) : null}
            </p>
          ) : (
            <p className="small">{s.versionError ?? "The counterexample was not saved."}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
