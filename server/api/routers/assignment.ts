// assignment.* and submission.*: instructors write assignments and their grading tests;
// students start, submit and follow their grades; staff read the gradebook and regrade.
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, protectedProcedure, zId } from "../trpc";
import { forbidden } from "../errors";
import { inputIssues, zVersion } from "../input";
import type { Db } from "@/server/db";
import { createScenario } from "@/server/scenarios/store";
import { assignmentFor, isStaff, readableSubmission, requireInstructor, roleIn, type CourseRole } from "@/server/courses/access";
import {
  checkDefinition, definitionDocuments, storedLatePolicy, storedRules, storedTests, ZAssignmentFields, ZAssignmentKind,
  type AssignmentKind, type DefinitionProblem, type TAssignmentFields,
} from "@/server/courses/definition";
import { checkScenariosOffThread } from "@/server/scenarios/check-pool";
import { checkScenario } from "@/server/scenarios/validate";
import { describeLatePolicy } from "@/server/courses/late";
import { describeSharing, opensAtOf, sharingOpensAt, storedSharingPolicy, syncSharedAfter } from "@/server/courses/integrity";
import { checkReference, openTestRun, regradeAll, submit } from "@/server/courses/submissions";
import {
  gradebook, gradeOf, gradingRuns, parseGradeSummary, staffResultView, staffTestsView, studentResultView, studentTestsView,
} from "@/server/courses/views";

/** Submissions listed in one student's history. */
const HISTORY_SUBMISSIONS_MAX = 200;
/** Reference checks listed on an assignment's page. */
const REFERENCE_CHECKS_LISTED_MAX = 10;
/** Grading runs listed for one submission. */
const GRADING_RUNS_LISTED_MAX = 50;

function definitionInvalid(problems: DefinitionProblem[]): TRPCError {
  // Handed to the client by field path, like any other invalid input.
  const cause = inputIssues(problems.map((p) => ({ path: p.path.split("."), message: p.message })));
  const first = problems[0]!;
  return new TRPCError({ code: "BAD_REQUEST", message: problems.length === 1 ? `${first.path}: ${first.message}` : `${first.path}: ${first.message} (and ${problems.length - 1} more)`, cause });
}

/** checkDefinition with its scenario documents checked off the request thread first. */
async function checkDefinitionOffThread(kind: AssignmentKind, fields: TAssignmentFields) {
  const checked = await checkScenariosOffThread(definitionDocuments(fields));
  return checkDefinition(kind, fields, (s) => checked.get(s) ?? checkScenario(s));
}

async function loadAssignment(db: Db, id: string) {
  return db.assignment.findUniqueOrThrow({
    where: { id },
    select: {
      id: true, courseId: true, title: true, instructions: true, kind: true, starterSource: true, rules: true, tests: true, testsVersion: true,
      deadline: true, latePolicy: true, submissionsPerHour: true, sharing: true, draft: true, createdAt: true, updatedAt: true,
      course: { select: { title: true } },
    },
  });
}

