// The course-wide gradebook (course staff): one column per assignment with its points possible;
// each cell the score after the late penalty, the raw points and the penalty; CSV for Canvas and Gradescope.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { RefreshWhilePending } from "../../_components/regrade-button";
import { RosterFields } from "../../_components/roster-fields";

export const metadata: Metadata = { title: "Course gradebook" };

export default async function CourseGradebookPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ mode?: string }> }) {
  const { id } = await params;
  const mode = (await searchParams).mode === "best" ? "best" : "latest";
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/${id}/gradebook`)}`);
  const course = await orNotFound(api.course.byId({ id: id.slice(0, 64) }));
  if (course.role === "student") return <div className="alert warn">Only the course&apos;s instructors and TAs see the gradebook.</div>;
  const book = await api.course.gradebook({ id: course.id, mode });
  const pending = book.rows.some((r) => r.cells.some((c) => c.status === "queued" || c.status === "running"));
  const possible = book.columns.reduce((s, c) => s + c.maxPoints, 0);
  return (
    <>
      <RefreshWhilePending pending={pending} />
      <div className="page-head">
        <div>
          <div className="crumbs"><Link href={`/courses/${course.id}`}>{course.title}</Link> /</div>
          <h1>Gradebook</h1>
          <p className="sub">{book.rows.length} student{book.rows.length === 1 ? "" : "s"} · {book.columns.length} assignment{book.columns.length === 1 ? "" : "s"} · each cell: score after the late penalty (raw points, penalty)</p>
        </div>
        <div className="row">
          <a className="button" href={`/api/courses/${course.id}/gradebook?format=canvas&mode=${mode}`} download data-testid="download-canvas">Canvas CSV</a>
          <a className="button" href={`/api/courses/${course.id}/gradebook?format=gradescope&mode=${mode}`} download data-testid="download-gradescope">Gradescope CSV</a>
        </div>
      </div>
      <div className="tabs" role="tablist">
        <Link role="tab" aria-selected={mode === "latest"} href={`?mode=latest`}>Latest submission</Link>
        <Link role="tab" aria-selected={mode === "best"} href={`?mode=best`}>Best submission</Link>
      </div>
      <p className="gradebook-scroll-hint small muted">Scroll the table sideways for every assignment; the total stays at the right.</p>
      <div className="table-wrap">
        <table className="table gradebook" data-testid="course-gradebook">
          <thead>
            {/* One compact row: each title in at most two lines (all of it in the tooltip), its points possible under it. */}
            <tr data-testid="points-possible">
              <th className="sticky-start">Student</th>
              <th>SIS user ID · section</th>
              {book.columns.map((c) => (
                <th key={c.id} className="num assignment" title={`${c.title} (${c.maxPoints} points)`}>
                  <Link className="clamp-2" href={`/courses/assignments/${c.id}/gradebook?mode=${mode}`}>{c.title}</Link>
                  <div className="points">{c.maxPoints} pts</div>
                </th>
              ))}
              <th className="num sticky-end" title={`Total (${Math.round(possible * 100) / 100} points)`}>
                Total
                <div className="points">{Math.round(possible * 100) / 100} pts</div>
              </th>
            </tr>
          </thead>
          <tbody>
            {book.rows.map((r) => (
              <tr key={r.student.id} data-testid={`course-gradebook-row-${r.student.email}`}>
                <td className="sticky-start student"><div>{r.student.name}</div><div className="muted small">{r.student.email}</div></td>
                <td><RosterFields courseId={course.id} userId={r.student.id} sisUserId={r.student.sisUserId} section={r.student.section} /></td>
                {r.cells.map((c, i) => (
                  <td key={book.columns[i]!.id} className="num nowrap" data-testid="grade-cell">
                    {c.submissionId ? (
                      <Link href={`/courses/submissions/${c.submissionId}`}>
                        {c.status === "done" ? <strong>{c.score}</strong> : c.status === "failed" ? "failed" : "grading…"}
                      </Link>
                    ) : <span className="muted">–</span>}
                    {c.status === "done" && c.penaltyPercent > 0 ? <div className="small muted">raw {c.raw}, −{c.penaltyPercent}% ({c.daysLate} d late)</div> : null}
                  </td>
                ))}
                <td className="num sticky-end"><strong>{r.total}</strong></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="small muted">The Canvas CSV has Student, ID, SIS User ID, SIS Login ID (the email) and Section, a Points Possible row, then one column per assignment; the Gradescope CSV has Name, SID, Email, then the scores. See docs/courses.md.</p>
    </>
  );
}
