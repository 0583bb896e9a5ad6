"use client";
// The grade on a grading run's own page: the same test-by-test result as the submission page,
// with the seeds to open as runs for the student who submitted and for the course's staff.
import type { RunData } from "@/app/runs/[id]/run-view";
import { GradeResult } from "./grade-result";

export function GradingRunResult({ run }: { run: RunData }) {
  if (!run.grading || !run.submissionId) return null;
  return (
    <div data-testid="grading-run-result">
      <GradeResult result={run.grading} submissionId={run.submissionId} kind={run.grading.assignmentKind} canOpenSeeds={run.isOwner || Boolean(run.grading.all)} penaltyPercent={run.grading.penaltyPercent} score={run.grading.score} />
    </div>
  );
}
