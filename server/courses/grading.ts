// Grading a submission: the worker hands a claimed run of kind "grade" here; the
// assignment's tests run on the simulator's thread pool and the result becomes the run's summary.
import { ENGINE_VERSION, type Scenario, type SweepSummary } from "@/server/sim";
import { runSweep, RunnerError } from "@/server/runner";
import { checkScenario, SERVICE_LIMITS } from "@/server/scenarios/validate";
import type { Db } from "@/server/db";
import type { ClaimedRun, RunOutcome } from "@/server/worker/queue";
import { unfinishedOutcome } from "@/server/worker/outcome";
import { isFixItTest, maxPointsOf, roundPoints, storedTests, type AssignmentKind, type TBreakItTest, type TFixItTest, type TGradingTest } from "./definition";

/** Tests with fewer seeds than this run on one thread: starting threads costs more than they save. */
export const GRADING_ONE_THREAD_SEEDS_MAX = 64;

export interface GradeOptions {
  deadlineMs: number;
  signal: AbortSignal;
  onProgress: (fraction: number) => void;
  sweepThreads?: number;
  /** Memory one simulation thread may use, in MiB (unlimited when unset). */
  memoryMb?: number;
  /** The simulation threads' CPU priority (nice); unset: this process's. */
  nice?: number;
  /** Simulate in processes of their own (server/runner isolate). */
  isolate?: boolean;
  /** The database to read the assignment from (default: the process's own). */
  db?: Db;
}

export interface BreakItDetails {
  check: string;
  failOn: "every" | "any";
  seeds: { from: number; count: number };
  failedSeeds: number;
  failingSeeds: number[];
  firstFailure: string | null;
}

export interface FixItDetails {
  checks: string[];
  seeds: { from: number; count: number };
  heldSeeds: number;
  heldShare: number;
  minHeldShare: number;
  completionRate: number;
  minCompletionRate: number | null;
  messagesPerRequest: number;
  maxMessagesPerRequest: number | null;
  failingSeeds: number[];
  firstFailure: string | null;
}

/** One test's result. Hidden tests carry no name and no details: students may read this. */
export interface GradeTestResult {
  index: number;
  visible: boolean;
  passed: boolean;
  points: number;
  maxPoints: number;
  name?: string;
  /** Why it passed or failed, in one sentence (visible tests only). */
  message?: string;
  details?: BreakItDetails | FixItDetails;
}

/** A grading run's summary (Run.summary), the one stored grading result. */
export interface GradeSummary {
  kind: "grade";
  assignmentKind: AssignmentKind;
  testsVersion: number;
  engine: string;
  points: number;
  maxPoints: number;
  passedTests: number;
  totalTests: number;
  tests: GradeTestResult[];
}

/** The scenario a test runs: break it runs the student's own; fix it, the hidden one with the student's protocol. */
export function gradingScenario(test: TGradingTest, submitted: Scenario, hidden: Scenario | null, kind: AssignmentKind = "fix-it"): Scenario {
  if (!isFixItTest(test)) {
    const check = (test as TBreakItTest).requirements.check;
    return { ...submitted, checks: submitted.checks.filter((c) => c.name === check) };
  }
  if (!hidden) throw new Error("a fix-it test needs its hidden scenario");
  const named = new Set<string>(test.requirements.checks);
  const protocol = submitted.protocol;
  const hiddenProtocol = hidden.protocol;
  // Implement it: the student's program runs every program node of the grading scenario.
  if (kind === "implement-it") return { ...hidden, protocol, checks: hidden.checks.filter((c) => named.has(c.name)) };
  return {
    ...hidden,
    // The student's parameters (or program); for request-response, the hidden system's structure (who calls whom).
    protocol:
      protocol.kind === "request-response" && hiddenProtocol.kind === "request-response"
        ? { ...protocol, server: { ...protocol.server, calls: hiddenProtocol.server.calls } }
        : protocol,
    checks: hidden.checks.filter((c) => named.has(c.name)),
  };
}

function sumOf(sweep: SweepSummary, metric: "requests.issued" | "requests.succeeded" | "messages.sent"): number {
  const d = sweep.metrics[metric];
  // Per-seed values are whole numbers, so mean × count is their sum up to rounding.
  return d ? Math.round(d.mean * d.count) : 0;
}

