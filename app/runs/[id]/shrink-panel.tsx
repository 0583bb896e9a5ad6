"use client";
// Shrinking on the run page (docs/search.md): the Shrink button of a failing single run (its owner
// only), a shrink run's result (fault and event counts before and after, the saved version, and a
// button that runs it), and the faults a random nemesis drew for a run, which its owner may save.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { stringify } from "yaml";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import type { RunData } from "./run-view";

/** Queues (or reopens) the shrink of this run and goes to its page. */
export function ShrinkButton({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const shrink = useMutation(trpc.run.shrink.mutationOptions());
  return (
    <>
      <button
        type="button"
        data-testid="shrink-button"
        title="Find a smaller scenario that fails the same check with this seed"
        disabled={shrink.isPending}
        onClick={async () => {
          const job = await shrink.mutateAsync({ id: runId });
          router.push(`/runs/${job.id}`);
        }}
      >
        {shrink.isPending ? "Queueing…" : "Shrink"}
      </button>
      {shrink.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(shrink.error).message}</span> : null}
    </>
  );
}

interface ShrinkSummaryView {
  fromRunId: string;
  seed: number;
  failing: boolean;
  check: string | null;
  before?: { faults: number; events: number };
  after?: { faults: number; events: number };
  steps: number;
  exhausted?: boolean;
  versionNumber?: number | null;
  versionError?: string;
}

/** A finished shrink: what it kept, and the version it saved. */
export function ShrinkResults({ run }: { run: RunData }) {
  const s = run.summary as ShrinkSummaryView | null;
  if (!s) return null;
  return (
    <div className="panel" data-testid="shrink-results">
      {/* Links only to what this viewer may open (run.byId decides): a visitor of a shared shrink
          may not see the failing run, or the owner's scenario, each shared (or not) on its own. */}
      <h2>Shrink of {run.parentReadable ? <Link href={`/runs/${s.fromRunId}`} data-testid="shrink-source-link">run {s.fromRunId}</Link> : <>run {s.fromRunId}</>}</h2>
      {!s.failing ? (
        <p>This run no longer fails{s.check ? ` ${s.check}` : ""} at seed {s.seed}: there was nothing to shrink.</p>
      ) : (
        <>
          <p>
            <strong>{s.check}</strong> still fails at seed {s.seed} with{" "}
            <span data-testid="shrink-faults">{s.after!.faults} of {s.before!.faults} faults</span> and{" "}
            <span data-testid="shrink-events">{s.after!.events} of {s.before!.events} simulator steps</span>, after {s.steps} runs
            {s.exhausted ? " (the step budget ran out: it may shrink further)" : ""}.
          </p>
          {s.versionNumber ? (
            <p className="row">
              {run.scenarioReadable ? (
                <Link href={`/scenarios/${run.scenario.id}?v=${s.versionNumber}`} data-testid="shrunk-version-link">
                  Version {s.versionNumber}, shrunk from run {s.fromRunId}
                </Link>
              ) : (
                <span data-testid="shrunk-version">
                  Version {s.versionNumber}, shrunk from run {s.fromRunId} <span className="muted">(saved to the scenario, which is not shared with you)</span>
                </span>
              )}
              {run.isOwner ? <RunVersionButton scenarioId={run.scenario.id} version={s.versionNumber} /> : null}
            </p>
          ) : (
            <p>{s.versionError ?? "No version was saved."}</p>
          )}
        </>
      )}
    </div>
  );
}

function RunVersionButton({ scenarioId, version }: { scenarioId: string; version: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.run.create.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="primary"
        data-testid="run-shrunk"
        disabled={create.isPending}
        onClick={async () => {
          const created = await create.mutateAsync({ scenarioId, version });
          router.push(`/runs/${created.id}`);
        }}
      >
        {create.isPending ? "Queueing…" : "Run the shrunk version"}
      </button>
      {create.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(create.error).message}</span> : null}
    </>
  );
}

/** The faults a random nemesis drew for this run, as a scenario writes them; its owner may save them as a version. */
export function DrawnSchedule({ run }: { run: RunData }) {
  const schedule = (run.summary as { schedule?: Record<string, unknown>[] } | null)?.schedule;
  const trpc = useTRPC();
  const save = useMutation(trpc.run.saveSchedule.mutationOptions());
  if (!schedule) return null;
  const text = "faults:\n" + schedule.map((f) => `  - ${stringify(f, { collectionStyle: "flow", lineWidth: 0 }).trim()}`).join("\n") + "\n";
  return (
    <details className="panel" data-testid="drawn-schedule">
      <summary>The random nemesis drew {schedule.length} faults for seed {run.seed}</summary>
      <pre className="mono small">{text}</pre>
      {run.isOwner ? (
        <p className="row">
          {save.data ? (
            <Link href={`/scenarios/${save.data.scenarioId}?v=${save.data.version}`}>Saved as version {save.data.version}</Link>
          ) : (
            <button type="button" disabled={save.isPending} onClick={() => save.mutate({ id: run.id })}>
              {save.isPending ? "Saving…" : "Save as a version with these faults"}
            </button>
          )}
          {save.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(save.error).message}</span> : null}
        </p>
      ) : null}
    </details>
  );
}
