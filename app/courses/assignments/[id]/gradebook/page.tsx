// The gradebook of an assignment (course staff): every student with their latest or best
// submission, score and late flag; opens any submission; regrade all; CSV for the LMS.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { formatDate } from "@/app/_components/format";
import { GradeBadge, isPending } from "../../../_components/grade";
import { RefreshWhilePending, RegradeButton } from "../../../_components/regrade-button";

export const metadata: Metadata = { title: "Gradebook" };

export default async function GradebookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ mode?: string }> }) {
  const { id } = await params;
  const mode = (await searchParams).mode === "best" ? "best" : "latest";
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/assignments/${id}/gradebook`)}`);
  const a = await orNotFound(api.assignment.byId({ id: id.slice(0, 64) }));
  if (!a.isStaff) return <div className="alert warn">Only the course&apos;s instructors and TAs see the gradebook.</div>;
  const book = await api.assignment.gradebook({ assignmentId: a.id, mode });
  const pending = book.rows.some((r) => r.submission && isPending(r.submission.grade.status));
  const submitted = book.rows.filter((r) => r.submission).length;
  return (
    <>
      <RefreshWhilePending pending={pending} />
      <div className="page-head">
        <div>
          <div className="crumbs"><Link href={`/courses/${book.course.id}`}>{book.course.title}</Link> / <Link href={`/courses/assignments/${a.id}`}>{a.title}</Link> /</div>
          <h1>Gradebook</h1>
          <p className="sub">{submitted} of {book.rows.length} students submitted · tests version {a.testsVersion} · due {formatDate(a.deadline)}</p>
        </div>
        <div className="row">
          <a className="button" href={`/api/courses/assignments/${a.id}/gradebook?mode=${mode}`} download data-testid="download-csv">Download CSV</a>
          {a.role === "instructor" ? <RegradeButton assignmentId={a.id} /> : null}
        </div>
      </div>
      <div className="tabs" role="tablist">
        <Link role="tab" aria-selected={mode === "latest"} href={`?mode=latest`}>Latest submission</Link>
        <Link role="tab" aria-selected={mode === "best"} href={`?mode=best`}>Best submission</Link>
      </div>
      <p className="gradebook-scroll-hint small muted">Scroll the table sideways for every column.</p>
      <div className="table-wrap">
        <table className="table gradebook" data-testid="gradebook">
          <thead>
            <tr><th className="sticky-start">Student</th><th>Email</th><th className="num">Submissions</th><th>Submitted at</th><th>Late</th><th>Score</th><th /></tr>
          </thead>
          <tbody>
            {book.rows.map((r) => (
              <tr key={r.student.id} data-testid={`gradebook-row-${r.student.email}`}>
                <td className="sticky-start student">{r.student.name}</td>
                <td className="muted">{r.student.email}</td>
                <td className="num">{r.submissionCount}</td>
                <td className="nowrap">{r.submission ? formatDate(r.submission.submittedAt) : <span className="muted">none</span>}</td>
                <td>{r.submission?.late ? <span className="badge fail">{r.submission.daysLate} d, −{r.submission.penaltyPercent}%</span> : r.submission ? <span className="muted">on time</span> : null}</td>
                <td>
                  {r.submission ? <GradeBadge grade={r.submission.grade} /> : null}
                  {r.submission?.late && r.submission.grade.points !== null ? <div className="small muted">raw {r.submission.grade.points}</div> : null}
                </td>
                <td>{r.submission ? <Link href={`/courses/submissions/${r.submission.id}`}>Open</Link> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
