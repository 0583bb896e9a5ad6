"use client";
// The run page body: live queue state (pushed by the server as events, polled only while that
// stream is down) until the run ends, then its results, and a picker of runs to compare with.
import { useEffect, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiError } from "@/app/_components/field-errors";
import { useTRPC } from "@/app/_components/trpc";
import { StatusBadge, VisibilityBadge } from "@/app/_components/badges";
import { SharePanel } from "@/app/_components/share-panel";
import { formatDate } from "@/app/_components/format";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { RunResults } from "./run-results";
import { SweepResults } from "./sweep-results";
import { DrawnSchedule, ShrinkButton, ShrinkResults } from "./shrink-panel";
import { ExploreLive, ExploreResults } from "./explore-panel";
import { SweepCurveLinks } from "./curve-links";
import { CurveRunResults } from "./curve-run";
import { CancelRunButton, PartialSweepResults } from "./sweep-partial";
import { RunPicker } from "@/app/compare/run-picker";
import { GradingRunResult } from "@/app/courses/_components/grading-run-result";
import { runTitle } from "@/app/_components/story/embed";

export type RunData = inferRouterOutputs<AppRouter>["run"]["byId"];
type RunLiveState = inferRouterOutputs<AppRouter>["run"]["status"];

/** How often the page asks for the run's state while its event stream is not connected. */
const POLL_WITHOUT_STREAM_MS = 1000;

const live = (s: string) => s === "queued" || s === "running";

export function RunView({ initial, token, signedIn, initialStep }: { initial: RunData; token: string | null; signedIn: boolean; initialStep?: number | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [picking, setPicking] = useState(false);
  const [streaming, setStreaming] = useState(false);
  const query = useQuery({
    ...trpc.run.byId.queryOptions({ id: initial.id, token: token ?? undefined }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && live(q.state.data.status) && !streaming ? POLL_WITHOUT_STREAM_MS : false),
  });
  const run = query.data ?? initial;
  const isLive = live(run.status);

  // While the run is queued or running, the server pushes its state; the results are fetched once it ends.
  useEffect(() => {
    if (!isLive) return;
    const queryKey = trpc.run.byId.queryKey({ id: initial.id, token: token ?? undefined });
    const events = new EventSource(`/api/runs/${initial.id}/events${token ? `?key=${encodeURIComponent(token)}` : ""}`);
    events.onopen = () => setStreaming(true);
    events.onerror = () => setStreaming(false);
    events.onmessage = (e: MessageEvent<string>) => {
      // The last event, when the run has ended, carries the run itself.
      const state = JSON.parse(e.data) as RunLiveState & { run?: RunData };
      if (live(state.status)) {
        queryClient.setQueryData(queryKey, (old) => (old ? { ...old, ...state } : old));
        return;
      }
      events.close();
      setStreaming(false);
      if (state.run) queryClient.setQueryData(queryKey, state.run);
      else void queryClient.refetchQueries({ queryKey });
    };
    return () => {
      events.close();
      setStreaming(false);
    };
  }, [isLive, initial.id, token, queryClient, trpc]);
  const keyParam = token ? `?key=${token}` : "";

  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            {run.isOwner ? <Link href="/runs">My runs</Link> : <>Shared by {run.owner.name}</>} /{" "}
            {run.scenarioReadable ? <Link href={`/scenarios/${run.scenario.id}?v=${run.version.number}`}>{run.scenario.name}</Link> : run.scenario.name}
          </div>
          <h1 data-testid="run-title">
            {run.scenario.name} · {run.kind === "sweep" ? `sweep of ${run.seedCount} seeds (${run.seed}–${run.seed + run.seedCount - 1})` : run.kind === "shrink" ? `shrink of seed ${run.seed}` : run.kind === "explore" ? `exploration, seed ${run.seed}` : run.kind === "curve" ? `curve, ${run.seedCount} seeds in all` : `seed ${run.seed}`}
          </h1>
          <p className="sub row">
            <StatusBadge status={run.status} verdict={run.verdict} />
            <span>version {run.version.number}</span>
            <span>· queued {formatDate(run.createdAt)}</span>
            {run.engine ? <span>· engine {run.engine}</span> : null}
            {!run.isOwner ? <VisibilityBadge visibility={run.visibility} /> : null}
          </p>
        </div>
        <div className="row">
          {run.kind === "single" && run.status === "done" ? (
            <a className="button" href={`/api/runs/${run.id}/trace?format=jsonl${token ? `&key=${token}` : ""}`} download>Download trace (JSONL)</a>
          ) : null}
          <a className="button" href={`/api/runs/${run.id}/scenario${keyParam}`} download>Download scenario</a>
          {run.isOwner && isLive && run.kind !== "grade" ? <CancelRunButton runId={run.id} /> : null}
          {run.isOwner && (run.kind === "sweep" || run.kind === "curve") ? <SweepCurveLinks scenarioId={run.scenario.id} scenarioName={run.scenario.name} /> : null}
          {signedIn && run.kind === "single" && run.status === "done" ? (
            <button type="button" onClick={() => setPicking((p) => !p)} aria-expanded={picking}>Compare…</button>
          ) : null}
          {run.isOwner && run.kind === "single" && run.status === "done" && run.verdict === "fail" ? <ShrinkButton runId={run.id} /> : null}
          {!run.isOwner && signedIn ? <ForkButton runId={run.id} token={token} /> : null}
          {!run.isOwner && !signedIn ? (
            <Link className="button" href={`/signin?callbackUrl=${encodeURIComponent(`/runs/${run.id}${keyParam}`)}`}>Sign in to fork</Link>
          ) : null}
        </div>
      </div>

      {picking && run.kind === "single" ? (
        <div style={{ marginBottom: "1rem" }}>
          <RunPicker runId={run.id} scenarioId={run.scenario.id} scenarioName={run.scenario.name} keyA={token} />
        </div>
      ) : null}

      {(isLive || run.status === "cancelled") && run.kind === "explore" ? <ExploreLive run={run} /> : null}
      {isLive ? <LiveState status={run.status} progress={run.progress} attempt={run.attempt} kind={run.kind} seedCount={run.seedCount} position={run.queuePosition} /> : null}

      {run.status === "failed" ? (
        <div className="alert error" role="alert" data-testid="run-error">
          <strong>This run failed.</strong> {run.error ?? "No reason was recorded."}
        </div>
      ) : null}

      {run.status === "cancelled" ? (
        <div className="alert warn" role="status" data-testid="run-cancelled">
          <strong>This run was cancelled.</strong>
        </div>
      ) : null}
      {run.kind === "sweep" && (isLive || run.status === "cancelled") && run.summary ? <PartialSweepResults run={run} signedIn={signedIn} /> : null}

      {run.status === "done" && run.kind === "single" ? <RunResults run={run} token={token} initialStep={initialStep} /> : null}
      {run.status === "done" && run.kind === "sweep" ? <SweepResults run={run} signedIn={signedIn} /> : null}
      {run.status === "done" && run.kind === "shrink" ? <ShrinkResults run={run} /> : null}
      {run.status === "done" && run.kind === "explore" ? <ExploreResults run={run} /> : null}
      {run.kind === "curve" && run.summary ? <CurveRunResults run={run} signedIn={signedIn} /> : null}
      {run.status === "done" && run.kind === "single" ? <DrawnSchedule run={run} /> : null}
      {run.kind === "grade" && run.submissionId ? (
        <div className="panel" data-testid="grading-run">
          <h2>Grading run</h2>
          <p>
            This run graded a course submission; its grade, test by test, is below. The submission, its scenario and its other gradings are on{" "}
            <Link href={`/courses/submissions/${run.submissionId}`}>the submission&apos;s page</Link>.
          </p>
          {run.grading ? <GradingRunResult run={run} /> : null}
        </div>
      ) : null}

      {run.isOwner && run.kind !== "grade" ? (
        <div style={{ maxWidth: 520, marginTop: "1rem" }}>
          <SharePanel kind="run" id={run.id} visibility={run.visibility} shareToken={run.shareToken} locked={run.sharingLocked} title={runTitle(run)} />
        </div>
      ) : null}
    </>
  );
}

