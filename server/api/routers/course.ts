// course.*: create a course, join it with a code, list my courses, read one (its
// assignments; the join code and members for staff), and the instructor's settings and TAs.
import { z } from "zod";
import { TRPCError } from "@trpc/server";
import { createTRPCRouter, protectedProcedure, zId } from "../trpc";
import { badRequest, notFound, tooMany } from "../errors";
import { zText } from "../input";
import type { Db } from "@/server/db";
import { takeCourseJoin } from "@/server/auth/limits";
import { isStaff, newJoinCode, normalizeJoinCode, requireInstructor, requireMember, requireStaff, JOIN_CODE_LENGTH } from "@/server/courses/access";
import { maxPointsOf, storedLatePolicy, storedTests } from "@/server/courses/definition";
import { courseGradebook } from "@/server/courses/gradebook";

/** Join codes cannot be guessed: join attempts are limited per account (COURSE_JOINS_PER_USER_PER_MINUTE_MAX). */
async function assertJoinAllowed(ctx: { db: Db; user: { id: string }; ip: string }) {
  const allowed = await takeCourseJoin(ctx.db, ctx.user.id, ctx.ip);
  if (!allowed.ok) throw tooMany(allowed.message, allowed.retryAfterSeconds);
}

const ZCourseFields = z.object({
  title: zText({ max: 160, required: "give the course a title" }),
  description: zText({ max: 4000 }).default(""),
});

const zJoinCode = zText({ max: 32, required: "enter the join code", maxMessage: "not a join code" });

async function createUniqueCode(exists: (code: string) => Promise<boolean>): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const code = newJoinCode();
    if (!(await exists(code))) return code;
  }
  throw new Error("could not find a free join code");
}

