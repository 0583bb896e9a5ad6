// A join link (/courses/join/<code>): signs the visitor in first if needed, shows which
// course the code belongs to, and joins it when they press Join (a page view never joins:
// a link or an embedded image must not enrol anyone). A wrong or reset code says so.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/server/api/server-caller";
import { JoinButton } from "./join-button";

export const metadata: Metadata = { title: "Join a course" };

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const safe = code.slice(0, 32);
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/join/${safe}`)}`);
  let preview: Awaited<ReturnType<typeof api.course.preview>> | null = null;
  let message = "";
  try {
    preview = await api.course.preview({ code: safe });
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    message = err.message;
  }
  if (preview?.role) redirect(`/courses/${preview.courseId}`);
  return (
    <div className="form-narrow panel">
      <h1>Join a course</h1>
      {preview ? (
        <>
          <p>
            You are about to join <strong data-testid="join-course-title">{preview.title}</strong> as a student, as {user.name} ({user.email}).
          </p>
          {preview.description ? <p className="muted small">{preview.description.slice(0, 400)}</p> : null}
          <JoinButton code={safe} />
        </>
      ) : (
        <>
          <div className="alert error" role="alert">{message}</div>
          <p><Link href="/courses">Go to my courses</Link> to enter a code.</p>
        </>
      )}
    </div>
  );
}
