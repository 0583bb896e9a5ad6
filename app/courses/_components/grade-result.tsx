"use client";
// A grading result test by test: each visible test passed or failed with its points and why, and
// the seeds to open as runs (diagram, witness); hidden tests only as a count; for staff, every test.
// Shown on the submission page and on the grading run's own page.
import { useState } from "react";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { apiError } from "@/app/_components/field-errors";
import { useTRPC } from "@/app/_components/trpc";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

/** Seed buttons shown per test. */
const OPENABLE_SEEDS_SHOWN_MAX = 10;

export type GradeResultData = NonNullable<inferRouterOutputs<AppRouter>["submission"]["byId"]["result"]>;

export function GradeResult({ result, submissionId, kind, canOpenSeeds, penaltyPercent, score, currentTestsVersion }: {
  result: GradeResultData;
  submissionId: string;
  kind: string;
  /** The student who submitted, or the course's staff. */
  canOpenSeeds: boolean;
  penaltyPercent: number;
  score: number | null;
  currentTestsVersion?: number;
}) {
  // Only the staff view lists every test; staff may open a fix-it test's seeds (its scenario is theirs).
  const staff = result.all !== null;
  return (
    <div className="panel" data-testid="result">
      <h3>
        {result.points} of {result.maxPoints} points{penaltyPercent > 0 ? `, ${score} after the late penalty` : ""} · {result.passedTests} of {result.totalTests} tests passed
      </h3>
      <ul className="verdicts">
        {result.visible.map((t) => (
          <li key={t.index} data-testid="visible-test">
            <span className={`badge ${t.passed ? "pass" : "fail"}`}>{t.passed ? "✓ passed" : "✗ failed"}</span>
            <strong>{t.name}</strong>
            <span className="why">{t.message}</span>
            <span className="spacer" />
            <span className="nowrap">{t.points} / {t.maxPoints}</span>
            {canOpenSeeds && (kind !== "fix-it" || staff) && t.failingSeeds.length > 0 ? <OpenSeeds submissionId={submissionId} test={t.index} seeds={t.failingSeeds.slice(0, OPENABLE_SEEDS_SHOWN_MAX)} passed={t.passed} kind={kind} /> : null}
            {!t.passed && kind === "fix-it" && !staff ? <span className="small muted" style={{ width: "100%" }}>This test runs the instructor&apos;s own scenario with your protocol, so its runs are not shown; the figures above say what fell short.</span> : null}
          </li>
        ))}
        {result.hidden.count ? (
          <li data-testid="hidden-result">
            <span className={`badge ${result.hidden.passed === result.hidden.count ? "pass" : "fail"}`}>{result.hidden.passed} of {result.hidden.count}</span>
            <strong>hidden test{result.hidden.count === 1 ? "" : "s"} passed</strong>
            <span className="spacer" />
            <span className="nowrap">{result.hidden.points} / {result.hidden.maxPoints}</span>
          </li>
        ) : null}
      </ul>
      {result.all ? (
        <>
          <h3>Every test (staff only)</h3>
          <ul className="verdicts" data-testid="all-tests">
            {result.all.map((t) => (
              <li key={t.index}>
                <span className={`badge ${t.passed ? "pass" : "fail"}`}>{t.passed ? "✓" : "✗"}</span>
                <strong>{t.name}</strong>
                <span className="muted small">{t.visible ? "visible" : "hidden"}</span>
                <span className="spacer" />
                <span>{t.points} / {t.maxPoints}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {currentTestsVersion !== undefined && result.testsVersion !== currentTestsVersion ? (
        <p className="small muted">Graded with tests version {result.testsVersion}; the assignment&apos;s tests are now version {currentTestsVersion}.</p>
      ) : null}
    </div>
  );
}

/** Buttons that open a test's seed as a stored run (diagram, witness), then go there. */
export function OpenSeeds({ submissionId, test, seeds, passed, kind }: { submissionId: string; test: number; seeds: number[]; passed: boolean; kind: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const open = useMutation(trpc.submission.openTestRun.mutationOptions());
  const [error, setError] = useState<string | null>(null);
  const what = kind === "break-it" ? (passed ? "" : "seeds where the check still held:") : "seeds where a check failed:";
  return (
    <span className="open-seeds small" data-testid="open-seeds" style={{ width: "100%" }}>
      {what}{" "}
      {seeds.map((seed) => (
        <button
          key={seed}
          type="button"
          className="small"
          disabled={open.isPending}
          onClick={async () => {
            setError(null);
            try {
              const run = await open.mutateAsync({ submissionId, test, seed });
              router.push(`/runs/${run.id}`);
            } catch (err) {
              setError(apiError(err).message);
            }
          }}
        >
          seed {seed}
        </button>
      ))}
      {error ? <span className="alert error small">{error}</span> : null}
    </span>
  );
}