export const courseRouter = createTRPCRouter({
  create: protectedProcedure.input(ZCourseFields).mutation(async ({ ctx, input }) => {
    const joinCode = await createUniqueCode(async (code) => Boolean(await ctx.db.course.findUnique({ where: { joinCode: code }, select: { id: true } })));
    return ctx.db.course.create({
      data: { ...input, ownerId: ctx.user.id, joinCode, members: { create: { userId: ctx.user.id, role: "instructor" } } },
      select: { id: true, joinCode: true },
    });
  }),

  /** The courses I am in, with my role in each. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.courseMember.findMany({
      where: { userId: ctx.user.id },
      orderBy: { joinedAt: "desc" },
      take: 200,
      select: { role: true, course: { select: { id: true, title: true, description: true, owner: { select: { name: true } }, _count: { select: { assignments: true } } } } },
    });
    return rows.map((r) => ({ id: r.course.id, title: r.course.title, description: r.course.description, instructor: r.course.owner.name, role: r.role, assignmentCount: r.course._count.assignments }));
  }),

  byId: protectedProcedure.input(z.object({ id: zId })).query(async ({ ctx, input }) => {
    const role = await requireMember(ctx.db, input.id, ctx.user.id);
    const course = await ctx.db.course.findUniqueOrThrow({
      where: { id: input.id },
      select: {
        id: true, title: true, description: true, joinCode: true, ownerId: true, createdAt: true,
        owner: { select: { name: true } },
        assignments: {
          orderBy: [{ deadline: "asc" }, { id: "asc" }],
          select: { id: true, title: true, kind: true, deadline: true, latePolicy: true, tests: true, draft: true },
        },
        _count: { select: { members: { where: { role: "student" } } } },
      },
    });
    const staff = isStaff(role);
    // A student's own scores: their latest submission to each assignment, as the gradebook counts it.
    const book = staff ? null : await courseGradebook(ctx.db, input.id, "latest", ctx.user.id);
    const mine = book?.rows[0] ?? null;
    return {
      id: course.id,
      title: course.title,
      description: course.description,
      instructor: course.owner.name,
      role,
      // The code is how people join; only staff hand it out.
      joinCode: staff ? course.joinCode : null,
      studentCount: staff ? course._count.members : null,
      // Drafts are the staff's until published.
      assignments: course.assignments.filter((a) => staff || !a.draft).map((a) => ({
        id: a.id, title: a.title, kind: a.kind, deadline: a.deadline, latePolicy: storedLatePolicy(a.latePolicy), maxPoints: maxPointsOf(storedTests(a.kind, a.tests)), draft: a.draft,
      })),
      /** The caller's own scores by assignment id (students only). */
      myScores: mine ? Object.fromEntries(mine.cells.map((c, i) => [book!.columns[i]!.id, c])) : null,
    };
  }),

  update: protectedProcedure.input(ZCourseFields.extend({ id: zId })).mutation(async ({ ctx, input }) => {
    await requireInstructor(ctx.db, input.id, ctx.user.id);
    return ctx.db.course.update({ where: { id: input.id }, data: { title: input.title, description: input.description }, select: { id: true, title: true, description: true } });
  }),

  /** A new join code: the old code and links stop working; members stay. */
  resetJoinCode: protectedProcedure.input(z.object({ id: zId })).mutation(async ({ ctx, input }) => {
    await requireInstructor(ctx.db, input.id, ctx.user.id);
    const joinCode = await createUniqueCode(async (code) => Boolean(await ctx.db.course.findUnique({ where: { joinCode: code }, select: { id: true } })));
    return ctx.db.course.update({ where: { id: input.id }, data: { joinCode }, select: { id: true, joinCode: true } });
  }),

  /** What a join link leads to, shown before joining (joining is a deliberate click, not a page view). */
  preview: protectedProcedure.input(z.object({ code: zJoinCode })).query(async ({ ctx, input }) => {
    await assertJoinAllowed(ctx);
    const code = normalizeJoinCode(input.code);
    const course = code.length === JOIN_CODE_LENGTH ? await ctx.db.course.findUnique({ where: { joinCode: code }, select: { id: true, title: true, description: true } }) : null;
    if (!course) throw new TRPCError({ code: "NOT_FOUND", message: "No course has this join code; check it with your instructor." });
    const member = await ctx.db.courseMember.findUnique({ where: { courseId_userId: { courseId: course.id, userId: ctx.user.id } }, select: { role: true } });
    return { courseId: course.id, title: course.title, description: course.description, role: member?.role ?? null };
  }),

  /** Joins as a student; a member keeps the role they have. */
  join: protectedProcedure.input(z.object({ code: zJoinCode })).mutation(async ({ ctx, input }) => {
    await assertJoinAllowed(ctx);
    const code = normalizeJoinCode(input.code);
    const course = code.length === JOIN_CODE_LENGTH ? await ctx.db.course.findUnique({ where: { joinCode: code }, select: { id: true, title: true } }) : null;
    if (!course) throw new TRPCError({ code: "NOT_FOUND", message: "No course has this join code; check it with your instructor." });
    const member = await ctx.db.courseMember.upsert({
      where: { courseId_userId: { courseId: course.id, userId: ctx.user.id } },
      create: { courseId: course.id, userId: ctx.user.id, role: "student" },
      update: {},
      select: { role: true },
    });
    return { courseId: course.id, title: course.title, role: member.role };
  }),

  /** Every student against every assignment (course staff): raw points, late penalty and score. */
  gradebook: protectedProcedure
    .input(z.object({ id: zId, mode: z.enum(["latest", "best"]).default("latest") }))
    .query(async ({ ctx, input }) => {
      await requireStaff(ctx.db, input.id, ctx.user.id);
      const course = await ctx.db.course.findUniqueOrThrow({ where: { id: input.id }, select: { id: true, title: true } });
      return { course, ...(await courseGradebook(ctx.db, input.id, input.mode)) };
    }),

  /** What an LMS knows a student by (SIS user id, section), for the Canvas and Gradescope exports. */
  setRoster: protectedProcedure
    .input(z.object({ id: zId, userId: zId, sisUserId: zText({ max: 64 }).default(""), section: zText({ max: 120 }).default("") }))
    .mutation(async ({ ctx, input }) => {
      await requireStaff(ctx.db, input.id, ctx.user.id);
      const res = await ctx.db.courseMember.updateMany({ where: { courseId: input.id, userId: input.userId, role: "student" }, data: { sisUserId: input.sisUserId, section: input.section } });
      if (res.count === 0) throw notFound("Student");
      return { userId: input.userId, sisUserId: input.sisUserId, section: input.section };
    }),

  members: protectedProcedure.input(z.object({ id: zId })).query(async ({ ctx, input }) => {
    await requireStaff(ctx.db, input.id, ctx.user.id);
    const rows = await ctx.db.courseMember.findMany({
      where: { courseId: input.id },
      orderBy: [{ role: "asc" }, { joinedAt: "asc" }],
      take: 5000,
      select: { role: true, joinedAt: true, user: { select: { id: true, name: true, email: true } } },
    });
    return rows.map((r) => ({ ...r.user, role: r.role, joinedAt: r.joinedAt }));
  }),

  /** Makes an existing account a TA (a student of the course is promoted). */
  addTa: protectedProcedure
    .input(z.object({ id: zId, email: z.string().trim().toLowerCase().email("enter a valid email address").max(254) }))
    .mutation(async ({ ctx, input }) => {
      await requireInstructor(ctx.db, input.id, ctx.user.id);
      const user = await ctx.db.user.findUnique({ where: { email: input.email }, select: { id: true, name: true } });
      if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "No account uses this email; ask them to create one first." });
      const existing = await ctx.db.courseMember.findUnique({ where: { courseId_userId: { courseId: input.id, userId: user.id } }, select: { role: true } });
      if (existing?.role === "instructor") throw badRequest("This person is an instructor of the course already.");
      await ctx.db.courseMember.upsert({
        where: { courseId_userId: { courseId: input.id, userId: user.id } },
        create: { courseId: input.id, userId: user.id, role: "ta" },
        update: { role: "ta" },
        select: { role: true },
      });
      return { userId: user.id, name: user.name, role: "ta" as const };
    }),

  removeMember: protectedProcedure.input(z.object({ id: zId, userId: zId })).mutation(async ({ ctx, input }) => {
    await requireInstructor(ctx.db, input.id, ctx.user.id);
    const course = await ctx.db.course.findUniqueOrThrow({ where: { id: input.id }, select: { ownerId: true } });
    if (input.userId === course.ownerId) throw badRequest("The course's owner cannot be removed.");
    const res = await ctx.db.courseMember.deleteMany({ where: { courseId: input.id, userId: input.userId } });
    if (res.count === 0) throw notFound("Member");
    return { removed: true };
  }),
});
