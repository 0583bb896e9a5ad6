"use client";
// On the scenario page of a student's working copy: "Submit to <assignment>". The answer comes
// at once with the submission's time; its page then shows the grade as it is computed. What the
// text being edited changes against the assignment's rules is said as the student types, with
// the same check the submission meets (server/courses/restrictions.ts).
import { useMemo, useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { formatDate } from "@/app/_components/format";
import { editProblems } from "@/server/courses/restrictions";
import { checkScenario } from "@/server/scenarios/validate";
import type { Scenario } from "@/server/sim";

/**
 * `editing`: the text in the editor, parsed (null while it has problems of its own).
 */
export function SubmitToAssignment({ scenarioId, version, dirty, editing }: { scenarioId: string; version: number; dirty: boolean; editing: Scenario | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const target = useQuery(trpc.assignment.forScenario.queryOptions({ scenarioId }));
  const submit = useMutation(trpc.assignment.submit.mutationOptions());
  const [problems, setProblems] = useState<string[]>([]);
  const a = target.data;
  const starter = useMemo(() => (a ? checkScenario(a.starterSource) : null), [a]);
  const broken = useMemo(
    () => (a?.canSubmit && editing && starter?.ok ? editProblems(a.kind, starter.scenario, editing, a.rules) : []),
    [a, editing, starter],
  );
  if (!a) return null;
  const past = new Date(a.deadline).getTime() < Date.now();
  return (
    <div className="panel" data-testid="submit-panel">
      <h3>Assignment</h3>
      <p className="small">
        <Link href={`/courses/assignments/${a.id}`}>{a.title}</Link> · {a.courseTitle}
        <br />
        <span className="muted">Due {formatDate(a.deadline)}{past ? " (passed)" : ""}</span>
      </p>
      {a.canSubmit ? (
        <>
          {dirty ? <div className="alert warn small">Save your changes first: you submit a saved version.</div> : null}
          {broken.length ? (
            <div className="alert warn small" data-testid="assignment-rules">
              {dirty ? "This text" : "This version"} breaks the assignment&apos;s rules, so a submission would be refused:
              <ul style={{ margin: "0.25rem 0 0", paddingLeft: "1.2rem" }}>{broken.map((p) => <li key={`${p.path}: ${p.message}`}><code>{p.path}</code>: {p.message}</li>)}</ul>
            </div>
          ) : null}
          <button
            type="button"
            className="primary"
            disabled={dirty || broken.length > 0 || submit.isPending}
            onClick={async () => {
              setProblems([]);
              try {
                const res = await submit.mutateAsync({ assignmentId: a.id, scenarioId, version });
                router.push(`/courses/submissions/${res.id}`);
              } catch (err) {
                const view = apiError(err);
                setProblems(view.scenarioProblems?.length ? [view.message, ...view.scenarioProblems.map((p) => `${p.path}: ${p.message}`)] : [view.message]);
              }
            }}
          >
            {submit.isPending ? "Submitting…" : `Submit v${version} to ${a.title}`}
          </button>
          {problems.length ? (
            <div className="alert error" role="alert" data-testid="submit-error">
              {problems.length === 1 ? problems[0] : (
                <>
                  This version cannot be submitted:
                  <ul style={{ margin: "0.25rem 0 0", paddingLeft: "1.2rem" }}>{problems.slice(1).map((p) => <li key={p}>{p}</li>)}</ul>
                </>
              )}
            </div>
          ) : null}
        </>
      ) : (
        <p className="small muted">You are staff in this course: students submit; you can run the scenario here.</p>
      )}
    </div>
  );
}
