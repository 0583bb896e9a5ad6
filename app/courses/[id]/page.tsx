// A course: its assignments and deadlines for everyone in it; the join code, members and
// gradebooks for its staff. Someone outside the course gets "not found".
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { formatDate } from "@/app/_components/format";
import { StaffPanel } from "../_components/staff-panel";
import { MyScore } from "../_components/my-score";

export const metadata: Metadata = { title: "Course" };

export default async function CoursePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/${id}`)}`);
  const course = await orNotFound(api.course.byId({ id: id.slice(0, 64) }));
  const staff = course.role !== "student";
  const now = Date.now();
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs"><Link href="/courses">My courses</Link> /</div>
          <h1 data-testid="course-title">{course.title}</h1>
          <p className="sub">Taught by {course.instructor} · you are {course.role === "ta" ? "a TA" : course.role === "instructor" ? "the instructor" : "a student"}{staff ? ` · ${course.studentCount} student${course.studentCount === 1 ? "" : "s"}` : ""}</p>
        </div>
        <div className="row">
          {staff ? <Link className="button" href={`/courses/${course.id}/gradebook`} data-testid="course-gradebook-link">Gradebook</Link> : null}
          {course.role === "instructor" ? <Link className="button primary" href={`/courses/${course.id}/new-assignment`}>New assignment</Link> : null}
        </div>
      </div>
      <div className={staff ? "split" : undefined}>
        <div>
          {course.description ? <p>{course.description}</p> : null}
          <h2>Assignments</h2>
          {course.assignments.length === 0 ? (
            <div className="panel empty">No assignments yet.</div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="assignments-table">
                <thead>
                  <tr><th>Assignment</th><th>Kind</th><th>Deadline</th><th className="num">Points</th>{staff ? <th>Grades</th> : <th className="num">My score</th>}</tr>
                </thead>
                <tbody>
                  {course.assignments.map((a) => {
                    const past = new Date(a.deadline).getTime() < now;
                    return (
                      <tr key={a.id}>
                        <td><Link href={`/courses/assignments/${a.id}`}>{a.title}</Link>{a.draft ? <> <span className="badge" data-testid="draft-badge">draft</span></> : null}</td>
                        <td><span className="badge kind">{a.kind}</span></td>
                        <td className="nowrap">
                          {formatDate(a.deadline)} {past ? <span className="badge failed">{a.latePolicy.kind === "none" ? "closed" : "late period"}</span> : null}
                        </td>
                        <td className="num">{a.maxPoints}</td>
                        {staff ? <td><Link href={`/courses/assignments/${a.id}/gradebook`}>Gradebook</Link></td> : <MyScore cell={course.myScores?.[a.id]} maxPoints={a.maxPoints} />}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </div>
        {staff && course.joinCode ? (
          <aside className="stack">
            <StaffPanel courseId={course.id} joinCode={course.joinCode} isInstructor={course.role === "instructor"} />
          </aside>
        ) : null}
      </div>
    </>
  );
}
