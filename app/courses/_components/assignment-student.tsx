"use client";
// A student's side of an assignment: "Start" (their own copy of the starter, opened in the
// editor) and the history of their submissions, updating live while grading runs.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { formatDate } from "@/app/_components/format";
import { GradeBadge, isPending } from "./grade";

export function StartButton({ assignmentId, label = "Start" }: { assignmentId: string; label?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const start = useMutation(trpc.assignment.start.mutationOptions());
  return (
    <span className="row">
      <button
        type="button"
        className="primary"
        disabled={start.isPending}
        onClick={async () => {
          const res = await start.mutateAsync({ id: assignmentId });
          router.push(`/scenarios/${res.scenarioId}`);
        }}
      >
        {start.isPending ? "Opening…" : label}
      </button>
      {start.error ? <span className="small" style={{ color: "var(--bad)" }}>{apiError(start.error).message}</span> : null}
    </span>
  );
}

export function MySubmissions({ assignmentId }: { assignmentId: string }) {
  const trpc = useTRPC();
  const list = useQuery({
    ...trpc.assignment.mySubmissions.queryOptions({ assignmentId }),
    refetchInterval: (q) => (q.state.data?.some((s) => isPending(s.grade.status)) ? 1000 : false),
  });
  if (!list.data) return <p className="muted small">Loading…</p>;
  if (list.data.length === 0) return <p className="muted small" data-testid="no-submissions">No submissions yet.</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="my-submissions">
        <thead>
          <tr><th>Submitted</th><th>Version</th><th>Late</th><th>Score</th><th /></tr>
        </thead>
        <tbody>
          {list.data.map((s) => (
            <tr key={s.id}>
              <td className="nowrap">{formatDate(s.submittedAt)}</td>
              <td>v{s.versionNumber}</td>
              <td>{s.late ? <span className="badge fail">{s.daysLate} day{s.daysLate === 1 ? "" : "s"} late, −{s.latePenaltyPercent}%</span> : <span className="muted">on time</span>}</td>
              <td><GradeBadge grade={s.grade} /></td>
              <td><Link href={`/courses/submissions/${s.id}`}>Open</Link></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
