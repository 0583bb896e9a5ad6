// A join link (/courses/join/<code>): signs the visitor in first if needed, joins them as a
// student, and opens the course. A wrong or reset code says so.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { serverCaller } from "@/server/api/server-caller";

export const metadata: Metadata = { title: "Join a course" };

export default async function JoinPage({ params }: { params: Promise<{ code: string }> }) {
  const { code } = await params;
  const safe = code.slice(0, 32);
  const { api, user } = await serverCaller();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(`/courses/join/${safe}`)}`);
  let courseId: string | null = null;
  let message = "";
  try {
    courseId = (await api.course.join({ code: safe })).courseId;
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    message = err.message;
  }
  if (courseId) redirect(`/courses/${courseId}`);
  return (
    <div className="form-narrow panel">
      <h1>Join a course</h1>
      <div className="alert error" role="alert">{message}</div>
      <p><Link href="/courses">Go to my courses</Link> to enter a code.</p>
    </div>
  );
}
