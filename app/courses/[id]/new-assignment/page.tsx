// A new assignment in a course (its instructors only).
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { AssignmentForm } from "../../_components/assignment-form";

export const metadata: Metadata = { title: "New assignment" };

export default async function NewAssignmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/${id}/new-assignment`)}`);
  const course = await orNotFound(api.course.byId({ id: id.slice(0, 64) }));
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs"><Link href="/courses">My courses</Link> / <Link href={`/courses/${course.id}`}>{course.title}</Link> /</div>
          <h1>New assignment</h1>
          <p className="sub">Start from the example of either kind and change what you need.</p>
        </div>
      </div>
      {course.role === "instructor" ? <AssignmentForm courseId={course.id} /> : <div className="alert warn">Only the course&apos;s instructors create assignments.</div>}
    </>
  );
}
