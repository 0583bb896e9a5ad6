// Reading grades: a submission's score from its latest grading run, the student's and the
// staff's views of a grading result and of the tests, the gradebook rows, and its CSV.
import type { Db } from "@/server/db";
import { isFixItTest, maxPointsOf, scenarioVisibleToStudents, storedTests, type TGradingTest } from "./definition";
import type { BreakItDetails, FixItDetails, GradeSummary, GradeTestResult } from "./grading";
import { applyPenalty } from "./late";

export type GradeState = "queued" | "running" | "done" | "failed";

export interface SubmissionGrade {
  status: GradeState;
  /** Points before the late penalty (null until graded). */
  points: number | null;
  maxPoints: number | null;
  /** Points after the late penalty. */
  score: number | null;
  error: string | null;
}

interface GradingRunRow {
  id: string;
  status: string;
  summary: string | null;
  error: string | null;
}

export function parseGradeSummary(summary: string | null): GradeSummary | null {
  if (!summary) return null;
  const parsed = JSON.parse(summary) as Partial<GradeSummary>;
  return parsed.kind === "grade" ? (parsed as GradeSummary) : null;
}

export function gradeOf(run: GradingRunRow | null | undefined, penaltyPercent: number): SubmissionGrade {
  if (!run) return { status: "failed", points: null, maxPoints: null, score: null, error: "No grading run." };
  const summary = run.status === "done" ? parseGradeSummary(run.summary) : null;
  if (!summary) return { status: run.status as GradeState, points: null, maxPoints: null, score: null, error: run.status === "failed" ? run.error : null };
  return { status: "done", points: summary.points, maxPoints: summary.maxPoints, score: applyPenalty(summary.points, penaltyPercent), error: null };
}

/** Loads the latest grading runs of these submissions, by run id. */
export async function gradingRuns(db: Db, runIds: (string | null)[]): Promise<Map<string, GradingRunRow>> {
  const ids = runIds.filter((x): x is string => Boolean(x));
  const map = new Map<string, GradingRunRow>();
  // Chunks keep the IN list within every database's parameter limit.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.run.findMany({ where: { id: { in: ids.slice(i, i + 500) } }, select: { id: true, status: true, summary: true, error: true } });
    for (const r of rows) map.set(r.id, r);
  }
  return map;
}

/**
 * What a student may read of a test's details. A break-it test ran the student's own scenario, so
 * its details (failing seeds, the first failure in words) are theirs to see. A fix-it test ran the
 * instructor's hidden scenario: its first failure names that scenario's nodes, keys and values, and
 * its failing seeds would let a student probe it, so only the requirement figures the test states
 * (held share, completion rate, messages per request) are shown.
 */
export function studentDetails(details: BreakItDetails | FixItDetails | undefined, assignmentKind?: string): BreakItDetails | FixItDetails | StudentFixItDetails | null {
  if (!details) return null;
  // A break-it test ran the student's own scenario; an implement-it test shown to students, a scenario they may read.
  if ("check" in details || assignmentKind === "implement-it") return details;
  return {
    checks: details.checks,
    seeds: details.seeds,
    heldSeeds: details.heldSeeds,
    heldShare: details.heldShare,
    minHeldShare: details.minHeldShare,
    completionRate: details.completionRate,
    minCompletionRate: details.minCompletionRate,
    messagesPerRequest: details.messagesPerRequest,
    maxMessagesPerRequest: details.maxMessagesPerRequest,
  };
}

export type StudentFixItDetails = Omit<FixItDetails, "failingSeeds" | "firstFailure">;