export const assignmentRouter = createTRPCRouter({
  create: protectedProcedure
    .input(ZAssignmentFields.extend({ courseId: zId, kind: ZAssignmentKind }))
    .mutation(async ({ ctx, input }) => {
      await requireInstructor(ctx.db, input.courseId, ctx.user.id);
      const checked = await checkDefinitionOffThread(input.kind, input);
      if (!checked.ok) throw definitionInvalid(checked.problems);
      return ctx.db.assignment.create({
        data: {
          courseId: input.courseId, kind: input.kind, title: input.title, instructions: input.instructions, starterSource: input.starterSource,
          rules: JSON.stringify(checked.rules), tests: JSON.stringify(checked.tests), deadline: input.deadline,
          latePolicy: JSON.stringify(input.latePolicy), submissionsPerHour: input.submissionsPerHour, sharing: input.sharing, draft: input.draft,
        },
        select: { id: true },
      });
    }),

  /** Saves new settings; changed tests get a new tests version (then "regrade all" applies them to earlier submissions). */
  update: protectedProcedure.input(ZAssignmentFields.extend({ id: zId })).mutation(async ({ ctx, input }) => {
    const { assignment } = await assignmentFor(ctx.db, input.id, ctx.user.id);
    await requireInstructor(ctx.db, assignment.courseId, ctx.user.id);
    const current = await loadAssignment(ctx.db, input.id);
    const checked = await checkDefinitionOffThread(current.kind as AssignmentKind, input);
    if (!checked.ok) throw definitionInvalid(checked.problems);
    const tests = JSON.stringify(checked.tests);
    const testsChanged = tests !== current.tests || JSON.stringify(checked.rules) !== current.rules || input.starterSource !== current.starterSource;
    const updated = await ctx.db.assignment.update({
      where: { id: input.id },
      data: {
        title: input.title, instructions: input.instructions, starterSource: input.starterSource, rules: JSON.stringify(checked.rules), tests,
        deadline: input.deadline, latePolicy: JSON.stringify(input.latePolicy), submissionsPerHour: input.submissionsPerHour, sharing: input.sharing,
        ...(testsChanged ? { testsVersion: { increment: 1 } } : {}),
      },
      select: { id: true, testsVersion: true },
    });
    // The students' work follows the new sharing time (a new deadline or late policy moves it too).
    await syncSharedAfter(ctx.db, input.id, sharingOpensAt(input.sharing, input.deadline, input.latePolicy));
    return { ...updated, testsChanged };
  }),

  /** An assignment as the caller may see it: students get no hidden scenario, and hidden tests only as totals. */
  /**
   * An assignment as the caller may see it: students get no hidden scenario, and hidden tests only
   * as totals. `asStudent`: staff preview exactly the student's projection.
   */
  byId: protectedProcedure.input(z.object({ id: zId, asStudent: z.boolean().default(false) })).query(async ({ ctx, input }) => {
    const { role } = await assignmentFor(ctx.db, input.id, ctx.user.id);
    const a = await loadAssignment(ctx.db, input.id);
    const tests = storedTests(a.kind, a.tests);
    const latePolicy = storedLatePolicy(a.latePolicy);
    const common = {
      id: a.id, courseId: a.courseId, courseTitle: a.course.title, title: a.title, instructions: a.instructions, kind: a.kind,
      starterSource: a.starterSource, rules: storedRules(a.kind, a.rules), deadline: a.deadline, latePolicy, latePolicyText: describeLatePolicy(latePolicy),
      submissionsPerHour: a.submissionsPerHour, testsVersion: a.testsVersion, role,
      sharing: storedSharingPolicy(a.sharing), sharingText: describeSharing(storedSharingPolicy(a.sharing), opensAtOf({ ...a, latePolicy })),
      draft: a.draft, preview: isStaff(role) && input.asStudent,
    };
    if (isStaff(role) && !input.asStudent) return { ...common, tests: staffTestsView(tests, a.kind), isStaff: true as const };
    return { ...common, tests: { ...studentTestsView(tests, a.kind), all: null }, isStaff: false as const };
  }),

  /** Shows a draft to the course's students. */
  publish: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    const { assignment } = await assignmentFor(ctx.db, input.id, ctx.user.id);
    await requireInstructor(ctx.db, assignment.courseId, ctx.user.id);
    return ctx.db.assignment.update({ where: { id: input.id }, data: { draft: false }, select: { id: true, draft: true } });
  }),

  /** Checks the saved tests against a reference solution, one of the caller's scenarios (graded by the workers). */
  checkReference: protectedProcedure
    .input(z.object({ assignmentId: zId, scenarioId: zId }))
    .mutation(({ ctx, input }) => checkReference(ctx.db, ctx.user.id, input)),

  /** The reference checks of an assignment (staff), newest first, each test passed or failed. */
  referenceChecks: protectedProcedure.input(z.object({ assignmentId: zId })).query(async ({ ctx, input }) => {
    const { assignment, role } = await assignmentFor(ctx.db, input.assignmentId, ctx.user.id);
    if (!isStaff(role)) throw forbidden("Only the course's instructors and TAs see reference checks.");
    const a = await ctx.db.assignment.findUniqueOrThrow({ where: { id: assignment.id }, select: { kind: true, tests: true, testsVersion: true } });
    const tests = storedTests(a.kind, a.tests);
    const rows = await ctx.db.submission.findMany({
      where: { assignmentId: assignment.id, reference: true },
      orderBy: [{ submittedAt: "desc" }, { id: "desc" }],
      take: REFERENCE_CHECKS_LISTED_MAX,
      select: { id: true, submittedAt: true, versionNumber: true, gradingRunId: true, student: { select: { name: true } }, scenarioId: true },
    });
    const runs = await gradingRuns(ctx.db, rows.map((r) => r.gradingRunId));
    const names = await ctx.db.scenario.findMany({ where: { id: { in: rows.map((r) => r.scenarioId) } }, select: { id: true, name: true } });
    return rows.map((r) => {
      const run = r.gradingRunId ? runs.get(r.gradingRunId) : undefined;
      const summary = run?.status === "done" ? parseGradeSummary(run.summary) : null;
      return {
        id: r.id, submittedAt: r.submittedAt, versionNumber: r.versionNumber, by: r.student.name,
        scenarioName: names.find((n) => n.id === r.scenarioId)?.name ?? "(deleted scenario)",
        grade: gradeOf(run, 0),
        testsVersion: summary?.testsVersion ?? null,
        stale: summary ? summary.testsVersion !== a.testsVersion : false,
        tests: summary ? staffResultView(summary, tests).all : null,
      };
    });
  }),

  /** Opens the starter in the caller's account as a scenario linked to the assignment (once; later calls return it). */
  start: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    await assignmentFor(ctx.db, input.id, ctx.user.id);
    const existing = await ctx.db.scenario.findFirst({
      where: { ownerId: ctx.user.id, assignmentId: input.id, deletedAt: null },
      orderBy: { updatedAt: "desc" },
      select: { id: true },
    });
    if (existing) return { scenarioId: existing.id, created: false };
    const a = await ctx.db.assignment.findUniqueOrThrow({ where: { id: input.id }, select: { starterSource: true, sharing: true, deadline: true, latePolicy: true } });
    const sharedAfter = opensAtOf({ ...a, latePolicy: storedLatePolicy(a.latePolicy) });
    const scenarioId = await ctx.db.$transaction(async (tx) => {
      const created = await createScenario(tx as unknown as Db, ctx.user.id, a.starterSource);
      await tx.scenario.update({ where: { id: created.id }, data: { assignmentId: input.id, sharedAfter }, select: { id: true } });
      return created.id;
    });
    return { scenarioId, created: true };
  }),

  /** The assignment a scenario of mine was started from, when I am still in its course; null otherwise. */
  forScenario: protectedProcedure.input(z.object({ scenarioId: zId })).query(async ({ ctx, input }) => {
    const scenario = await ctx.db.scenario.findFirst({ where: { id: input.scenarioId, ownerId: ctx.user.id, deletedAt: null }, select: { assignmentId: true } });
    if (!scenario?.assignmentId) return null;
    const a = await ctx.db.assignment.findUnique({
      where: { id: scenario.assignmentId },
      select: { id: true, title: true, kind: true, deadline: true, courseId: true, starterSource: true, rules: true, course: { select: { title: true } } },
    });
    if (!a) return null;
    const role = await roleIn(ctx.db, a.courseId, ctx.user.id);
    if (!role) return null;
    // The starter and the rules (both on the assignment's page) let the editor say what breaks the rules as the student types.
    const rules = storedRules(a.kind, a.rules);
    return { id: a.id, title: a.title, kind: a.kind as AssignmentKind, deadline: a.deadline, courseId: a.courseId, courseTitle: a.course.title, canSubmit: role === "student", starterSource: a.starterSource, rules };
  }),

  /** Submits a saved scenario version: stored with its time and queued for grading before the answer. */
  submit: protectedProcedure
    .input(z.object({ assignmentId: zId, scenarioId: zId, version: zVersion.optional() }))
    .mutation(({ ctx, input }) => submit(ctx.db, ctx.user.id, input)),

  /** My submissions to an assignment, newest first, with their grades. */
  mySubmissions: protectedProcedure.input(z.object({ assignmentId: zId })).query(async ({ ctx, input }) => {
    await assignmentFor(ctx.db, input.assignmentId, ctx.user.id);
    const rows = await ctx.db.submission.findMany({
      where: { assignmentId: input.assignmentId, studentId: ctx.user.id, reference: false },
      orderBy: [{ submittedAt: "desc" }, { id: "desc" }],
      take: HISTORY_SUBMISSIONS_MAX,
      select: { id: true, submittedAt: true, versionNumber: true, scenarioId: true, daysLate: true, latePenaltyPercent: true, gradingRunId: true },
    });
    const runs = await gradingRuns(ctx.db, rows.map((r) => r.gradingRunId));
    return rows.map(({ gradingRunId, ...r }) => ({ ...r, late: r.daysLate > 0, grade: gradeOf(gradingRunId ? runs.get(gradingRunId) : null, r.latePenaltyPercent) }));
  }),

  gradebook: protectedProcedure
    .input(z.object({ assignmentId: zId, mode: z.enum(["latest", "best"]).default("latest") }))
    .query(async ({ ctx, input }) => {
      const { assignment, role } = await assignmentFor(ctx.db, input.assignmentId, ctx.user.id);
      if (!isStaff(role)) throw forbidden("Only the course's instructors and TAs can see the gradebook.");
      const a = await ctx.db.assignment.findUniqueOrThrow({ where: { id: assignment.id }, select: { title: true, testsVersion: true, course: { select: { id: true, title: true } } } });
      return { assignment: { id: assignment.id, title: a.title, testsVersion: a.testsVersion }, course: a.course, mode: input.mode, rows: await gradebook(ctx.db, assignment.courseId, assignment.id, input.mode) };
    }),

  /** Grades every submission again with the current tests (new grading runs; the old ones stay as history). */
  regradeAll: protectedProcedure.input(z.object({ assignmentId: zId })).mutation(async ({ ctx, input }) => {
    const { assignment } = await assignmentFor(ctx.db, input.assignmentId, ctx.user.id);
    await requireInstructor(ctx.db, assignment.courseId, ctx.user.id);
    return regradeAll(ctx.db, assignment.id);
  }),
});

