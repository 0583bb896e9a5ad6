// Who may do what in a course. A course, assignment or submission the caller has no part in
// is "not found"; a member without the right role is "forbidden" with the reason.
import { randomInt } from "node:crypto";
import type { Db } from "@/server/db";
import { notFound, forbidden } from "@/server/api/errors";

export const COURSE_ROLES = ["instructor", "ta", "student"] as const;
export type CourseRole = (typeof COURSE_ROLES)[number];
export const STAFF_ROLES: readonly CourseRole[] = ["instructor", "ta"];

/** Join codes: 8 characters from an alphabet without look-alikes (0/O, 1/I/L): about 40 bits. */
const JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const JOIN_CODE_LENGTH = 8;

export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

export function normalizeJoinCode(code: string): string {
  return code.trim().toUpperCase().replace(/[^0-9A-Z]/g, "");
}

export function isStaff(role: CourseRole | null): boolean {
  return role === "instructor" || role === "ta";
}

export async function roleIn(db: Db, courseId: string, userId: string): Promise<CourseRole | null> {
  const m = await db.courseMember.findUnique({ where: { courseId_userId: { courseId, userId } }, select: { role: true } });
  return (m?.role as CourseRole | undefined) ?? null;
}

/** The caller's role in a course, or "not found" when they are not in it (or it does not exist). */
export async function requireMember(db: Db, courseId: string, userId: string): Promise<CourseRole> {
  const role = await roleIn(db, courseId, userId);
  if (!role) throw notFound("Course");
  return role;
}

export async function requireStaff(db: Db, courseId: string, userId: string): Promise<CourseRole> {
  const role = await requireMember(db, courseId, userId);
  if (!isStaff(role)) throw forbidden("Only the course's instructors and TAs can see this.");
  return role;
}

export async function requireInstructor(db: Db, courseId: string, userId: string): Promise<CourseRole> {
  const role = await requireMember(db, courseId, userId);
  if (role !== "instructor") throw forbidden(role === "ta" ? "TAs cannot change the course's settings or assignments; ask an instructor." : "Only the course's instructors can do this.");
  return role;
}

/** An assignment and the caller's role in its course; "not found" for outsiders. */
export async function assignmentFor(db: Db, assignmentId: string, userId: string) {
  const assignment = await db.assignment.findUnique({ where: { id: assignmentId }, select: { id: true, courseId: true, draft: true } });
  if (!assignment) throw notFound("Assignment");
  const role = await roleIn(db, assignment.courseId, userId);
  // A draft is the staff's until it is published.
  if (!role || (assignment.draft && !isStaff(role))) throw notFound("Assignment");
  return { assignment, role };
}

/** A submission the caller may read: their own, or any in a course they teach. */
export async function readableSubmission(db: Db, submissionId: string, userId: string) {
  const submission = await db.submission.findUnique({
    where: { id: submissionId },
    select: { id: true, studentId: true, assignmentId: true, assignment: { select: { courseId: true } } },
  });
  if (!submission) throw notFound("Submission");
  if (submission.studentId === userId) return { submission, role: "student" as CourseRole, isOwn: true };
  const role = await roleIn(db, submission.assignment.courseId, userId);
  if (!isStaff(role)) throw notFound("Submission");
  return { submission, role: role!, isOwn: false };
}

/**
 * The run page's extra rule (server/api/routers/run.ts readableRun): staff of a course may read
 * the grading runs of submissions to it. Nobody else gains anything here.
 */
export async function courseStaffMayReadRun(db: Db, runId: string, userId: string): Promise<boolean> {
  const run = await db.run.findUnique({ where: { id: runId }, select: { submissionId: true } });
  if (!run?.submissionId) return false;
  const submission = await db.submission.findUnique({ where: { id: run.submissionId }, select: { assignment: { select: { courseId: true } } } });
  if (!submission) return false;
  return isStaff(await roleIn(db, submission.assignment.courseId, userId));
}