/**
 * " (3 of 10 seeds stopped at the trace limit, …)": said when seeds were cut short by the
 * service's limit rather than by their scenario, since that can decide a check.
 */
export function stoppedEarlyNote(sweep: SweepSummary): string {
  const cut = (sweep.stoppedBy as Record<string, number>).traceLimit ?? 0;
  if (cut === 0) return "";
  return ` (${cut} of ${sweep.seeds} seed${sweep.seeds === 1 ? "" : "s"} stopped at the trace limit of ${SERVICE_LIMITS.maxTraceRecords.toLocaleString("en-US")} records; the checks judged their events up to there)`;
}

export function judgeBreakIt(test: TBreakItTest, sweep: SweepSummary): { passed: boolean; message: string; details: BreakItDetails } {
  const { check, failOn } = test.requirements;
  const c = sweep.checks.find((x) => x.name === check);
  const failed = c?.failed ?? 0;
  const passed = failOn === "every" ? failed === sweep.seeds && sweep.seeds > 0 : failed > 0;
  const message = passed
    ? `${check} failed on ${failed} of ${sweep.seeds} seed${sweep.seeds === 1 ? "" : "s"}: you broke it.`
    : failOn === "every"
      ? `${check} must fail on every seed; it failed on ${failed} of ${sweep.seeds}.`
      : `${check} held on every one of the ${sweep.seeds} seed${sweep.seeds === 1 ? "" : "s"}.`;
  return {
    passed,
    message: addNote(message, stoppedEarlyNote(sweep)),
    details: { check, failOn, seeds: test.seeds, failedSeeds: failed, failingSeeds: c?.failingSeeds ?? [], firstFailure: c?.firstFailure ?? null },
  };
}

export function judgeFixIt(test: TFixItTest, sweep: SweepSummary): { passed: boolean; message: string; details: FixItDetails } {
  const r = test.requirements;
  const issued = sumOf(sweep, "requests.issued");
  const completionRate = issued === 0 ? 1 : sumOf(sweep, "requests.succeeded") / issued;
  const messagesPerRequest = issued === 0 ? 0 : sumOf(sweep, "messages.sent") / issued;
  const heldShare = sweep.seeds === 0 ? 0 : sweep.allHeld / sweep.seeds;
  const reasons: string[] = [];
  if (heldShare < r.minHeldShare) {
    reasons.push(`${r.checks.join(" and ")} held on ${sweep.allHeld} of ${sweep.seeds} seeds; ${r.minHeldShare === 1 ? "every seed" : `at least ${formatShare(r.minHeldShare)} of them`} must hold`);
  }
  if (r.minCompletionRate !== undefined && completionRate < r.minCompletionRate) {
    reasons.push(`${formatShare(completionRate)} of requests completed; at least ${formatShare(r.minCompletionRate)} must`);
  }
  if (r.maxMessagesPerRequest !== undefined && messagesPerRequest > r.maxMessagesPerRequest) {
    reasons.push(`${messagesPerRequest.toFixed(2)} messages per request; at most ${r.maxMessagesPerRequest} allowed`);
  }
  const passed = reasons.length === 0;
  const failingCheck = sweep.checks.find((c) => c.failed > 0);
  return {
    passed,
    message: addNote(passed ? `Every requirement met over ${sweep.seeds} seed${sweep.seeds === 1 ? "" : "s"}.` : capitalize(reasons.join("; ")), stoppedEarlyNote(sweep)),
    details: {
      checks: r.checks,
      seeds: test.seeds,
      heldSeeds: sweep.allHeld,
      heldShare,
      minHeldShare: r.minHeldShare,
      completionRate,
      minCompletionRate: r.minCompletionRate ?? null,
      messagesPerRequest,
      maxMessagesPerRequest: r.maxMessagesPerRequest ?? null,
      failingSeeds: sweep.failingSeeds,
      firstFailure: failingCheck?.firstFailure ?? null,
    },
  };
}

