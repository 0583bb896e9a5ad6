"use client";
// The courses page's two forms: create a course (you become its instructor) and join one with a code.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";

export function CreateCourseForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.course.create.mutationOptions());
  const [title, setTitle] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="panel"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const course = await create.mutateAsync({ title, description: "" });
          router.push(`/courses/${course.id}`);
        } catch (err) {
          setError(apiError(err).message);
        }
      }}
    >
      <h3>Teach a course</h3>
      <div className="field">
        <label htmlFor="course-title">Course title</label>
        <input id="course-title" type="text" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="Distributed Systems, spring term" />
      </div>
      <button type="submit" className="primary" disabled={create.isPending}>Create course</button>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </form>
  );
}

export function JoinCourseForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const join = useMutation(trpc.course.join.mutationOptions());
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="panel"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const joined = await join.mutateAsync({ code });
          router.push(`/courses/${joined.courseId}`);
        } catch (err) {
          setError(apiError(err).message);
        }
      }}
    >
      <h3>Join a course</h3>
      <div className="field">
        <label htmlFor="join-code">Join code <span className="hint">(from your instructor)</span></label>
        <input id="join-code" type="text" value={code} onChange={(e) => setCode(e.target.value)} placeholder="ABCD2345" autoComplete="off" />
      </div>
      <button type="submit" disabled={join.isPending}>Join</button>
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </form>
  );
}
