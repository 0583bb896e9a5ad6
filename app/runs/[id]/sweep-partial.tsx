"use client";
// A sweep's results so far: while it runs (pushed with its live state) or after it was cancelled,
// the merge of the shards that finished (server/worker/shards.ts), over the seeds they cover.
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { asSweepSummary } from "@/app/_components/results/summaries";
import type { RunData } from "./run-view";
import { SweepResults } from "./sweep-results";

export function PartialSweepResults({ run, signedIn }: { run: RunData; signedIn: boolean }) {
  const summary = asSweepSummary(run.summary);
  if (!summary) return null;
  const done = summary.seeds.toLocaleString("en-US");
  const total = run.seedCount.toLocaleString("en-US");
  return (
    <div className="stack" data-testid="sweep-partial">
      <p className="alert warn small" data-testid="sweep-partial-note">
        {run.status === "cancelled" ? `Cancelled: these results cover the ${done} of ${total} seeds that finished.` : `Partial results: ${done} of ${total} seeds so far; they update as the sweep runs.`}
      </p>
      <SweepResults run={run} signedIn={signedIn} />
    </div>
  );
}

/** Stops a queued or running run of the viewer's (run.cancel). */
export function CancelRunButton({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.run.cancel.mutationOptions());
  return (
    <>
      <button type="button" data-testid="cancel-run" disabled={cancel.isPending || cancel.isSuccess} onClick={() => cancel.mutate({ id: runId })}>
        {cancel.isPending ? "Cancelling…" : "Cancel run"}
      </button>
      {cancel.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(cancel.error).message}</span> : null}
    </>
  );
}