export const submissionRouter = createTRPCRouter({
  /** Opens one seed of a visible grading test as a run the student can read (break it, implement it). */
  openTestRun: protectedProcedure
    .input(z.object({ submissionId: zId, test: z.number().int().min(0).max(100), seed: z.number().int().min(0).max(0xffff_ffff) }))
    .mutation(({ ctx, input }) => openTestRun(ctx.db, ctx.user.id, input)),

  /** One submission: the student's own, or any in a course the caller teaches. */
  byId: protectedProcedure.input(z.object({ id: zId })).query(async ({ ctx, input }) => {
    const { isOwn, role } = await readableSubmission(ctx.db, input.id, ctx.user.id);
    const s = await ctx.db.submission.findUniqueOrThrow({
      where: { id: input.id },
      select: {
        id: true, submittedAt: true, versionNumber: true, scenarioId: true, versionId: true, daysLate: true, latePenaltyPercent: true, gradingRunId: true, reference: true,
        student: { select: { id: true, name: true, email: true } },
        assignment: { select: { id: true, title: true, kind: true, tests: true, testsVersion: true, deadline: true, course: { select: { id: true, title: true } } } },
      },
    });
    const [version, runs] = await Promise.all([
      ctx.db.scenarioVersion.findUnique({ where: { id: s.versionId }, select: { source: true } }),
      ctx.db.run.findMany({
        where: { submissionId: s.id },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: GRADING_RUNS_LISTED_MAX,
        select: { id: true, status: true, progress: true, attempt: true, error: true, summary: true, createdAt: true, finishedAt: true },
      }),
    ]);
    const latest = runs.find((r) => r.id === s.gradingRunId) ?? null;
    const summary = latest?.status === "done" ? parseGradeSummary(latest.summary) : null;
    // A reference check is the staff's own: they see every test of it.
    const staff = (!isOwn && isStaff(role as CourseRole)) || s.reference;
    const tests = storedTests(s.assignment.kind, s.assignment.tests);
    return {
      id: s.id,
      submittedAt: s.submittedAt,
      versionNumber: s.versionNumber,
      scenarioId: s.scenarioId,
      source: version?.source ?? "",
      daysLate: s.daysLate,
      late: s.daysLate > 0,
      penaltyPercent: s.latePenaltyPercent,
      student: s.student,
      assignment: { id: s.assignment.id, title: s.assignment.title, kind: s.assignment.kind, deadline: s.assignment.deadline, testsVersion: s.assignment.testsVersion, course: s.assignment.course },
      isOwn,
      isStaff: staff,
      reference: s.reference,
      grade: gradeOf(latest, s.latePenaltyPercent),
      progress: latest?.progress ?? 0,
      gradingRunId: s.gradingRunId,
      result: summary ? (staff ? staffResultView(summary, tests) : { ...studentResultView(summary), all: null }) : null,
      runs: runs.map((r) => {
        const g = gradeOf(r, s.latePenaltyPercent);
        return { id: r.id, status: r.status, createdAt: r.createdAt, finishedAt: r.finishedAt, points: g.points, maxPoints: g.maxPoints, score: g.score, testsVersion: parseGradeSummary(r.status === "done" ? r.summary : null)?.testsVersion ?? null, latest: r.id === s.gradingRunId };
      }),
    };
  }),
});
