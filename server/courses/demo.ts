// The demo course `npm start` adds: the demo account teaches it, a demo student is enrolled,
// and it has a break-it and a fix-it assignment on the lecture slide's scenarios, an implement-it one,
// a break-it on each of the built-in Raft, primary-backup, two-phase commit and broadcast, and a
// fix-the-bug on a forked Paxos, an implement-it (server/courses/protocol-examples.ts).
import type { Db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { checkDefinition } from "./definition";
import { newJoinCode } from "./access";
import { demoBreakIt, demoFixIt, demoImplementIt, demoRaftBreakIt } from "./examples";
import { demoBroadcastBreakIt, demoPaxosImplementIt, demoPrimaryBackupBreakIt, demoTwoPhaseCommitBreakIt } from "./protocol-examples";

export const DEMO_STUDENT_EMAIL = "student@faultline.dev";
export const DEMO_STUDENT_PASSWORD = "faultline-demo";
const DAY_MS = 24 * 60 * 60 * 1000;

/** Adds the demo course when the demo instructor has none. Idempotent. */
export async function seedDemoCourse(db: Db, demoUserId: string): Promise<{ created: boolean }> {
  const existing = await db.course.findFirst({ where: { ownerId: demoUserId }, select: { id: true } });
  if (existing) return { created: false };
  const student =
    (await db.user.findUnique({ where: { email: DEMO_STUDENT_EMAIL }, select: { id: true } })) ??
    (await db.user.create({ data: { email: DEMO_STUDENT_EMAIL, name: "Sam Student", passwordHash: await hashPassword(DEMO_STUDENT_PASSWORD) }, select: { id: true } }));
  const deadline = new Date(Date.now() + 14 * DAY_MS);
  const assignments = [
    demoBreakIt(deadline),
    demoFixIt(deadline),
    demoImplementIt(deadline),
    demoRaftBreakIt(deadline),
    demoPrimaryBackupBreakIt(deadline),
    demoTwoPhaseCommitBreakIt(deadline),
    demoBroadcastBreakIt(deadline),
    demoPaxosImplementIt(deadline),
  ].map((a) => {
    const checked = checkDefinition(a.kind, a);
    if (!checked.ok) throw new Error(`demo assignment "${a.title}" is invalid: ${JSON.stringify(checked.problems)}`);
    return {
      kind: a.kind, title: a.title, instructions: a.instructions, starterSource: a.starterSource, deadline: a.deadline,
      latePolicy: JSON.stringify(a.latePolicy), rules: JSON.stringify(checked.rules), tests: JSON.stringify(checked.tests),
    };
  });
  await db.course.create({
    data: {
      ownerId: demoUserId,
      title: "Distributed Systems 101 (demo)",
      description: "A demo course: a break-it and a fix-it assignment on the lecture slide's journal request, an implement-it assignment where you write a broadcast program, a break-it assignment on each of Raft, primary-backup, two-phase commit and broadcast, and a fix-the-bug on Paxos.",
      joinCode: newJoinCode(),
      members: { create: [{ userId: demoUserId, role: "instructor" }, { userId: student.id, role: "student" }] },
      assignments: { create: assignments },
    },
    select: { id: true },
  });
  return { created: true };
}
