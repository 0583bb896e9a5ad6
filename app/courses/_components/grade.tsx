// How a grade shows: the state of its grading run, or the score out of the points.
export interface GradeLike {
  status: string;
  points: number | null;
  maxPoints: number | null;
  score: number | null;
  error?: string | null;
}

export function GradeBadge({ grade, testId }: { grade: GradeLike; testId?: string }) {
  if (grade.status === "done" && grade.score !== null) {
    const full = grade.points !== null && grade.maxPoints !== null && grade.points >= grade.maxPoints;
    return <span className={`badge ${full ? "pass" : "fail"}`} data-testid={testId}>{grade.score} / {grade.maxPoints}</span>;
  }
  if (grade.status === "failed") return <span className="badge failed" data-testid={testId} title={grade.error ?? undefined}>grading failed</span>;
  return <span className={`badge ${grade.status}`} data-testid={testId}>{grade.status === "running" ? "grading…" : "waiting to be graded"}</span>;
}

export function isPending(status: string): boolean {
  return status === "queued" || status === "running";
}