/** Copies the scenario version this run ran into the signed-in viewer's account and opens it. */
function ForkButton({ runId, token }: { runId: string; token: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const fork = useMutation(trpc.run.forkScenario.mutationOptions());
  return (
    <>
      <button
        type="button"
        className="primary"
        disabled={fork.isPending}
        onClick={async () => {
          const created = await fork.mutateAsync({ id: runId, token: token ?? undefined });
          router.push(`/scenarios/${created.id}`);
        }}
      >
        {fork.isPending ? "Forking…" : "Fork scenario"}
      </button>
      {fork.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(fork.error).message}</span> : null}
    </>
  );
}

function LiveState({ status, progress, attempt, kind, seedCount, position }: { status: string; progress: number; attempt: number; kind: string; seedCount: number; position: number | null }) {
  const pct = Math.round(progress * 100);
  return (
    <div className="panel" data-testid="live-state" aria-live="polite">
      {status === "queued" ? (
        <p>
          <strong>Queued{position !== null ? <span data-testid="queue-position">, position {position} in the queue</span> : null}.</strong>{" "}
          {position === 1 ? "It is next for a free worker" : "Waiting for a worker to pick it up"}
          {attempt > 0 ? ` (attempt ${attempt + 1}: the previous one was interrupted)` : ""}. This page updates by itself.
        </p>
      ) : (
        <>
          <p>
            <strong>Running</strong>{kind === "sweep" ? ` ${seedCount} seeds` : ""}… {pct}%{attempt > 1 ? ` (attempt ${attempt})` : ""}
          </p>
          <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
            <div style={{ width: `${pct}%` }} />
          </div>
        </>
      )}
    </div>
  );
}
