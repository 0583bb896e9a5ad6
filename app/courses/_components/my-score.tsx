// A student's own score on one assignment, on the course page: their latest submission's score
// after the late penalty (raw points and penalty beside it), linked to that submission.
import Link from "next/link";
import type { GradebookCell } from "@/server/courses/gradebook";

export function MyScore({ cell, maxPoints }: { cell: GradebookCell | undefined; maxPoints: number }) {
  if (!cell?.submissionId) return <td className="num muted" data-testid="my-score">not submitted</td>;
  return (
    <td className="num nowrap" data-testid="my-score">
      <Link href={`/courses/submissions/${cell.submissionId}`}>
        {cell.status === "done" ? `${cell.score} / ${maxPoints}` : cell.status === "failed" ? "grading failed" : "grading…"}
      </Link>
      {cell.status === "done" && cell.penaltyPercent > 0 ? <div className="small muted">raw {cell.raw}, −{cell.penaltyPercent}% late</div> : null}
    </td>
  );
}
