"use client";
// One submission: when it was stored (the deadline is judged by that), its grade appearing
// live while the grading run works, per visible test pass/fail and points, hidden tests as
// totals; for staff also every test by name and the grading runs' history.
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { apiError } from "@/app/_components/field-errors";
import { useTRPC } from "@/app/_components/trpc";
import { formatDate } from "@/app/_components/format";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { GradeBadge, isPending } from "./grade";

export type SubmissionData = inferRouterOutputs<AppRouter>["submission"]["byId"];

function fullTime(d: Date | string): string {
  return new Date(d).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

export function SubmissionView({ initial }: { initial: SubmissionData }) {
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.submission.byId.queryOptions({ id: initial.id }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && isPending(q.state.data.grade.status) ? 1000 : false),
  });
  const s = query.data ?? initial;
  const pct = Math.round(s.progress * 100);
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href={`/courses/${s.assignment.course.id}`}>{s.assignment.course.title}</Link> / <Link href={`/courses/assignments/${s.assignment.id}`}>{s.assignment.title}</Link> /
          </div>
          <h1>Submission{s.isOwn ? "" : ` by ${s.student.name}`}</h1>
          <p className="sub row">
            <span>Submitted <time data-testid="submitted-at" dateTime={new Date(s.submittedAt).toISOString()}>{fullTime(s.submittedAt)}</time></span>
            <span>· version {s.versionNumber}</span>
            {s.late ? <span className="badge fail" data-testid="late-flag">{s.daysLate} day{s.daysLate === 1 ? "" : "s"} late: −{s.penaltyPercent}%</span> : <span className="badge pass">on time</span>}
            {!s.isOwn ? <span className="muted">{s.student.email}</span> : null}
          </p>
        </div>
        <div className="row">
          <span className="muted small">Score</span>
          <GradeBadge grade={s.grade} testId="score" />
        </div>
      </div>

      {isPending(s.grade.status) ? (
        <div className="panel" data-testid="grading-live" aria-live="polite">
          <p><strong>{s.grade.status === "queued" ? "Waiting for a worker." : `Grading… ${pct}%`}</strong> Your submission is stored; this page updates by itself.</p>
          <div className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}><div style={{ width: `${pct}%` }} /></div>
        </div>
      ) : null}
      {s.grade.status === "failed" ? <div className="alert error" role="alert">Grading failed: {s.grade.error ?? "no reason was recorded"}</div> : null}

      {s.result ? (
        <div className="panel" data-testid="result">
          <h3>
            {s.result.points} of {s.result.maxPoints} points{s.penaltyPercent > 0 ? `, ${s.grade.score} after the late penalty` : ""} · {s.result.passedTests} of {s.result.totalTests} tests passed
          </h3>
          <ul className="verdicts">
            {s.result.visible.map((t, i) => (
              <li key={i} data-testid="visible-test">
                <span className={`badge ${t.passed ? "pass" : "fail"}`}>{t.passed ? "✓ passed" : "✗ failed"}</span>
                <strong>{t.name}</strong>
                <span className="why">{t.message}</span>
                <span className="spacer" />
                <span className="nowrap">{t.points} / {t.maxPoints}</span>
                {s.isOwn && t.failingSeeds.length > 0 ? <OpenSeeds submissionId={s.id} test={t.index} seeds={t.failingSeeds} passed={t.passed} kind={s.assignment.kind} /> : null}
              </li>
            ))}
            {s.result.hidden.count ? (
              <li data-testid="hidden-result">
                <span className={`badge ${s.result.hidden.passed === s.result.hidden.count ? "pass" : "fail"}`}>{s.result.hidden.passed} of {s.result.hidden.count}</span>
                <strong>hidden test{s.result.hidden.count === 1 ? "" : "s"} passed</strong>
                <span className="spacer" />
                <span className="nowrap">{s.result.hidden.points} / {s.result.hidden.maxPoints}</span>
              </li>
            ) : null}
          </ul>
          {s.result.all ? (
            <>
              <h3>Every test (staff only)</h3>
              <ul className="verdicts" data-testid="all-tests">
                {s.result.all.map((t) => (
                  <li key={t.index}>
                    <span className={`badge ${t.passed ? "pass" : "fail"}`}>{t.passed ? "✓" : "✗"}</span>
                    <strong>{t.name}</strong>
                    <span className="muted small">{t.visible ? "visible" : "hidden"}</span>
                    <span className="spacer" />
                    <span>{t.points} / {t.maxPoints}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {s.result.testsVersion !== s.assignment.testsVersion ? <p className="small muted">Graded with tests version {s.result.testsVersion}; the assignment&apos;s tests are now version {s.assignment.testsVersion}.</p> : null}
        </div>
      ) : null}

      <div className="grid cols-2 course-grid" style={{ marginTop: "1rem" }}>
        <div className="panel">
          <h3>Submitted scenario</h3>
          <pre className="source" data-testid="submitted-source">{s.source}</pre>
          {s.isOwn ? <Link href={`/scenarios/${s.scenarioId}?v=${s.versionNumber}`}>Open in the editor</Link> : null}
        </div>
        <div className="panel">
          <h3>Grading runs</h3>
          <ul className="verdicts" data-testid="grading-runs">
            {s.runs.map((r) => (
              <li key={r.id}>
                <Link href={`/runs/${r.id}`}>{formatDate(r.createdAt)}</Link>
                {r.latest ? <span className="tag">current</span> : null}
                {r.testsVersion ? <span className="muted small">tests v{r.testsVersion}</span> : null}
                <span className="spacer" />
                <GradeBadge grade={{ status: r.status, points: r.points, maxPoints: r.maxPoints, score: r.score }} />
              </li>
            ))}
          </ul>
        </div>
      </div>
    </>
  );
}

/** Buttons that open a test's seed as a run of the student's (diagram, witness), then go there. */
function OpenSeeds({ submissionId, test, seeds, passed, kind }: { submissionId: string; test: number; seeds: number[]; passed: boolean; kind: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const open = useMutation(trpc.submission.openTestRun.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const what = kind === "break-it" ? (passed ? "" : "seeds where the check still held:") : "seeds where a check failed:";
  return (
    <span className="open-seeds small" data-testid="open-seeds" style={{ width: "100%" }}>
      {what}{" "}
      {seeds.map((seed) => (
        <button
          key={seed}
          type="button"
          className="small"
          disabled={open.isPending}
          onClick={async () => {
            setError(null);
            try {
              const run = await open.mutateAsync({ submissionId, test, seed });
              router.push(`/runs/${run.id}`);
            } catch (err) {
              setError(apiError(err).message);
            }
          }}
        >
          seed {seed}
        </button>
      ))}
      {error ? <span className="alert error small">{error}</span> : null}
    </span>
  );
}