/** What a student sees of a result: visible tests without anything of a hidden scenario; hidden ones only as a count and points. */
export function studentResultView(summary: GradeSummary) {
  const hidden = summary.tests.filter((t) => !t.visible);
  return {
    assignmentKind: summary.assignmentKind,
    points: summary.points,
    maxPoints: summary.maxPoints,
    passedTests: summary.passedTests,
    totalTests: summary.totalTests,
    testsVersion: summary.testsVersion,
    visible: summary.tests
      .filter((t) => t.visible)
      .map((t) => ({
        index: t.index,
        name: t.name ?? `Test ${t.index + 1}`,
        passed: t.passed,
        points: t.points,
        maxPoints: t.maxPoints,
        message: t.message ?? null,
        details: studentDetails(t.details, summary.assignmentKind),
        /** The seeds on which it failed, when the student may open their runs (break it, implement it). */
        failingSeeds: openableSeeds(summary.assignmentKind, t.details),
      })),
    hidden: {
      count: hidden.length,
      passed: hidden.filter((t) => t.passed).length,
      points: hidden.reduce((s, t) => s + t.points, 0),
      maxPoints: hidden.reduce((s, t) => s + t.maxPoints, 0),
    },
  };
}

/** Seeds worth opening as runs, most useful first; listed at most. */
const OPENABLE_SEEDS_MAX = 10;

/**
 * The seeds a student may open as runs to see why a test went as it did: for break it, seeds on
 * which the check still held (their own scenario); for implement it, seeds on which a check
 * failed. Fix-it scenarios are hidden, so none.
 */
function openableSeeds(kind: string, details: BreakItDetails | FixItDetails | undefined): number[] {
  if (!details || kind === "fix-it") return [];
  if (!("check" in details)) return details.failingSeeds.slice(0, OPENABLE_SEEDS_MAX);
  // Seeds where the check held are those not in the (complete) list of failing seeds.
  if (details.failingSeeds.length < details.failedSeeds) return [];
  const failing = new Set(details.failingSeeds);
  const held: number[] = [];
  for (let seed = details.seeds.from; seed < details.seeds.from + details.seeds.count && held.length < OPENABLE_SEEDS_MAX; seed++) {
    if (!failing.has(seed)) held.push(seed);
  }
  return held;
}

/** What staff see: every test by name (hidden ones named from the assignment's current tests). */
export function staffResultView(summary: GradeSummary, tests: TGradingTest[]) {
  return {
    ...studentResultView(summary),
    // Staff see every test's full details, hidden scenarios' first failures included.
    visible: summary.tests
      .filter((t) => t.visible)
      .map((t) => ({
        index: t.index,
        name: t.name ?? `Test ${t.index + 1}`,
        passed: t.passed,
        points: t.points,
        maxPoints: t.maxPoints,
        message: t.message ?? null,
        details: t.details ?? null,
        // Seeds staff may open as runs (break it, implement it); a fix-it test's failing seeds, to read.
        failingSeeds: summary.assignmentKind === "fix-it" ? (t.details && !("check" in t.details) ? t.details.failingSeeds : []) : openableSeeds(summary.assignmentKind, t.details),
      })),
    all: summary.tests.map((t: GradeTestResult) => ({
      index: t.index,
      name: t.name ?? tests[t.index]?.name ?? `Test ${t.index + 1}`,
      visible: t.visible,
      passed: t.passed,
      points: t.points,
      maxPoints: t.maxPoints,
      message: t.message ?? null,
    })),
  };
}

/**
 * A grading run's result for its run page: the staff view (every test) for the course's staff,
 * otherwise exactly what the student sees on the submission page.
 */
export async function gradingRunResult(db: Db, run: { submissionId: string | null; summary: string | null }, courseStaff: boolean) {
  const summary = parseGradeSummary(run.summary);
  if (!summary || !run.submissionId) return null;
  const s = await db.submission.findUnique({ where: { id: run.submissionId }, select: { latePenaltyPercent: true, assignment: { select: { kind: true, tests: true } } } });
  const penaltyPercent = s?.latePenaltyPercent ?? 0;
  const late = { penaltyPercent, score: applyPenalty(summary.points, penaltyPercent) };
  if (!courseStaff) return { ...studentResultView(summary), all: null, ...late };
  return { ...staffResultView(summary, s ? storedTests(s.assignment.kind, s.assignment.tests) : []), ...late };
}

