// A run's page waits a moment for a small run just queued to end (server/worker/settle.ts), so it
// shows the result at once; it does not wait for sweeps, heavy runs or runs queued long ago, and
// after its moment it shows the run live.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS, createTestDb, makeUser, type TestDb } from "../helpers/db";
import { closeChangeFeeds } from "@/server/worker/signals";
import { claimRun, enqueueRun, finishRun } from "@/server/worker/queue";
import { HEAVY_WEIGHT_MIN } from "@/server/worker/fairness";
import { settleRun } from "@/server/worker/settle";
import { createScenario } from "@/server/scenarios/store";
import { createDb } from "@/server/db/client";
import { TEMPLATES } from "@/server/templates";

/** Long enough that a test reaching it failed: settleRun is expected to answer well before. */
const NEVER_MS = 120_000;

describe.each(PROVIDERS)("a run page's wait on %s", (provider) => {
  let t: TestDb;
  let enqueue: (extra?: { seedCount?: number; weight?: number }) => Promise<string>;
  beforeAll(async () => {
    t = await createTestDb(provider);
    const owner = await makeUser(t.db, "settle");
    const s = await createScenario(t.db, owner.id, TEMPLATES[0]!.source);
    const v = await t.db.scenarioVersion.findFirstOrThrow({ where: { scenarioId: s.id }, select: { id: true } });
    // Written through another client, as the worker's process would.
    const other = createDb(t.url);
    enqueue = async (extra = {}) => (await enqueueRun(other, { ownerId: owner.id, scenarioId: s.id, versionId: v.id, seed: 1, seedCount: extra.seedCount ?? 1, weight: extra.weight })).id;
  });
  afterAll(async () => {
    closeChangeFeeds();
    await t.drop();
  });

  it("ends its wait when the run ends, and says it ended", async () => {
    await t.db.run.updateMany({ where: { status: { in: ["queued", "running"] } }, data: { status: "failed", error: "cleared by test" } });
    const id = await enqueue();
    let settled: boolean | null = null;
    const waiting = settleRun(t.db, t.url, id, NEVER_MS).then((r) => (settled = r));
    const claimed = await claimRun(t.db, "settle-worker", 60_000);
    expect(claimed?.id).toBe(id);
    await finishRun(t.db, id, claimed!.attempt, { ok: true, engine: "test", verdict: "pass", summary: {}, eventCount: 0, trace: null });
    // The feed may start listening after the run ended: changes keep coming until it hears one.
    while (settled === null) {
      await Promise.race([waiting, new Promise((r) => setTimeout(r, 200))]);
      if (settled === null) await t.db.run.updateMany({ where: { id }, data: { progress: 1 } });
    }
    expect(settled).toBe(true);
    expect((await t.db.run.findUniqueOrThrow({ where: { id } })).status).toBe("done");
  });

  it("does not wait for a sweep or a heavy run", async () => {
    const sweep = await enqueue({ seedCount: 4 });
    const heavy = await enqueue({ weight: HEAVY_WEIGHT_MIN });
    expect(await settleRun(t.db, t.url, sweep, NEVER_MS)).toBe(false);
    expect(await settleRun(t.db, t.url, heavy, NEVER_MS)).toBe(false);
  });

  it("does not wait for a run queued long ago", async () => {
    const id = await enqueue();
    expect(await settleRun(t.db, t.url, id, NEVER_MS, Date.now() + 60_000)).toBe(false);
  });

  it("after its moment, leaves a run that is still queued to show live", async () => {
    const id = await enqueue();
    expect(await settleRun(t.db, t.url, id, 50)).toBe(false);
    expect((await t.db.run.findUniqueOrThrow({ where: { id } })).status).toBe("queued");
  });
});
