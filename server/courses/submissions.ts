// Submitting and regrading. A submission and its grading run are written in one transaction
// before the answer, so an acknowledged submission is never lost; the worker grades it later.
import { randomBytes } from "node:crypto";
import type { Db } from "@/server/db";
import type { Scenario } from "@/server/sim";
import { badRequest, forbidden, notFound, scenarioInvalid, tooMany } from "@/server/api/errors";
import { checkScenarioOffThread } from "@/server/scenarios/check-pool";
import { enqueueRun } from "@/server/worker/queue";
import { newShareToken } from "@/server/api/access";
import { scenarioVisibleToStudents, storedTests, SUBMISSIONS_PER_HOUR_DEFAULT, storedLatePolicy, storedRules, type AssignmentKind, type TFixItTest, isFixItTest } from "./definition";
import { createScenario } from "@/server/scenarios/store";
import { parseDocument } from "yaml";
import { gradingWeight, fairKeyOf, nextFairTags, runWeight } from "@/server/worker/fairness";
import { editProblems } from "./restrictions";
import { formatUtc, judgeLateness } from "./late";
import { opensAtOf, tieToAssignment } from "./integrity";
import { assignmentFor, isStaff, roleIn } from "./access";

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
const weightCache = new Map<string, number>();

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

/**
 * The queue weight of one grading of an assignment (server/worker/fairness.ts): every test's
 * seeds of the scenario it runs (a fix-it test's hidden one; the starter stands in for a
 * break-it submission, whose edits the rules keep small). Cached per assignment version.
 */
async function assignmentGradingWeight(a: { id: string; kind: string; tests: string; updatedAt: Date; starterSource: string }): Promise<number> {
  const key = `${a.id}@${a.updatedAt.getTime()}`;
  const hit = weightCache.get(key);
  if (hit !== undefined) return hit;
  const starter = await parsedStarter(a.id, a.updatedAt, a.starterSource);
  const tests = await Promise.all(
    storedTests(a.kind, a.tests).map(async (t) => {
      const hidden = isFixItTest(t) ? await checkScenarioOffThread(t.scenario) : null;
      return { seeds: t.seeds, scenario: hidden?.ok ? hidden.scenario : starter };
    }),
  );
  const weight = gradingWeight(tests);
  if (weightCache.size >= STARTER_CACHE_ENTRIES_MAX) weightCache.clear();
  weightCache.set(key, weight);
  return weight;
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
      submissionsPerHour: true, updatedAt: true, tests: true, sharing: true, draft: true,
    },
  });
  if (!assignment) throw notFound("Assignment");
  const member = await db.courseMember.findUnique({ where: { courseId_userId: { courseId: assignment.courseId, userId } }, select: { role: true } });
  if (!member) throw notFound("Assignment");
  if (member.role !== "student") throw forbidden("Only the course's students submit. Staff can check the tests against a reference solution on the assignment's page instead.");
  if (assignment.draft) throw notFound("Assignment");

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
  const weight = await assignmentGradingWeight(assignment);
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
    await enqueueRun(tx, { id: runId, ownerId: userId, scenarioId: scenario.id, versionId: version.id, seed: 1, seedCount: 1, submissionId, weight, courseId: assignment.courseId });
  });
  // Whatever scenario was submitted is now work for this assignment: shared only when the instructor allows.
  await tieToAssignment(db, scenario.id, assignment.id, opensAtOf({ ...assignment, latePolicy: storedLatePolicy(assignment.latePolicy) }));
  return { id: submissionId, submittedAt, versionNumber: version.number, daysLate: final.daysLate, penaltyPercent: final.penaltyPercent, runId };
}

/** Reference checks one staff member may queue per hour (they grade like submissions). */
export const REFERENCE_CHECKS_PER_HOUR_MAX = 30;

/**
 * Checks an assignment's saved tests against a reference solution (a scenario of the caller's):
 * stored as a submission marked `reference` and graded by the workers like any other, but never
 * in a gradebook. The reference must follow the assignment's edit rules, as a student's would.
 */
