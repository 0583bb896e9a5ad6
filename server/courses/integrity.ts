// Academic integrity: a student's work for an assignment (the scenarios started from it or
// submitted to it, and their runs) stays within the course staff until the instructor allows sharing.
import type { Db } from "@/server/db";
import { forbidden } from "@/server/api/errors";
import { DAY_MS, formatUtc } from "./late";
import { isStaff, roleIn } from "./access";
import { ZSharingPolicy, type SharingPolicy, type TLatePolicy } from "./definition";

/** "Never" is stored as a time no clock reaches, so one comparison (sharedAfter <= now) decides everywhere. */
export const SHARING_NEVER = new Date(Date.UTC(9999, 11, 31));

/**
 * From when students' work on an assignment may be shared: never, now, or after the last moment
 * a submission is accepted (the deadline, or the late cut-off when late work is taken), so a
 * late student cannot copy a classmate's answer.
 */
export function sharingOpensAt(policy: SharingPolicy, deadline: Date, late: TLatePolicy): Date {
  if (policy === "now") return new Date(0);
  if (policy === "never") return SHARING_NEVER;
  return new Date(deadline.getTime() + (late.kind === "penalty" ? late.cutoffDays * DAY_MS : 0));
}

export function storedSharingPolicy(value: string): SharingPolicy {
  const parsed = ZSharingPolicy.safeParse(value);
  return parsed.success ? parsed.data : "never";
}

export function describeSharing(policy: SharingPolicy, opensAt: Date): string {
  if (policy === "now") return "Students may share their work on this assignment.";
  if (policy === "never") return "Students' work on this assignment stays within the course staff until the instructor allows sharing.";
  return `Students may share their work on this assignment from ${formatUtc(opensAt)} (after the last accepted submission).`;
}

/** Whether a scenario tied to an assignment is still locked at `now`. */
export function isLocked(sharedAfter: Date | null | undefined, now = new Date()): boolean {
  return Boolean(sharedAfter && sharedAfter.getTime() > now.getTime());
}

/** Prisma filter: scenarios that may be listed publicly now (tied to no assignment, or unlocked). */
export function shareableNow(now = new Date()) {
  return { OR: [{ sharedAfter: null }, { sharedAfter: { lte: now } }] };
}

/** Why a locked scenario cannot be shared, in words for its owner; null when it can. */
export async function sharingLockReason(db: Db, scenario: { assignmentId: string | null; sharedAfter: Date | null }, now = new Date()): Promise<string | null> {
  if (!scenario.assignmentId || !isLocked(scenario.sharedAfter, now)) return null;
  const a = await db.assignment.findUnique({ where: { id: scenario.assignmentId }, select: { title: true, course: { select: { title: true } } } });
  const what = a ? `your work for “${a.title}” (${a.course.title})` : "your work for a course assignment";
  const when = scenario.sharedAfter!.getTime() >= SHARING_NEVER.getTime() ? "until the instructor allows sharing" : `until ${formatUtc(scenario.sharedAfter!)}, when the instructor allows sharing`;
  return `This is ${what}: it stays private to you and the course staff ${when}. It cannot be made public or unlisted, listed in the gallery, or forked by others.`;
}

/** Refuses making a locked scenario (or one of its runs) public or unlisted, with the reason. */
export async function assertShareable(db: Db, scenario: { assignmentId: string | null; sharedAfter: Date | null }, visibility: string): Promise<void> {
  if (visibility === "private") return;
  const reason = await sharingLockReason(db, scenario);
  if (reason) throw forbidden(reason);
}

/** Whether the caller teaches the course of the assignment a scenario is tied to (staff see all their course's work). */
export async function staffOfScenarioCourse(db: Db, assignmentId: string | null, userId: string | null | undefined): Promise<boolean> {
  if (!assignmentId || !userId) return false;
  const a = await db.assignment.findUnique({ where: { id: assignmentId }, select: { courseId: true } });
  return Boolean(a) && isStaff(await roleIn(db, a!.courseId, userId));
}

/** The time an assignment's work becomes shareable, from its stored row. */
export function opensAtOf(a: { sharing: string; deadline: Date; latePolicy: TLatePolicy }): Date {
  return sharingOpensAt(storedSharingPolicy(a.sharing), a.deadline, a.latePolicy);
}

/** Ties a scenario to an assignment: it is locked like the assignment's other work (the later lock wins when tied twice). */
export async function tieToAssignment(db: Db, scenarioId: string, assignmentId: string, opensAt: Date): Promise<void> {
  const s = await db.scenario.findUnique({ where: { id: scenarioId }, select: { assignmentId: true, sharedAfter: true } });
  if (!s) return;
  const sharedAfter = s.sharedAfter && s.sharedAfter.getTime() > opensAt.getTime() ? s.sharedAfter : opensAt;
  await db.scenario.update({ where: { id: scenarioId }, data: { assignmentId: s.assignmentId ?? assignmentId, sharedAfter }, select: { id: true } });
}

/** A fork of a locked scenario (by its owner, or staff) stays locked: copying the work does not unlock it. */
export async function inheritTie(db: Db, fromScenarioId: string, toScenarioId: string): Promise<void> {
  const s = await db.scenario.findUnique({ where: { id: fromScenarioId }, select: { assignmentId: true, sharedAfter: true } });
  if (!s?.assignmentId || !isLocked(s.sharedAfter)) return;
  await db.scenario.update({ where: { id: toScenarioId }, data: { assignmentId: s.assignmentId, sharedAfter: s.sharedAfter }, select: { id: true } });
}

/** After an assignment's sharing, deadline or late policy changed: every scenario tied to it gets the new time. */
export async function syncSharedAfter(db: Db, assignmentId: string, opensAt: Date): Promise<void> {
  await db.scenario.updateMany({ where: { assignmentId }, data: { sharedAfter: opensAt } });
}
