// user.*: create an account with email and password, and read who is signed in.
import { z } from "zod";
import { createTRPCRouter, publicProcedure } from "../trpc";
import { badRequest, tooMany } from "../errors";
import { zText } from "../input";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/server/auth/password";
import { takeSignUp } from "@/server/auth/limits";

export const ZSignUp = z.object({
  name: zText({ max: 80, required: "enter your name" }),
  email: z.string().trim().toLowerCase().email("enter a valid email address").max(254),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(PASSWORD_MAX_LENGTH, `at most ${PASSWORD_MAX_LENGTH} characters`),
});

export const userRouter = createTRPCRouter({
  signUp: publicProcedure.input(ZSignUp).mutation(async ({ ctx, input }) => {
    const allowed = await takeSignUp(ctx.db, ctx.ip);
    if (!allowed.ok) throw tooMany(allowed.message, allowed.retryAfterSeconds);
    const existing = await ctx.db.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing) throw badRequest("An account with this email already exists. Sign in instead.");
    const user = await ctx.db.user.create({
      data: { email: input.email, name: input.name, passwordHash: await hashPassword(input.password) },
      select: { id: true, email: true, name: true },
    });
    return user;
  }),

  me: publicProcedure.query(({ ctx }) => ctx.user),
});