export async function checkReference(db: Db, userId: string, input: { assignmentId: string; scenarioId: string }, now = () => new Date()) {
  const assignment = await db.assignment.findUnique({
    where: { id: input.assignmentId },
    select: { id: true, courseId: true, kind: true, starterSource: true, rules: true, updatedAt: true, tests: true },
  });
  if (!assignment) throw notFound("Assignment");
  const { role } = await assignmentFor(db, assignment.id, userId);
  if (!isStaff(role)) throw forbidden("Only the course's instructors and TAs check the tests against a reference solution.");
  const scenario = await db.scenario.findFirst({ where: { id: input.scenarioId, ownerId: userId, deletedAt: null }, select: { id: true, latestVersion: true } });
  if (!scenario) throw notFound("Scenario");
  const version = await db.scenarioVersion.findUniqueOrThrow({ where: { scenarioId_number: { scenarioId: scenario.id, number: scenario.latestVersion } }, select: { id: true, number: true, source: true } });
  const checked = await checkScenarioOffThread(version.source);
  if (!checked.ok) throw scenarioInvalid(checked.problems);
  const starter = await parsedStarter(assignment.id, assignment.updatedAt, assignment.starterSource);
  const problems = editProblems(assignment.kind as AssignmentKind, starter, checked.scenario, storedRules(assignment.kind, assignment.rules));
  if (problems.length) throw scenarioInvalid(problems.map((p) => ({ ...p, message: `${p.message} (the reference must follow the rules students follow)` })));
  const submittedAt = now();
  const recent = await db.submission.count({ where: { assignmentId: assignment.id, studentId: userId, reference: true, submittedAt: { gt: new Date(submittedAt.getTime() - SUBMISSION_WINDOW_MS) } } });
  if (recent >= REFERENCE_CHECKS_PER_HOUR_MAX) throw tooMany(`You have checked ${recent} references in the last hour, the most allowed; try again later.`, SUBMISSION_WINDOW_MS / 1000);
  const submissionId = newId();
  const runId = newId();
  const weight = await assignmentGradingWeight(assignment);
  await db.$transaction(async (tx) => {
    await tx.submission.create({
      data: {
        id: submissionId, assignmentId: assignment.id, studentId: userId, scenarioId: scenario.id, versionId: version.id,
        versionNumber: version.number, submittedAt, gradingRunId: runId, reference: true,
      },
      select: { id: true },
    });
    await enqueueRun(tx, { id: runId, ownerId: userId, scenarioId: scenario.id, versionId: version.id, seed: 1, seedCount: 1, submissionId, weight, courseId: assignment.courseId });
  });
  return { id: submissionId, runId, versionNumber: version.number };
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
  const assignment = await db.assignment.findUniqueOrThrow({ where: { id: assignmentId }, select: { id: true, courseId: true, kind: true, tests: true, updatedAt: true, starterSource: true } });
  const weight = await assignmentGradingWeight(assignment);
  const fairKey = fairKeyOf("", assignment.courseId);
  await db.$transaction(
    async (tx) => {
      // Charged to the course, each after the one before: a regrade takes the course's turns.
      const tags = await nextFairTags(tx, fairKey, plan.map(() => weight));
      for (let i = 0; i < plan.length; i += 500) {
        await tx.run.createMany({
          data: plan.slice(i, i + 500).map((p, k) => ({
            id: p.runId, ownerId: p.studentId, scenarioId: p.scenarioId, versionId: p.versionId, kind: "grade", seed: 1, seedCount: 1,
            submissionId: p.id, shareToken: newShareToken(), weight, fairKey, fairTag: tags[i + k]!,
          })),
        });
      }
      for (const p of plan) await tx.submission.update({ where: { id: p.id }, data: { gradingRunId: p.runId }, select: { id: true } });
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  return { queued: plan.length };
}

/**
 * Opens one seed of a grading test as a run the student can read (diagram, witness): for break it,
 * the submitted scenario itself; for implement it, a visible test's scenario with the submitted
 * program, kept as a scenario of the student's named after the test. Reuses an earlier one.
 */
export async function openTestRun(db: Db, userId: string, input: { submissionId: string; test: number; seed: number }) {
  const s = await db.submission.findUnique({
    where: { id: input.submissionId },
    select: { studentId: true, scenarioId: true, versionId: true, assignmentId: true, assignment: { select: { kind: true, title: true, tests: true, courseId: true } } },
  });
  if (!s) throw notFound("Submission");
  // The student opens their own; the course's staff open any student's (as runs of their own account).
  const staff = s.studentId !== userId && isStaff(await roleIn(db, s.assignment.courseId, userId));
  if (s.studentId !== userId && !staff) throw notFound("Submission");
  const kind = s.assignment.kind as AssignmentKind;
  const test = storedTests(kind, s.assignment.tests)[input.test];
  // A student opens only visible tests: a hidden test's seeds (even the range, in an error) stay hidden.
  // A fix-it test runs the instructor's hidden scenario: only staff open its seeds.
  if (!test || (kind === "fix-it" && !staff) || (!staff && !test.visible) || (kind === "implement-it" && !staff && !scenarioVisibleToStudents(kind, test))) {
    throw badRequest("Only the visible tests of break-it and implement-it assignments can be opened as runs.");
  }
  if (input.seed < test.seeds.from || input.seed >= test.seeds.from + test.seeds.count) {
    throw badRequest(`Seed ${input.seed} is not one of this test's seeds (${test.seeds.from} to ${test.seeds.from + test.seeds.count - 1}).`);
  }
  const target = kind === "break-it" ? { scenarioId: s.scenarioId, versionId: s.versionId } : await testScenario(db, userId, s, test as TFixItTest);
  const existing = await db.run.findFirst({ where: { versionId: target.versionId, seed: input.seed, kind: "single", ownerId: userId }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const active = await db.run.count({ where: { ownerId: userId, status: { in: ["queued", "running"] } } });
  if (active >= ACTIVE_RUNS_FOR_TESTS_MAX) throw tooMany(`You have ${active} runs waiting or running; open more when some have finished.`, 30);
  const version = await db.scenarioVersion.findUniqueOrThrow({ where: { id: target.versionId }, select: { source: true } });
  const checked = await checkScenarioOffThread(version.source);
  const run = await enqueueRun(db, { ownerId: userId, scenarioId: target.scenarioId, versionId: target.versionId, seed: input.seed, seedCount: 1, weight: checked.ok ? runWeight(checked.scenario, 1) : 1 });
  return { id: run.id, created: true };
}

/** Runs a student may have waiting when opening test runs (the run quota of run.create applies too). */
const ACTIVE_RUNS_FOR_TESTS_MAX = 20;

/** The implement-it test's scenario with the submitted program, as a scenario version of the student's. */
async function testScenario(db: Db, userId: string, s: { versionId: string; assignmentId: string; assignment: { title: string; kind: string } }, test: TFixItTest) {
  const submitted = await db.scenarioVersion.findUniqueOrThrow({ where: { id: s.versionId }, select: { source: true } });
  const source = withProgramOf(test.scenario, submitted.source, `${s.assignment.title} · ${test.name}`, s.assignment.kind === "fix-it");
  const name = await checkScenarioOffThread(source);
  if (!name.ok) throw scenarioInvalid(name.problems);
  const mine = await db.scenario.findFirst({ where: { ownerId: userId, assignmentId: s.assignmentId, name: name.facts.name, deletedAt: null }, select: { id: true, latestVersion: true } });
  if (mine) {
    const latest = await db.scenarioVersion.findUnique({ where: { scenarioId_number: { scenarioId: mine.id, number: mine.latestVersion } }, select: { id: true, source: true } });
    if (latest && latest.source === source) return { scenarioId: mine.id, versionId: latest.id };
    const number = mine.latestVersion + 1;
    const v = await db.$transaction(async (tx) => {
      const created = await tx.scenarioVersion.create({ data: { scenarioId: mine.id, number, source, name: name.facts.name, note: "the submitted program" }, select: { id: true } });
      await tx.scenario.update({ where: { id: mine.id }, data: { latestVersion: number }, select: { id: true } });
      return created;
    });
    return { scenarioId: mine.id, versionId: v.id };
  }
  const created = await createScenario(db, userId, source);
  const a = await db.assignment.findUniqueOrThrow({ where: { id: s.assignmentId }, select: { sharing: true, deadline: true, latePolicy: true } });
  await db.scenario.update({ where: { id: created.id }, data: { assignmentId: s.assignmentId, sharedAfter: opensAtOf({ ...a, latePolicy: storedLatePolicy(a.latePolicy) }) }, select: { id: true } });
  const v = await db.scenarioVersion.findUniqueOrThrow({ where: { scenarioId_number: { scenarioId: created.id, number: 1 } }, select: { id: true } });
  return { scenarioId: created.id, versionId: v.id };
}

/** A grading scenario's document with the protocol (the program) of the submitted one, renamed. */
export function withProgramOf(testSource: string, submittedSource: string, name: string, keepCalls = false): string {
  const test = parseDocument(testSource);
  const submitted = parseDocument(submittedSource);
  // Fix it: the student's parameters in the hidden system's structure (who calls whom), as grading does.
  const calls = keepCalls ? test.getIn(["protocol", "server", "calls"], true) : undefined;
  test.set("protocol", submitted.get("protocol", true));
  if (keepCalls && test.hasIn(["protocol", "server"])) {
    if (calls !== undefined) test.setIn(["protocol", "server", "calls"], calls);
    else test.deleteIn(["protocol", "server", "calls"]);
  }
  test.set("name", name.slice(0, 120));
  return test.toString({ lineWidth: 0 });
}
