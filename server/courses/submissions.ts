// Submitting and regrading. A submission and its grading run are written in one transaction
// before the answer, so an acknowledged submission is never lost; the worker grades it later.
import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import type { Scenario } from "@/server/sim";
import { badRequest, forbidden, notFound, scenarioInvalid, tooMany } from "@/server/api/errors";
import { checkScenarioOffThread } from "@/server/scenarios/check-pool";
import { enqueueRun } from "@/server/worker/queue";
import { newShareToken } from "@/server/api/access";
import { SUBMISSIONS_PER_HOUR_DEFAULT, storedLatePolicy, storedRules, type AssignmentKind } from "./definition";
import { editProblems } from "./restrictions";
import { formatUtc, judgeLateness } from "./late";

/** The window the per-hour submission limit counts in. */
export const SUBMISSION_WINDOW_MS = 60 * 60 * 1000;
/** Submissions one "regrade all" may queue at once. */
export const REGRADE_SUBMISSIONS_MAX = 10_000;
/** Parsed starters kept in memory (keyed by assignment and its last change). */
const STARTER_CACHE_ENTRIES_MAX = 256;

/** A collision-resistant id like Prisma's cuid(), made here so two rows can name each other in one batch. */
export function newId(): string {
  return `c${Date.now().toString(36)}${randomBytes(9).toString("base64url").replace(/[-_]/g, "x").toLowerCase()}`;
}

const starterCache = new Map<string, Scenario>();

async function parsedStarter(assignmentId: string, updatedAt: Date, source: string): Promise<Scenario> {
  const key = `${assignmentId}@${updatedAt.getTime()}`;
  const hit = starterCache.get(key);
  if (hit) return hit;
  const checked = await checkScenarioOffThread(source);
  // The starter was validated when the assignment was saved; failing now is a bug.
  if (!checked.ok) throw new Error(`assignment ${assignmentId}: the stored starter no longer parses`);
  if (starterCache.size >= STARTER_CACHE_ENTRIES_MAX) starterCache.clear();
  starterCache.set(key, checked.scenario);
  return checked.scenario;
}

export interface SubmitInput {
  assignmentId: string;
  scenarioId: string;
  version?: number;
}

export async function submit(db: Db, userId: string, input: SubmitInput, now = () => new Date()) {
  const assignment = await db.assignment.findUnique({
    where: { id: input.assignmentId },
    select: {
      id: true, courseId: true, kind: true, starterSource: true, rules: true, deadline: true, latePolicy: true,
      submissionsPerHour: true, updatedAt: true,
    },
  });
  if (!assignment) throw notFound("Assignment");
  const member = await db.courseMember.findUnique({ where: { courseId_userId: { courseId: assignment.courseId, userId } }, select: { role: true } });
  if (!member) throw notFound("Assignment");
  if (member.role !== "student") throw forbidden("Only the course's students submit. Staff can run the scenario from its page instead.");

  const scenario = await db.scenario.findFirst({ where: { id: input.scenarioId, ownerId: userId, deletedAt: null }, select: { id: true, latestVersion: true } });
  if (!scenario) throw notFound("Scenario");
  const version = await db.scenarioVersion.findUnique({
    where: { scenarioId_number: { scenarioId: scenario.id, number: input.version ?? scenario.latestVersion } },
    select: { id: true, number: true, source: true },
  });
  if (!version) throw notFound("Version");

  // Cheap refusals first: the deadline, then the rules; the rate limit is counted when storing.
  const lateness = judgeLateness(storedLatePolicy(assignment.latePolicy), assignment.deadline, now());
  if (!lateness.accepted) throw forbidden(lateness.reason);
  const checked = await checkScenarioOffThread(version.source);
  if (!checked.ok) throw scenarioInvalid(checked.problems);
  const starter = await parsedStarter(assignment.id, assignment.updatedAt, assignment.starterSource);
  const problems = editProblems(assignment.kind as AssignmentKind, starter, checked.scenario, storedRules(assignment.kind, assignment.rules));
  if (problems.length) throw scenarioInvalid(problems);

  // The deadline is judged by the time the submission is stored: take it again, right before.
  const submittedAt = now();
  const final = judgeLateness(storedLatePolicy(assignment.latePolicy), assignment.deadline, submittedAt);
  if (!final.accepted) throw forbidden(final.reason);
  const submissionId = newId();
  const runId = newId();
  const limit = assignment.submissionsPerHour ?? SUBMISSIONS_PER_HOUR_DEFAULT;
  await db.$transaction(async (tx) => {
    // Writing the student's membership row first serializes their submissions to this course
    // (a row lock in PostgreSQL, the write lock in SQLite), so two submissions sent at once
    // cannot both pass the hourly limit below.
    await tx.courseMember.update({ where: { courseId_userId: { courseId: assignment.courseId, userId } }, data: { role: member.role } });
    const windowStart = new Date(submittedAt.getTime() - SUBMISSION_WINDOW_MS);
    const recent = await tx.submission.findMany({
      where: { assignmentId: assignment.id, studentId: userId, submittedAt: { gt: windowStart } },
      select: { submittedAt: true },
      orderBy: { submittedAt: "asc" },
      take: limit,
    });
    if (recent.length >= limit) {
      const nextAt = new Date(recent[0]!.submittedAt.getTime() + SUBMISSION_WINDOW_MS);
      throw tooMany(`You have submitted ${limit} time${limit === 1 ? "" : "s"} in the last hour, the most this assignment allows. You can submit again at ${formatUtc(nextAt)}.`, (nextAt.getTime() - submittedAt.getTime()) / 1000);
    }
    await tx.submission.create({
      data: {
        id: submissionId, assignmentId: assignment.id, studentId: userId, scenarioId: scenario.id, versionId: version.id,
        versionNumber: version.number, submittedAt, daysLate: final.daysLate, latePenaltyPercent: final.penaltyPercent, gradingRunId: runId,
      },
      select: { id: true },
    });
    await enqueueRun(tx, { id: runId, ownerId: userId, scenarioId: scenario.id, versionId: version.id, seed: 1, seedCount: 1, submissionId });
  });
  return { id: submissionId, submittedAt, versionNumber: version.number, daysLate: final.daysLate, penaltyPercent: final.penaltyPercent, runId };
}

/** Queues a new grading run for every submission to an assignment and points each at it; earlier runs stay as history. */
export async function regradeAll(db: Db, assignmentId: string): Promise<{ queued: number }> {
  const submissions = await db.submission.findMany({
    where: { assignmentId },
    select: { id: true, studentId: true, scenarioId: true, versionId: true },
    take: REGRADE_SUBMISSIONS_MAX + 1,
  });
  if (submissions.length > REGRADE_SUBMISSIONS_MAX) throw badRequest(`This assignment has more than ${REGRADE_SUBMISSIONS_MAX} submissions; regrading them all at once is refused.`);
  const plan = submissions.map((s) => ({ ...s, runId: newId() }));
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < plan.length; i += 500) {
        await tx.run.createMany({
          data: plan.slice(i, i + 500).map((p) => ({
            id: p.runId, ownerId: p.studentId, scenarioId: p.scenarioId, versionId: p.versionId, kind: "grade", seed: 1, seedCount: 1,
            submissionId: p.id, shareToken: newShareToken(),
          })),
        });
      }
      for (const p of plan) await tx.submission.update({ where: { id: p.id }, data: { gradingRunId: p.runId }, select: { id: true } });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { queued: plan.length };
}