/** Folds per-test results into the summary: score is the sum of the passed tests' points. */
export function gradeSummary(kind: AssignmentKind, testsVersion: number, tests: TGradingTest[], results: { passed: boolean; message: string; details: BreakItDetails | FixItDetails }[]): GradeSummary {
  const rows: GradeTestResult[] = tests.map((t, index) => {
    const r = results[index]!;
    const base = { index, visible: t.visible, passed: r.passed, points: r.passed ? t.points : 0, maxPoints: t.points };
    return t.visible ? { ...base, name: t.name, message: r.message, details: r.details } : base;
  });
  return {
    kind: "grade",
    assignmentKind: kind,
    testsVersion,
    engine: ENGINE_VERSION,
    points: roundPoints(rows.reduce((s, r) => s + r.points, 0)),
    maxPoints: maxPointsOf(tests),
    passedTests: rows.filter((r) => r.passed).length,
    totalTests: rows.length,
    tests: rows,
  };
}

/** Grades one claimed grading run. Errors that would repeat fail it; interruptions retry. */
export async function gradeRun(run: ClaimedRun, opts: GradeOptions): Promise<RunOutcome> {
  const db = opts.db ?? (await import("@/server/db")).db;
  if (!run.submissionId) return { ok: false, error: "This grading run has no submission.", retryable: false };
  const submission = await db.submission.findUnique({
    where: { id: run.submissionId },
    select: { assignment: { select: { kind: true, tests: true, testsVersion: true } } },
  });
  if (!submission) return { ok: false, error: "The submission this run grades no longer exists.", retryable: false };
  const { kind, testsVersion } = submission.assignment;
  const tests = storedTests(kind, submission.assignment.tests);
  const submitted = checkScenario(run.source);
  if (!submitted.ok) {
    const p = submitted.problems[0]!;
    return { ok: false, error: `The submitted scenario cannot run here: ${p.path ? `${p.path}: ` : ""}${p.message}`, retryable: false };
  }
  const totalSeeds = tests.reduce((s, t) => s + t.seeds.count, 0) || 1;
  const started = Date.now();
  let seedsDone = 0;
  const results: { passed: boolean; message: string; details: BreakItDetails | FixItDetails }[] = [];
  if (kind === "implement-it" && submitted.scenario.protocol.kind !== "custom") {
    return { ok: false, error: "The submitted scenario is not a program (protocol.kind: custom).", retryable: false };
  }
  try {
    for (const [i, test] of tests.entries()) {
      let hidden: Scenario | null = null;
      if (isFixItTest(test)) {
        const checked = checkScenario(test.scenario);
        if (!checked.ok) return { ok: false, error: `Grading test ${i + 1} has an invalid hidden scenario; ask your instructor.`, retryable: false };
        hidden = checked.scenario;
      }
      const remainingMs = opts.deadlineMs - (Date.now() - started);
      if (remainingMs <= 0) throw new RunnerError("deadline", `grading took longer than ${opts.deadlineMs / 1000} s of wall-clock time and was stopped`);
      const sweep = await runSweep(gradingScenario(test, submitted.scenario, hidden, kind as AssignmentKind), {
        seeds: test.seeds.count,
        from: test.seeds.from,
        threads: test.seeds.count < GRADING_ONE_THREAD_SEEDS_MAX ? 1 : opts.sweepThreads,
        deadlineMs: remainingMs,
        signal: opts.signal,
        memoryMb: opts.memoryMb,
        nice: opts.nice,
        isolate: opts.isolate,
        onProgress: (p) => opts.onProgress((seedsDone + p.done) / totalSeeds),
      });
      seedsDone += test.seeds.count;
      results.push(isFixItTest(test) ? judgeFixIt(test, sweep) : judgeBreakIt(test as TBreakItTest, sweep));
    }
  } catch (err) {
    return unfinishedOutcome(err, "grading");
  }
  const summary = gradeSummary(kind as AssignmentKind, testsVersion, tests, results);
  return { ok: true, engine: ENGINE_VERSION, verdict: summary.points >= summary.maxPoints ? "pass" : "fail", summary, eventCount: null, trace: null };
}

/** A sentence with a parenthetical note before its full stop. */
function addNote(sentence: string, note: string): string {
  return note ? `${sentence.replace(/\.$/, "")}${note}.` : sentence;
}

function formatShare(x: number): string {
  return `${Number((x * 100).toFixed(2))}%`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1) + (s.endsWith(".") ? "" : ".");
}
