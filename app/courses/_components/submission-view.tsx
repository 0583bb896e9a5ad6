"use client";
// One submission: when it was stored (the deadline is judged by that), its grade appearing
// live while the grading run works, per visible test pass/fail and points, hidden tests as
// totals; for staff also every test by name and the grading runs' history.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { formatDate } from "@/app/_components/format";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { GradeBadge, isPending } from "./grade";
import { GradeResult } from "./grade-result";

export type SubmissionData = inferRouterOutputs<AppRouter>["submission"]["byId"];

/** To the second, for the tooltip: the deadline is judged by the stored time, not the minute shown. */
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
            <span>Submitted <time data-testid="submitted-at" dateTime={new Date(s.submittedAt).toISOString()} title={fullTime(s.submittedAt)}>{formatDate(s.submittedAt)}</time></span>
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
        <GradeResult result={s.result} submissionId={s.id} kind={s.assignment.kind} canOpenSeeds={s.isOwn || s.isStaff} penaltyPercent={s.penaltyPercent} score={s.grade.score} currentTestsVersion={s.assignment.testsVersion} />
      ) : null}

      <div className="grid cols-2" style={{ marginTop: "1rem" }}>
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
