"use client";
// Authoring aids on an assignment's page, for its staff: check the saved tests against a reference
// solution (one of my scenarios, graded by the workers like a submission; every test's pass or
// fail), and publish a draft once it checks out.
import { useState } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/app/_components/trpc";
import { apiError } from "@/app/_components/field-errors";
import { formatDate } from "@/app/_components/format";
import { GradeBadge, isPending } from "./grade";

/** Scenarios offered as a reference (the newest ones of mine). */
const REFERENCE_CHOICES_MAX = 50;

export function ReferenceCheck({ assignmentId }: { assignmentId: string }) {
  const trpc = useTRPC();
  const mine = useQuery(trpc.scenario.list.queryOptions({ pageSize: REFERENCE_CHOICES_MAX, sort: "updated" }));
  const checks = useQuery({
    ...trpc.assignment.referenceChecks.queryOptions({ assignmentId }),
    refetchInterval: (q) => (q.state.data?.some((c) => isPending(c.grade.status)) ? 1000 : false),
  });
  const check = useMutation(trpc.assignment.checkReference.mutationOptions());
  const [scenarioId, setScenarioId] = useState("");
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="panel" data-testid="reference-check">
      <h3>Check against a reference solution</h3>
      <p className="small muted">Runs the saved tests on a solution of yours, as a student&apos;s submission would be graded. Every test should pass; it never shows in the gradebook.</p>
      <div className="field">
        <label htmlFor="reference-scenario">Reference (one of my scenarios)</label>
        <select id="reference-scenario" value={scenarioId} onChange={(e) => setScenarioId(e.target.value)}>
          <option value="">Choose a scenario…</option>
          {mine.data?.items.map((s) => <option key={s.id} value={s.id}>{s.name} (v{s.latestVersion})</option>)}
        </select>
      </div>
      <button
        type="button"
        className="primary"
        disabled={!scenarioId || check.isPending}
        onClick={async () => {
          setError(null);
          try {
            await check.mutateAsync({ assignmentId, scenarioId });
            await checks.refetch();
          } catch (err) {
            setError(apiError(err).message);
          }
        }}
      >
        {check.isPending ? "Checking…" : "Check the tests"}
      </button>
      {error ? <div className="alert error small" role="alert" data-testid="reference-error">{error}</div> : null}
      <ul className="verdicts" data-testid="reference-checks">
        {checks.data?.map((c) => (
          <li key={c.id} data-testid="reference-result" style={{ flexWrap: "wrap" }}>
            <Link href={`/courses/submissions/${c.id}`}>{c.scenarioName} v{c.versionNumber}</Link>
            <span className="muted small">{formatDate(c.submittedAt)}{c.stale ? ` · tests v${c.testsVersion}, since changed` : ""}</span>
            <span className="spacer" />
            <GradeBadge grade={c.grade} />
            {c.tests ? (
              <ul className="small" style={{ width: "100%", margin: "0.25rem 0 0", paddingLeft: "1.2rem" }}>
                {c.tests.map((t) => (
                  <li key={t.index} data-testid="reference-test">
                    <span className={`badge ${t.passed ? "pass" : "fail"}`}>{t.passed ? "✓ passed" : "✗ failed"}</span> {t.name} <span className="muted">({t.visible ? "visible" : "hidden"}, {t.points} / {t.maxPoints})</span>
                    {t.message ? <div className="muted">{t.message}</div> : null}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function DraftBanner({ assignmentId, isInstructor }: { assignmentId: string; isInstructor: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const publish = useMutation(trpc.assignment.publish.mutationOptions());
  return (
    <div className="alert warn row" data-testid="draft-banner">
      <span><strong>Draft.</strong> Students do not see this assignment yet. Check the tests against a reference solution and preview it as a student, then publish.</span>
      <span className="spacer" />
      {isInstructor ? (
        <button
          type="button"
          className="primary"
          disabled={publish.isPending}
          onClick={async () => {
            await publish.mutateAsync({ id: assignmentId });
            router.refresh();
          }}
        >
          Publish
        </button>
      ) : null}
      {publish.error ? <span role="alert">{apiError(publish.error).message}</span> : null}
    </div>
  );
}
