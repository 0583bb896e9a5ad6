"use client";
// For a course's staff: the join code and link, the members with their roles, and (for the
// instructor) adding TAs, removing members and making a new join code.
import { useEffect, useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";

export function StaffPanel({ courseId, joinCode, isInstructor }: { courseId: string; joinCode: string; isInstructor: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [origin, setOrigin] = useState("");
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  const members = useQuery(trpc.course.members.queryOptions({ id: courseId }));
  const addTa = useMutation(trpc.course.addTa.mutationOptions());
  const remove = useMutation(trpc.course.removeMember.mutationOptions());
  const reset = useMutation(trpc.course.resetJoinCode.mutationOptions());

  return (
    <div className="panel" data-testid="staff-panel">
      <h3>Invite students</h3>
      <p className="small muted">Students join with this code on the Courses page, or by opening the link.</p>
      <div className="field">
        <label htmlFor="join-code-shown">Join code</label>
        <input id="join-code-shown" type="text" readOnly value={joinCode} data-testid="join-code" onFocus={(e) => e.target.select()} />
      </div>
      <div className="field">
        <label htmlFor="join-link">Join link</label>
        <input id="join-link" type="text" readOnly value={`${origin}/courses/join/${joinCode}`} data-testid="join-link" onFocus={(e) => e.target.select()} />
      </div>
      {isInstructor ? (
        <button
          type="button"
          className="small danger"
          disabled={reset.isPending}
          onClick={async () => {
            await reset.mutateAsync({ id: courseId });
            router.refresh();
          }}
        >
          New join code
        </button>
      ) : null}
      <h3>Members</h3>
      <ul className="verdicts" data-testid="members">
        {members.data?.map((m) => (
          <li key={m.id}>
            <span style={{ minWidth: 0, overflowWrap: "anywhere" }}>
              {m.name}
              <br />
              <span className="muted small">{m.email}</span>
            </span>
            <span className="spacer" />
            <span className="badge kind">{m.role === "ta" ? "TA" : m.role}</span>
            {isInstructor && m.role !== "instructor" ? (
              <button
                type="button"
                className="link small"
                onClick={async () => {
                  await remove.mutateAsync({ id: courseId, userId: m.id });
                  await members.refetch();
                }}
              >
                remove
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {isInstructor ? (
        <form
          className="inline-fields"
          style={{ marginTop: "0.75rem" }}
          onSubmit={async (e) => {
            e.preventDefault();
            setError(null);
            try {
              await addTa.mutateAsync({ id: courseId, email });
              setEmail("");
              await members.refetch();
            } catch (err) {
              setError(apiError(err).message);
            }
          }}
        >
          <div className="field" style={{ flex: 1 }}>
            <label htmlFor="ta-email">Add a TA <span className="hint">(their account email)</span></label>
            <input id="ta-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <button type="submit" disabled={addTa.isPending}>Add TA</button>
        </form>
      ) : null}
      {error ? <div className="alert error" role="alert">{error}</div> : null}
    </div>
  );
}
