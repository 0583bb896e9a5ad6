// Editing an assignment (its course's instructors only): settings, starter and tests.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { AssignmentForm } from "../../../_components/assignment-form";

export const metadata: Metadata = { title: "Edit assignment" };

export default async function EditAssignmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/assignments/${id}/edit`)}`);
  const a = await orNotFound(api.assignment.byId({ id: id.slice(0, 64) }));
  if (a.role !== "instructor" || !a.isStaff) return <div className="alert warn">Only the course&apos;s instructors edit assignments.</div>;
  const tests = a.tests.all.map((t) => ({ name: t.name, points: t.points, visible: t.visible, seeds: t.seeds, ...(t.scenario ? { scenario: t.scenario } : {}), requirements: t.requirements }));
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs"><Link href={`/courses/${a.courseId}`}>{a.courseTitle}</Link> / <Link href={`/courses/assignments/${a.id}`}>{a.title}</Link> /</div>
          <h1>Edit assignment</h1>
          <p className="sub">Tests version {a.testsVersion}. Saving changed tests makes version {a.testsVersion + 1}.</p>
        </div>
      </div>
      <AssignmentForm
        courseId={a.courseId}
        assignmentId={a.id}
        initial={JSON.parse(JSON.stringify({
          kind: a.kind, title: a.title, instructions: a.instructions, starterSource: a.starterSource, deadline: a.deadline,
          latePolicy: a.latePolicy, submissionsPerHour: a.submissionsPerHour, rules: a.rules, tests, sharing: a.sharing,
        }))}
      />
    </>
  );
}