/** The tests as students may see them: no hidden scenario ever, hidden tests only as totals. */
export function studentTestsView(tests: TGradingTest[], kind = "fix-it") {
  const hidden = tests.filter((t) => !t.visible);
  return {
    maxPoints: maxPointsOf(tests),
    visible: tests
      .filter((t) => t.visible)
      .map((t) => ({ name: t.name, points: t.points, seeds: t.seeds, requirements: t.requirements, ...(scenarioVisibleToStudents(kind, t) ? { scenario: (t as { scenario: string }).scenario } : {}) })),
    hidden: { count: hidden.length, points: maxPointsOf(hidden) },
  };
}

export function staffTestsView(tests: TGradingTest[], kind = "fix-it") {
  return {
    ...studentTestsView(tests, kind),
    all: tests.map((t, index) => ({ index, name: t.name, points: t.points, visible: t.visible, seeds: t.seeds, requirements: t.requirements, scenario: isFixItTest(t) ? t.scenario : null })),
  };
}

export interface GradebookRow {
  student: { id: string; name: string; email: string };
  submissionCount: number;
  submission: {
    id: string;
    submittedAt: Date;
    versionNumber: number;
    daysLate: number;
    penaltyPercent: number;
    late: boolean;
    grade: SubmissionGrade;
  } | null;
}

export type GradebookMode = "latest" | "best";

/** Every student of the course with their latest (or best-scoring) submission to one assignment. */
export async function gradebook(db: Db, courseId: string, assignmentId: string, mode: GradebookMode): Promise<GradebookRow[]> {
  const [students, submissions] = await Promise.all([
    db.courseMember.findMany({
      where: { courseId, role: "student" },
      select: { user: { select: { id: true, name: true, email: true } } },
      orderBy: [{ user: { name: "asc" } }, { user: { email: "asc" } }],
    }),
    db.submission.findMany({
      where: { assignmentId, reference: false },
      select: { id: true, studentId: true, submittedAt: true, versionNumber: true, daysLate: true, latePenaltyPercent: true, gradingRunId: true },
      orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    }),
  ]);
  const runs = await gradingRuns(db, submissions.map((s) => s.gradingRunId));
  const byStudent = new Map<string, GradebookRow["submission"][]>();
  for (const s of submissions) {
    const row = {
      id: s.id,
      submittedAt: s.submittedAt,
      versionNumber: s.versionNumber,
      daysLate: s.daysLate,
      penaltyPercent: s.latePenaltyPercent,
      late: s.daysLate > 0,
      grade: gradeOf(s.gradingRunId ? runs.get(s.gradingRunId) : null, s.latePenaltyPercent),
    };
    const list = byStudent.get(s.studentId) ?? [];
    list.push(row);
    byStudent.set(s.studentId, list);
  }
  return students.map(({ user }) => {
    const list = byStudent.get(user.id) ?? [];
    return { student: user, submissionCount: list.length, submission: pick(list, mode) };
  });
}

function pick(list: GradebookRow["submission"][], mode: GradebookMode): GradebookRow["submission"] {
  if (list.length === 0) return null;
  const latest = list[list.length - 1]!;
  if (mode === "latest") return latest;
  let best: GradebookRow["submission"] = null;
  // Ascending by time, so ">=" keeps the latest of equal scores.
  for (const s of list) if (s && s.grade.score !== null && (best === null || s.grade.score >= best.grade.score!)) best = s;
  return best ?? latest;
}

/** One CSV field, quoted when it holds a comma, quote or line break (RFC 4180). Text that a
 * spreadsheet would run as a formula (a name like "=HYPERLINK(…)") gets a leading apostrophe. */
export function csvField(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The gradebook as LMS gradebooks import it: one row per student; no grade yet means an empty score. */
export function gradebookCsv(rows: GradebookRow[]): string {
  const lines = [["Email", "Name", "Score", "Submitted at"].join(",")];
  for (const r of rows) {
    const score = r.submission?.grade.score ?? null;
    lines.push([csvField(r.student.email), csvField(r.student.name), csvField(score), csvField(r.submission ? r.submission.submittedAt.toISOString() : "")].join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
