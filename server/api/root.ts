// The API: every router, and a server-side caller for pages and tests.
import { createCallerFactory, createTRPCRouter } from "./trpc";
import { scenarioRouter } from "./routers/scenario";
import { runRouter } from "./routers/run";
import { userRouter } from "./routers/user";
import { courseRouter } from "./routers/course";
import { assignmentRouter, submissionRouter } from "./routers/assignment";

export const appRouter = createTRPCRouter({
  user: userRouter,
  scenario: scenarioRouter,
  run: runRouter,
  course: courseRouter,
  assignment: assignmentRouter,
  submission: submissionRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
