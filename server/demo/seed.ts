// The demo data `npm start` puts in an empty database: a demo account holding the
// template scenarios (some public, so the gallery is not empty), each with a queued run
// the worker completes. Idempotent: an existing demo account is left as it is.
import type { Db } from "@/server/db";
import { hashPassword } from "@/server/auth/password";
import { TEMPLATES } from "@/server/templates";
import { createScenario } from "@/server/scenarios/store";
import { enqueueRun } from "@/server/worker/queue";
import { seedDemoCourse } from "@/server/courses/demo";

export const DEMO_EMAIL = "demo@faultline.dev";
export const DEMO_PASSWORD = "faultline-demo";
const PUBLIC_TEMPLATES = new Set(["request-lost", "response-lost", "byzantine-lie", "unknown-computer", "lossy-retries"]);

export async function seedDemo(db: Db): Promise<{ created: boolean }> {
  const existing = await db.user.findUnique({ where: { email: DEMO_EMAIL }, select: { id: true } });
  if (existing) {
    // A database from before courses existed gets the demo course too.
    await seedDemoCourse(db, existing.id);
    return { created: false };
  }
  const user = await db.user.create({
    data: { email: DEMO_EMAIL, name: "Dana Demo", passwordHash: await hashPassword(DEMO_PASSWORD) },
    select: { id: true },
  });
  for (const template of TEMPLATES) {
    const scenario = await createScenario(db, user.id, template.source);
    if (PUBLIC_TEMPLATES.has(template.id)) {
      await db.scenario.update({ where: { id: scenario.id }, data: { visibility: "public" } });
    }
    const version = await db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: scenario.id, number: 1 }, select: { id: true } });
    const run = await enqueueRun(db, { ownerId: user.id, scenarioId: scenario.id, versionId: version.id, seed: 1, seedCount: 1 });
    if (PUBLIC_TEMPLATES.has(template.id)) await db.run.update({ where: { id: run.id }, data: { visibility: "public" } });
  }
  await seedDemoCourse(db, user.id);
  return { created: true };
}
