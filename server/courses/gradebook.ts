// The course-wide gradebook: every student against every assignment (raw points, late penalty,
// score), and its CSV in the shapes Canvas and Gradescope import.
import type { Db } from "@/server/db";
import { maxPointsOf, storedTests } from "./definition";
import { csvField, gradeOf, gradingRuns, type GradebookMode, type GradeState } from "./views";

/** Assignments one course gradebook shows (columns); a course with more is refused, not cut short. */
export const GRADEBOOK_ASSIGNMENTS_MAX = 200;
/** Students one course gradebook shows (rows). */
export const GRADEBOOK_STUDENTS_MAX = 5000;

export interface GradebookColumn {
  id: string;
  title: string;
  kind: string;
  deadline: Date;
  /** Points possible: the sum of the tests' points. */
  maxPoints: number;
}

export interface GradebookCell {
  submissionId: string | null;
  status: GradeState | "none";
  /** Points the tests gave, before the late penalty. */
  raw: number | null;
  penaltyPercent: number;
  daysLate: number;
  /** Points after the late penalty: what an LMS imports. */
  score: number | null;
}

export interface GradebookStudent {
  id: string;
  name: string;
  email: string;
  sisUserId: string;
  section: string;
}

export interface CourseGradebook {
  mode: GradebookMode;
  columns: GradebookColumn[];
  rows: { student: GradebookStudent; cells: GradebookCell[]; total: number }[];
}

const NO_CELL: GradebookCell = { submissionId: null, status: "none", raw: null, penaltyPercent: 0, daysLate: 0, score: null };

/** Picks a student's latest, or best-scoring (latest among equals), graded submission. */
function pick(cells: GradebookCell[], mode: GradebookMode): GradebookCell {
  if (cells.length === 0) return NO_CELL;
  const latest = cells[cells.length - 1]!;
  if (mode === "latest") return latest;
  let best: GradebookCell | null = null;
  for (const c of cells) if (c.score !== null && (best === null || c.score >= best.score!)) best = c;
  return best ?? latest;
}

export async function courseGradebook(db: Db, courseId: string, mode: GradebookMode, onlyStudentId?: string): Promise<CourseGradebook> {
  const [assignments, members] = await Promise.all([
    db.assignment.findMany({
      // Drafts are not graded yet: students have not seen them.
      where: { courseId, draft: false },
      orderBy: [{ deadline: "asc" }, { id: "asc" }],
      take: GRADEBOOK_ASSIGNMENTS_MAX,
      select: { id: true, title: true, kind: true, deadline: true, tests: true },
    }),
    db.courseMember.findMany({
      where: { courseId, role: "student", ...(onlyStudentId ? { userId: onlyStudentId } : {}) },
      orderBy: [{ user: { name: "asc" } }, { user: { email: "asc" } }],
      take: GRADEBOOK_STUDENTS_MAX,
      select: { sisUserId: true, section: true, user: { select: { id: true, name: true, email: true } } },
    }),
  ]);
  const columns: GradebookColumn[] = assignments.map((a) => ({ id: a.id, title: a.title, kind: a.kind, deadline: a.deadline, maxPoints: maxPointsOf(storedTests(a.kind, a.tests)) }));
  const submissions = await db.submission.findMany({
    where: { assignmentId: { in: columns.map((c) => c.id) }, reference: false, ...(onlyStudentId ? { studentId: onlyStudentId } : {}) },
    orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
    select: { id: true, assignmentId: true, studentId: true, daysLate: true, latePenaltyPercent: true, gradingRunId: true },
  });
  const runs = await gradingRuns(db, submissions.map((s) => s.gradingRunId));
  const byKey = new Map<string, GradebookCell[]>();
  for (const s of submissions) {
    const g = gradeOf(s.gradingRunId ? runs.get(s.gradingRunId) : null, s.latePenaltyPercent);
    const key = `${s.studentId}:${s.assignmentId}`;
    const list = byKey.get(key) ?? [];
    list.push({ submissionId: s.id, status: g.status, raw: g.points, penaltyPercent: s.latePenaltyPercent, daysLate: s.daysLate, score: g.score });
    byKey.set(key, list);
  }
  return {
    mode,
    columns,
    rows: members.map((m) => {
      const cells = columns.map((c) => pick(byKey.get(`${m.user.id}:${c.id}`) ?? [], mode));
      const total = Math.round(cells.reduce((sum, c) => sum + (c.score ?? 0), 0) * 100) / 100;
      return { student: { ...m.user, sisUserId: m.sisUserId, section: m.section }, cells, total };
    }),
  };
}

export const CSV_SHAPES = ["canvas", "gradescope"] as const;
export type CsvShape = (typeof CSV_SHAPES)[number];

function line(fields: (string | number | null)[]): string {
  return fields.map(csvField).join(",");
}

/**
 * Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then one column per
 * assignment, a "Points Possible" row under the header, then one row per student. Canvas matches
 * students by SIS User ID or SIS Login ID (the email) when ID, its own number, is empty.
 */
export function canvasCsv(book: CourseGradebook): string {
  const lines = [
    line(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ...book.columns.map((c) => c.title)]),
    line(["Points Possible", "", "", "", "", ...book.columns.map((c) => c.maxPoints)]),
    ...book.rows.map((r) => line([r.student.name, "", r.student.sisUserId, r.student.email, r.student.section, ...r.cells.map((c) => c.score)])),
  ];
  return lines.join("\r\n") + "\r\n";
}

/** Gradescope's score import: Name, SID, Email, then one column of scores per assignment. */
export function gradescopeCsv(book: CourseGradebook): string {
  const lines = [
    line(["Name", "SID", "Email", ...book.columns.map((c) => c.title)]),
    ...book.rows.map((r) => line([r.student.name, r.student.sisUserId, r.student.email, ...r.cells.map((c) => c.score)])),
  ];
  return lines.join("\r\n") + "\r\n";
}
