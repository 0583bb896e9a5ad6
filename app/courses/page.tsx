// My courses: the ones I teach or take, and forms to create or join one.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller } from "@/server/api/server-caller";
import { CreateCourseForm, JoinCourseForm } from "./_components/course-forms";

export const metadata: Metadata = { title: "My courses" };

const ROLE_LABEL: Record<string, string> = { instructor: "instructor", ta: "TA", student: "student" };

export default async function CoursesPage() {
  const { api, user } = await serverCaller();
  if (!user) redirect("/signin?callbackUrl=/courses");
  const courses = await api.course.list();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>My courses</h1>
          <p className="sub">Assignments built on failure scenarios, graded by the simulator.</p>
        </div>
      </div>
      <div className="split">
        <div>
          {courses.length === 0 ? (
            <div className="panel empty">You are in no course yet. Join one with the code your instructor gave you, or create your own.</div>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="courses-table">
                <thead>
                  <tr><th>Course</th><th>Instructor</th><th>My role</th><th className="num">Assignments</th></tr>
                </thead>
                <tbody>
                  {courses.map((c) => (
                    <tr key={c.id}>
                      <td><Link href={`/courses/${c.id}`}>{c.title}</Link></td>
                      <td>{c.instructor}</td>
                      <td><span className="badge kind">{ROLE_LABEL[c.role] ?? c.role}</span></td>
                      <td className="num">{c.assignmentCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <aside className="stack">
          <JoinCourseForm />
          <CreateCourseForm />
        </aside>
      </div>
    </>
  );
}
