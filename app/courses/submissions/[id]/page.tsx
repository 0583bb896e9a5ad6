// A submission's page: its student and the course's staff may open it; anyone else gets "not found".
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { serverCaller, orNotFound } from "@/server/api/server-caller";
import { SubmissionView } from "../../_components/submission-view";

export const metadata: Metadata = { title: "Submission" };

export default async function SubmissionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/submissions/${id}`)}`);
  const submission = await orNotFound(api.submission.byId({ id: id.slice(0, 64) }));
  return <SubmissionView initial={JSON.parse(JSON.stringify(submission))} />;
}
